//! `RelationServiceData` both ways: written with empty strings and zero keys left out (Octopus
//! must never receive ""), read leniently into the contract's `Relation`.

use ox_proto::gateway::v1 as pb;
use serde::{Deserialize, Serialize};

use crate::error::GatewayError;
use crate::wire::{Key, null_default, trimmed};

/// `relationIdentificationServiceData` as sent.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationIdOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation_key: Option<KeyOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_relation_id: Option<i32>,
}

/// `{"id": n}` as sent.
#[derive(Debug, Serialize)]
pub struct KeyOut {
    pub id: i32,
}

impl RelationIdOut {
    /// The identification of `reference`; at least one of its keys must be set and none negative.
    pub fn from_ref(reference: &pb::RelationRef, what: &str) -> Result<Self, GatewayError> {
        if reference.relation_key < 0 || reference.external_relation_id < 0 {
            return Err(GatewayError::InvalidArgument(format!(
                "{what}: relation keys cannot be negative (relation_key {}, external_relation_id {})",
                reference.relation_key, reference.external_relation_id
            )));
        }
        if reference.relation_key == 0 && reference.external_relation_id == 0 {
            return Err(GatewayError::InvalidArgument(format!(
                "{what}: the relation needs an external_relation_id or a relation_key"
            )));
        }
        Ok(Self {
            relation_key: non_zero(reference.relation_key).map(|id| KeyOut { id }),
            external_relation_id: non_zero(reference.external_relation_id),
        })
    }
}

/// `RelationServiceData` as sent by `PUT /relations`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationOut {
    pub relation_identification_service_data: RelationIdOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    pub client: bool,
    pub supplier: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_and_nr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_nr: Option<String>,
    pub vat_type: i32,
    pub fact_language: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban_account_nr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bic_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    pub currency_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_booking_account_client: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_days: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_type: Option<i32>,
    pub active: bool,
}

impl RelationOut {
    /// The body for `relation`. `vatType`, `factLanguage` (0 is Dutch) and the flags are always
    /// sent, because 0 / false are meaningful there; `currencyCode` (required) defaults to EUR.
    pub fn from_proto(relation: &pb::Relation) -> Result<Self, GatewayError> {
        let reference = relation.id.unwrap_or_default();
        let id = RelationIdOut::from_ref(&reference, "UpsertRelation")?;
        Ok(Self {
            relation_identification_service_data: id,
            name: text(&relation.name),
            first_name: text(&relation.first_name),
            client: relation.client,
            supplier: relation.supplier,
            street_and_nr: text(&relation.street_and_nr),
            postal_code: text(&relation.postal_code),
            city: text(&relation.city),
            country: text(&relation.country),
            vat_nr: text(&relation.vat_nr),
            vat_type: relation.vat_type,
            fact_language: relation.fact_language,
            email: text(&relation.email),
            telephone: text(&relation.telephone),
            iban_account_nr: text(&relation.iban_account_nr),
            bic_code: text(&relation.bic_code),
            remarks: text(&relation.remarks),
            currency_code: text(&relation.currency_code).unwrap_or_else(|| "EUR".to_owned()),
            default_booking_account_client: non_zero(relation.default_booking_account_client),
            expiration_days: non_zero(relation.expiration_days),
            expiration_type: non_zero(relation.expiration_type),
            active: relation.active,
        })
    }
}

/// `Some(trimmed)` unless blank: Octopus never gets "".
pub fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn non_zero(value: i32) -> Option<i32> {
    (value != 0).then_some(value)
}

/// `relationIdentificationServiceData` as read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationIdIn {
    #[serde(default, deserialize_with = "null_default")]
    pub relation_key: Key,
    #[serde(default, deserialize_with = "null_default")]
    pub external_relation_id: i32,
}

