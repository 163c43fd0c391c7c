//! FindRelation and UpsertRelation: `GET /relations?extRelationId=` (404 = none) and the
//! `PUT /relations` upsert (201 created with the stored relation, 204 updated).

use ox_proto::gateway::v1::Relation;
use reqwest::StatusCode;

use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, HttpCall};
use crate::relation_json::{RelationIn, RelationOut};
use crate::session::{DossierKey, answer_error};

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
        let reply = self
            .octopus
            .dossier_call(key, call, calls)
            .await?
            .map_err(|transport| GatewayError::OctopusUnavailable {
                endpoint,
                cause: transport.cause,
            })?;
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
