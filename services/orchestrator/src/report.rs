//! The run report: what users and tests rely on, as JSON and as the `orchestrator.v1.RunReport`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use ox_proto::orchestrator::v1 as pb;

/// Item statuses; the report and the ledger use exactly these words.
pub mod status {
    pub const BOOKED: &str = "booked";
    pub const ALREADY_BOOKED: &str = "already_booked";
    pub const FAILED: &str = "failed";
    pub const BLOCKED: &str = "blocked";
    pub const DEFERRED: &str = "deferred";
    pub const EXPORTED: &str = "exported";
    pub const UNCHANGED: &str = "unchanged";
    pub const WOULD_BOOK: &str = "would_book";
    pub const WOULD_EXPORT: &str = "would_export";
}

/// Run statuses.
pub mod run_status {
    pub const RUNNING: &str = "running";
    pub const COMPLETED: &str = "completed";
    pub const COMPLETED_WITH_ERRORS: &str = "completed_with_errors";
    pub const REJECTED: &str = "rejected";
    pub const FAILED: &str = "failed";
}

/// Counts of customer outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCounts {
    pub exported: u32,
    pub unchanged: u32,
    pub failed: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub would_export: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// Counts of invoice outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCounts {
    pub booked: u32,
    pub already_booked: u32,
    pub failed: u32,
    pub blocked: u32,
    pub deferred: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub would_book: u32,
}

/// One item's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    /// "customer", "invoice" or "journal".
    pub kind: String,
    pub id: i64,
    pub journal: String,
    pub number: i64,
    pub status: String,
    pub message: String,
    pub warnings: Vec<String>,
    pub octopus: BTreeMap<String, String>,
}

/// The whole report of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunReport {
    pub run_id: String,
    /// "completed", "completed_with_errors" or "rejected" (nothing sent: invalid configuration).
    pub status: String,
    pub customers: CustomerCounts,
    pub invoices: InvoiceCounts,
    pub octopus_calls: BTreeMap<String, u32>,
    pub items: Vec<ReportItem>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// Why the run failed as a whole, when it did.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Counts items by kind and status.
pub fn count(items: &[ReportItem]) -> (CustomerCounts, InvoiceCounts) {
    let mut customers = CustomerCounts::default();
    let mut invoices = InvoiceCounts::default();
    for item in items {
        count_item(&mut customers, &mut invoices, item);
    }
    (customers, invoices)
}

/// Adds one item to the counts.
pub fn count_item(customers: &mut CustomerCounts, invoices: &mut InvoiceCounts, item: &ReportItem) {
    match (item.kind.as_str(), item.status.as_str()) {
        ("customer", status::EXPORTED) => customers.exported += 1,
        ("customer", status::UNCHANGED) => customers.unchanged += 1,
        ("customer", status::WOULD_EXPORT) => customers.would_export += 1,
        ("customer", _) => customers.failed += 1,
        ("invoice", status::BOOKED) => invoices.booked += 1,
        ("invoice", status::ALREADY_BOOKED) => invoices.already_booked += 1,
        ("invoice", status::FAILED) => invoices.failed += 1,
        ("invoice", status::BLOCKED) => invoices.blocked += 1,
        ("invoice", status::DEFERRED) => invoices.deferred += 1,
        ("invoice", status::WOULD_BOOK) => invoices.would_book += 1,
        _ => {}
    }
}

impl RunReport {
    /// Recomputes the counts and the overall status from the items.
    pub fn finish(&mut self, rejected: bool) {
        let (customers, invoices) = count(&self.items);
        let any_problem = self.items.iter().any(|item| {
            matches!(
                item.status.as_str(),
                status::FAILED | status::BLOCKED | status::DEFERRED
            )
        });
        self.customers = customers;
        self.invoices = invoices;
        self.status = if rejected {
            run_status::REJECTED
        } else if any_problem {
            run_status::COMPLETED_WITH_ERRORS
        } else {
            run_status::COMPLETED
        }
        .to_owned();
    }
}

impl From<CustomerCounts> for pb::CustomerCounts {
    fn from(c: CustomerCounts) -> Self {
        Self {
            exported: c.exported,
            unchanged: c.unchanged,
            failed: c.failed,
            would_export: c.would_export,
        }
    }
}

