-- PlanManager source schema (design.md §5) for MariaDB / MySQL: the tables the reader reads.
--
-- Same logical schema as migrations/sqlite (ids AUTO_INCREMENT, as SQLite's INTEGER PRIMARY KEY
-- assigns them). Money is DECIMAL(15,2); quantities, unit prices and
-- percentages carry more scale. Dates are DATE, timestamps DATETIME. Text is utf8mb4 with a binary
-- collation, so comparisons behave exactly as on SQLite. Credit notes (invoices.kind =
-- 'credit_note') store POSITIVE amounts; the journal mapper makes the Octopus amount negative.
--
-- Constraints are deliberately loose (no NOT NULL on data columns, no foreign keys): PlanManager's
-- real data is not clean, the reader validates every row it reads and reports what is wrong, and
-- tests insert such flawed rows into this same schema.

CREATE TABLE locations (
    id   BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(255) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE journals (
    id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code        VARCHAR(50),      -- may be empty or duplicated in real data: reported, never fatal
    name        VARCHAR(255),
    location_id BIGINT,           -- NULL: the journal belongs to no location
    kind        VARCHAR(20),      -- sale | sale_credit | purchase | purchase_credit | internal
    last_number BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE payment_terms (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100),
    days         INT,
    end_of_month TINYINT(1)       -- 0 or 1
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE customers (
    id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind            VARCHAR(20),  -- person | company | insurer | leasing
    name            VARCHAR(255),
    first_name      VARCHAR(255),
    vat_number      VARCHAR(50),  -- as typed in PlanManager (dots, spaces, lower case...)
    street          VARCHAR(255),
    house_number    VARCHAR(30),
    box             VARCHAR(30),
    postal_code     VARCHAR(20),
    city            VARCHAR(100),
    country         VARCHAR(100), -- a country name in NL/FR/EN/DE or an ISO code
    language        VARCHAR(10),  -- nl | fr | en | de
    email           VARCHAR(255),
    phone           VARCHAR(50),
    iban            VARCHAR(50),
    bic             VARCHAR(20),
    payment_term_id BIGINT,
    blocked         TINYINT(1) DEFAULT 0,
    updated_at      DATETIME
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gl_accounts (
    number         BIGINT NOT NULL PRIMARY KEY,
    description_nl VARCHAR(255),
    description_fr VARCHAR(255)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE invoices (
    id                   BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    journal_id           BIGINT,
    number               BIGINT,         -- counted per journal; NULL for drafts
    date                 DATE,
    due_date             DATE,
    customer_id          BIGINT,
    kind                 VARCHAR(20),    -- invoice | credit_note
    credited_invoice_id  BIGINT,
    currency             VARCHAR(3),
    total_excl           DECIMAL(15, 2),
    total_vat            DECIMAL(15, 2),
    total_incl           DECIMAL(15, 2),
    structured_reference VARCHAR(30),
    file_reference       VARCHAR(100),
    plate                VARCHAR(20),
    status               VARCHAR(10),    -- draft | final (only final invoices are exported)
    updated_at           DATETIME,
    INDEX invoices_journal_number (journal_id, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE invoice_lines (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    invoice_id   BIGINT NOT NULL,
    seq          INT,
    description  TEXT,
    quantity     DECIMAL(15, 4),
    unit_price   DECIMAL(15, 4),
    discount_pct DECIMAL(7, 4),      -- percent, e.g. 10
    amount_excl  DECIMAL(15, 2),     -- round_cents(quantity x unit_price x (1 - discount_pct / 100))
    vat_rate     DECIMAL(7, 4),      -- percent, e.g. 21
    vat_amount   DECIMAL(15, 2),     -- rounded per line, as PlanManager prints it
    vat_regime   VARCHAR(30),        -- standard | reverse_charge_be | intra_eu | export | exempt
    gl_account   BIGINT,
    INDEX invoice_lines_invoice_seq (invoice_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- PlanManager's own "exported" flag, which "Opnieuw klaarzetten" (requeue) clears.
CREATE TABLE accounting_exports (
    invoice_id  BIGINT NOT NULL PRIMARY KEY,
    exported_at DATETIME,
    status      VARCHAR(20) NOT NULL DEFAULT 'exported',
    run_id      VARCHAR(64)          -- our addition: which export run set the flag
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
