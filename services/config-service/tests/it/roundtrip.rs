//! Upsert → profile → credentials, end to end over a real gRPC socket.

use ox_config_service::DEFAULT_OCTOPUS_BASE_URL;
use ox_proto::config::v1 as pb;
use tonic::Code;

use crate::helpers::{
    Backend, TestApp, TestDb, both_backends, profile, resolve, sample_tenant, set_credentials,
    settings, upsert,
};

async fn upsert_profile_and_credentials_roundtrip(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();

    assert!(
        upsert(&mut client, sample_tenant("janssens")).await,
        "first upsert creates"
    );
    assert!(
        !upsert(&mut client, sample_tenant("janssens")).await,
        "second upsert replaces"
    );

    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert_eq!(a.tenant_id, "janssens");
    assert_eq!(a.location_name, "Bodyshop A");
    assert_eq!(a.dossier_id, 1111);
    assert_eq!(
        a.journal_overrides.len(),
        2,
        "only this location's overrides"
    );
    assert_eq!(a.journal_overrides["AAN"], "V1");
    assert_eq!(a.journal_overrides["AAN CN"], "V2");
    assert_eq!(
        a.vat_mappings,
        vec![
            pb::VatMapping {
                rate: "21".into(),
                regime: "standard".into(),
                octopus_code: "21".into()
            },
            pb::VatMapping {
                rate: "0".into(),
                regime: "reverse_charge_be".into(),
                octopus_code: "MC".into()
            },
        ]
    );
    assert_eq!(a.default_revenue_account, 700000);
    assert_eq!(a.default_receivable_account, 400000);
    assert_eq!(
        a.rounding_policy(),
        pb::RoundingPolicy::OctopusTotal,
        "UNSPECIFIED is stored as the default policy"
    );
    assert_eq!(
        a.field_limits,
        Some(pb::FieldLimits {
            name: 40,
            street_and_nr: 40,
            city: 30,
            email: 60
        })
    );

    let b = profile(&mut client, "janssens", "Bodyshop B")
        .await
        .unwrap();
    assert_eq!(b.dossier_id, 2222);
    assert_eq!(b.journal_overrides.len(), 1);
    assert_eq!(b.journal_overrides["JVCB1"], "V3");

    let key_id = set_credentials(&mut client, "janssens", "ops@janssens.be", "pa55-wörd!").await;
    assert_eq!(key_id, "k1");
    let credentials = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(credentials.user, "ops@janssens.be");
    assert_eq!(credentials.password, "pa55-wörd!");
    assert_eq!(
        credentials.software_house_uuid,
        "6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab"
    );
    assert_eq!(credentials.octopus_base_url, DEFAULT_OCTOPUS_BASE_URL);

    // Another tenant cannot book into the same Octopus dossier.
    let mut intruder = sample_tenant("intruder");
    intruder.locations[0].dossier_id = 1111;
    let refused = client
        .upsert_tenant(ox_proto::config::v1::UpsertTenantRequest {
            tenant: Some(intruder),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    assert!(
        refused
            .message()
            .contains("already belongs to tenant janssens"),
        "{}",
        refused.message()
    );

    // A new password without a software house id (a PlanManager settings import) keeps it.
    client
        .set_credentials(ox_proto::config::v1::SetCredentialsRequest {
            tenant_id: "janssens".into(),
            user: "ops@janssens.be".into(),
            password: "new-pa55".into(),
            software_house_uuid: String::new(),
        })
        .await
        .unwrap();
    let credentials = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(credentials.password, "new-pa55");
    assert_eq!(
        credentials.software_house_uuid,
        "6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab"
    );
    app.stop().await;
}

async fn upsert_replaces_locations_overrides_and_mappings_but_keeps_credentials(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", "ops", "first-password").await;

    let mut replaced = sample_tenant("janssens");
    replaced.locations = vec![pb::LocationDossier {
        location_name: "Bodyshop B".into(),
        dossier_id: 3333,
    }];
    replaced.journal_overrides = vec![];
    replaced.vat_mappings = vec![pb::VatMapping {
        rate: "6".into(),
        regime: "standard".into(),
        octopus_code: "06".into(),
    }];
    replaced.rounding_policy = pb::RoundingPolicy::Document.into();
    replaced.octopus_base_url = "http://127.0.0.1:9/octopus-rest-api/v1".into();
    assert!(!upsert(&mut client, replaced).await);

    let gone = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
    assert_eq!(
        gone.message(),
        "location 'Bodyshop A' of tenant janssens has no Octopus dossier configured"
    );
    let b = profile(&mut client, "janssens", "Bodyshop B")
        .await
        .unwrap();
    assert_eq!(b.dossier_id, 3333);
    assert!(b.journal_overrides.is_empty());
    assert_eq!(b.vat_mappings.len(), 1);
    assert_eq!(b.vat_mappings[0].octopus_code, "06");
    assert_eq!(b.rounding_policy(), pb::RoundingPolicy::Document);

    let credentials = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(credentials.password, "first-password");
    assert_eq!(
        credentials.octopus_base_url,
        "http://127.0.0.1:9/octopus-rest-api/v1"
    );
    app.stop().await;
}

async fn unknown_tenants_locations_and_credentials_are_not_found(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();

    let status = profile(&mut client, "nobody", "Bodyshop A")
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "tenant nobody is not configured");

    upsert(&mut client, sample_tenant("janssens")).await;
    let status = profile(&mut client, "janssens", "Demo JM")
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "location 'Demo JM' of tenant janssens has no Octopus dossier configured"
    );

    let status = resolve(&mut client, "janssens").await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "no Octopus credentials set for tenant janssens"
    );

    let status = client
        .set_credentials(pb::SetCredentialsRequest {
            tenant_id: "nobody".into(),
            user: "u".into(),
            password: "p".into(),
            software_house_uuid: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "tenant nobody is not configured");
    app.stop().await;
}

async fn configuration_survives_a_restart(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", "ops", "kept-across-restarts").await;
    app.stop().await;

    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    let a = profile(&mut client, "janssens", "Bodyshop A")
        .await
        .unwrap();
    assert_eq!(a.dossier_id, 1111);
    let credentials = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(credentials.password, "kept-across-restarts");
    app.stop().await;
}

both_backends!(
    upsert_profile_and_credentials_roundtrip,
    upsert_replaces_locations_overrides_and_mappings_but_keeps_credentials,
    unknown_tenants_locations_and_credentials_are_not_found,
    configuration_survives_a_restart,
);
