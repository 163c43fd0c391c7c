//! Call counts, daily caps, faults, reference data, accounts, `/about/version`, `/error` and
//! the `octopus-sim --demo` binary.

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use octopus_sim::Fault;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json, error_body};

#[tokio::test]
async fn every_call_is_counted_per_endpoint_template() {
    let (sim, token) = {
        let sim = TestSim::start().await;
        let token = sim.session().await;
        (sim, token)
    };
    sim.customer(&token).await;
    sim.post_booking_raw(&token, booking_json(1)).await;
    sim.post_booking_raw(&token, booking_json(1)).await;
    sim.get(&token, "/bookyears/2/journals").await;
    let counts = sim.state.call_counts();
    assert_eq!(counts["POST /authentication"], 1);
    assert_eq!(counts["POST /dossiers"], 1);
    assert_eq!(counts["PUT /dossiers/{dossierId}/relations"], 1);
    assert_eq!(counts["POST /dossiers/{dossierId}/buysellbookings"], 2);
    assert_eq!(
        counts["GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals"],
        1
    );
    sim.state.reset_call_counts();
    assert!(sim.state.call_counts().is_empty());
}

#[tokio::test]
async fn daily_caps_answer_429_until_the_next_brussels_day() {
    let sim = TestSim::start().await;
    sim.state.set_daily_caps(true);
    let token = sim.session().await;
    for _ in 0..2 {
        assert_eq!(sim.get(&token, "/vatcodes").await.status(), StatusCode::OK);
    }
    let capped = sim.get(&token, "/vatcodes").await;
    assert_eq!(capped.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_body(capped).await["errorCode"], -90);
    // Searches have their own, larger budget than the unfiltered relation list.
    for _ in 0..2 {
        sim.get(&token, "/relations").await;
    }
    assert_eq!(
        sim.get(&token, "/relations").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sim.get(&token, "/relations?extRelationId=1").await.status(),
        StatusCode::NOT_FOUND
    );

    sim.state.advance_clock(Duration::from_secs(24 * 3600));
    let token = sim.session().await;
    assert_eq!(sim.get(&token, "/vatcodes").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_fire_once_and_a_commit_fault_still_stores_the_booking() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    let endpoint = "POST /dossiers/{dossierId}/buysellbookings";
    sim.state.inject_fault(endpoint, Fault::Status(502));
    let proxy = sim.post_booking_raw(&token, booking_json(1)).await;
    assert_eq!(proxy.status(), StatusCode::BAD_GATEWAY);
    assert!(proxy.text().await.unwrap().contains("<html>"));
    assert_eq!(
        sim.state.dump(sim.creds.dossier_id)["buySellBookings"],
        json!([])
    );

    sim.state
        .inject_fault(endpoint, Fault::StatusAfterCommit(500));
    let lost = sim.post_booking_raw(&token, booking_json(1)).await;
    assert_eq!(lost.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(lost.text().await.unwrap().is_empty());
    assert_eq!(
        sim.state.dump(sim.creds.dossier_id)["buySellBookings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let again = sim.post_booking_raw(&token, booking_json(1)).await;
    assert_eq!(
        error_body(again).await["errorCode"],
        -13,
        "the fault fired once; the retry meets -13"
    );
}

#[tokio::test]
async fn reference_data_has_octopus_shapes() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    let bookyears: Value = sim.get(&token, "/bookyears").await.json().await.unwrap();
    assert_eq!(bookyears[1]["bookyearKey"]["id"], 2);
    assert_eq!(
        bookyears[1]["periods"][0],
        json!({"bookyearPeriod": 202501, "startDate": "2025-01-01", "endDate": "2025-01-31"})
    );
    let journals: Value = sim
        .get(&token, "/bookyears/1/journals")
        .await
        .json()
        .await
        .unwrap();
    let v1 = &journals[0];
    for field in [
        "bookyearKey",
        "journalKey",
        "name",
        "closed",
        "currencyCode",
        "lastBookedDocumentNr",
        "protectedPeriod",
        "closedPeriod",
        "insertionType",
    ] {
        assert!(v1.get(field).is_some(), "journal lacks {field}");
    }
    let vat: Value = sim.get(&token, "/vatcodes").await.json().await.unwrap();
    let code21 = vat
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "21")
        .unwrap();
    assert_eq!(code21["type"], 2);
    assert_eq!(code21["basePercentage"].to_string(), "21.0");

    let no_year = sim.get(&token, "/accounts").await;
    assert_eq!(no_year.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_body(no_year).await,
        json!({"technicalInfo": "Invalid or missing parameters passed"})
    );
    let accounts: Value = sim
        .get(&token, "/accounts?bookyearId=2")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["accountKey"] == json!({"bookyearKey": {"id": 2}, "id": 700000}))
    );
}

