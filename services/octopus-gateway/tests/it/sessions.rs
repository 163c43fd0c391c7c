//! Sessions: one login serves many calls, a 401 renews once, a rejected login is not retried,
//! and config-service failures map to clear statuses.

use ox_proto::gateway::v1::{
    CreateBookingRequest, DossierRef, FindRelationRequest, GetDossierSnapshotRequest,
};
use tonic::Code;

use crate::fake_octopus::{MISSING_DOSSIER, PASSWORD, SOFTWARE_HOUSE, TOKEN_MARK};
use crate::helpers::{DOSSIER, counts, dossier, simple_booking, spawn_app, spawn_app_with};

fn find(external_relation_id: i32) -> FindRelationRequest {
    FindRelationRequest {
        dossier: dossier(),
        external_relation_id,
    }
}

#[tokio::test]
async fn one_login_and_one_connect_serve_many_calls() {
    let mut app = spawn_app().await;
    let first = app
        .client
        .get_dossier_snapshot(GetDossierSnapshotRequest { dossier: dossier() })
        .await
        .unwrap()
        .into_inner();
    let first = counts(&first.calls);
    assert_eq!(first["POST /authentication"], 1);
    assert_eq!(first["POST /dossiers"], 1);

    for external_id in [1, 2, 3] {
        let found = app
            .client
            .find_relation(find(external_id))
            .await
            .unwrap()
            .into_inner();
        let calls = counts(&found.calls);
        assert_eq!(calls.get("POST /authentication"), None);
        assert_eq!(calls["GET /dossiers/{dossierId}/relations"], 1);
    }
    let booked = app
        .client
        .create_booking(CreateBookingRequest {
            dossier: dossier(),
            booking: Some(simple_booking(6)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(counts(&booked.calls).get("POST /dossiers"), None);

    assert_eq!(app.octopus.count("POST", "/authentication"), 1);
    assert_eq!(app.octopus.count("POST", "/dossiers"), 1);
    assert_eq!(
        app.config.resolves(),
        1,
        "credentials are resolved per login only"
    );
}

#[tokio::test]
async fn login_and_connect_send_what_octopus_expects() {
    let mut app = spawn_app().await;
    app.client.find_relation(find(7)).await.unwrap();

    let login = &app.octopus.requests("POST", "/authentication")[0];
    assert_eq!(login.headers["softwarehouseuuid"], SOFTWARE_HOUSE);
    let body: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    assert_eq!(body["password"], PASSWORD);
    assert!(body["user"].is_string());

    let connect = &app.octopus.requests("POST", "/dossiers")[0];
    assert_eq!(connect.query["dossierId"], DOSSIER.to_string());
    assert_eq!(connect.query["localeId"], "3");
    assert_eq!(connect.headers["token"], format!("auth-1-{TOKEN_MARK}"));
    assert!(connect.body.is_empty());

    let search = &app.octopus.requests("GET", "/relations")[0];
    assert_eq!(
        search.headers["dossiertoken"],
        format!("dossier-2-{TOKEN_MARK}")
    );
    assert_eq!(search.query["extRelationId"], "7");
}

#[tokio::test]
async fn a_401_renews_the_session_once_and_replays() {
    let mut app = spawn_app().await;
    app.client.find_relation(find(1)).await.unwrap();
    app.octopus.expire_tokens();

    let found = app
        .client
        .find_relation(find(1))
        .await
        .unwrap()
        .into_inner();
    let calls = counts(&found.calls);
    assert_eq!(calls["GET /dossiers/{dossierId}/relations"], 2);
    assert_eq!(calls["POST /authentication"], 1);
    assert_eq!(calls["POST /dossiers"], 1);
    assert_eq!(app.octopus.count("POST", "/authentication"), 2);

    // The renewed session is reused afterwards.
    app.client.find_relation(find(1)).await.unwrap();
    assert_eq!(app.octopus.count("POST", "/authentication"), 2);
}

#[tokio::test]
async fn a_second_401_fails_without_another_renewal() {
    let mut app = spawn_app().await;
    app.octopus
        .with(|state| state.refuse_all_dossier_tokens = true);

    let status = app.client.find_relation(find(1)).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    assert!(
        status.message().contains("dossier 4242"),
        "{}",
        status.message()
    );
    assert_eq!(app.octopus.count("POST", "/authentication"), 2);
    assert_eq!(app.octopus.count("GET", "/relations"), 2);
}

#[tokio::test]
async fn a_rejected_login_is_never_retried_until_the_credentials_change() {
    let mut app = spawn_app().await;
    app.config.set_password("wrong-password");

    for _ in 0..3 {
        let status = app.client.find_relation(find(1)).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied);
        assert_eq!(
            status.message(),
            "Octopus rejected the credentials for dossier 4242"
        );
        assert!(!status.message().contains("wrong-password"));
    }
    assert_eq!(app.octopus.count("POST", "/authentication"), 1);

    app.config.set_password(PASSWORD);
    app.client.find_relation(find(1)).await.unwrap();
    assert_eq!(app.octopus.count("POST", "/authentication"), 2);
}

#[tokio::test]
async fn config_service_failures_map_to_clear_statuses() {
    let mut app = spawn_app().await;
    let status = app
        .client
        .find_relation(FindRelationRequest {
            dossier: Some(DossierRef {
                tenant_id: "nobody".into(),
                dossier_id: DOSSIER,
            }),
            external_relation_id: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert!(
        status.message().contains("unknown tenant nobody"),
        "{}",
        status.message()
    );

    let status = app
        .client
        .find_relation(FindRelationRequest {
            dossier: Some(DossierRef {
                tenant_id: "t1".into(),
                dossier_id: MISSING_DOSSIER,
            }),
            external_relation_id: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(status.message(), "dossier 404 does not exist in Octopus");

    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    let mut unreachable = spawn_app_with(2_000, Some("http://127.0.0.1:9".into())).await;
    let status = unreachable.client.find_relation(find(1)).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert!(
        status
            .message()
            .starts_with("config-service is unreachable"),
        "{}",
        status.message()
    );
    assert_eq!(unreachable.octopus.count("POST", "/authentication"), 0);
}

#[tokio::test]
async fn requests_without_a_dossier_are_invalid() {
    let mut app = spawn_app().await;
    let status = app
        .client
        .find_relation(FindRelationRequest {
            dossier: None,
            external_relation_id: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = app.client.find_relation(find(0)).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(app.octopus.with(|state| state.requests.is_empty()));
}
