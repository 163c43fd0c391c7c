//! Login, whoami, dossier list and connect, header mistakes and token expiry.

use std::time::Duration;

use octopus_sim::decode_payload;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, error_body};

#[tokio::test]
async fn login_returns_a_jwt_shaped_token_valid_ten_minutes() {
    let sim = TestSim::start().await;
    let token = sim.login().await;
    assert_eq!(token.split('.').count(), 3);
    let payload = decode_payload(&token).unwrap();
    let ttl = payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap();
    assert_eq!(ttl, 600);

    let whoami = sim
        .client
        .get(sim.url("/authentication"))
        .header("Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(whoami.status(), StatusCode::OK);
    assert_eq!(whoami.json::<Value>().await.unwrap()["token"], json!(token));
}

#[tokio::test]
async fn bad_password_or_uuid_is_401_with_only_the_failed_attempt_info() {
    let sim = TestSim::start().await;
    let response = sim.login_with("wrong").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let expected = format!(
        "Incrementing failed login attempt count for user {}, IP address 127.0.0.1. ",
        sim.creds.user
    );
    assert_eq!(
        error_body(response).await,
        json!({ "technicalInfo": expected })
    );

    let response = sim
        .client
        .post(sim.url("/authentication"))
        .header("softwareHouseUuid", "00000000-0000-0000-0000-000000000000")
        .json(&json!({"user": sim.creds.user, "password": sim.creds.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn five_failed_logins_lock_the_user_for_fifteen_minutes() {
    let sim = TestSim::start().await;
    for _ in 0..5 {
        assert_eq!(
            sim.login_with("wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = sim.login_with(&sim.creds.password).await;
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    sim.state.advance_clock(Duration::from_secs(15 * 60));
    assert_eq!(
        sim.login_with(&sim.creds.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn connect_answers_dossiertoken_with_capital_d_and_lists_the_dossier() {
    let sim = TestSim::start().await;
    let token = sim.login().await;
    let list = sim
        .client
        .get(sim.url("/dossiers"))
        .header("Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let list: Value = list.json().await.unwrap();
    assert_eq!(list[0]["dossierKey"]["id"], json!(sim.creds.dossier_id));
    assert!(list[0]["dossierDescription"].is_string());

    let response = sim.connect_raw(&token, sim.creds.dossier_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Dossiertoken"]);
    let payload = decode_payload(body["Dossiertoken"].as_str().unwrap()).unwrap();
    assert_eq!(payload["dossierId"], json!(sim.creds.dossier_id));
}

#[tokio::test]
async fn connect_to_unknown_dossier_is_404_and_to_a_foreign_one_403() {
    let sim = TestSim::start().await;
    let mut other = octopus_sim::demo_dossier().1;
    other.id = 777;
    sim.state.add_dossier(other);
    let token = sim.login().await;
    let unknown = sim.connect_raw(&token, 999).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        error_body(unknown).await["errorMessage"],
        "Dossier not found"
    );
    let foreign = sim.connect_raw(&token, 777).await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        error_body(foreign).await["errorMessage"],
        "Unauthorized or disabled dossier"
    );
    let no_id = sim
        .client
        .post(sim.url("/dossiers"))
        .header("Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_id.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn auth_token_sent_as_token_on_a_dossier_call_is_minus_79() {
    let sim = TestSim::start().await;
    let token = sim.login().await;
    let response = sim
        .client
        .get(sim.dossier_url("/bookyears"))
        .header("Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = error_body(response).await;
    assert_eq!(body["errorCode"], -79);
    assert_eq!(body["errorMessage"], "Empty access token");

    // The auth token in the dossierToken header is not a dossier token either.
    let response = sim.get(&token, "/bookyears").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        error_body(response).await["errorMessage"],
        "Invalid or expired token presented"
    );
}

#[tokio::test]
async fn dossier_token_expires_after_ten_minutes_on_the_sim_clock() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.state.advance_clock(Duration::from_secs(9 * 60 + 59));
    assert_eq!(sim.get(&token, "/bookyears").await.status(), StatusCode::OK);
    sim.state.advance_clock(Duration::from_secs(1));
    let expired = sim.get(&token, "/bookyears").await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    let body = error_body(expired).await;
    assert_eq!(body["errorMessage"], "Invalid or expired token presented");
    assert_eq!(body["errorCode"], -80);
    // A fresh session works again.
    let fresh = sim.session().await;
    assert_eq!(sim.get(&fresh, "/bookyears").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_dossier_token_opens_only_its_own_dossier() {
    let sim = TestSim::start().await;
    let mut other = octopus_sim::demo_dossier().1;
    other.id = 778;
    sim.state.add_dossier(other);
    sim.state.add_user(
        &sim.creds.user,
        &sim.creds.password,
        &sim.creds.software_house_uuid,
        &[sim.creds.dossier_id, 778],
    );
    let token = sim.session().await;
    let response = sim
        .client
        .get(sim.url("/dossiers/778/bookyears"))
        .header("dossierToken", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
