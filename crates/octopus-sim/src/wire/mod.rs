//! JSON shapes of the Octopus REST API as the simulator reads and writes them. Every request
//! field is optional so a missing one becomes a 400, not a parse failure; unknown fields are
//! ignored. Amounts are read exactly (arbitrary precision) and written like Java doubles.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod out;

pub use out::{BookyearOut, DossierOut, JournalOut, PeriodOut, VatCodeOut};

/// Writes and reads `Decimal` amounts as JSON numbers without ever going through `f64`.
pub(crate) mod amount {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serialize, Serializer};
    use std::str::FromStr;

    /// Returns the number as Octopus (Java `double`) prints it: `121.0`, `181.5`, `0.07`.
    pub(crate) fn java_number(value: Decimal) -> serde_json::Number {
        let normalized = value.normalize();
        let text = if normalized.scale() == 0 {
            format!("{normalized}.0")
        } else {
            normalized.to_string()
        };
        serde_json::Number::from_str(&text).expect("a formatted Decimal is a valid JSON number")
    }

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => java_number(*v).serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        rust_decimal::serde::arbitrary_precision_option::deserialize(d)
    }
}

/// `{"id": n}`: bookyearKey, relationKey, costCentreKey, dossierKey. A missing id reads as 0.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Key {
    /// The id; 0 means "not set".
    #[serde(default)]
    pub id: i32,
}

/// `relationIdentificationServiceData`: `{relationKey: {id}, externalRelationId}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RelationIdentification {
    /// Octopus's own relation key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation_key: Option<Key>,
    /// The caller's relation number (int32; 0 means not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_relation_id: Option<i32>,
}

macro_rules! optional_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl $name {
            /// Overwrites every field that `other` sets; keeps the others.
            pub fn merge_from(&mut self, other: Self) {
                $(
                    if other.$field.is_some() {
                        self.$field = other.$field;
                    }
                )*
            }
        }
    };
}

optional_struct! {
    /// `RelationServiceData`: a customer or supplier. Absent fields are left out of the JSON.
    pub struct RelationData {
        /// Relation key and external relation id.
        relation_identification_service_data: RelationIdentification,
        /// Name (company or last name).
        name: String,
        /// First name.
        first_name: String,
        /// Is a client.
        client: bool,
        /// Default revenue account.
        default_booking_account_client: i32,
        /// Is a supplier.
        supplier: bool,
        /// Default cost account.
        default_booking_account_supplier: i32,
        /// Street and number.
        street_and_nr: String,
        /// Postal code.
        postal_code: String,
        /// City.
        city: String,
        /// ISO-2 country; empty is stored as two spaces, as Octopus does.
        country: String,
        /// Delivery street and number.
        delivery_street_and_nr: String,
        /// Delivery postal code.
        delivery_postal_code: String,
        /// Delivery city.
        delivery_city: String,
        /// Delivery country.
        delivery_country: String,
        /// Telephone.
        telephone: String,
        /// E-mail.
        email: String,
        /// Fax.
        fax: String,
        /// Mobile.
        mobile: String,
        /// Web site.
        url: String,
        /// National bank account number.
        bank_account_nr: String,
        /// IBAN.
        iban_account_nr: String,
        /// BIC.
        bic_code: String,
        /// Financial discount granted.
        financial_discount: bool,
        /// Profession.
        profession: String,
        /// Contact person.
        contact_person: String,
        /// Corporation type (0 NP, 1 NV, ... 26 LV).
        corporation_type: i32,
        /// Currency, e.g. EUR (required).
        currency_code: String,
        /// Remarks.
        remarks: String,
        /// VAT number, `BE0xxx.xxx.xxx` for Belgium.
        vat_nr: String,
        /// VAT liability (0, 1, 4, 6, 7, 8, 9, 10).
        vat_type: i32,
        /// 1 end of month, 2 after invoice date.
        expiration_type: i32,
        /// Payment days.
        expiration_days: i32,
        /// Search field 1.
        search_field1: String,
        /// Search field 2.
        search_field2: String,
        /// Our customer number at the supplier.
        extern_customer_nr: String,
        /// SEPA direct debit reference.
        sdd_reference: String,
        /// SEPA sequence type.
        sdd_seqtype: i32,
        /// SEPA mandate type.
        sdd_mandate_type: i32,
        /// SEPA signature date.
        sdd_signature_date: NaiveDate,
        /// SEPA active.
        sdd_active: bool,
        /// Invoice language: 0 NL, 1 FR, 2 EN, 3 DE.
        fact_language: i32,
        /// Active.
        active: bool,
        /// Supplier payment method (0–13).
        supplier_payment_method: i32,
        /// 0 print, 1 e-mail, 2 both, 3 Peppol.
        invoice_delivery_method: i32,
        /// Peppol participant id.
        participant_id: String,
    }
}

