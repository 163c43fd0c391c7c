//! FindRelationsByVat against the simulator: relations someone created in Octopus are found by
//! normalised VAT number and linked instead of duplicated; two candidates are ambiguous;
//! relations already linked to another customer are listed apart.

use ox_proto::gateway::v1::{
    FindRelationRequest, FindRelationsByVatRequest, FindRelationsByVatResponse, Relation,
    RelationRef, UpsertRelationRequest,
};
use serde_json::json;
use tonic::Code;

use crate::helpers::counts;
use crate::sim_helpers::{SIM_DOSSIER, Sim, sim_dossier, spawn_replica, start_sim};

const SEARCHES: &str = "GET /dossiers/{dossierId}/relations";

fn add_ui_relation(sim: &Sim, name: &str, vat_nr: &str) -> i32 {
    sim.state
        .add_relation(
            SIM_DOSSIER,
            json!({
                "relationIdentificationServiceData": {"externalRelationId": 0},
                "name": name, "client": true, "supplier": false, "active": true,
                "currencyCode": "EUR", "vatNr": vat_nr, "vatType": 1
            }),
        )
        .unwrap()
}

fn keys(relations: &[Relation]) -> Vec<i32> {
    relations
        .iter()
        .map(|relation| relation.id.unwrap().relation_key)
        .collect()
}

async fn by_vat(
    client: &mut ox_proto::gateway::v1::octopus_gateway_client::OctopusGatewayClient<
        tonic::transport::Channel,
    >,
    vat_nr: &str,
    external_relation_id: i32,
) -> FindRelationsByVatResponse {
    client
        .find_relations_by_vat(FindRelationsByVatRequest {
            dossier: sim_dossier(),
            vat_nr: vat_nr.to_owned(),
            external_relation_id,
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn one_relation_with_the_vat_number_is_linked_instead_of_duplicated() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    let noord = add_ui_relation(&sim, "Garage Noord", "BE0403.170.701");
    add_ui_relation(&sim, "Garage Zuid", "BE0776.091.951");

    let found = by_vat(&mut gateway.client, "BE0403170701", 200).await;
    assert_eq!(found.normalized_vat_nr, "BE0403170701");
    assert_eq!(keys(&found.candidates), [noord]);
    assert!(found.linked_elsewhere.is_empty());
    // The documented Belgian form, then the compact one.
    assert_eq!(counts(&found.calls)[SEARCHES], 2);

    // Link it: the upsert names Octopus's key and our external id.
    let mut relation = found.candidates[0].clone();
    relation.id = Some(RelationRef {
        relation_key: noord,
        external_relation_id: 200,
    });
    let relations_before = sim.state.dump(SIM_DOSSIER)["relations"]
        .as_array()
        .unwrap()
        .len();
    let upserted = gateway
        .client
        .upsert_relation(UpsertRelationRequest {
            dossier: sim_dossier(),
            relation: Some(relation),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((upserted.relation_key, upserted.created), (noord, false));
    let relations_after = sim.state.dump(SIM_DOSSIER)["relations"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(relations_after, relations_before, "no duplicate");
    let linked = gateway
        .client
        .find_relation(FindRelationRequest {
            dossier: sim_dossier(),
            external_relation_id: 200,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(keys(&linked.relations), [noord]);
}

#[tokio::test]
async fn two_candidates_are_ambiguous_and_linked_ones_are_listed_apart() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    let dotted = add_ui_relation(&sim, "Garage Noord", "BE0403.170.701");
    let compact = add_ui_relation(&sim, "Garage Noord BV", "be0403170701");

    // Any spelling of the number finds both; a person must choose.
    let found = by_vat(&mut gateway.client, " be 0403-170.701 ", 300).await;
    assert_eq!(keys(&found.candidates), [dotted, compact]);
    assert_eq!(found.normalized_vat_nr, "BE0403170701");

    // The relation of the simulator's setup carries external id 100042: linked elsewhere.
    let found = by_vat(&mut gateway.client, "BE0412.345.614", 300).await;
    assert!(found.candidates.is_empty());
    assert_eq!(found.linked_elsewhere.len(), 1);
    assert_eq!(
        found.linked_elsewhere[0].id.unwrap().external_relation_id,
        100042
    );
    // For that very customer it is the candidate.
    let found = by_vat(&mut gateway.client, "BE0412345614", 100042).await;
    assert_eq!(found.candidates.len(), 1);

    let found = by_vat(&mut gateway.client, "NL999999999B01", 300).await;
    assert!(found.candidates.is_empty() && found.linked_elsewhere.is_empty());

    let status = gateway
        .client
        .find_relations_by_vat(FindRelationsByVatRequest {
            dossier: sim_dossier(),
            vat_nr: " .- ".to_owned(),
            external_relation_id: 300,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
}
