//! Buy/sell booking POST: the happy path, every rejection in its order, exact decimals, and
//! the two reads (single booking and /modified).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json, booking_value, error_body};

async fn ready() -> (TestSim, String) {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    (sim, token)
}

async fn rejected(sim: &TestSim, token: &str, booking: &Value) -> (StatusCode, Value) {
    let response = sim.post_booking(token, booking).await;
    let status = response.status();
    (status, error_body(response).await)
}

#[tokio::test]
async fn a_valid_booking_is_201_without_body_and_bumps_the_journal() {
    let (sim, token) = ready().await;
    let response = sim.post_booking_raw(&token, booking_json(1)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.text().await.unwrap().is_empty());

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
    assert_eq!(v1["lastBookedDocumentNr"], 1);

    let one = sim
        .get(
            &token,
            "/buysellbookings?bookyearId=2&journalKey=V1&documentSeqNr=1",
        )
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    let text = one.text().await.unwrap();
    assert!(text.contains(r#""amount":181.5"#), "{text}");
    assert!(text.contains(r#""vatAmount":10.5"#), "{text}");
    let one: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        one["relationIdentificationServiceData"],
        json!({"externalRelationId": 100042, "relationKey": {"id": 1}})
    );
    assert_eq!(one["bookyearPeriodeNr"], 202503);

    let dump = sim.state.dump(sim.creds.dossier_id);
    assert_eq!(dump["buySellBookings"].as_array().unwrap().len(), 1);
    assert_eq!(dump["attachments"][0]["fileName"], "INV.pdf");
    assert_eq!(dump["attachments"][0]["sizeBytes"], 9);
}

#[tokio::test]
async fn resending_a_booked_number_is_minus_13_with_the_last_number() {
    let (sim, token) = ready().await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );
    let (status, body) = rejected(&sim, &token, &booking_value(1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorCode"], -13);
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("Het document nummer is ongeldig.")
    );
    let expected = format!(
        "Unable to insert booking in dossier {}.  Illegal document seq Nr.  Last Document = 1.  New Document = 1. ",
        sim.creds.dossier_id
    );
    assert_eq!(body["technicalInfo"], json!(expected));
    let info = body["technicalInfo"].as_str().unwrap();
    let last: i32 = info
        .split("Last Document = ")
        .nth(1)
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(last, 1);
    // A gap is refused too, and a desktop booking moves the counter.
    assert_eq!(
        rejected(&sim, &token, &booking_value(3)).await.1["errorCode"],
        -13
    );
    sim.state
        .set_last_booked_document_nr(sim.creds.dossier_id, 2, "V1", 2)
        .unwrap();
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(3)).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn unknown_period_is_minus_14() {
    let (sim, token) = ready().await;
    let mut booking = booking_value(1);
    booking["buySellBookingServiceData"]["bookyearPeriodeNr"] = json!(1);
    let (status, body) = rejected(&sim, &token, &booking).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let expected = json!({
        "errorCode": -14,
        "errorMessage": "De gebruikte boekjaar periode bestaat niet in het boekjaar.",
        "technicalInfo": format!("Unable to insert booking in dossier {}.  Bookyear period unknown", sim.creds.dossier_id),
    });
    assert_eq!(body, expected);
}

#[tokio::test]
async fn amount_off_by_a_cent_is_minus_73_and_credit_notes_are_negative_with_positive_lines() {
    let (sim, token) = ready().await;
    let off = booking_json(1).replace("\"amount\": 181.50", "\"amount\": 181.51");
    let response = sim.post_booking_raw(&token, off).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(response).await["errorCode"], -105);

    let credit = booking_json(1).replace("\"amount\": 181.50", "\"amount\": -181.50");
    assert_eq!(
        sim.post_booking_raw(&token, credit).await.status(),
        StatusCode::CREATED
    );
    let negative_lines = booking_json(2)
        .replace("\"amount\": 181.50", "\"amount\": -181.50")
        .replace("\"baseAmount\": 100.00", "\"baseAmount\": -100.00");
    assert_eq!(
        sim.post_booking_raw(&token, negative_lines).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn decimal_sums_are_exact_where_floats_would_drift() {
    let (sim, token) = ready().await;
    // 0.1 + 0.2 != 0.3 in f64; the simulator must accept it.
    let body = booking_json(1)
        .replace("\"amount\": 181.50", "\"amount\": 0.30")
        .replace("\"baseAmount\": 100.00", "\"baseAmount\": 0.10")
        .replace("\"vatAmount\": 21.00", "\"vatAmount\": 0.20")
        .replace("\"baseAmount\": 50.00", "\"baseAmount\": 0.00")
        .replace("\"vatAmount\": 10.50", "\"vatAmount\": 0.00");
    assert_eq!(
        sim.post_booking_raw(&token, body).await.status(),
        StatusCode::CREATED
    );
    let three_decimals = booking_json(2)
        .replace("\"amount\": 181.50", "\"amount\": 181.505")
        .replace("\"vatAmount\": 10.50", "\"vatAmount\": 10.505");
    let response = sim.post_booking_raw(&token, three_decimals).await;
    assert_eq!(error_body(response).await["errorCode"], -106);
}

#[tokio::test]
async fn unknown_relation_vat_code_account_and_journal_are_rejected() {
    let (sim, token) = ready().await;
    let mut b = booking_value(1);
    b["buySellBookingServiceData"]["relationIdentificationServiceData"] =
        json!({"externalRelationId": 999});
    assert_eq!(rejected(&sim, &token, &b).await.1["errorCode"], -16);
    b["buySellBookingServiceData"]["relationIdentificationServiceData"] =
        json!({"relationKey": {"id": 1}, "externalRelationId": 999});
    assert_eq!(
        rejected(&sim, &token, &b).await.1["errorCode"],
        -16,
        "key and external id must agree"
    );

    let mut b = booking_value(1);
    b["buySellBookingServiceData"]["bookingLines"][1]["vatCodeKey"] = json!("99");
    let (status, body) = rejected(&sim, &token, &b).await;
    assert_eq!(
        (status, body["errorCode"].clone()),
        (StatusCode::BAD_REQUEST, json!(-22))
    );
    b["buySellBookingServiceData"]["bookingLines"][1]["vatCodeKey"] = json!("D21");
    assert_eq!(rejected(&sim, &token, &b).await.1["errorCode"], -75);

    let mut b = booking_value(1);
    b["buySellBookingServiceData"]["bookingLines"][0]["accountKey"] = json!(799999);
    assert_eq!(rejected(&sim, &token, &b).await.1["errorCode"], -21);

    let mut b = booking_value(1);
    b["buySellBookingServiceData"]["journalKey"] = json!("V9");
    assert_eq!(rejected(&sim, &token, &b).await.1["errorCode"], -10);
    b["buySellBookingServiceData"]["journalKey"] = json!("V3");
    assert_eq!(
        rejected(&sim, &token, &b).await.1["errorCode"],
        -29,
        "V3 is an invoice journal"
    );
    assert_eq!(
        sim.state.dump(sim.creds.dossier_id)["buySellBookings"],
        json!([])
    );
}

#[tokio::test]
async fn closed_or_locked_journals_are_403_and_protected_periods_refused() {
    let sim = TestSim::start().await;
    let (_, mut dossier) = octopus_sim::demo_dossier();
    for j in dossier.journals.iter_mut().filter(|j| j.bookyear_id == 2) {
        match j.key.as_str() {
            "V2" => j.closed = true,
            "V1" => {
                j.closed_period = 202502;
                j.protected_period = 202503;
            }
            _ => {}
        }
    }
    sim.state.add_dossier(dossier);
    let token = sim.session().await;
    sim.customer(&token).await;

    let (status, body) = rejected(&sim, &token, &booking_value(1)).await;
    assert_eq!(
        (status, body["errorCode"].clone()),
        (StatusCode::BAD_REQUEST, json!(-15))
    );
    assert_eq!(body["errorMessage"], "Book year period is protected");
    let mut in_closed = booking_value(1);
    in_closed["buySellBookingServiceData"]["bookyearPeriodeNr"] = json!(202502);
    let (_, body) = rejected(&sim, &token, &in_closed).await;
    assert_eq!(body["errorCode"], -102);
    assert_eq!(body["errorMessage"], "Book year period is closed");

    let mut closed = booking_value(1);
    closed["buySellBookingServiceData"]["journalKey"] = json!("V2");
    let (status, body) = rejected(&sim, &token, &closed).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["errorMessage"],
        "Journal either closed or open by other user"
    );

    let mut later = booking_value(1);
    later["buySellBookingServiceData"]["bookyearPeriodeNr"] = json!(202504);
    assert_eq!(
        sim.post_booking(&token, &later).await.status(),
        StatusCode::CREATED
    );
    sim.state
        .set_journal_locked(sim.creds.dossier_id, 2, "V1", true)
        .unwrap();
    let mut next = later.clone();
    next["buySellBookingServiceData"]["documentSequenceNr"] = json!(2);
    assert_eq!(
        sim.post_booking(&token, &next).await.status(),
        StatusCode::FORBIDDEN
    );
    sim.state
        .set_journal_locked(sim.creds.dossier_id, 2, "V1", false)
        .unwrap();
    assert_eq!(
        sim.post_booking(&token, &next).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn malformed_json_is_500_without_body_and_missing_fields_400() {
    let (sim, token) = ready().await;
    let response = sim
        .post_booking_raw(&token, "{\"buySellBookingServiceData\": {".to_owned())
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.text().await.unwrap().is_empty());
    let bad_date = booking_json(1).replace("\"2025-03-15\"", "\"15/03/2025\"");
    assert_eq!(
        sim.post_booking_raw(&token, bad_date).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );

    let mut missing = booking_value(1);
    missing["buySellBookingServiceData"]
        .as_object_mut()
        .unwrap()
        .remove("exchangeRate");
    let (status, body) = rejected(&sim, &token, &missing).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"technicalInfo": "Invalid or missing parameters passed"})
    );
}

#[tokio::test]
async fn single_booking_read_needs_all_three_parameters() {
    let (sim, token) = ready().await;
    let response = sim.get(&token, "/buysellbookings?bookyearKeyId=2").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_body(response).await,
        json!({"technicalInfo": "Invalid or missing parameters passed"})
    );
    let absent = sim
        .get(
            &token,
            "/buysellbookings?bookyearId=2&journalKey=V1&documentSeqNr=5",
        )
        .await;
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn modified_is_404_when_empty_and_lists_new_bookings() {
    let (sim, token) = ready().await;
    let path =
        "/buysellbookings/modified?bookyearId=-1&modifiedTimeStamp=1980-01-01%2000:00:00.000";
    let empty = sim.get(&token, path).await;
    assert_eq!(empty.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        error_body(empty).await,
        json!({"errorMessage": "No bookings found"})
    );

    sim.post_booking_raw(&token, booking_json(1)).await;
    let all: Value = sim.get(&token, path).await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    let other_journal = sim.get(&token, &format!("{path}&journalKey=V2")).await;
    assert_eq!(other_journal.status(), StatusCode::NOT_FOUND);
    let other_year =
        "/buysellbookings/modified?bookyearId=1&modifiedTimeStamp=1980-01-01%2000:00:00.000";
    assert_eq!(
        sim.get(&token, other_year).await.status(),
        StatusCode::NOT_FOUND
    );
    let future =
        "/buysellbookings/modified?bookyearId=-1&modifiedTimeStamp=2999-01-01%2000:00:00.000";
    assert_eq!(
        sim.get(&token, future).await.status(),
        StatusCode::NOT_FOUND
    );
    let sloppy = "/buysellbookings/modified?bookyearId=-1&modifiedTimeStamp=2020-01-01";
    assert_eq!(
        sim.get(&token, sloppy).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_saved_state_restores_relations_bookings_and_journal_counters() {
    let (sim, token) = ready().await;
    let response = sim.post_booking_raw(&token, booking_json(1)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let dossier_id = sim.creds.dossier_id;
    let before = sim.state.dump(dossier_id);

    let restored = octopus_sim::SimState::restore_json(&sim.state.save_json()).unwrap();
    assert!(restored.has_dossier(dossier_id));
    assert_eq!(restored.bookings_count(dossier_id), 1);
    assert_eq!(restored.dump(dossier_id), before);
    assert!(octopus_sim::SimState::restore_json("{not json").is_err());
}
