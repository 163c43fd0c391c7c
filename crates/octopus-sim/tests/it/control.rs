//! The control API under `/_sim` over real HTTP: fixtures, full state, call counts, clock,
//! latency, token lifetime and expiry, lock-out, journal locks and counters, disabled dossiers.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json, error_body};

fn fixture() -> Value {
    json!({
        "users": [{"user": "boekhouder@garage.invalid", "password": "s3cret",
                   "software_house_uuid": "11111111-2222-3333-4444-555555555555",
                   "dossier_ids": [777]}],
        "dossiers": [{
            "id": 777, "name": "Garage Peeters",
            "bookyears": [{"id": 5, "calendar_year": 2025}],
            "journals": [{"bookyear_id": 5, "key": "V7", "name": "VERKOOP API", "last_booked_document_nr": 41}],
            "accounts": [{"bookyear_id": 5, "number": 700000, "description_nl": "Omzet"}],
            "relations": [{"relationIdentificationServiceData": {"externalRelationId": 9001},
                           "name": "Vanneste BV", "client": true, "currencyCode": "EUR"}]
        }]
    })
}

#[tokio::test]
async fn a_fixture_loads_a_dossier_whose_user_can_book_into_it() {
    let sim = TestSim::start().await;
    let (status, summary) = sim.control("POST", "/fixtures", Some(fixture())).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        summary,
        json!({"dossiers": [777], "users": ["boekhouder@garage.invalid"], "relations": 1})
    );

    let login: Value = sim
        .client
        .post(sim.url("/authentication"))
        .header("softwareHouseUuid", "11111111-2222-3333-4444-555555555555")
        .json(&json!({"user": "boekhouder@garage.invalid", "password": "s3cret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = sim.connect_raw(login["token"].as_str().unwrap(), 777).await;
    let token: Value = token.json().await.unwrap();
    let booking = booking_json(42)
        .replace(r#""id": 2"#, r#""id": 5"#)
        .replace(r#""journalKey": "V1""#, r#""journalKey": "V7""#)
        .replace("100042", "9001")
        .replace(r#""accountKey": 700100"#, r#""accountKey": 700000"#);
    let response = sim
        .post_booking_to(777, token["Dossiertoken"].as_str().unwrap(), booking)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let (_, state) = sim.control("GET", "/state?dossierId=777", None).await;
    assert_eq!(
        state["dossiers"][0]["buySellBookings"][0]["documentSequenceNr"],
        42
    );
    assert_eq!(state["dossiers"][0]["relations"][0]["name"], "Vanneste BV");
    assert_eq!(
        state["callCounts"]["POST /dossiers/{dossierId}/buysellbookings"],
        1
    );
    assert_eq!(state["dailyCaps"]["enabled"], false);
    let (status, dossier) = sim.control("GET", "/dossiers/777", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dossier["journals"][0]["lastBookedDocumentNr"], 42);
}

#[tokio::test]
async fn a_bad_fixture_is_a_400_and_loads_nothing() {
    let sim = TestSim::start().await;
    let mut bad = fixture();
    bad["dossiers"][0]["journals"][0]["bookyear_id"] = json!(6);
    let (status, body) = sim.control("POST", "/fixtures", Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("unknown bookyear 6"),
        "{body}"
    );
    assert_eq!(
        sim.control("GET", "/dossiers/777", None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn call_counts_are_read_and_reset() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.get(&token, "/vatcodes").await;
    let (_, calls) = sim.control("GET", "/calls", None).await;
    assert_eq!(
        calls,
        json!({"GET /dossiers/{dossierId}/vatcodes": 1, "POST /authentication": 1, "POST /dossiers": 1})
    );
    assert_eq!(
        sim.control("DELETE", "/calls", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(sim.control("GET", "/calls", None).await.1, json!({}));
}

#[tokio::test]
async fn the_clock_can_be_set_frozen_and_advanced_and_tokens_follow_it() {
    let sim = TestSim::start().await;
    let (status, clock) = sim
        .control(
            "PUT",
            "/clock",
            Some(json!({"now": "2025-03-15T09:00:00Z", "frozen": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        clock,
        json!({"now": "2025-03-15T09:00:00.000Z", "brussels": "2025-03-15 10:00:00.000", "frozen": true})
    );
    let token = sim.session().await;
    let (_, clock) = sim
        .control("POST", "/clock/advance", Some(json!({"seconds": 599})))
        .await;
    assert_eq!(clock["now"], "2025-03-15T09:09:59.000Z");
    assert_eq!(sim.get(&token, "/vatcodes").await.status(), StatusCode::OK);
    sim.control("POST", "/clock/advance", Some(json!({"millis": 1000})))
        .await;
    let expired = sim.get(&token, "/vatcodes").await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(expired).await["technicalInfo"], "Token expired");
}

#[tokio::test]
async fn latency_with_jitter_is_set_over_http() {
    let sim = TestSim::start().await;
    let (status, latency) = sim
        .control(
            "PUT",
            "/latency",
            Some(json!({"fixedMs": 120, "jitterMs": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(latency, json!({"fixedMs": 120, "jitterMs": 30}));
    let started = Instant::now();
    sim.client
        .get(sim.url("/about/version"))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(120));
    let started = Instant::now();
    sim.control("GET", "/latency", None).await;
    assert!(
        started.elapsed() < Duration::from_millis(120),
        "the control API is never delayed"
    );
}

#[tokio::test]
async fn token_lifetime_and_expiry_are_controlled() {
    let sim = TestSim::start().await;
    let (_, ttl) = sim
        .control("PUT", "/token-ttl", Some(json!({"seconds": 60})))
        .await;
    assert_eq!(ttl, json!({"seconds": 60}));
    let token = sim.session().await;
    let payload = octopus_sim::decode_payload(&token).unwrap();
    assert_eq!(
        payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap(),
        60
    );
    sim.state.advance_clock(Duration::from_secs(61));
    assert_eq!(
        sim.get(&token, "/vatcodes").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let token = sim.session().await;
    assert_eq!(
        sim.control("POST", "/tokens/expire", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sim.get(&token, "/vatcodes").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_lockout_threshold_is_configurable() {
    let sim = TestSim::start().await;
    let (status, _) = sim
        .control(
            "PUT",
            "/lockout",
            Some(json!({"threshold": 2, "seconds": 60})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for _ in 0..2 {
        assert_eq!(
            sim.login_with("wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = sim.login_with(&sim.creds.password).await;
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    assert!(
        error_body(locked).await["technicalInfo"]
            .as_str()
            .unwrap()
            .contains("locked")
    );
    sim.state.advance_clock(Duration::from_secs(61));
    assert_eq!(
        sim.login_with(&sim.creds.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn journals_are_locked_for_a_while_and_counters_moved_from_the_desktop() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    let lock = format!("/dossiers/{}/journals/2/V1/lock", sim.creds.dossier_id);
    assert_eq!(
        sim.control("PUT", &lock, Some(json!({"locked": true, "seconds": 30})))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::FORBIDDEN
    );
    sim.state.advance_clock(Duration::from_secs(30));
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );

    assert_eq!(
        sim.control("PUT", &lock, Some(json!({"locked": true})))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    sim.state.advance_clock(Duration::from_secs(3600));
    let token = sim.session().await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(2)).await.status(),
        StatusCode::FORBIDDEN
    );
    sim.control("PUT", &lock, Some(json!({"locked": false})))
        .await;

    let counter = format!(
        "/dossiers/{}/journals/2/V1/last-booked-document-nr",
        sim.creds.dossier_id
    );
    assert_eq!(
        sim.control("PUT", &counter, Some(json!({"nr": 9}))).await.0,
        StatusCode::NO_CONTENT
    );
    let token = sim.session().await;
    assert_eq!(sim.v1(&token).await["lastBookedDocumentNr"], 9);
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(10))
            .await
            .status(),
        StatusCode::CREATED
    );
    let missing = format!("/dossiers/{}/journals/2/V9/lock", sim.creds.dossier_id);
    assert_eq!(
        sim.control("PUT", &missing, Some(json!({"locked": true})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_disabled_dossier_refuses_connect_with_403() {
    let sim = TestSim::start().await;
    let path = format!("/dossiers/{}/disabled", sim.creds.dossier_id);
    sim.control("PUT", &path, Some(json!({"disabled": true})))
        .await;
    let token = sim.login().await;
    let refused = sim.connect_raw(&token, sim.creds.dossier_id).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        error_body(refused).await["errorMessage"],
        "Unauthorized or disabled dossier"
    );
}

#[tokio::test]
async fn malformed_control_bodies_are_400s() {
    let sim = TestSim::start().await;
    let (status, body) = sim
        .control("PUT", "/latency", Some(json!({"fixed": 1})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("invalid body"));
    let (status, _) = sim
        .control("PUT", "/clock", Some(json!({"now": "yesterday"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
