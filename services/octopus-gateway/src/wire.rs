//! Octopus's JSON shapes for reading reference data (exact field names of octopus-api.md §2),
//! read leniently: missing or null fields take their defaults, strings are trimmed.

use std::str::FromStr as _;

use ox_proto::gateway::v1 as pb;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// Missing and `null` both become the type's default.
pub fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A trimmed string; Octopus pads some fields (an empty country comes back as two spaces).
pub fn trimmed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    Ok(text.map(|text| text.trim().to_owned()).unwrap_or_default())
}

/// `{"id": n}`.
#[derive(Debug, Default, Deserialize)]
pub struct Key {
    #[serde(default, deserialize_with = "null_default")]
    pub id: i32,
}

/// `BookyearServiceData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookyearData {
    #[serde(default, deserialize_with = "null_default")]
    pub bookyear_key: Key,
    #[serde(default, deserialize_with = "trimmed")]
    pub bookyear_description: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub start_date: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub end_date: String,
    #[serde(default, deserialize_with = "null_default")]
    pub closed: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub periods: Vec<PeriodData>,
}

/// One of a bookyear's `periods[]`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodData {
    #[serde(default, deserialize_with = "null_default")]
    pub bookyear_period: i32,
    #[serde(default, deserialize_with = "trimmed")]
    pub start_date: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub end_date: String,
}

impl From<BookyearData> for pb::Bookyear {
    fn from(data: BookyearData) -> Self {
        Self {
            id: data.bookyear_key.id,
            description: data.bookyear_description,
            start_date: data.start_date,
            end_date: data.end_date,
            closed: data.closed,
            periods: data
                .periods
                .into_iter()
                .map(|period| pb::Period {
                    nr: period.bookyear_period,
                    start_date: period.start_date,
                    end_date: period.end_date,
                })
                .collect(),
        }
    }
}

/// `JournalServiceData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalData {
    #[serde(default, deserialize_with = "trimmed")]
    pub journal_key: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub closed: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub last_booked_document_nr: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub protected_period: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub closed_period: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub insertion_type: i32,
}

impl JournalData {
    /// The journal as the contract carries it; `bookyear_id` is the bookyear it was read for.
    pub fn into_proto(self, bookyear_id: i32) -> pb::OctopusJournal {
        let journal_type = self
            .journal_key
            .chars()
            .next()
            .map(|letter| letter.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        pb::OctopusJournal {
            bookyear_id,
            journal_key: self.journal_key,
            name: self.name,
            journal_type,
            closed: self.closed,
            last_booked_document_nr: self.last_booked_document_nr,
            protected_period: self.protected_period,
            closed_period: self.closed_period,
            insertion_type: self.insertion_type,
        }
    }
}

/// `VatCodeServiceData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VatCodeData {
    #[serde(default, deserialize_with = "trimmed")]
    pub code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub description: String,
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: i32,
    #[serde(default)]
    pub base_percentage: Option<serde_json::Value>,
}

impl From<VatCodeData> for pb::VatCode {
    fn from(data: VatCodeData) -> Self {
        Self {
            code: data.code,
            description: data.description,
            r#type: data.kind,
            base_percentage: data
                .base_percentage
                .as_ref()
                .map(decimal_text)
                .unwrap_or_default(),
        }
    }
}

/// A JSON number (or numeric string) as a plain decimal string: `21.0` → `"21"`, `5.50` → `"5.5"`.
pub fn decimal_text(value: &serde_json::Value) -> String {
    let raw = match value {
        serde_json::Value::Number(number) => number.as_str().to_owned(),
        serde_json::Value::String(text) => text.trim().to_owned(),
        _ => return String::new(),
    };
    parse_decimal(&raw).map_or(raw, |decimal| decimal.normalize().to_string())
}

/// Parses a decimal, also in exponent form (`1.5E1`).
pub fn parse_decimal(raw: &str) -> Option<Decimal> {
    Decimal::from_str(raw)
        .or_else(|_| Decimal::from_scientific(raw))
        .ok()
}

/// `AccountServiceData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountData {
    #[serde(default, deserialize_with = "null_default")]
    pub account_key: Key,
    #[serde(default, deserialize_with = "null_default")]
    pub description: Descriptions,
}

