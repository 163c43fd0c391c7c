//! Streaming the invoices of an export selection: one query per journal code, rows (one per line)
//! grouped back into invoices as they arrive, so memory holds one invoice at a time.

use chrono::NaiveDate;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;

use super::backend::{Pool, Row, Statement};
use super::catalog::JournalSelection;
use super::{cell, sql};
use crate::error::ReaderError;
use crate::model::{
    DataProblem, Invoice, InvoiceFilter, InvoiceItem, InvoiceKind, InvoiceLine, PaymentTerm,
    ProblemKind, VatRegime,
};
use crate::validate;

/// Appends the journal-id list and the filter's conditions to a query that ends in `IN (`.
pub(super) fn push_selection(
    query: &mut Statement,
    journal_ids: &[i64],
    filter: &InvoiceFilter,
    leave_out_exported: bool,
) {
    query.bind_list(journal_ids.iter().copied()).push(")");
    // Dates bound as `YYYY-MM-DD` text: SQLite compares the stored text, MariaDB converts the
    // literal to a DATE (so its index still serves).
    if let Some(from) = filter.date_from {
        query
            .push(sql::AND_DATE_FROM)
            .bind(from.format("%Y-%m-%d").to_string());
    }
    if let Some(to) = filter.date_to {
        query
            .push(sql::AND_DATE_TO)
            .bind(to.format("%Y-%m-%d").to_string());
    }
    if let Some(from) = filter.number_from {
        query.push(sql::AND_NUMBER_FROM).bind(from);
    }
    if let Some(to) = filter.number_to {
        query.push(sql::AND_NUMBER_TO).bind(to);
    }
    if leave_out_exported {
        query.push(sql::AND_NOT_EXPORTED);
    }
}

/// Sends every selected final invoice (or the problem that kept it from being read) to `sink`, in
/// (journal code, number) order. Stops early, without error, when the receiver goes away.
#[tracing::instrument(skip_all, fields(journal_codes = selection.groups.len()))]
pub async fn stream_invoices(
    pool: Pool,
    selection: JournalSelection,
    filter: InvoiceFilter,
    sink: mpsc::Sender<Result<InvoiceItem, ReaderError>>,
) {
    for (code, journal_ids) in &selection.groups {
        if let Err(error) = stream_code(&pool, code, journal_ids, &filter, &sink).await {
            let _ = sink.send(Err(error)).await;
            return;
        }
        if sink.is_closed() {
            return;
        }
    }
}

async fn stream_code(
    pool: &Pool,
    code: &str,
    journal_ids: &[i64],
    filter: &InvoiceFilter,
    sink: &mpsc::Sender<Result<InvoiceItem, ReaderError>>,
) -> Result<(), ReaderError> {
    let mut query = Statement::new(sql::SELECT_INVOICES_WITH_LINES);
    query.push(sql::INVOICE_WHERE_FINAL);
    push_selection(&mut query, journal_ids, filter, !filter.include_exported);
    query.push(sql::INVOICES_WITH_LINES_ORDER);
    let mut rows = pool.fetch(query);
    let mut current: Option<Assembly> = None;
    while let Some(row) = rows.next().await {
        let row = row?;
        let id = cell::required_integer(&row, "id").unwrap_or(0);
        if let Some(done) = current.take_if(|assembly| assembly.invoice.id != id)
            && sink.send(Ok(done.finish())).await.is_err()
        {
            return Ok(());
        }
        current
            .get_or_insert_with(|| Assembly::start(&row, code))
            .add_line(&row);
    }
    if let Some(done) = current {
        let _ = sink.send(Ok(done.finish())).await;
    }
    Ok(())
}

/// An invoice being put together from its rows, with everything found wrong so far.
struct Assembly {
    invoice: Invoice,
    problems: Vec<String>,
    lines: Vec<PendingLine>,
}

/// A line as read, before the invoice's lines are put in order and numbered.
struct PendingLine {
    /// `(seq, id)` as stored: the order PlanManager prints the lines in.
    order: (Option<i64>, i64),
    /// The stored `seq`, when it is one; otherwise the line's position.
    seq: Option<i32>,
    line: InvoiceLine,
    /// What is wrong with this line, without the "line N: " prefix.
    problems: Vec<String>,
}

