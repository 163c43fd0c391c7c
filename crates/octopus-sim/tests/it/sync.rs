//! The "modified since" endpoints: journals, accounts, relations and bookings, with
//! `modifiedTimeStamp` in Europe/Brussels time, their response shapes and 404 when empty.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json};

const EVER: &str = "1980-01-01%2000:00:00.000";

/// Freezes the clock at 2025-03-15 10:00 Brussels (09:00 UTC) and opens a session.
async fn frozen() -> (TestSim, String) {
    let state = octopus_sim::SimState::new();
    let at = chrono::DateTime::parse_from_rfc3339("2025-03-15T09:00:00Z").unwrap();
    state.set_clock(at.to_utc(), true);
    let sim = TestSim::start_with(state).await;
    let token = sim.session().await;
    (sim, token)
}

#[tokio::test]
async fn journals_modified_lists_changed_journals_in_octopus_shape() {
    let (sim, token) = frozen().await;
    let all: Value = sim
        .get(
            &token,
            &format!("/journals/modified?modifiedTimeStamp={EVER}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["deletedJournalList"], json!([]));
    assert_eq!(
        all["modifiedJournalServiceDataList"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    let later = "2025-03-15%2010:30:00.000";
    let none = sim
        .get(
            &token,
            &format!("/journals/modified?modifiedTimeStamp={later}"),
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);

    sim.customer(&token).await;
    sim.state.advance_clock(Duration::from_secs(3600));
    let token = sim.session().await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );
    let changed: Value = sim
        .get(
            &token,
            &format!("/journals/modified?modifiedTimeStamp={later}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        changed["modifiedJournalServiceDataList"],
        json!([{"bookyearKey": {"id": 2}, "journalKey": "V1", "name": "VERKOOP", "closed": false,
                "currencyCode": "EUR", "lastBookedDocumentNr": 1, "protectedPeriod": 0,
                "closedPeriod": 0, "insertionType": 1}])
    );
}

#[tokio::test]
async fn accounts_modified_follows_account_puts() {
    let (sim, token) = frozen().await;
    let since = "2025-03-15%2010:00:00.001";
    assert_eq!(
        sim.get(
            &token,
            &format!("/accounts/modified?modifiedTimeStamp={since}")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    sim.state.advance_clock(Duration::from_secs(1));
    let created = sim
        .client
        .put(sim.dossier_url("/accounts"))
        .header("dossierToken", &token)
        .json(
            &json!({"accountKey": {"bookyearKey": {"id": 2}, "id": 700300},
                      "description": {"description_NL": "Omzet banden"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let changed: Value = sim
        .get(
            &token,
            &format!("/accounts/modified?modifiedTimeStamp={since}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(changed["deleted"], json!([]));
    assert_eq!(
        changed["modified"][0]["accountKey"],
        json!({"bookyearKey": {"id": 2}, "id": 700300})
    );
    assert_eq!(changed["modified"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn relations_and_bookings_modified_use_brussels_time() {
    let (sim, token) = frozen().await;
    sim.customer(&token).await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );
    // Created at 10:00:00.000 Brussels: included from that instant, not a millisecond later.
    let at = "2025-03-15%2010:00:00.000";
    let after = "2025-03-15%2010:00:00.001";
    let relations: Value = sim
        .get(
            &token,
            &format!("/relations/modified?modifiedTimeStamp={at}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(relations["modified"][0]["name"], "Klant 100042");
    assert_eq!(relations["deleted"], json!([]));
    assert_eq!(
        sim.get(
            &token,
            &format!("/relations/modified?modifiedTimeStamp={after}")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let all_years: Value = sim
        .get(
            &token,
            &format!("/buysellbookings/modified?bookyearId=-1&modifiedTimeStamp={at}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all_years.as_array().unwrap().len(), 1, "a plain array");
    assert_eq!(
        sim.get(
            &token,
            &format!("/buysellbookings/modified?bookyearId=-1&modifiedTimeStamp={after}")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let wrong_format = sim
        .get(
            &token,
            "/relations/modified?modifiedTimeStamp=2025-03-15T10:00:00",
        )
        .await;
    assert_eq!(wrong_format.status(), StatusCode::BAD_REQUEST);
}
