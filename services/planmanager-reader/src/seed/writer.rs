//! Writing the sample fast: multi-row `INSERT`s of up to 500 rows, one transaction per few
//! thousand invoices, so a million invoices take minutes, not hours.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::customers::SeedCustomer;
use super::data;
use super::invoices::{SeedInvoice, SeedLine};
use crate::db::sql;

/// Rows per `INSERT` statement (19 columns × 500 stays far below SQLite's parameter limit).
const ROWS_PER_STATEMENT: usize = 500;

/// Writes locations, journals, payment terms and general-ledger accounts.
pub(crate) async fn insert_fixed(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_LOCATIONS);
    query.push_values(
        data::LOCATIONS.iter().zip(1_i64..),
        |mut row, (name, id)| {
            row.push_bind(id).push_bind(*name);
        },
    );
    query.build().execute(&mut *connection).await?;

    let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_JOURNALS);
    query.push_values(
        data::JOURNALS.iter().zip(1_i64..),
        |mut row, (journal, id)| {
            let (code, name, location, kind, last_number) = *journal;
            let location_id = location.and_then(|location| {
                data::LOCATIONS
                    .iter()
                    .position(|name| *name == location)
                    .map(|index| index as i64 + 1)
            });
            row.push_bind(id)
                .push_bind(code)
                .push_bind(name)
                .push_bind(location_id)
                .push_bind(kind)
                .push_bind(last_number);
        },
    );
    query.build().execute(&mut *connection).await?;

    let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_PAYMENT_TERMS);
    query.push_values(
        data::PAYMENT_TERMS,
        |mut row, (id, name, days, end_of_month)| {
            row.push_bind(*id)
                .push_bind(*name)
                .push_bind(*days)
                .push_bind(i64::from(*end_of_month));
        },
    );
    query.build().execute(&mut *connection).await?;

    let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_GL_ACCOUNTS);
    query.push_values(data::GL_ACCOUNTS, |mut row, (number, nl, fr)| {
        row.push_bind(*number).push_bind(*nl).push_bind(*fr);
    });
    query.build().execute(&mut *connection).await?;
    Ok(())
}

/// Writes customers in multi-row statements.
pub(crate) async fn insert_customers(
    connection: &mut SqliteConnection,
    customers: &[SeedCustomer],
) -> Result<(), sqlx::Error> {
    for chunk in customers.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_CUSTOMERS);
        query.push_values(chunk, |mut row, c| {
            row.push_bind(c.id)
                .push_bind(c.kind())
                .push_bind(c.name.as_str())
                .push_bind(c.first_name.as_deref())
                .push_bind(c.vat_number.as_deref())
                .push_bind(c.street.as_str())
                .push_bind(c.house_number.as_str())
                .push_bind(c.r#box.as_deref())
                .push_bind(c.postal_code.as_str())
                .push_bind(c.city.as_str())
                .push_bind(c.country.as_str())
                .push_bind(c.language)
                .push_bind(c.email.as_deref())
                .push_bind(c.phone.as_deref())
                .push_bind(c.iban.as_deref())
                .push_bind(c.bic.as_deref())
                .push_bind(c.payment_term_id)
                .push_bind(0_i64)
                .push_bind(c.updated_at.as_str());
        });
        query.build().execute(&mut *connection).await?;
    }
    Ok(())
}

fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Writes a batch of invoices and then all their lines; `next_line_id` numbers the lines.
pub(crate) async fn insert_invoices(
    connection: &mut SqliteConnection,
    invoices: &[SeedInvoice],
    next_line_id: &mut i64,
) -> Result<(), sqlx::Error> {
    for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_INVOICES);
        query.push_values(chunk, |mut row, i| {
            row.push_bind(i.id)
                .push_bind(i.journal_id)
                .push_bind(i.number)
                .push_bind(date_text(i.date))
                .push_bind(i.due_date.map(date_text))
                .push_bind(i.customer_id)
                .push_bind(if i.credit_note {
                    "credit_note"
                } else {
                    "invoice"
                })
                .push_bind(i.credited_invoice_id)
                .push_bind("EUR")
                .push_bind(i.total_excl.to_string())
                .push_bind(i.total_vat.to_string())
                .push_bind(i.total_incl.to_string())
                .push_bind(i.structured_reference.as_deref())
                .push_bind(i.file_reference.as_str())
                .push_bind(i.plate.as_deref())
                .push_bind(if i.draft { "draft" } else { "final" })
                .push_bind(format!("{} 17:45:00", date_text(i.date)));
        });
        query.build().execute(&mut *connection).await?;
    }
    let mut lines: Vec<(i64, i64, &SeedLine)> = Vec::with_capacity(invoices.len() * 3);
    for invoice in invoices {
        for line in &invoice.lines {
            lines.push((*next_line_id, invoice.id, line));
            *next_line_id += 1;
        }
    }
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(sql::INSERT_INVOICE_LINES);
        query.push_values(chunk, |mut row, (id, invoice_id, line)| {
            row.push_bind(*id)
                .push_bind(*invoice_id)
                .push_bind(line.seq)
                .push_bind(line.description)
                .push_bind(line.quantity.to_string())
                .push_bind(line.unit_price.to_string())
                .push_bind(line.discount_pct.to_string())
                .push_bind(line.amount_excl.to_string())
                .push_bind(line.vat_rate.to_string())
                .push_bind(line.vat_amount.to_string())
                .push_bind(line.vat_regime)
                .push_bind(line.gl_account);
        });
        query.build().execute(&mut *connection).await?;
    }
    Ok(())
}
