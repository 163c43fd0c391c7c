//! Every SQL statement the reader and the sample generator run, in one place, so the reader can be
//! pointed at PlanManager's real tables or views by editing this file only (see SCHEMA.md).
//!
//! Statements use `?` placeholders, plain joins and no vendor functions, so one text serves SQLite
//! and MariaDB alike. What differs per backend sits side by side in [`Dialect`] ([`SQLITE`],
//! [`MYSQL`]); the schema itself is in `migrations/{sqlite,mysql}`.

/// All locations.
pub const SELECT_LOCATIONS: &str = "SELECT id, name FROM locations ORDER BY id";

/// All journals with their location's name (few rows: filtered in Rust).
pub const SELECT_JOURNALS: &str = "\
SELECT j.id, j.code, j.name, j.location_id, l.name AS location_name, j.kind, j.last_number \
FROM journals j LEFT JOIN locations l ON l.id = j.location_id \
ORDER BY j.id";

/// All general-ledger accounts.
pub const SELECT_GL_ACCOUNTS: &str =
    "SELECT number, description_nl, description_fr FROM gl_accounts ORDER BY number";

/// Invoices with their lines, payment term and exported flag: one row per line (or one row with
/// NULL line columns for an invoice without lines). Followed by [`INVOICE_WHERE_FINAL`], the
/// journal-id list, the filter conditions and [`INVOICES_WITH_LINES_ORDER`].
pub const SELECT_INVOICES_WITH_LINES: &str = "\
SELECT i.id, i.journal_id, i.number, i.date, i.due_date, i.customer_id, i.kind, \
i.credited_invoice_id, i.currency, i.total_excl, i.total_vat, i.total_incl, \
i.structured_reference, i.file_reference, i.plate, \
pt.days AS term_days, pt.end_of_month AS term_end_of_month, \
EXISTS (SELECT 1 FROM accounting_exports ae WHERE ae.invoice_id = i.id) AS exported, \
il.id AS line_id, il.seq, il.description, il.quantity, il.unit_price, il.discount_pct, \
il.amount_excl, il.vat_rate, il.vat_amount, il.vat_regime, il.gl_account \
FROM invoices i \
LEFT JOIN customers c ON c.id = i.customer_id \
LEFT JOIN payment_terms pt ON pt.id = c.payment_term_id \
LEFT JOIN invoice_lines il ON il.invoice_id = i.id ";

/// Only final invoices (drafts are never exported); the journal-id list follows.
pub const INVOICE_WHERE_FINAL: &str = "WHERE i.status = 'final' AND i.journal_id IN (";

/// Order of [`SELECT_INVOICES_WITH_LINES`]: by number within a journal code, so an invoice's rows
/// arrive together. Only the invoice's columns: both planners then read the `(journal_id, number)`
/// index in order (MariaDB sorts the whole join as soon as a second table's column appears here);
/// the reader puts the lines of each invoice in `(seq, id)` order itself.
pub const INVOICES_WITH_LINES_ORDER: &str = " ORDER BY i.number, i.id";

/// Filter conditions appended after the journal-id list; each is followed by one bound value.
pub const AND_DATE_FROM: &str = " AND i.date >= ";
/// See [`AND_DATE_FROM`].
pub const AND_DATE_TO: &str = " AND i.date <= ";
/// See [`AND_DATE_FROM`].
pub const AND_NUMBER_FROM: &str = " AND i.number >= ";
/// See [`AND_DATE_FROM`].
pub const AND_NUMBER_TO: &str = " AND i.number <= ";
/// Leaves out invoices PlanManager already flags as exported.
pub const AND_NOT_EXPORTED: &str =
    " AND NOT EXISTS (SELECT 1 FROM accounting_exports ae WHERE ae.invoice_id = i.id)";

/// Customers by id (followed by the id list and `)`).
pub const SELECT_CUSTOMERS_BY_ID: &str = "\
SELECT c.id, c.kind, c.name, c.first_name, c.vat_number, c.street, c.house_number, c.box, \
c.postal_code, c.city, c.country, c.language, c.email, c.phone, c.iban, c.bic, c.blocked, \
c.updated_at, pt.days AS term_days, pt.end_of_month AS term_end_of_month \
FROM customers c LEFT JOIN payment_terms pt ON pt.id = c.payment_term_id \
WHERE c.id IN (";