/// `RelationServiceData` as read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationIn {
    #[serde(default, deserialize_with = "null_default")]
    pub relation_identification_service_data: RelationIdIn,
    #[serde(default, deserialize_with = "trimmed")]
    pub name: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub first_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub client: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub supplier: bool,
    #[serde(default, deserialize_with = "trimmed")]
    pub street_and_nr: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub postal_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub city: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub country: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub vat_nr: String,
    #[serde(default, deserialize_with = "null_default")]
    pub vat_type: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub fact_language: i32,
    #[serde(default, deserialize_with = "trimmed")]
    pub email: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub telephone: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub iban_account_nr: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub bic_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub remarks: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub currency_code: String,
    #[serde(default, deserialize_with = "null_default")]
    pub default_booking_account_client: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub expiration_days: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub expiration_type: i32,
    #[serde(default, deserialize_with = "null_default")]
    pub active: bool,
}

impl From<RelationIn> for pb::Relation {
    fn from(data: RelationIn) -> Self {
        let id = data.relation_identification_service_data;
        Self {
            id: Some(pb::RelationRef {
                relation_key: id.relation_key.id,
                external_relation_id: id.external_relation_id,
            }),
            name: data.name,
            first_name: data.first_name,
            client: data.client,
            supplier: data.supplier,
            street_and_nr: data.street_and_nr,
            postal_code: data.postal_code,
            city: data.city,
            country: data.country,
            vat_nr: data.vat_nr,
            vat_type: data.vat_type,
            fact_language: data.fact_language,
            email: data.email,
            telephone: data.telephone,
            iban_account_nr: data.iban_account_nr,
            bic_code: data.bic_code,
            remarks: data.remarks,
            currency_code: data.currency_code,
            default_booking_account_client: data.default_booking_account_client,
            expiration_days: data.expiration_days,
            expiration_type: data.expiration_type,
            active: data.active,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation() -> pb::Relation {
        pb::Relation {
            id: Some(pb::RelationRef {
                relation_key: 0,
                external_relation_id: 100042,
            }),
            name: "Acme BV".into(),
            first_name: "".into(),
            client: true,
            street_and_nr: "Kerkstraat 1".into(),
            city: "  ".into(),
            vat_type: 1,
            active: true,
            ..Default::default()
        }
    }

    #[test]
    fn leaves_out_empty_strings_and_zero_keys() {
        let body = serde_json::to_string(&RelationOut::from_proto(&relation()).unwrap()).unwrap();
        assert!(!body.contains("\"\""), "{body}");
        assert!(!body.contains("firstName"));
        assert!(!body.contains("city"));
        assert!(!body.contains("relationKey"));
        assert!(!body.contains("expirationType"));
        assert!(
            body.contains(r#""relationIdentificationServiceData":{"externalRelationId":100042}"#)
        );
        assert!(body.contains(r#""factLanguage":0"#));
        assert!(body.contains(r#""currencyCode":"EUR""#));
        assert!(body.contains(r#""supplier":false"#));
    }

    #[test]
    fn refuses_a_relation_without_any_key() {
        let mut relation = relation();
        relation.id = None;
        let error = RelationOut::from_proto(&relation).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("external_relation_id or a relation_key")
        );
        relation.id = Some(pb::RelationRef {
            relation_key: -1,
            external_relation_id: 5,
        });
        assert!(RelationOut::from_proto(&relation).is_err());
    }

    #[test]
    fn reads_a_stored_relation() {
        let data: RelationIn = serde_json::from_str(
            r#"{"relationIdentificationServiceData":{"externalRelationId":100042,"relationKey":{"id":28}},
                "name":"Acme BV","country":"  ","client":true,"active":true,"expirationDays":30,
                "vatNr":null}"#,
        )
        .unwrap();
        let relation = pb::Relation::from(data);
        let id = relation.id.unwrap();
        assert_eq!((id.relation_key, id.external_relation_id), (28, 100042));
        assert_eq!(relation.country, "");
        assert_eq!(relation.vat_nr, "");
        assert_eq!(relation.expiration_days, 30);
    }
}