impl From<InvoiceCounts> for pb::InvoiceCounts {
    fn from(i: InvoiceCounts) -> Self {
        Self {
            booked: i.booked,
            already_booked: i.already_booked,
            failed: i.failed,
            blocked: i.blocked,
            deferred: i.deferred,
            would_book: i.would_book,
        }
    }
}

impl From<pb::CustomerCounts> for CustomerCounts {
    fn from(c: pb::CustomerCounts) -> Self {
        Self {
            exported: c.exported,
            unchanged: c.unchanged,
            failed: c.failed,
            would_export: c.would_export,
        }
    }
}

impl From<pb::InvoiceCounts> for InvoiceCounts {
    fn from(i: pb::InvoiceCounts) -> Self {
        Self {
            booked: i.booked,
            already_booked: i.already_booked,
            failed: i.failed,
            blocked: i.blocked,
            deferred: i.deferred,
            would_book: i.would_book,
        }
    }
}

impl From<RunReport> for pb::RunReport {
    fn from(report: RunReport) -> Self {
        Self {
            run_id: report.run_id,
            status: report.status,
            customers: Some(report.customers.into()),
            invoices: Some(report.invoices.into()),
            dry_run: report.dry_run,
            message: report.message,
            octopus_calls: report
                .octopus_calls
                .into_iter()
                .map(|(endpoint, count)| pb::CallCount { endpoint, count })
                .collect(),
            items: report
                .items
                .into_iter()
                .map(|item| pb::ReportItem {
                    kind: item.kind,
                    id: item.id,
                    journal: item.journal,
                    number: item.number,
                    status: item.status,
                    message: item.message,
                    warnings: item.warnings,
                    octopus: item.octopus.into_iter().collect(),
                })
                .collect(),
        }
    }
}

impl From<pb::RunReport> for RunReport {
    fn from(report: pb::RunReport) -> Self {
        Self {
            run_id: report.run_id,
            status: report.status,
            customers: report.customers.unwrap_or_default().into(),
            invoices: report.invoices.unwrap_or_default().into(),
            octopus_calls: report
                .octopus_calls
                .into_iter()
                .map(|call| (call.endpoint, call.count))
                .collect(),
            items: report
                .items
                .into_iter()
                .map(|item| ReportItem {
                    kind: item.kind,
                    id: item.id,
                    journal: item.journal,
                    number: item.number,
                    status: item.status,
                    message: item.message,
                    warnings: item.warnings,
                    octopus: item.octopus.into_iter().collect(),
                })
                .collect(),
            dry_run: report.dry_run,
            message: report.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, status: &str) -> ReportItem {
        ReportItem {
            kind: kind.to_owned(),
            status: status.to_owned(),
            ..ReportItem::default()
        }
    }

    #[test]
    fn counts_and_status_follow_the_items() {
        let mut report = RunReport {
            items: vec![
                item("customer", status::EXPORTED),
                item("customer", status::UNCHANGED),
                item("invoice", status::BOOKED),
                item("invoice", status::ALREADY_BOOKED),
            ],
            ..RunReport::default()
        };
        report.finish(false);
        assert_eq!(report.status, "completed");
        assert_eq!(report.invoices.booked, 1);
        assert_eq!(report.invoices.already_booked, 1);
        assert_eq!(report.customers.unchanged, 1);

        report.items.push(item("invoice", status::BLOCKED));
        report.finish(false);
        assert_eq!(report.status, "completed_with_errors");
        assert_eq!(report.invoices.blocked, 1);
    }

    #[test]
    fn survives_the_proto_round_trip() {
        let mut report = RunReport {
            run_id: "r1".into(),
            octopus_calls: BTreeMap::from([("POST /authentication".to_owned(), 1)]),
            items: vec![ReportItem {
                octopus: BTreeMap::from([("relation_key".to_owned(), "7".to_owned())]),
                ..item("customer", status::EXPORTED)
            }],
            ..RunReport::default()
        };
        report.finish(false);
        let back = RunReport::from(pb::RunReport::from(report.clone()));
        assert_eq!(back, report);
    }
}
