//! JSON shapes the simulator only writes: bookyears with periods, journals, VAT codes, dossiers.

use chrono::NaiveDate;
use serde::Serialize;

use super::Key;

/// `{bookyearPeriod, startDate, endDate}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodOut {
    /// Period number.
    pub bookyear_period: i32,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
}

/// `BookyearServiceData`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BookyearOut {
    /// Bookyear key.
    pub bookyear_key: Key,
    /// Description.
    pub bookyear_description: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Closed.
    pub closed: bool,
    /// Periods.
    pub periods: Vec<PeriodOut>,
}

/// `JournalServiceData`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalOut {
    /// Bookyear key.
    pub bookyear_key: Key,
    /// Journal key.
    pub journal_key: String,
    /// Name.
    pub name: String,
    /// Closed.
    pub closed: bool,
    /// Currency.
    pub currency_code: String,
    /// Last booked document number.
    pub last_booked_document_nr: i32,
    /// Protected period.
    pub protected_period: i32,
    /// Closed period.
    pub closed_period: i32,
    /// Insertion type.
    pub insertion_type: i32,
}

/// `VatCodeServiceData`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VatCodeOut {
    /// Code.
    pub code: String,
    /// Description.
    pub description: String,
    /// 1 BUY, 2 SELL, 3 BUY_CREDIT_NOTE, 4 SELL_CREDIT_NOTE.
    #[serde(rename = "type")]
    pub vat_type: i32,
    /// Percentage.
    pub base_percentage: serde_json::Number,
}

/// `DossierServiceData`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DossierOut {
    /// Dossier key.
    pub dossier_key: Key,
    /// Description.
    pub dossier_description: String,
}
