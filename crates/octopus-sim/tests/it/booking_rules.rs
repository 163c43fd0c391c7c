//! Booking rules not covered in `bookings.rs`: sign mixes, bookyears, currency, the relation's
//! state and role, purchase journals, and `PUT /buysellbookings`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestSim, booking_json, booking_value, customer_json, error_body};

async fn ready() -> (TestSim, String) {
    let sim = TestSim::start().await;
    let token = sim.session().await;
    sim.customer(&token).await;
    (sim, token)
}

async fn code_of(sim: &TestSim, token: &str, booking: String) -> (StatusCode, Value) {
    let response = sim.post_booking_raw(token, booking).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        },
    )
}

fn with_amounts(nr: i32, amount: &str, first: (&str, &str), second: (&str, &str)) -> String {
    // The second line first: the first line's new values could match its old ones.
    booking_json(nr)
        .replace("\"amount\": 181.50", &format!("\"amount\": {amount}"))
        .replace(
            "\"baseAmount\": 50.00",
            &format!("\"baseAmount\": {}", second.0),
        )
        .replace(
            "\"vatAmount\": 10.50",
            &format!("\"vatAmount\": {}", second.1),
        )
        .replace(
            "\"baseAmount\": 100.00",
            &format!("\"baseAmount\": {}", first.0),
        )
        .replace(
            "\"vatAmount\": 21.00",
            &format!("\"vatAmount\": {}", first.1),
        )
}

