//! A validated export request: PlanManager's selection, checked before anything runs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use ox_proto::orchestrator::v1::{ExportOptions, ExportWhat, RequeueRequest, StartExportRequest};
use ox_proto::planmanager::v1::InvoiceFilter;

use crate::error::OrchestratorError;

/// What the run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// Customers, then invoices.
    All,
    Customers,
    /// Invoices; their debtors are exported first where needed (no booking before its relation).
    Invoices,
    /// PlanManager's GL accounts that Octopus lacks.
    Accounts,
}

/// A checked export request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportRequest {
    pub tenant_id: String,
    pub location: String,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub number_from: Option<i64>,
    pub number_to: Option<i64>,
    pub journal_codes: Vec<String>,
    pub what: What,
    pub dry_run: bool,
    pub wait_if_busy: bool,
    pub detach: bool,
}

fn parse_date(field: &str, value: &str) -> Result<Option<NaiveDate>, OrchestratorError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            OrchestratorError::InvalidArgument(format!(
                "{field} must be a date like 2025-03-31, got {value:?}"
            ))
        })
}

/// The selection fields every request shares, before checking.
struct Raw<'a> {
    tenant_id: &'a str,
    location_name: &'a str,
    date_from: &'a str,
    date_to: &'a str,
    number_from: Option<i64>,
    number_to: Option<i64>,
    journal_codes: &'a [String],
}

fn check(raw: Raw<'_>, what: What) -> Result<ExportRequest, OrchestratorError> {
    let tenant_id = raw.tenant_id.trim().to_owned();
    if tenant_id.is_empty() {
        return Err(OrchestratorError::InvalidArgument(
            "tenant_id is required".into(),
        ));
    }
    let location = raw.location_name.trim().to_owned();
    if location.is_empty() {
        return Err(OrchestratorError::InvalidArgument(
            "location_name is required (e.g. \"Bodyshop A\")".into(),
        ));
    }
    let date_from = parse_date("date_from", raw.date_from)?;
    let date_to = parse_date("date_to", raw.date_to)?;
    if let (Some(from), Some(to)) = (date_from, date_to)
        && from > to
    {
        return Err(OrchestratorError::InvalidArgument(format!(
            "date_from {from} is after date_to {to}"
        )));
    }
    for (field, number) in [
        ("number_from", raw.number_from),
        ("number_to", raw.number_to),
    ] {
        if let Some(number) = number
            && number < 1
        {
            return Err(OrchestratorError::InvalidArgument(format!(
                "{field} must be a positive invoice number, got {number}"
            )));
        }
    }
    if let (Some(from), Some(to)) = (raw.number_from, raw.number_to)
        && from > to
    {
        return Err(OrchestratorError::InvalidArgument(format!(
            "number_from {from} is greater than number_to {to}"
        )));
    }
    let mut journal_codes: Vec<String> = Vec::new();
    for code in raw.journal_codes {
        let code = code.trim().to_owned();
        if !journal_codes.contains(&code) {
            journal_codes.push(code);
        }
    }
    Ok(ExportRequest {
        tenant_id,
        location,
        date_from,
        date_to,
        number_from: raw.number_from,
        number_to: raw.number_to,
        journal_codes,
        what,
        dry_run: false,
        wait_if_busy: false,
        detach: false,
    })
}

impl TryFrom<StartExportRequest> for ExportRequest {
    type Error = OrchestratorError;

    fn try_from(request: StartExportRequest) -> Result<Self, Self::Error> {
        let what = match ExportWhat::try_from(request.what) {
            Ok(ExportWhat::Unspecified | ExportWhat::All) => What::All,
            Ok(ExportWhat::Customers) => What::Customers,
            Ok(ExportWhat::Invoices) => What::Invoices,
            Ok(ExportWhat::Accounts) => What::Accounts,
            Err(_) => {
                return Err(OrchestratorError::InvalidArgument(format!(
                    "unknown value {} for what",
                    request.what
                )));
            }
        };
        let raw = Raw {
            tenant_id: &request.tenant_id,
            location_name: &request.location_name,
            date_from: &request.date_from,
            date_to: &request.date_to,
            number_from: request.number_from,
            number_to: request.number_to,
            journal_codes: &request.journal_codes,
        };
        Ok(ExportRequest {
            dry_run: request.dry_run,
            wait_if_busy: request.wait_if_busy,
            detach: request.detach,
            ..check(raw, what)?
        })
    }
}

impl ExportRequest {
    /// Checks the options of `ExportCustomers`, `ExportInvoices` or `ExportAccounts`.
    pub fn from_options(
        options: Option<ExportOptions>,
        what: What,
    ) -> Result<Self, OrchestratorError> {
        let options = options
            .ok_or_else(|| OrchestratorError::InvalidArgument("options are required".into()))?;
        let raw = Raw {
            tenant_id: &options.tenant_id,
            location_name: &options.location_name,
            date_from: &options.date_from,
            date_to: &options.date_to,
            number_from: options.number_from,
            number_to: options.number_to,
            journal_codes: &options.journal_codes,
        };
        Ok(ExportRequest {
            dry_run: options.dry_run,
            wait_if_busy: options.wait_if_busy,
            detach: options.detach,
            ..check(raw, what)?
        })
    }

    /// Checks a re-queue selection.
    pub fn from_requeue(request: &RequeueRequest) -> Result<Self, OrchestratorError> {
        check(
            Raw {
                tenant_id: &request.tenant_id,
                location_name: &request.location_name,
                date_from: &request.date_from,
                date_to: &request.date_to,
                number_from: request.number_from,
                number_to: request.number_to,
                journal_codes: &request.journal_codes,
            },
            What::Invoices,
        )
    }
}

impl ExportRequest {
    /// The reader's filter for this selection. Exported invoices are included on purpose: the
    /// ledger, not PlanManager's flag, decides what is already booked.
    pub fn invoice_filter(&self, journal_codes: Vec<String>) -> InvoiceFilter {
        InvoiceFilter {
            location_name: self.location.clone(),
            date_from: self.date_from.map(|d| d.to_string()).unwrap_or_default(),
            date_to: self.date_to.map(|d| d.to_string()).unwrap_or_default(),
            number_from: self.number_from,
            number_to: self.number_to,
            journal_codes,
            include_exported: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> StartExportRequest {
        StartExportRequest {
            tenant_id: "acme".into(),
            location_name: "Bodyshop A".into(),
            ..StartExportRequest::default()
        }
    }

    #[test]
    fn rejects_unreadable_and_inverted_selections() {
        let bad_date = StartExportRequest {
            date_from: "31-03-2025".into(),
            ..request()
        };
        let error = ExportRequest::try_from(bad_date).unwrap_err();
        assert!(
            error.to_string().contains("date_from must be a date"),
            "{error}"
        );

        let inverted = StartExportRequest {
            number_from: Some(10),
            number_to: Some(5),
            ..request()
        };
        assert!(ExportRequest::try_from(inverted).is_err());

        let no_location = StartExportRequest {
            location_name: " ".into(),
            ..request()
        };
        assert!(ExportRequest::try_from(no_location).is_err());
    }

    #[test]
    fn defaults_to_customers_then_invoices() {
        let parsed = ExportRequest::try_from(request()).unwrap();
        assert_eq!(parsed.what, What::All);
        assert!(parsed.invoice_filter(vec![]).include_exported);
    }
}
