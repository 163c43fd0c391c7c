//! Every fault mode over real HTTP, set through the control API (`POST /_sim/faults`) or the
//! library (`parse_fault_spec` + `add_fault_rules`, as `octopus-export demo --octopus-faults`):
//! drop, commit-drop, status, commit-status, 502 HTML, timeout, commit-timeout, lock-journal,
//! expire-tokens, and the triggers nth, every, after, p (seeded) and times.

use std::time::{Duration, Instant};

use octopus_sim::{SimState, parse_fault_spec};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json, error_body};

const POST_BOOKINGS: &str = "POST /dossiers/{dossierId}/buysellbookings";

async fn ready() -> (TestSim, String) {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    (sim, token)
}

async fn faults(sim: &TestSim, spec: &str) {
    let (status, rules) = sim
        .control("POST", "/faults", Some(json!({ "spec": spec })))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rules}");
}

async fn try_post(
    sim: &TestSim,
    token: &str,
    nr: i32,
    timeout: Duration,
) -> reqwest::Result<reqwest::Response> {
    sim.client
        .post(sim.dossier_url("/buysellbookings"))
        .header("dossierToken", token)
        .header("Content-Type", "application/json")
        .body(booking_json(nr))
        .timeout(timeout)
        .send()
        .await
}

fn stored(sim: &TestSim) -> usize {
    sim.state.bookings_count(sim.creds.dossier_id)
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer_and_applies_nothing() {
    let (sim, token) = ready().await;
    faults(&sim, "bookings:drop").await;
    let error = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(
        !error.is_timeout() && error.status().is_none(),
        "no HTTP answer: {error:?}"
    );
    assert_eq!(stored(&sim), 0);
    assert_eq!(
        sim.state.call_counts()[POST_BOOKINGS],
        1,
        "the client did not retry on its own"
    );
    let retry = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn commit_drop_books_then_closes_so_the_retry_meets_minus_13() {
    let (sim, token) = ready().await;
    faults(&sim, "bookings:commit-drop").await;
    let error = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(!error.is_timeout() && error.status().is_none(), "{error:?}");
    assert_eq!(stored(&sim), 1);
    assert_eq!(sim.v1(&token).await["lastBookedDocumentNr"], 1);
    let retry = error_body(
        try_post(&sim, &token, 1, Duration::from_secs(10))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(retry["errorCode"], -13);
    assert!(
        retry["technicalInfo"]
            .as_str()
            .unwrap()
            .contains("Last Document = 1.")
    );
}

#[tokio::test]
async fn status_faults_answer_empty_500s_or_html_502s_before_or_after_commit() {
    let (sim, token) = ready().await;
    faults(
        &sim,
        "bookings:500; bookings:commit-500@nth=2; bookings:502@nth=3",
    )
    .await;
    let before = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(before.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(before.text().await.unwrap().is_empty());
    assert_eq!(stored(&sim), 0);

    let after = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(after.text().await.unwrap().is_empty());
    assert_eq!(stored(&sim), 1, "commit-500 applied the booking");

    let proxy = try_post(&sim, &token, 2, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(proxy.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(proxy.headers()["content-type"], "text/html");
    assert!(proxy.text().await.unwrap().starts_with("<html>"));
    assert_eq!(stored(&sim), 1);
    let rules: Value = sim.control("GET", "/faults", None).await.1;
    assert_eq!(
        rules[0],
        json!({"rule": "bookings:500@nth=1", "seen": 3, "fired": 1})
    );
    assert_eq!(rules[2]["fired"], 1);
}

#[tokio::test]
async fn timeout_holds_the_call_then_answers_504_without_applying_it() {
    let (sim, token) = ready().await;
    faults(&sim, "bookings:timeout=300ms; bookings:timeout=30s@nth=2").await;
    let started = Instant::now();
    let late = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(late.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(late.text().await.unwrap().contains("<html>"));
    let timed_out = try_post(&sim, &token, 1, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(timed_out.is_timeout());
    assert_eq!(stored(&sim), 0);
}

#[tokio::test]
async fn commit_timeout_books_but_the_client_times_out() {
    let (sim, token) = ready().await;
    faults(&sim, "bookings:commit-timeout=30s").await;
    let timed_out = try_post(&sim, &token, 1, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(timed_out.is_timeout());
    assert_eq!(stored(&sim), 1);
    assert_eq!(sim.v1(&token).await["lastBookedDocumentNr"], 1);
}

#[tokio::test]
async fn lock_journal_makes_the_booking_meet_a_403_until_the_desktop_user_leaves() {
    let (sim, token) = ready().await;
    faults(&sim, "bookings:lock-journal=60s").await;
    for _ in 0..2 {
        let response = try_post(&sim, &token, 1, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = error_body(response).await;
        assert_eq!(body["errorCode"], -11);
        assert_eq!(
            body["errorMessage"],
            "Journal either closed or open by other user"
        );
    }
    sim.state.advance_clock(Duration::from_secs(61));
    let response = try_post(&sim, &token, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn expire_tokens_turns_the_call_into_a_401_and_a_new_session_works() {
    let (sim, token) = ready().await;
    faults(&sim, "relations:expire-tokens").await;
    let expired = sim.get(&token, "/relations?extRelationId=100042").await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    let body = error_body(expired).await;
    assert_eq!(body["errorCode"], -80);
    assert_eq!(body["technicalInfo"], "Token expired");
    let fresh = sim.session().await;
    assert_eq!(
        sim.get(&fresh, "/relations?extRelationId=100042")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_after_times_and_dossier_targets_pick_the_calls() {
    let sim = TestSim::start().await;
    faults(
        &sim,
        "version:503@every=3@times=2; error:500@after=1; bookings#999:500",
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..9 {
        statuses.push(
            sim.client
                .get(sim.url("/about/version"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 503, 200, 200, 503, 200, 200, 200]);
    let error = |n| {
        sim.client
            .get(sim.url(&format!("/error?errorCode={n}")))
            .send()
    };
    assert_eq!(error(-13).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        error(-13).await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let token = sim.session().await;
    sim.customer(&token).await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );
    let rules: Value = sim.control("GET", "/faults", None).await.1;
    assert_eq!(
        rules[0],
        json!({"rule": "version:503@every=3@times=2", "seen": 9, "fired": 2})
    );
    assert_eq!(
        rules[2]["seen"], 0,
        "another dossier's rule never saw the call"
    );
    assert_eq!(
        sim.control("DELETE", "/faults", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(sim.control("GET", "/faults", None).await.1, json!([]));
}

/// Posts 40 bookings under `bookings:500@p=0.5` with seed 42 and returns which ones failed.
async fn seeded_pattern() -> Vec<bool> {
    let state = SimState::new();
    state.set_seed(42);
    state.add_fault_rules(parse_fault_spec("bookings:500@p=0.5").unwrap());
    let sim = TestSim::start_with(state).await;
    let token = sim.session().await;
    sim.customer(&token).await;
    let mut next = 1;
    let mut failed = Vec::new();
    for _ in 0..40 {
        let status = sim
            .post_booking_raw(&token, booking_json(next))
            .await
            .status();
        failed.push(status == StatusCode::INTERNAL_SERVER_ERROR);
        if status == StatusCode::CREATED {
            next += 1;
        }
    }
    assert_eq!(stored(&sim), usize::try_from(next - 1).unwrap());
    failed
}

#[tokio::test]
async fn a_probability_fault_with_a_seed_replays_the_same_calls() {
    let first = seeded_pattern().await;
    let hits = first.iter().filter(|&&f| f).count();
    assert!((8..=32).contains(&hits), "about half of 40 fail: {hits}");
    assert_eq!(seeded_pattern().await, first);
}

#[tokio::test]
async fn connect_faults_follow_the_dossier_id_query_parameter() {
    let sim = TestSim::start().await;
    let spec = format!("connect#{}:502", sim.creds.dossier_id);
    sim.state.add_fault_rules(parse_fault_spec(&spec).unwrap());
    let token = sim.login().await;
    let proxy = sim.connect_raw(&token, sim.creds.dossier_id).await;
    assert_eq!(proxy.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(
        sim.connect_raw(&token, sim.creds.dossier_id).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_specs_are_a_400_naming_the_problem() {
    let sim = TestSim::start().await;
    let (status, body) = sim
        .control("POST", "/faults", Some(json!({"spec": "bookings:explode"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("unknown action `explode`"),
        "{body}"
    );
}

#[tokio::test]
async fn shutting_down_releases_held_calls_so_the_server_stops_promptly() {
    let state = SimState::new();
    state.add_fault_rules(parse_fault_spec("version:timeout=10m").unwrap());
    let server = octopus_sim::SimServer::bind("127.0.0.1:0", state.clone())
        .await
        .unwrap();
    let url = format!("{}/about/version", server.base_url());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let held = tokio::spawn(async move { reqwest::get(url).await.unwrap().status() });
    // The call is held once its rule has fired.
    while state.fault_rules()[0].fired == 0 {
        tokio::task::yield_now().await;
    }
    stop.send(()).unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(5), serving).await;
    assert!(
        finished.is_ok(),
        "the server stopped without waiting 10 minutes"
    );
    assert_eq!(held.await.unwrap(), StatusCode::GATEWAY_TIMEOUT);
}