#[tokio::test]
async fn only_positive_lines_are_accepted_and_the_amount_sign_makes_a_credit_note() {
    let (sim, token) = ready().await;
    let opposite = with_amounts(1, "79.00", ("100.00", "-21.00"), ("0.00", "0.00"));
    let (status, body) = code_of(&sim, &token, opposite).await;
    assert_eq!(
        (status, body["errorCode"].clone()),
        (StatusCode::BAD_REQUEST, json!(-23))
    );
    assert!(
        body["technicalInfo"]
            .as_str()
            .unwrap()
            .contains("opposite signs")
    );

    let discount_line = with_amounts(1, "100.00", ("110.00", "23.10"), ("-27.27", "-5.83"));
    assert_eq!(
        code_of(&sim, &token, discount_line).await.1["errorCode"],
        -112
    );
    let negative_credit = with_amounts(1, "-121.00", ("-100.00", "-21.00"), ("0.00", "0.00"));
    assert_eq!(
        code_of(&sim, &token, negative_credit).await.1["errorCode"],
        -112,
        "Invoice-module style credit notes (negative lines) are refused for bookings"
    );
    let negative_invoice = with_amounts(1, "121.00", ("-100.00", "-21.00"), ("0.00", "0.00"));
    assert_eq!(
        code_of(&sim, &token, negative_invoice).await.1["errorCode"],
        -112
    );

    let credit = with_amounts(1, "-121.00", ("100.00", "21.00"), ("0.00", "0.00"));
    assert_eq!(code_of(&sim, &token, credit).await.0, StatusCode::CREATED);
    let zero_vat = with_amounts(2, "50.00", ("50.00", "0.00"), ("0.00", "0.00"));
    assert_eq!(code_of(&sim, &token, zero_vat).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn unknown_or_closed_bookyears_and_bad_currencies_are_refused() {
    let sim = TestSim::start().await;
    let (_, mut dossier) = octopus_sim::demo_dossier();
    dossier.bookyears[0].closed = true;
    sim.state.add_dossier(dossier);
    let token = sim.session().await;
    sim.customer(&token).await;

    let mut b = booking_value(1);
    b["buySellBookingServiceData"]["bookyearKey"] = json!({"id": 9});
    assert_eq!(
        error_body(sim.post_booking(&token, &b).await).await["errorCode"],
        -9
    );
    b["buySellBookingServiceData"]["bookyearKey"] = json!({"id": 1});
    b["buySellBookingServiceData"]["bookyearPeriodeNr"] = json!(202403);
    let body = error_body(sim.post_booking(&token, &b).await).await;
    assert_eq!(body["errorCode"], -101);
    assert_eq!(body["errorMessage"], "Book year is closed");

    let rate = booking_json(1).replace("\"exchangeRate\": 1.0", "\"exchangeRate\": 1.1");
    assert_eq!(code_of(&sim, &token, rate).await.1["errorCode"], -19);
    let currency = booking_json(1).replace("\"EUR\"", "\"XYZ\"");
    assert_eq!(code_of(&sim, &token, currency).await.1["errorCode"], -19);
}

#[tokio::test]
async fn the_relation_must_be_one_active_client() {
    let (sim, token) = ready().await;
    let id = sim.creds.dossier_id;
    let mut inactive = customer_json(200);
    inactive["active"] = json!(false);
    sim.state.add_relation(id, inactive).unwrap();
    let mut supplier = customer_json(300);
    supplier["client"] = json!(false);
    supplier["supplier"] = json!(true);
    sim.state.add_relation(id, supplier).unwrap();
    // Two UI relations sharing an external id (Octopus does not stop the UI from doing it).
    sim.state.add_relation(id, customer_json(400)).unwrap();
    sim.state.add_relation(id, customer_json(400)).unwrap();

    for (external, code) in [(200, -103), (300, -104), (400, -16)] {
        let body = booking_json(1).replace("100042", &external.to_string());
        assert_eq!(
            code_of(&sim, &token, body).await.1["errorCode"],
            code,
            "relation {external}"
        );
    }
}

#[tokio::test]
async fn purchase_bookings_need_a_supplier_and_purchase_vat_codes() {
    let (sim, token) = ready().await;
    let mut supplier = customer_json(300);
    supplier["supplier"] = json!(true);
    sim.state
        .add_relation(sim.creds.dossier_id, supplier)
        .unwrap();
    sim.state.set_check_accounts(false);
    let purchase = booking_json(1)
        .replace("\"V1\"", "\"A1\"")
        .replace("100042", "300")
        .replace("\"vatCodeKey\": \"21\"", "\"vatCodeKey\": \"D21\"");
    assert_eq!(
        code_of(&sim, &token, purchase.clone()).await.0,
        StatusCode::CREATED
    );
    let sales_code = purchase
        .replace("\"vatCodeKey\": \"D21\"", "\"vatCodeKey\": \"21\"")
        .replace("\"documentSequenceNr\": 1", "\"documentSequenceNr\": 2");
    assert_eq!(code_of(&sim, &token, sales_code).await.1["errorCode"], -75);
}

fn bare(nr: i32) -> Value {
    booking_value(nr)["buySellBookingServiceData"].clone()
}

async fn put(sim: &TestSim, token: &str, booking: &Value) -> reqwest::Response {
    sim.client
        .put(sim.dossier_url("/buysellbookings"))
        .header("dossierToken", token)
        .json(booking)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn put_changes_an_existing_booking_with_the_same_rules() {
    let (sim, token) = ready().await;
    assert_eq!(
        sim.post_booking_raw(&token, booking_json(1)).await.status(),
        StatusCode::CREATED
    );
    let mut changed = bare(1);
    changed["comment"] = json!("corrected");
    let response = put(&sim, &token, &changed).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    let one: Value = sim
        .get(
            &token,
            "/buysellbookings?bookyearId=2&journalKey=V1&documentSeqNr=1",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["comment"], "corrected");
    assert_eq!(
        sim.v1(&token).await["lastBookedDocumentNr"],
        1,
        "a PUT does not move the counter"
    );

    let missing = put(&sim, &token, &bare(2)).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(missing).await["errorCode"], -111);
    let mut unbalanced = bare(1);
    unbalanced["amount"] = json!(1.0);
    assert_eq!(
        error_body(put(&sim, &token, &unbalanced).await).await["errorCode"],
        -105
    );
    let wrapped = booking_value(1);
    assert_eq!(
        put(&sim, &token, &wrapped).await.status(),
        StatusCode::BAD_REQUEST,
        "PUT takes the bare booking, not the POST wrapper"
    );
    let garbled = sim
        .client
        .put(sim.dossier_url("/buysellbookings"))
        .header("dossierToken", &token)
        .header("Content-Type", "application/json")
        .body(r#"{"documentDate": "2025/03/15"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(garbled.text().await.unwrap().is_empty());
}

#[tokio::test]
async fn financial_and_miscellaneous_journals_take_no_buy_sell_bookings() {
    let sim = TestSim::start().await;
    let (_, mut dossier) = octopus_sim::demo_dossier();
    for key in ["F1", "D1"] {
        dossier
            .journals
            .push(octopus_sim::JournalSetup::new(2, key, "ANDERE", 1));
    }
    sim.state.add_dossier(dossier);
    let token = sim.session().await;
    sim.customer(&token).await;
    for key in ["F1", "D1"] {
        let body = booking_json(1).replace("\"V1\"", &format!("\"{key}\""));
        let (status, error) = code_of(&sim, &token, body).await;
        assert_eq!(
            (status, error["errorCode"].clone()),
            (StatusCode::BAD_REQUEST, json!(-29)),
            "{key}"
        );
    }
}