/// Flags again the invoices whose flag row exists but does not say "exported". Binds:
/// exported_at, run_id; followed by the id list and `)`. With [`MARK_NEW_EXPORTED`] this is the
/// portable form of an upsert that counts only rows it changed (MariaDB's `ON DUPLICATE KEY`
/// reports found rows, not changed ones).
pub const MARK_EXPORTED_AGAIN: &str = "\
UPDATE accounting_exports SET status = 'exported', exported_at = ?, run_id = ? \
WHERE COALESCE(status, '') <> 'exported' AND invoice_id IN (";

/// Flags the existing invoices that have no flag row yet. Binds: exported_at, run_id; followed by
/// the id list and [`MARK_NEW_EXPORTED_END`].
pub const MARK_NEW_EXPORTED: &str = "\
INSERT INTO accounting_exports (invoice_id, exported_at, status, run_id) \
SELECT i.id, ?, 'exported', ? FROM invoices i WHERE i.id IN (";
/// See [`MARK_NEW_EXPORTED`].
pub const MARK_NEW_EXPORTED_END: &str =
    ") AND NOT EXISTS (SELECT 1 FROM accounting_exports ae WHERE ae.invoice_id = i.id)";

/// Clears the exported flag of the selected final invoices; followed by the journal-id list,
/// the filter conditions (without [`AND_NOT_EXPORTED`]) and `)`.
pub const REQUEUE: &str = "\
DELETE FROM accounting_exports WHERE invoice_id IN (SELECT i.id FROM invoices i \
WHERE i.status = 'final' AND i.journal_id IN (";

/// Counts the rows the sample generator would refuse to overwrite.
pub const COUNT_EXISTING_DATA: &str = "\
SELECT (SELECT COUNT(*) FROM locations) + (SELECT COUNT(*) FROM journals) \
+ (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM invoices) \
+ (SELECT COUNT(*) FROM gl_accounts) + (SELECT COUNT(*) FROM payment_terms) AS existing";

/// Sample data: multi-row inserts, completed by the `VALUES` tuples.
pub const INSERT_LOCATIONS: &str = "INSERT INTO locations (id, name) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_JOURNALS: &str =
    "INSERT INTO journals (id, code, name, location_id, kind, last_number) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_PAYMENT_TERMS: &str = "INSERT INTO payment_terms (id, name, days, end_of_month) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_GL_ACCOUNTS: &str =
    "INSERT INTO gl_accounts (number, description_nl, description_fr) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_CUSTOMERS: &str = "\
INSERT INTO customers (id, kind, name, first_name, vat_number, street, house_number, box, \
postal_code, city, country, language, email, phone, iban, bic, payment_term_id, blocked, \
updated_at) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_INVOICES: &str = "\
INSERT INTO invoices (id, journal_id, number, date, due_date, customer_id, kind, \
credited_invoice_id, currency, total_excl, total_vat, total_incl, structured_reference, \
file_reference, plate, status, updated_at) ";
/// See [`INSERT_LOCATIONS`].
pub const INSERT_INVOICE_LINES: &str = "\
INSERT INTO invoice_lines (id, invoice_id, seq, description, quantity, unit_price, \
discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account) ";

/// The statements that differ between the backends.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// Run on every connection the service opens.
    pub session_setup: Option<&'static str>,
    /// Run by the sample generator before writing (fast, crash-unsafe writes for a throw-away
    /// sample).
    pub seed_speed: Option<&'static str>,
}

/// SQLite.
pub const SQLITE: Dialect = Dialect {
    session_setup: None,
    seed_speed: Some("PRAGMA synchronous = OFF"),
};

/// MariaDB / MySQL. A streaming read is paced by the gRPC client; the server drops a connection
/// whose client has not taken a block for `net_write_timeout` seconds (60 by default), so a slow
/// consumer (Octopus throttling the run) gets an hour.
pub const MYSQL: Dialect = Dialect {
    session_setup: Some("SET SESSION net_write_timeout = 3600"),
    seed_speed: None,
};
