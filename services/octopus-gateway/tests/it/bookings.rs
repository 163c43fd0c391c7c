//! CreateBooking: the JSON sent, -13 settled both ways, uncertain outcomes settled, refusals.

use ox_proto::gateway::v1::{Booking, BookingOutcome, CreateBookingRequest, CreateBookingResponse};
use tonic::Code;

use crate::fake_octopus::Fault;
use crate::helpers::{
    TestApp, booking, counts, dossier, simple_booking, spawn_app, spawn_app_with,
};

const POSTS: &str = "POST /dossiers/{dossierId}/buysellbookings";
const MODIFIED: &str = "GET /dossiers/{dossierId}/buysellbookings/modified";

async fn send(app: &mut TestApp, booking: Booking) -> CreateBookingResponse {
    app.client
        .create_booking(CreateBookingRequest {
            dossier: dossier(),
            booking: Some(booking),
        })
        .await
        .unwrap()
        .into_inner()
}

fn stored_numbers(app: &TestApp) -> Vec<i32> {
    app.octopus.with(|state| {
        state
            .bookings
            .iter()
            .filter(|b| b.bookyear == 2 && b.journal == "V1")
            .map(|b| b.nr)
            .collect()
    })
}

#[tokio::test]
async fn sends_amounts_as_numbers_with_exactly_two_decimals() {
    let mut app = spawn_app().await;
    let response = send(&mut app, booking(6, "INV-6", "30.03", "6.31", "36.34")).await;
    assert_eq!(response.outcome, BookingOutcome::Booked as i32);
    assert_eq!(response.last_document_nr, 6);
    assert_eq!(counts(&response.calls)[POSTS], 1);
    let response = send(&mut app, booking(7, "INV-7", "100", "21", "121.0")).await;
    assert_eq!(response.outcome, BookingOutcome::Booked as i32);

    let bodies: Vec<String> = app
        .octopus
        .requests("POST", "/buysellbookings")
        .into_iter()
        .map(|request| request.body)
        .collect();
    for expected in [
        r#""amount":36.34"#,
        r#""baseAmount":30.03"#,
        r#""vatAmount":6.31"#,
    ] {
        assert!(
            bodies[0].contains(expected),
            "{expected} missing in {}",
            bodies[0]
        );
    }
    for expected in [
        r#""amount":121.00"#,
        r#""baseAmount":100.00"#,
        r#""vatAmount":21.00"#,
        r#""exchangeRate":1.0"#,
        r#""bookyearPeriodeNr":202403"#,
        r#""documentSequenceNr":7"#,
        r#""comment":"INV-7""#,
        r#""attachments":[]"#,
    ] {
        assert!(
            bodies[1].contains(expected),
            "{expected} missing in {}",
            bodies[1]
        );
    }
    assert!(bodies[1].starts_with(r#"{"buySellBookingServiceData":{"bookyearKey":{"id":2}"#));
    assert_eq!(stored_numbers(&app), [5, 6, 7]);
}

#[tokio::test]
async fn a_taken_number_with_the_same_booking_is_already_booked() {
    let mut app = spawn_app().await;
    // Booking 5 "INV-5" of 121.00 is already in Octopus.
    let response = send(&mut app, booking(5, "INV-5", "100.00", "21.00", "121.00")).await;
    assert_eq!(response.outcome, BookingOutcome::AlreadyBooked as i32);
    assert_eq!(response.octopus_error_code, -13);
    assert_eq!(response.last_document_nr, 5);
    let calls = counts(&response.calls);
    assert_eq!((calls[POSTS], calls[MODIFIED]), (1, 1));
    assert_eq!(stored_numbers(&app), [5]);
}

#[tokio::test]
async fn a_taken_number_with_another_booking_is_rejected() {
    let mut app = spawn_app().await;
    let response = send(
        &mut app,
        booking(5, "INV-5-BIS", "100.00", "21.00", "121.00"),
    )
    .await;
    assert_eq!(response.outcome, BookingOutcome::Rejected as i32);
    assert_eq!(response.octopus_error_code, -13);
    assert_eq!(response.last_document_nr, 5);
    assert!(
        response
            .message
            .starts_with("number 5 of journal V1 is taken by another booking in Octopus"),
        "{}",
        response.message
    );

    let different_amount = send(&mut app, booking(5, "INV-5", "100.00", "20.00", "120.00")).await;
    assert_eq!(different_amount.outcome, BookingOutcome::Rejected as i32);
}

#[tokio::test]
async fn a_number_beyond_the_next_is_out_of_sequence() {
    let mut app = spawn_app().await;
    let response = send(&mut app, simple_booking(9)).await;
    assert_eq!(response.outcome, BookingOutcome::OutOfSequence as i32);
    assert_eq!(response.last_document_nr, 5);
    assert_eq!(
        response.message,
        "journal V1 is at 5; invoice 9 would leave a gap"
    );
    assert_eq!(
        counts(&response.calls).get(MODIFIED),
        None,
        "a gap needs no settling read"
    );
}

#[tokio::test]
async fn a_500_after_storing_is_settled_as_booked() {
    let mut app = spawn_app().await;
    app.octopus.with(|state| state.fault = Fault::StoreThen500);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(
        response.outcome,
        BookingOutcome::Booked as i32,
        "{}",
        response.message
    );
    let calls = counts(&response.calls);
    assert_eq!((calls[POSTS], calls[MODIFIED]), (1, 1));
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn a_500_without_storing_is_settled_then_sent_again() {
    let mut app = spawn_app().await;
    app.octopus.with(|state| state.fault = Fault::Fail500);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(
        response.outcome,
        BookingOutcome::Booked as i32,
        "{}",
        response.message
    );
    let calls = counts(&response.calls);
    // The journal is read before anything is re-sent.
    assert_eq!((calls[POSTS], calls[MODIFIED]), (2, 1));
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn an_html_bad_gateway_is_settled_before_sending_again() {
    let mut app = spawn_app().await;
    app.octopus
        .with(|state| state.fault = Fault::HtmlBadGateway);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(response.outcome, BookingOutcome::Booked as i32);
    let calls = counts(&response.calls);
    assert_eq!((calls[POSTS], calls[MODIFIED]), (2, 1));
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn a_reset_connection_after_storing_is_settled_as_booked() {
    let mut app = spawn_app().await;
    app.octopus
        .with(|state| state.fault = Fault::StoreThenReset);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(
        response.outcome,
        BookingOutcome::Booked as i32,
        "{}",
        response.message
    );
    assert!(
        response
            .message
            .contains("answer was lost: connection lost"),
        "{}",
        response.message
    );
    let calls = counts(&response.calls);
    assert_eq!((calls[POSTS], calls[MODIFIED]), (1, 1), "never re-sent");
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn a_reset_connection_before_storing_is_settled_then_sent_again() {
    let mut app = spawn_app().await;
    app.octopus.with(|state| state.fault = Fault::Reset);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(response.outcome, BookingOutcome::Booked as i32);
    let calls = counts(&response.calls);
    assert_eq!((calls[POSTS], calls[MODIFIED]), (2, 1));
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn a_timeout_after_storing_is_settled_as_booked() {
    let mut app = spawn_app_with(400, None).await;
    app.octopus.with(|state| state.fault = Fault::StoreThenHang);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(
        response.outcome,
        BookingOutcome::Booked as i32,
        "{}",
        response.message
    );
    assert!(
        response.message.contains("no answer within 400 ms"),
        "{}",
        response.message
    );
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn a_locked_journal_is_waited_for_then_reported() {
    let mut app = spawn_app().await;
    app.octopus.with(|state| state.locked_posts = 100);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(response.outcome, BookingOutcome::Rejected as i32);
    assert_eq!(
        response.message,
        "journal V1 is locked or closed in Octopus (tried 3 times)"
    );
    let calls = counts(&response.calls);
    assert_eq!(calls[POSTS], 3);
    assert_eq!(calls.get(MODIFIED), None, "a 403 stored nothing");
    assert_eq!(stored_numbers(&app), [5]);
}

#[tokio::test]
async fn a_journal_released_while_waiting_gets_the_booking() {
    let mut app = spawn_app().await;
    app.octopus.with(|state| state.locked_posts = 2);
    let response = send(&mut app, simple_booking(6)).await;
    assert_eq!(response.outcome, BookingOutcome::Booked as i32);
    assert_eq!(counts(&response.calls)[POSTS], 3);
    assert_eq!(stored_numbers(&app), [5, 6]);
}

#[tokio::test]
async fn other_refusals_carry_octopus_words_and_code() {
    let mut app = spawn_app().await;
    let mut unknown_relation = simple_booking(6);
    unknown_relation.relation = Some(ox_proto::gateway::v1::RelationRef {
        relation_key: 0,
        external_relation_id: 999,
    });
    let response = send(&mut app, unknown_relation).await;
    assert_eq!(response.outcome, BookingOutcome::Rejected as i32);
    assert_eq!(response.octopus_error_code, -30);
    assert!(
        response.message.contains("Relation unknown"),
        "{}",
        response.message
    );
    assert!(
        response
            .message
            .contains("No relation with external id 999")
    );
}

#[tokio::test]
async fn an_unbalanced_booking_is_refused_before_any_call() {
    let mut app = spawn_app().await;
    let status = app
        .client
        .create_booking(CreateBookingRequest {
            dossier: dossier(),
            booking: Some(booking(6, "INV-6", "100", "21", "121.01")),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("not the sum"),
        "{}",
        status.message()
    );
    assert!(app.octopus.with(|state| state.requests.is_empty()));
}