/// An account's description per language.
#[derive(Debug, Default, Deserialize)]
pub struct Descriptions {
    #[serde(rename = "description_NL", default, deserialize_with = "trimmed")]
    pub nl: String,
    #[serde(rename = "description_FR", default, deserialize_with = "trimmed")]
    pub fr: String,
    #[serde(rename = "description_EN", default, deserialize_with = "trimmed")]
    pub en: String,
    #[serde(rename = "description_DE", default, deserialize_with = "trimmed")]
    pub de: String,
}

impl AccountData {
    /// The account as the contract carries it. The description is the first non-empty of NL,
    /// FR, EN, DE: Belgian bookkeepers name their accounts in Dutch or French.
    pub fn into_proto(self, bookyear_id: i32) -> pb::Account {
        let Descriptions { nl, fr, en, de } = self.description;
        let description = [nl, fr, en, de]
            .into_iter()
            .find(|text| !text.is_empty())
            .unwrap_or_default();
        pb::Account {
            bookyear_id,
            number: self.account_key.id,
            description,
        }
    }
}

/// A booking as `/buysellbookings/modified` lists it; only what settling compares.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingSeen {
    #[serde(default)]
    pub bookyear_key: Option<Key>,
    #[serde(default)]
    pub journal_key: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub document_sequence_nr: i32,
    #[serde(default)]
    pub amount: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "trimmed")]
    pub comment: String,
}

impl BookingSeen {
    /// The booking's total, when Octopus gave a readable one.
    pub fn amount(&self) -> Option<Decimal> {
        self.amount
            .as_ref()
            .map(decimal_text)
            .and_then(|text| parse_decimal(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_bookyear_with_periods() {
        let data: BookyearData = serde_json::from_str(
            r#"{"bookyearKey":{"id":1},"bookyearDescription":"2000","startDate":"2000-01-01",
                "endDate":"2000-12-31","closed":false,
                "periods":[{"bookyearPeriod":200001,"startDate":"2000-01-01","endDate":"2000-01-31"}]}"#,
        )
        .unwrap();
        let bookyear = pb::Bookyear::from(data);
        assert_eq!(bookyear.id, 1);
        assert_eq!(bookyear.periods[0].nr, 200001);
        assert_eq!(bookyear.periods[0].end_date, "2000-01-31");
    }

    #[test]
    fn reads_a_journal_with_nulls_and_lower_case_key() {
        let data: JournalData = serde_json::from_str(
            r#"{"bookyearKey":{"id":1},"closed":null,"insertionType":1,"journalKey":"v1",
                "lastBookedDocumentNr":2,"name":"VERKOOP","protectedPeriod":0}"#,
        )
        .unwrap();
        let journal = data.into_proto(1);
        assert_eq!(journal.journal_type, "V");
        assert_eq!(journal.last_booked_document_nr, 2);
        assert!(!journal.closed);
        assert_eq!(journal.closed_period, 0);
    }

    #[test]
    fn reads_vat_codes_and_accounts() {
        let data: VatCodeData = serde_json::from_str(
            r#"{"code":"21","description":"21 %","type":2,"basePercentage":21.0}"#,
        )
        .unwrap();
        let vat = pb::VatCode::from(data);
        assert_eq!((vat.code.as_str(), vat.r#type), ("21", 2));
        assert_eq!(vat.base_percentage, "21");
        let data: AccountData = serde_json::from_str(
            r#"{"accountKey":{"bookyearKey":{"id":1},"id":700000},
                "description":{"description_NL":"","description_FR":"Ventes"}}"#,
        )
        .unwrap();
        let account = data.into_proto(1);
        assert_eq!(
            (account.number, account.description.as_str()),
            (700000, "Ventes")
        );
    }

    #[test]
    fn reads_amounts_of_seen_bookings() {
        let seen: BookingSeen =
            serde_json::from_str(r#"{"documentSequenceNr":7,"amount":36.340,"comment":" INV-7 "}"#)
                .unwrap();
        assert_eq!(seen.amount(), Some(Decimal::new(3634, 2)));
        assert_eq!(seen.comment, "INV-7");
        assert_eq!(decimal_text(&serde_json::json!("5.50")), "5.5");
    }
}
