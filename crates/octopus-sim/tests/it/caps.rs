//! Daily caps over HTTP: per dossier and endpoint, reset exactly at midnight Europe/Brussels on
//! the simulator clock, overridable per endpoint or lifted, off by default.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestSim, booking_json, error_body};

#[tokio::test]
async fn caps_are_off_by_default() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    for _ in 0..5 {
        assert_eq!(sim.get(&token, "/vatcodes").await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn each_dossier_has_its_own_budget_and_the_429_body_is_coded() {
    let sim = TestSim::start().await;
    sim.add_demo_copy(70_001);
    sim.state.set_daily_caps(true);
    let mine = sim.session().await;
    let other = sim.session_for(70_001).await;
    for _ in 0..2 {
        assert_eq!(sim.get(&mine, "/vatcodes").await.status(), StatusCode::OK);
    }
    let capped = sim.get(&mine, "/vatcodes").await;
    assert_eq!(capped.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        error_body(capped).await,
        json!({"errorCode": -90, "errorMessage": "Maximum allowed calls per day exceeded",
               "technicalInfo": "Maximum allowed calls per day (2) reached for GET /dossiers/{dossierId}/vatcodes"})
    );
    let other_url = sim.url("/dossiers/70001/vatcodes");
    let response = sim
        .client
        .get(other_url)
        .header("dossierToken", &other)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "another dossier has its own budget"
    );
    assert_eq!(
        sim.state.call_counts()["GET /dossiers/{dossierId}/vatcodes"],
        4,
        "refused calls are counted too"
    );
}

#[tokio::test]
async fn the_budget_resets_at_midnight_in_brussels() {
    let sim = TestSim::start().await;
    // Brussels is UTC+2 in summer: 21:59:59 UTC is 23:59:59 local, one second before midnight.
    let evening = chrono::DateTime::parse_from_rfc3339("2025-06-30T21:59:59Z").unwrap();
    sim.state.set_clock(evening.to_utc(), true);
    sim.state.set_daily_caps(true);
    let token = sim.session().await;
    for _ in 0..2 {
        sim.get(&token, "/accounts?bookyearId=2").await;
    }
    assert_eq!(
        sim.get(&token, "/accounts?bookyearId=2").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    sim.state.advance_clock(Duration::from_secs(1));
    assert_eq!(
        sim.get(&token, "/accounts?bookyearId=2").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn caps_can_be_changed_or_lifted_per_endpoint_over_the_control_api() {
    let sim = TestSim::start().await;
    let (status, caps) = sim
        .control(
            "PUT",
            "/daily-caps",
            Some(json!({"enabled": true, "caps": {"bookings": 2, "vatcodes": null}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(caps["caps"]["bookings"], 2);
    assert_eq!(caps["caps"]["vatcodes"], json!(null));
    assert_eq!(caps["caps"]["relations-search"], 400);
    assert_eq!(caps["caps"]["connect"], 150);
    let token = sim.session().await;
    sim.customer(&token).await;
    for _ in 0..5 {
        assert_eq!(sim.get(&token, "/vatcodes").await.status(), StatusCode::OK);
    }
    for nr in 1..=2 {
        assert_eq!(
            sim.post_booking_raw(&token, booking_json(nr))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let capped = sim.post_booking_raw(&token, booking_json(3)).await;
    assert_eq!(capped.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        sim.state.bookings_count(sim.creds.dossier_id),
        2,
        "a capped call applies nothing"
    );
    let (status, body) = sim
        .control("PUT", "/daily-caps", Some(json!({"caps": {"nope": 1}})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("unknown endpoint nope")
    );
}

#[tokio::test]
async fn connects_count_per_dossier_and_searches_have_their_own_budget() {
    let sim = TestSim::start().await;
    sim.state.set_daily_caps(true);
    sim.state.set_daily_cap("connect", Some(1)).unwrap();
    let token = sim.session().await;
    let login = sim.login().await;
    let refused = sim.connect_raw(&login, sim.creds.dossier_id).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    for _ in 0..2 {
        sim.get(&token, "/relations").await;
    }
    assert_eq!(
        sim.get(&token, "/relations").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sim.get(&token, "/relations?extRelationId=1").await.status(),
        StatusCode::NOT_FOUND,
        "a search draws on the 400/day budget, and finding nothing is a 404"
    );
}