/// `BuySellBookingAndAttachmentRequest`, the POST body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingRequest {
    /// The booking.
    #[serde(default)]
    pub buy_sell_booking_service_data: Option<BookingData>,
    /// PDFs or other files, base64.
    #[serde(default)]
    pub attachments: Option<Vec<AttachmentData>>,
}

/// One attachment of a booking POST.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentData {
    /// File name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Base64 content.
    #[serde(default)]
    pub file_data: Option<String>,
}

/// `BuySellBookingServiceData`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BookingData {
    /// Bookyear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookyear_key: Option<Key>,
    /// Journal, e.g. "V1".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_key: Option<String>,
    /// Document number inside the journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_sequence_nr: Option<i32>,
    /// The relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation_identification_service_data: Option<RelationIdentification>,
    /// Period number, e.g. 202403 (note the "e").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookyear_periode_nr: Option<i32>,
    /// Invoice date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_date: Option<NaiveDate>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Order reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_reference: Option<String>,
    /// Reference, e.g. a structured communication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Total amount, VAT included, negative for a credit note.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub amount: Option<Decimal>,
    /// Currency, "EUR".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Exchange rate, 1.0 for EUR.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub exchange_rate: Option<Decimal>,
    /// Payment method (0–13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<i32>,
    /// The lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_lines: Option<Vec<BookingLineData>>,
}

/// `BuySellBookingLineServiceData`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BookingLineData {
    /// GL account number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_key: Option<i32>,
    /// Base amount.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub base_amount: Option<Decimal>,
    /// VAT code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_code_key: Option<String>,
    /// VAT amount.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub vat_amount: Option<Decimal>,
    /// Line comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Cost centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre_key: Option<Key>,
    /// VAT recuperation percentage.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub vat_recup_percentage: Option<Decimal>,
    /// Intrastat data, stored as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intrastat_service_data: Option<serde_json::Value>,
    /// Overflow booking data, stored as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overflow_booking_service_data: Option<serde_json::Value>,
}

/// `AccountServiceData.accountKey`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountKey {
    /// Bookyear.
    #[serde(default)]
    pub bookyear_key: Option<Key>,
    /// Account number.
    #[serde(default)]
    pub id: Option<i32>,
}

/// `AccountServiceData.description`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AccountDescription {
    /// Dutch.
    #[serde(
        rename = "description_NL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub nl: Option<String>,
    /// French.
    #[serde(
        rename = "description_FR",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub fr: Option<String>,
    /// English.
    #[serde(
        rename = "description_EN",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub en: Option<String>,
    /// German.
    #[serde(
        rename = "description_DE",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub de: Option<String>,
}

/// `AccountServiceData`, read and written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountData {
    /// Bookyear and account number (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_key: Option<AccountKey>,
    /// Cost centre obligation (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre_type: Option<i32>,
    /// Descriptions per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<AccountDescription>,
    /// Fiscal professional percentage.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub fisc_professional_percentage: Option<Decimal>,
    /// Fiscal recuperation percentage.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub fisc_recup_percentage: Option<Decimal>,
    /// VAT recuperation percentage.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "amount")]
    pub vat_recup_percentage: Option<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_read_exactly_and_print_like_java_doubles() {
        let line: BookingLineData =
            serde_json::from_str(r#"{"baseAmount": 0.1, "vatAmount": 100, "accountKey": 700000}"#)
                .unwrap();
        assert_eq!(line.base_amount, Some(Decimal::from_str("0.1").unwrap()));
        let out = serde_json::to_string(&line).unwrap();
        assert!(out.contains(r#""baseAmount":0.1"#), "{out}");
        assert!(out.contains(r#""vatAmount":100.0"#), "{out}");
        assert_eq!(
            amount::java_number(Decimal::from_str("181.50").unwrap()).to_string(),
            "181.5"
        );
    }

    #[test]
    fn wrong_types_and_dates_fail_to_parse_but_unknown_fields_are_ignored() {
        assert!(serde_json::from_str::<BookingData>(r#"{"documentDate": "15/03/2024"}"#).is_err());
        assert!(serde_json::from_str::<BookingData>(r#"{"documentSequenceNr": "x"}"#).is_err());
        let b: BookingData = serde_json::from_str(r#"{"periodNr": 202401}"#).unwrap();
        assert_eq!(b.bookyear_periode_nr, None);
    }

    #[test]
    fn relation_fields_use_octopus_spelling() {
        let r = RelationData {
            search_field1: Some("x".into()),
            sdd_seqtype: Some(1),
            iban_account_nr: Some("BE".into()),
            ..RelationData::default()
        };
        let v = serde_json::to_value(&r).unwrap();
        assert!(v.get("searchField1").is_some());
        assert!(v.get("sddSeqtype").is_some());
        assert!(v.get("ibanAccountNr").is_some());
        assert!(v.get("name").is_none());
    }
}
