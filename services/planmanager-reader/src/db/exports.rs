//! Writing PlanManager's own "exported" flags: set them after a run, clear them to re-queue.

use super::backend::{Pool, Statement};
use super::catalog::JournalSelection;
use super::invoices::push_selection;
use super::sql;
use crate::error::ReaderError;
use crate::model::InvoiceFilter;

/// Invoice ids per statement: well below the bound-parameter limits of SQLite and MariaDB.
const CHUNK: usize = 500;

/// Flags `invoice_ids` as exported by `run_id`; returns how many were not flagged before.
///
/// Idempotent: an invoice already flagged, or one that does not exist, changes nothing.
#[tracing::instrument(skip(pool, invoice_ids), fields(invoices = invoice_ids.len()))]
pub async fn mark_exported(
    pool: &Pool,
    invoice_ids: &[i64],
    run_id: &str,
) -> Result<u64, ReaderError> {
    let exported_at = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let mut transaction = pool.begin().await?;
    let mut marked = 0;
    for chunk in invoice_ids.chunks(CHUNK) {
        // First the rows that exist without saying "exported", then the missing ones: the update
        // cannot touch a row the insert just wrote, so each invoice counts at most once.
        let mut again = Statement::new(sql::MARK_EXPORTED_AGAIN);
        again.value(exported_at.as_str()).value(run_id);
        again.bind_list(chunk.iter().copied()).push(")");
        marked += transaction.execute(again).await?;
        let mut new = Statement::new(sql::MARK_NEW_EXPORTED);
        new.value(exported_at.as_str()).value(run_id);
        new.bind_list(chunk.iter().copied())
            .push(sql::MARK_NEW_EXPORTED_END);
        marked += transaction.execute(new).await?;
    }
    transaction.commit().await?;
    Ok(marked)
}

/// Clears the exported flag of every final invoice `filter` selects ("Opnieuw klaarzetten");
/// returns how many flags were cleared. `include_exported` plays no part here.
#[tracing::instrument(skip_all)]
pub async fn requeue(
    pool: &Pool,
    selection: &JournalSelection,
    filter: &InvoiceFilter,
) -> Result<u64, ReaderError> {
    let mut requeued = 0;
    let mut transaction = pool.begin().await?;
    for (_code, journal_ids) in &selection.groups {
        let mut query = Statement::new(sql::REQUEUE);
        push_selection(&mut query, journal_ids, filter, false);
        query.push(")");
        requeued += transaction.execute(query).await?;
    }
    transaction.commit().await?;
    Ok(requeued)
}
