//! FindRelation and UpsertRelation against the fake Octopus.

use ox_proto::gateway::v1::{FindRelationRequest, Relation, RelationRef, UpsertRelationRequest};
use tonic::Code;

use crate::helpers::{counts, dossier, spawn_app};

fn relation(relation_key: i32) -> Relation {
    Relation {
        id: Some(RelationRef {
            relation_key,
            external_relation_id: 100042,
        }),
        name: "Acme BV".into(),
        first_name: "".into(),
        client: true,
        street_and_nr: "Kerkstraat 1".into(),
        postal_code: "9000".into(),
        city: "Gent".into(),
        country: "BE".into(),
        vat_nr: "BE0123.456.789".into(),
        vat_type: 1,
        email: "".into(),
        telephone: " ".into(),
        currency_code: "EUR".into(),
        default_booking_account_client: 700000,
        active: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn an_unknown_external_id_finds_nothing() {
    let mut app = spawn_app().await;
    let response = app
        .client
        .find_relation(FindRelationRequest {
            dossier: dossier(),
            external_relation_id: 5,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(response.relations.is_empty());
    assert_eq!(
        counts(&response.calls)["GET /dossiers/{dossierId}/relations"],
        1
    );
}

#[tokio::test]
async fn upsert_creates_then_updates_without_empty_strings() {
    let mut app = spawn_app().await;
    let created = app
        .client
        .upsert_relation(UpsertRelationRequest {
            dossier: dossier(),
            relation: Some(relation(0)),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(created.created);
    assert_eq!(created.relation_key, 28);

    let sent = &app.octopus.requests("PUT", "/relations")[0].body;
    assert!(!sent.contains("\"\""), "{sent}");
    for absent in [
        "firstName",
        "email",
        "telephone",
        "relationKey",
        "expirationDays",
    ] {
        assert!(!sent.contains(absent), "{absent} sent in {sent}");
    }
    for present in [
        r#""relationIdentificationServiceData":{"externalRelationId":100042}"#,
        r#""name":"Acme BV""#,
        r#""vatNr":"BE0123.456.789""#,
        r#""defaultBookingAccountClient":700000"#,
        r#""client":true"#,
        r#""active":true"#,
    ] {
        assert!(sent.contains(present), "{present} missing in {sent}");
    }

    // Same external id, key unknown to the caller: Octopus answers 204, the key is looked up.
    let updated = app
        .client
        .upsert_relation(UpsertRelationRequest {
            dossier: dossier(),
            relation: Some(relation(0)),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!updated.created);
    assert_eq!(updated.relation_key, 28);
    let calls = counts(&updated.calls);
    assert_eq!(calls["PUT /dossiers/{dossierId}/relations"], 1);
    assert_eq!(calls["GET /dossiers/{dossierId}/relations"], 1);

    // With the key given, no lookup is needed.
    let updated = app
        .client
        .upsert_relation(UpsertRelationRequest {
            dossier: dossier(),
            relation: Some(relation(28)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((updated.relation_key, updated.created), (28, false));
    assert_eq!(
        counts(&updated.calls).get("GET /dossiers/{dossierId}/relations"),
        None
    );

    let found = app
        .client
        .find_relation(FindRelationRequest {
            dossier: dossier(),
            external_relation_id: 100042,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found.relations.len(), 1);
    assert_eq!(found.relations[0].city, "Gent");
    assert_eq!(found.relations[0].id.unwrap().relation_key, 28);
}

#[tokio::test]
async fn a_relation_without_keys_is_refused_before_any_call() {
    let mut app = spawn_app().await;
    let mut keyless = relation(0);
    keyless.id = None;
    let status = app
        .client
        .upsert_relation(UpsertRelationRequest {
            dossier: dossier(),
            relation: Some(keyless),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(app.octopus.with(|state| state.requests.is_empty()));
}
