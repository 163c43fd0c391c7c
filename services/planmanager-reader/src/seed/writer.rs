//! Writing the sample fast on either backend: multi-row `INSERT`s of up to 500 rows, one
//! transaction per few thousand invoices, so a million invoices take minutes, not hours. Values
//! are bound as text and numbers; both databases convert the text to DECIMAL or DATE exactly.

use super::customers::SeedCustomer;
use super::data;
use super::invoices::{SeedInvoice, SeedLine};
use crate::db::backend::{Statement, Transaction, Value};
use crate::db::sql;

/// Rows per `INSERT` statement (19 columns × 500 stays far below SQLite's and MariaDB's
/// parameter limits).
const ROWS_PER_STATEMENT: usize = 500;

/// One multi-row insert.
fn insert(prefix: &str, rows: impl IntoIterator<Item = Vec<Value>>) -> Statement {
    let mut statement = Statement::new(prefix);
    statement.bind_rows(rows);
    statement
}

/// Writes locations, journals, payment terms and general-ledger accounts.
pub(crate) async fn insert_fixed(transaction: &mut Transaction) -> Result<(), sqlx::Error> {
    let locations = data::LOCATIONS
        .iter()
        .zip(1_i64..)
        .map(|(name, id)| vec![id.into(), (*name).into()]);
    transaction
        .execute(insert(sql::INSERT_LOCATIONS, locations))
        .await?;

    let journals = data::JOURNALS.iter().zip(1_i64..).map(|(journal, id)| {
        let (code, name, location, kind, last_number) = *journal;
        let location_id = location.and_then(|location| {
            data::LOCATIONS
                .iter()
                .position(|name| *name == location)
                .map(|index| index as i64 + 1)
        });
        vec![
            id.into(),
            code.into(),
            name.into(),
            location_id.into(),
            kind.into(),
            last_number.into(),
        ]
    });
    transaction
        .execute(insert(sql::INSERT_JOURNALS, journals))
        .await?;

    let terms = data::PAYMENT_TERMS
        .iter()
        .map(|(id, name, days, end_of_month)| {
            vec![
                (*id).into(),
                (*name).into(),
                (*days).into(),
                i64::from(*end_of_month).into(),
            ]
        });
    transaction
        .execute(insert(sql::INSERT_PAYMENT_TERMS, terms))
        .await?;

    let accounts = data::GL_ACCOUNTS
        .iter()
        .map(|(number, nl, fr)| vec![(*number).into(), (*nl).into(), (*fr).into()]);
    transaction
        .execute(insert(sql::INSERT_GL_ACCOUNTS, accounts))
        .await?;
    Ok(())
}

/// Writes customers in multi-row statements.
pub(crate) async fn insert_customers(
    transaction: &mut Transaction,
    customers: &[SeedCustomer],
) -> Result<(), sqlx::Error> {
    for chunk in customers.chunks(ROWS_PER_STATEMENT) {
        let rows = chunk.iter().map(|c| {
            vec![
                c.id.into(),
                c.kind().into(),
                c.name.as_str().into(),
                c.first_name.as_deref().into(),
                c.vat_number.as_deref().into(),
                c.street.as_str().into(),
                c.house_number.as_str().into(),
                c.r#box.as_deref().into(),
                c.postal_code.as_str().into(),
                c.city.as_str().into(),
                c.country.as_str().into(),
                c.language.into(),
                c.email.as_deref().into(),
                c.phone.as_deref().into(),
                c.iban.as_deref().into(),
                c.bic.as_deref().into(),
                c.payment_term_id.into(),
                0_i64.into(),
                c.updated_at.as_str().into(),
            ]
        });
        transaction
            .execute(insert(sql::INSERT_CUSTOMERS, rows))
            .await?;
    }
    Ok(())
}

fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn invoice_row(i: &SeedInvoice) -> Vec<Value> {
    vec![
        i.id.into(),
        i.journal_id.into(),
        i.number.into(),
        date_text(i.date).into(),
        i.due_date.map(date_text).into(),
        i.customer_id.into(),
        if i.credit_note {
            "credit_note"
        } else {
            "invoice"
        }
        .into(),
        i.credited_invoice_id.into(),
        "EUR".into(),
        i.total_excl.to_string().into(),
        i.total_vat.to_string().into(),
        i.total_incl.to_string().into(),
        i.structured_reference.as_deref().into(),
        i.file_reference.as_str().into(),
        i.plate.as_deref().into(),
        if i.draft { "draft" } else { "final" }.into(),
        format!("{} 17:45:00", date_text(i.date)).into(),
    ]
}

fn line_row(id: i64, invoice_id: i64, line: &SeedLine) -> Vec<Value> {
    vec![
        id.into(),
        invoice_id.into(),
        line.seq.into(),
        line.description.into(),
        line.quantity.to_string().into(),
        line.unit_price.to_string().into(),
        line.discount_pct.to_string().into(),
        line.amount_excl.to_string().into(),
        line.vat_rate.to_string().into(),
        line.vat_amount.to_string().into(),
        line.vat_regime.into(),
        line.gl_account.into(),
    ]
}

/// Writes a batch of invoices and then all their lines; `next_line_id` numbers the lines.
pub(crate) async fn insert_invoices(
    transaction: &mut Transaction,
    invoices: &[SeedInvoice],
    next_line_id: &mut i64,
) -> Result<(), sqlx::Error> {
    for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
        transaction
            .execute(insert(sql::INSERT_INVOICES, chunk.iter().map(invoice_row)))
            .await?;
    }
    let mut lines: Vec<(i64, i64, &SeedLine)> = Vec::with_capacity(invoices.len() * 3);
    for invoice in invoices {
        for line in &invoice.lines {
            lines.push((*next_line_id, invoice.id, line));
            *next_line_id += 1;
        }
    }
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let rows = chunk
            .iter()
            .map(|(id, invoice_id, line)| line_row(*id, *invoice_id, line));
        transaction
            .execute(insert(sql::INSERT_INVOICE_LINES, rows))
            .await?;
    }
    Ok(())
}
