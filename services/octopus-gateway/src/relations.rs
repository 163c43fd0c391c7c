//! FindRelation, FindRelationsByVat and UpsertRelation: `GET /relations?extRelationId=` or
//! `?vatNr=` (404 = none) and the `PUT /relations` upsert (201 created with the stored relation,
//! 204 updated). The upsert is keyed (external id or relation key), so it is retried on
//! transient failures like a read.

use std::collections::BTreeMap;

use ox_domain::vat_number::{compact, format_belgian};
use ox_proto::gateway::v1::Relation;
use reqwest::StatusCode;

use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, HttpCall};
use crate::relation_json::{RelationIn, RelationOut};
use crate::session::{DossierKey, answer_error};

/// Relations sharing one normalised VAT number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VatMatches {
    /// The number compared, e.g. `BE0412345614`.
    pub normalized: String,
    /// External relation id 0 (never set) or the one asked for: may be linked.
    pub candidates: Vec<Relation>,
    /// Linked to another external relation id: never to be linked.
    pub linked_elsewhere: Vec<Relation>,
}

/// A VAT number as compared: upper case, without spaces, dots, dashes, slashes or underscores.
pub fn normalize_vat(raw: &str) -> String {
    compact(raw)
}

/// The spellings searched for: Octopus compares whole values, and stores Belgian numbers as
/// `BE0xxx.xxx.xxx` (its documented form) but others as typed.
fn search_spellings(raw: &str, normalized: &str) -> Vec<String> {
    let mut spellings = Vec::new();
    if let Some(digits) = normalized.strip_prefix("BE")
        && digits.len() == 10
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        spellings.push(format_belgian(digits));
    }
    spellings.push(normalized.to_owned());
    let typed = raw.trim().to_owned();
    if !spellings.contains(&typed) {
        spellings.push(typed);
    }
    spellings
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    pub relation_key: i32,
    pub created: bool,
}

impl Gateway {
    /// The relations whose external relation id is `external_relation_id` (several when
    /// Octopus holds duplicates, none when it holds none).
    pub async fn find_relations(
        &self,
        key: &DossierKey,
        external_relation_id: i32,
        calls: &mut Calls,
    ) -> Result<Vec<Relation>, GatewayError> {
        if external_relation_id <= 0 {
            return Err(GatewayError::InvalidArgument(format!(
                "external_relation_id must be above 0 (got {external_relation_id})"
            )));
        }
        let call = HttpCall::new(Endpoint::RelationsGet, key.dossier_id)
            .query("extRelationId", external_relation_id);
        let found: Vec<RelationIn> = self.octopus.get_list(key, call, calls).await?;
        // The search is an OR over criteria; keep only exact matches to be sure.
        Ok(found
            .into_iter()
            .map(Relation::from)
            .filter(|relation| {
                relation
                    .id
                    .as_ref()
                    .is_some_and(|id| id.external_relation_id == external_relation_id)
            })
            .collect())
    }

    /// The relations whose VAT number equals `vat_nr` once both are normalised, split into
    /// those that may be linked to `external_relation_id` and those linked to another one.
    pub async fn find_relations_by_vat(
        &self,
        key: &DossierKey,
        vat_nr: &str,
        external_relation_id: i32,
        calls: &mut Calls,
    ) -> Result<VatMatches, GatewayError> {
        let normalized = normalize_vat(vat_nr);
        if normalized.len() < 4 {
            return Err(GatewayError::InvalidArgument(format!(
                "{vat_nr:?} is not a VAT number to search for"
            )));
        }
        if external_relation_id < 0 {
            return Err(GatewayError::InvalidArgument(format!(
                "external_relation_id cannot be negative (got {external_relation_id})"
            )));
        }
        let mut found: BTreeMap<i32, Relation> = BTreeMap::new();
        for spelling in search_spellings(vat_nr, &normalized) {
            let call =
                HttpCall::new(Endpoint::RelationsGet, key.dossier_id).query("vatNr", &spelling);
            let read: Vec<RelationIn> = self.octopus.get_list(key, call, calls).await?;
            for relation in read.into_iter().map(Relation::from) {
                let relation_key = relation.id.map(|id| id.relation_key).unwrap_or_default();
                // The search is an OR over criteria and may match loosely: compare ourselves.
                if relation_key > 0 && normalize_vat(&relation.vat_nr) == normalized {
                    found.insert(relation_key, relation);
                }
            }
        }
        let (candidates, linked_elsewhere) = found.into_values().partition(|relation| {
            let external = relation
                .id
                .map(|id| id.external_relation_id)
                .unwrap_or_default();
            external == 0 || external == external_relation_id
        });
        let matches = VatMatches {
            normalized,
            candidates,
            linked_elsewhere,
        };
        tracing::info!(
            dossier_id = key.dossier_id,
            candidates = matches.candidates.len(),
            linked_elsewhere = matches.linked_elsewhere.len(),
            "relations searched by vat number"
        );
        Ok(matches)
    }