impl Assembly {
    fn start(row: &Row, journal_code: &str) -> Self {
        let mut problems = Vec::new();
        let p = &mut problems;
        let id = cell::collect(p, 0, cell::required_integer(row, "id"));
        let journal_id = cell::collect(p, 0, cell::required_integer(row, "journal_id"));
        let number = cell::collect(p, 0, cell::required_integer(row, "number"));
        if let Ok(number) = cell::required_integer(row, "number") {
            cell::collect(p, (), validate::check_number(number));
        }
        let date = cell::collect(p, NaiveDate::default(), cell::required_date(row, "date"));
        let kind_text = cell::collect(p, String::new(), cell::text_or_empty(row, "kind"));
        let kind = match kind_text.trim().to_ascii_lowercase().as_str() {
            "invoice" => InvoiceKind::Invoice,
            "credit_note" => InvoiceKind::CreditNote,
            _ => {
                p.push(format!(
                    "kind {kind_text:?} is neither invoice nor credit_note"
                ));
                InvoiceKind::Invoice
            }
        };
        let currency = cell::collect(p, String::new(), cell::text_or_empty(row, "currency"));
        if currency.trim().is_empty() {
            p.push("currency is empty".to_owned());
        }
        let term_days = cell::collect(p, None, cell::integer(row, "term_days")).unwrap_or(0);
        let term_days = cell::collect(
            p,
            0,
            i32::try_from(term_days)
                .map_err(|_| format!("payment term of {term_days} days is impossible")),
        );
        let zero = Default::default();
        let invoice = Invoice {
            id,
            journal_id,
            journal_code: journal_code.to_owned(),
            number,
            date,
            due_date: cell::collect(p, None, cell::date(row, "due_date")),
            customer_id: cell::collect(p, 0, cell::required_integer(row, "customer_id")),
            kind,
            credited_invoice_id: cell::collect(p, None, cell::integer(row, "credited_invoice_id"))
                .filter(|id| *id != 0),
            currency,
            total_excl: cell::collect(p, zero, cell::required_money(row, "total_excl")),
            total_vat: cell::collect(p, zero, cell::required_money(row, "total_vat")),
            total_incl: cell::collect(p, zero, cell::required_money(row, "total_incl")),
            structured_reference: cell::collect(
                p,
                String::new(),
                cell::text_or_empty(row, "structured_reference"),
            ),
            file_reference: cell::collect(
                p,
                String::new(),
                cell::text_or_empty(row, "file_reference"),
            ),
            plate: cell::collect(p, String::new(), cell::text_or_empty(row, "plate")),
            lines: Vec::new(),
            payment_term: PaymentTerm {
                days: term_days,
                end_of_month: cell::collect(p, false, cell::flag(row, "term_end_of_month")),
            },
            exported: cell::collect(p, false, cell::flag(row, "exported")),
        };
        Self {
            invoice,
            problems,
            lines: Vec::new(),
        }
    }

    /// Adds the line carried by `row`, if any (an invoice without lines has one row of NULLs).
    fn add_line(&mut self, row: &Row) {
        let line_id = cell::integer(row, "line_id");
        if matches!(line_id, Ok(None)) {
            return;
        }
        let mut problems = Vec::new();
        let p = &mut problems;
        let stored_seq = cell::collect(p, None, cell::integer(row, "seq"));
        let regime_text = cell::collect(p, String::new(), cell::text_or_empty(row, "vat_regime"));
        let vat_regime = VatRegime::from_db(&regime_text).unwrap_or_else(|| {
            p.push(format!(
                "VAT regime {regime_text:?} is not one PlanManager uses"
            ));
            VatRegime::Standard
        });
        let gl_account = cell::collect(p, None, cell::integer(row, "gl_account")).unwrap_or(0);
        let gl_account = cell::collect(
            p,
            0,
            i32::try_from(gl_account)
                .map_err(|_| format!("account {gl_account} is not a valid account number")),
        );
        let zero = Default::default();
        let line = InvoiceLine {
            seq: 0,
            description: cell::collect(p, String::new(), cell::text_or_empty(row, "description")),
            quantity: cell::collect(p, zero, cell::required_number(row, "quantity")),
            unit_price: cell::collect(p, zero, cell::required_money(row, "unit_price")),
            discount_pct: cell::collect(p, None, cell::number(row, "discount_pct"))
                .unwrap_or_default(),
            amount_excl: cell::collect(p, zero, cell::required_money(row, "amount_excl")),
            vat_rate: cell::collect(p, zero, cell::required_number(row, "vat_rate")),
            vat_amount: cell::collect(p, zero, cell::required_money(row, "vat_amount")),
            vat_regime,
            gl_account,
        };
        self.lines.push(PendingLine {
            order: (stored_seq, line_id.ok().flatten().unwrap_or(0)),
            seq: stored_seq.and_then(|seq| i32::try_from(seq).ok()),
            line,
            problems,
        });
    }

    /// The invoice, or one problem listing everything wrong with it.
    fn finish(mut self) -> InvoiceItem {
        // The query orders invoices only (see `sql::INVOICES_WITH_LINES_ORDER`); lines go in
        // (seq, id) order here, NULL seq first as SQL would sort them.
        self.lines.sort_by_key(|pending| pending.order);
        let mut problems = self.problems;
        for (position, pending) in self.lines.into_iter().enumerate() {
            let seq = pending
                .seq
                .unwrap_or_else(|| i32::try_from(position + 1).unwrap_or(i32::MAX));
            problems.extend(
                pending
                    .problems
                    .into_iter()
                    .map(|message| format!("line {seq}: {message}")),
            );
            self.invoice.lines.push(InvoiceLine {
                seq,
                ..pending.line
            });
        }
        if problems.is_empty() {
            problems = validate::check_invoice(&self.invoice);
        }
        if problems.is_empty() {
            return InvoiceItem::Invoice(Box::new(self.invoice));
        }
        InvoiceItem::Problem(DataProblem {
            kind: ProblemKind::Invoice,
            id: self.invoice.id,
            journal_code: self.invoice.journal_code,
            number: self.invoice.number,
            message: problems.join("; "),
        })
    }
}