#[tokio::test]
async fn accounts_can_be_created_then_updated() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    let account = json!({"accountKey": {"bookyearKey": {"id": 2}, "id": 703000}, "description": {"description_NL": "Omzet lakwerk"}});
    let put = |body: Value| {
        sim.client
            .put(sim.dossier_url("/accounts"))
            .header("dossierToken", &token)
            .json(&body)
            .send()
    };
    assert_eq!(
        put(account.clone()).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(put(account).await.unwrap().status(), StatusCode::NO_CONTENT);
    let unknown_year = json!({"accountKey": {"bookyearKey": {"id": 9}, "id": 703000}});
    let response = put(unknown_year).await.unwrap();
    assert_eq!(error_body(response).await["errorCode"], -9);
}

#[tokio::test]
async fn version_is_text_and_error_samples_exist_for_used_codes() {
    let sim = TestSim::start().await;
    let version = sim
        .client
        .get(sim.url("/about/version"))
        .send()
        .await
        .unwrap();
    assert!(
        version.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(version.text().await.unwrap(), "51.9.17");
    let sample: Value = sim
        .client
        .get(sim.url("/error?errorCode=-13"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sample["errorCode"], -13);
    let unknown = sim
        .client
        .get(sim.url("/error?errorCode=-999"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn demo_binary_prints_one_json_line_and_serves_until_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_octopus-sim"))
        .args(["--listen", "127.0.0.1:0", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let base = info["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/octopus-rest-api/v1"));

    let login = reqwest::Client::new()
        .post(format!("{base}/authentication"))
        .header(
            "softwareHouseUuid",
            info["software_house_uuid"].as_str().unwrap(),
        )
        .json(&json!({"user": info["user"], "password": info["password"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let waited = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::task::spawn_blocking(move || child.wait()),
    )
    .await
    .expect("octopus-sim stops within 10 s of SIGTERM")
    .unwrap()
    .unwrap();
    assert!(waited.success(), "clean exit after SIGTERM: {waited:?}");
    let mut rest = String::new();
    stdout.read_line(&mut rest).unwrap();
    assert!(rest.is_empty(), "exactly one line on stdout");
}

#[tokio::test]
async fn a_delayed_answer_times_the_client_out_but_the_booking_is_stored() {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    sim.state.inject_fault(
        "POST /dossiers/{dossierId}/buysellbookings",
        Fault::DelayAfterCommit(Duration::from_secs(5)),
    );
    let outcome = sim
        .client
        .post(sim.dossier_url("/buysellbookings"))
        .header("dossierToken", &token)
        .header("Content-Type", "application/json")
        .body(booking_json(1))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(outcome.unwrap_err().is_timeout());
    let journals: Value = sim
        .get(&token, "/bookyears/2/journals")
        .await
        .json()
        .await
        .unwrap();
    let v1 = journals
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["journalKey"] == "V1")
        .unwrap();
    assert_eq!(
        v1["lastBookedDocumentNr"], 1,
        "the booking was applied before the delay"
    );
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sim = TestSim::start().await;
    sim.state
        .set_latency(Duration::from_millis(150), Duration::ZERO);
    let started = std::time::Instant::now();
    let version = sim
        .client
        .get(sim.url("/about/version"))
        .send()
        .await
        .unwrap();
    assert_eq!(version.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
}
