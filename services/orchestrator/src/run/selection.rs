//! Reads a run's selection from PlanManager: the selected sales journals (with their problems)
//! and the selected invoices in (journal, number) order, bad records included as problems.

use std::collections::{BTreeMap, BTreeSet};

use ox_proto::mapping::v1::JournalUse;
use ox_proto::planmanager::v1::{
    DataProblem, Invoice, Journal, JournalKind, ListJournalsRequest, StreamInvoicesRequest,
    stream_invoices_response,
};

use super::request::ExportRequest;
use crate::error::OrchestratorError;
use crate::peers::PeerClients;
use crate::report::{ReportItem, status};

/// One selected document: a readable invoice or the problem that kept it from being read.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Invoice(Box<Invoice>),
    Problem(DataProblem),
}

impl Entry {
    pub(crate) fn journal_code(&self) -> &str {
        match self {
            Entry::Invoice(invoice) => &invoice.journal_code,
            Entry::Problem(problem) => &problem.journal_code,
        }
    }

    pub(crate) fn number(&self) -> i64 {
        match self {
            Entry::Invoice(invoice) => invoice.number,
            Entry::Problem(problem) => problem.number,
        }
    }

    pub(crate) fn id(&self) -> i64 {
        match self {
            Entry::Invoice(invoice) => invoice.id,
            Entry::Problem(problem) => problem.id,
        }
    }
}

/// What a run works on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    pub journals: Vec<Journal>,
    pub journal_problems: Vec<ReportItem>,
    pub entries: Vec<Entry>,
}

fn is_sales(journal: &Journal) -> bool {
    matches!(
        JournalKind::try_from(journal.kind),
        Ok(JournalKind::Sale | JournalKind::SaleCredit)
    )
}

fn journal_problem(code: &str, message: String) -> ReportItem {
    ReportItem {
        kind: "journal".into(),
        journal: code.to_owned(),
        status: status::FAILED.into(),
        message,
        ..ReportItem::default()
    }
}

/// Reads the selection of `request` from the reader.
pub(crate) async fn read(
    peers: &PeerClients,
    request: &ExportRequest,
) -> Result<Selection, OrchestratorError> {
    let mut reader = peers.reader.clone();
    let listed = reader
        .list_journals(ListJournalsRequest {
            location_name: request.location.clone(),
        })
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
        .into_inner();

    let mut selection = Selection::default();
    if request.journal_codes.is_empty() {
        selection.journals = listed
            .journals
            .iter()
            .filter(|j| is_sales(j))
            .cloned()
            .collect();
        if selection.journals.is_empty() {
            selection.journal_problems.push(journal_problem(
                "",
                format!(
                    "location '{}' has no sales journals in PlanManager",
                    request.location
                ),
            ));
        }
    } else {
        for code in &request.journal_codes {
            let found: Vec<&Journal> = listed.journals.iter().filter(|j| &j.code == code).collect();
            match found.first() {
                None => selection.journal_problems.push(journal_problem(
                    code,
                    format!(
                        "PlanManager journal '{code}' does not exist at location '{}'",
                        request.location
                    ),
                )),
                Some(journal) if !is_sales(journal) => selection.journal_problems.push(
                    journal_problem(
                        code,
                        format!(
                            "PlanManager journal '{code}' ({}) is not a sales journal; only sales invoices and credit notes are exported",
                            journal.name
                        ),
                    ),
                ),
                Some(_) => selection.journals.extend(found.into_iter().cloned()),
            }
        }
    }
    let selected_ids: BTreeSet<i64> = selection.journals.iter().map(|j| j.id).collect();
    selection.journal_problems.extend(
        listed
            .problems
            .iter()
            .filter(|problem| selected_ids.contains(&problem.id))
            .map(|problem| journal_problem(&problem.journal_code, problem.message.clone())),
    );
    if !selection.journal_problems.is_empty() || selection.journals.is_empty() {
        return Ok(selection);
    }

    let codes: Vec<String> = selection.journals.iter().map(|j| j.code.clone()).collect();
    let mut stream = reader
        .stream_invoices(StreamInvoicesRequest {
            filter: Some(request.invoice_filter(codes)),
        })
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
        .into_inner();
    while let Some(message) = stream
        .message()
        .await
        .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
    {
        match message.item {
            Some(stream_invoices_response::Item::Invoice(invoice)) => {
                selection.entries.push(Entry::Invoice(Box::new(invoice)));
            }
            Some(stream_invoices_response::Item::Problem(problem)) => {
                selection.entries.push(Entry::Problem(problem));
            }
            None => {}
        }
    }
    // The reader streams in this order already; sorting keeps I3 independent of that promise.
    selection
        .entries
        .sort_by(|a, b| (a.journal_code(), a.number()).cmp(&(b.journal_code(), b.number())));
    Ok(selection)
}

impl Selection {
    /// Each selected journal with the distinct dates of its selected invoices.
    pub(crate) fn journal_uses(&self) -> Vec<JournalUse> {
        let mut dates: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for entry in &self.entries {
            if let Entry::Invoice(invoice) = entry {
                dates
                    .entry(invoice.journal_code.as_str())
                    .or_default()
                    .insert(invoice.date.as_str());
            }
        }
        self.journals
            .iter()
            .map(|journal| JournalUse {
                journal: Some(journal.clone()),
                dates: dates
                    .get(journal.code.as_str())
                    .map(|set| set.iter().map(|d| (*d).to_owned()).collect())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Every selected invoice, blocked because the configuration is invalid.
    pub(crate) fn blocked_by_configuration(&self) -> Vec<ReportItem> {
        self.entries
            .iter()
            .map(|entry| ReportItem {
                kind: "invoice".into(),
                id: entry.id(),
                journal: entry.journal_code().to_owned(),
                number: entry.number(),
                status: status::BLOCKED.into(),
                message: "not sent: the journal configuration is invalid (see the journal problems of this run)".into(),
                ..ReportItem::default()
            })
            .collect()
    }

    /// The distinct debtors of the readable invoices.
    pub(crate) fn customer_ids(&self) -> Vec<i64> {
        let ids: BTreeSet<i64> = self
            .entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Invoice(invoice) => Some(invoice.customer_id),
                Entry::Problem(_) => None,
            })
            .collect();
        ids.into_iter().collect()
    }
}
