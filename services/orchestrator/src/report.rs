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
}

/// Counts of customer outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCounts {
    pub exported: u32,
    pub unchanged: u32,
    pub failed: u32,
}

/// Counts of invoice outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCounts {
    pub booked: u32,
    pub already_booked: u32,
    pub failed: u32,
    pub blocked: u32,
    pub deferred: u32,
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
}

impl RunReport {
    /// Recomputes the counts and the overall status from the items.
    pub fn finish(&mut self, rejected: bool) {
        let mut customers = CustomerCounts::default();
        let mut invoices = InvoiceCounts::default();
        let mut any_problem = false;
        for item in &self.items {
            match (item.kind.as_str(), item.status.as_str()) {
                ("customer", status::EXPORTED) => customers.exported += 1,
                ("customer", status::UNCHANGED) => customers.unchanged += 1,
                ("customer", _) => customers.failed += 1,
                ("invoice", status::BOOKED) => invoices.booked += 1,
                ("invoice", status::ALREADY_BOOKED) => invoices.already_booked += 1,
                ("invoice", status::FAILED) => invoices.failed += 1,
                ("invoice", status::BLOCKED) => invoices.blocked += 1,
                ("invoice", status::DEFERRED) => invoices.deferred += 1,
                _ => {}
            }
            any_problem |= matches!(
                item.status.as_str(),
                status::FAILED | status::BLOCKED | status::DEFERRED
            );
        }
        self.customers = customers;
        self.invoices = invoices;
        self.status = if rejected {
            "rejected"
        } else if any_problem {
            "completed_with_errors"
        } else {
            "completed"
        }
        .to_owned();
    }
}

impl From<RunReport> for pb::RunReport {
    fn from(report: RunReport) -> Self {
        Self {
            run_id: report.run_id,
            status: report.status,
            customers: Some(pb::CustomerCounts {
                exported: report.customers.exported,
                unchanged: report.customers.unchanged,
                failed: report.customers.failed,
            }),
            invoices: Some(pb::InvoiceCounts {
                booked: report.invoices.booked,
                already_booked: report.invoices.already_booked,
                failed: report.invoices.failed,
                blocked: report.invoices.blocked,
                deferred: report.invoices.deferred,
            }),
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
        let customers = report.customers.unwrap_or_default();
        let invoices = report.invoices.unwrap_or_default();
        Self {
            run_id: report.run_id,
            status: report.status,
            customers: CustomerCounts {
                exported: customers.exported,
                unchanged: customers.unchanged,
                failed: customers.failed,
            },
            invoices: InvoiceCounts {
                booked: invoices.booked,
                already_booked: invoices.already_booked,
                failed: invoices.failed,
                blocked: invoices.blocked,
                deferred: invoices.deferred,
            },
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
