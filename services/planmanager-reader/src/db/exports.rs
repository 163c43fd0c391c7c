//! Writing PlanManager's own "exported" flags: set them after a run, clear them to re-queue.

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite};

use super::catalog::JournalSelection;
use super::invoices::push_selection;
use super::sql;
use crate::error::ReaderError;
use crate::model::InvoiceFilter;

/// Flags `invoice_ids` as exported by `run_id`; returns how many were not flagged before.
///
/// Idempotent: an invoice already flagged, or one that does not exist, changes nothing.
#[tracing::instrument(skip(pool, invoice_ids), fields(invoices = invoice_ids.len()))]
pub async fn mark_exported(
    pool: &SqlitePool,
    invoice_ids: &[i64],
    run_id: &str,
) -> Result<u64, ReaderError> {
    let exported_at = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let mut transaction = pool.begin().await?;
    let mut marked = 0;
    for id in invoice_ids {
        let done = sqlx::query(sql::MARK_EXPORTED)
            .bind(&exported_at)
            .bind(run_id)
            .bind(*id)
            .execute(&mut *transaction)
            .await?;
        marked += done.rows_affected();
    }
    transaction.commit().await?;
    Ok(marked)
}

/// Clears the exported flag of every final invoice `filter` selects ("Opnieuw klaarzetten");
/// returns how many flags were cleared. `include_exported` plays no part here.
#[tracing::instrument(skip_all)]
pub async fn requeue(
    pool: &SqlitePool,
    selection: &JournalSelection,
    filter: &InvoiceFilter,
) -> Result<u64, ReaderError> {
    let mut requeued = 0;
    let mut transaction = pool.begin().await?;
    for (_code, journal_ids) in &selection.groups {
        let mut query = QueryBuilder::<Sqlite>::new(sql::REQUEUE);
        push_selection(&mut query, journal_ids, filter, false);
        query.push(")");
        requeued += query
            .build()
            .execute(&mut *transaction)
            .await?
            .rows_affected();
    }
    transaction.commit().await?;
    Ok(requeued)
}