    /// Creates or updates `relation` and returns its Octopus key.
    pub async fn upsert_relation(
        &self,
        key: &DossierKey,
        relation: &Relation,
        calls: &mut Calls,
    ) -> Result<Upserted, GatewayError> {
        let out = RelationOut::from_proto(relation)?;
        let body = serde_json::to_string(&out).map_err(|error| {
            GatewayError::InvalidArgument(format!(
                "the relation cannot be written as JSON: {error}"
            ))
        })?;
        let endpoint = Endpoint::RelationsPut.template();
        let call = HttpCall::new(Endpoint::RelationsPut, key.dossier_id).json(body);
        // Keyed by external id or relation key (RelationOut insists), so a repeat updates the
        // relation the first attempt may have created instead of creating another.
        let outcome = self.octopus.dossier_call_retrying(key, call, calls).await?;
        let reply =
            self.octopus
                .answer_or_unavailable(Endpoint::RelationsPut, key.dossier_id, outcome)?;
        let reference = relation.id.unwrap_or_default();
        let created = match reply.status {
            StatusCode::CREATED => true,
            StatusCode::NO_CONTENT => false,
            status if status.is_success() => false,
            status => return Err(answer_error(endpoint, &reply, status)),
        };
        let from_body = serde_json::from_str::<RelationIn>(&reply.body)
            .map(|stored| stored.relation_identification_service_data.relation_key.id)
            .unwrap_or_default();
        let relation_key = if from_body > 0 {
            from_body
        } else if reference.relation_key > 0 {
            reference.relation_key
        } else {
            self.key_by_external_id(key, reference.external_relation_id, calls)
                .await?
        };
        tracing::info!(
            dossier_id = key.dossier_id,
            relation_key,
            created,
            "relation upserted"
        );
        Ok(Upserted {
            relation_key,
            created,
        })
    }

    async fn key_by_external_id(
        &self,
        key: &DossierKey,
        external_relation_id: i32,
        calls: &mut Calls,
    ) -> Result<i32, GatewayError> {
        let found = self
            .find_relations(key, external_relation_id, calls)
            .await?;
        if found.len() > 1 {
            tracing::warn!(
                dossier_id = key.dossier_id,
                external_relation_id,
                count = found.len(),
                "octopus holds several relations with one external id; using the first"
            );
        }
        found
            .first()
            .and_then(|relation| relation.id.as_ref())
            .map(|id| id.relation_key)
            .filter(|relation_key| *relation_key > 0)
            .ok_or_else(|| GatewayError::UnreadableReply {
                endpoint: Endpoint::RelationsPut.template(),
                detail: format!(
                    "Octopus stored the relation with external id {external_relation_id} but \
                     lists none under that id"
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_vat_numbers() {
        assert_eq!(normalize_vat(" be 0412.345-614 "), "BE0412345614");
        assert_eq!(normalize_vat("nl123456789b01"), "NL123456789B01");
    }

    #[test]
    fn searches_the_documented_belgian_form_then_the_compact_one() {
        assert_eq!(
            search_spellings("be 0412 345 614", "BE0412345614"),
            ["BE0412.345.614", "BE0412345614", "be 0412 345 614"]
        );
        assert_eq!(
            search_spellings("BE0412.345.614", "BE0412345614"),
            ["BE0412.345.614", "BE0412345614"]
        );
        assert_eq!(
            search_spellings("NL123456789B01", "NL123456789B01"),
            ["NL123456789B01"]
        );
    }
}
