-- PlanManager source schema (design.md §5) for SQLite: the tables the reader reads.
--
-- Money is TEXT holding a canonical decimal string ('1234.50'): rust_decimal does not bind to
-- SQLite. Dates are TEXT 'YYYY-MM-DD'. Credit notes (invoices.kind = 'credit_note') store
-- POSITIVE amounts; the journal mapper makes the Octopus amount negative.
--
-- Constraints are deliberately loose (no NOT NULL on data columns, no foreign keys): PlanManager's
-- real data is not clean, the reader validates every row it reads and reports what is wrong, and
-- tests insert such flawed rows into this same schema.

CREATE TABLE locations (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE journals (
    id          INTEGER PRIMARY KEY,
    code        TEXT,     -- may be empty or duplicated in real data: reported, never fatal
    name        TEXT,
    location_id INTEGER,  -- NULL: the journal belongs to no location
    kind        TEXT,     -- sale | sale_credit | purchase | purchase_credit | internal
    last_number INTEGER
);

CREATE TABLE payment_terms (
    id           INTEGER PRIMARY KEY,
    name         TEXT,
    days         INTEGER,
    end_of_month INTEGER  -- 0 or 1
);

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    kind            TEXT,     -- person | company | insurer | leasing
    name            TEXT,
    first_name      TEXT,
    vat_number      TEXT,     -- as typed in PlanManager (dots, spaces, lower case...)
    street          TEXT,
    house_number    TEXT,
    box             TEXT,
    postal_code     TEXT,
    city            TEXT,
    country         TEXT,     -- a country name in NL/FR/EN/DE or an ISO code
    language        TEXT,     -- nl | fr | en | de
    email           TEXT,
    phone           TEXT,
    iban            TEXT,
    bic             TEXT,
    payment_term_id INTEGER,
    blocked         INTEGER DEFAULT 0,
    updated_at      TEXT
);

CREATE TABLE gl_accounts (
    number         INTEGER PRIMARY KEY,
    description_nl TEXT,
    description_fr TEXT
);

CREATE TABLE invoices (
    id                   INTEGER PRIMARY KEY,
    journal_id           INTEGER,
    number               INTEGER,  -- counted per journal; NULL for drafts
    date                 TEXT,
    due_date             TEXT,
    customer_id          INTEGER,
    kind                 TEXT,     -- invoice | credit_note
    credited_invoice_id  INTEGER,
    currency             TEXT,
    total_excl           TEXT,
    total_vat            TEXT,
    total_incl           TEXT,
    structured_reference TEXT,
    file_reference       TEXT,
    plate                TEXT,
    status               TEXT,     -- draft | final (only final invoices are exported)
    updated_at           TEXT
);
CREATE INDEX invoices_journal_number ON invoices (journal_id, number);

CREATE TABLE invoice_lines (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL,
    seq          INTEGER,
    description  TEXT,
    quantity     TEXT,
    unit_price   TEXT,
    discount_pct TEXT,     -- percent, e.g. '10'
    amount_excl  TEXT,     -- round_cents(quantity x unit_price x (1 - discount_pct / 100))
    vat_rate     TEXT,     -- percent, e.g. '21'
    vat_amount   TEXT,     -- rounded per line, as PlanManager prints it
    vat_regime   TEXT,     -- standard | reverse_charge_be | intra_eu | export | exempt
    gl_account   INTEGER
);
CREATE INDEX invoice_lines_invoice_seq ON invoice_lines (invoice_id, seq);

-- PlanManager's own "exported" flag, which "Opnieuw klaarzetten" (requeue) clears.
CREATE TABLE accounting_exports (
    invoice_id  INTEGER PRIMARY KEY,
    exported_at TEXT,
    status      TEXT NOT NULL DEFAULT 'exported',
    run_id      TEXT      -- our addition: which export run set the flag
);
