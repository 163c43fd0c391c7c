//! Faults against the simulator: a lost answer after commit (field case 20), 500 and 502 HTML
//! answers, persistent unavailability, 429, retried reads, a locked journal, a rejected login.

use std::time::Duration;

use octopus_sim::Fault;
use ox_proto::gateway::v1::{BookingOutcome, FindRelationRequest, GetDossierSnapshotRequest};
use tonic::Code;

use crate::helpers::counts;
use crate::sim_helpers::{
    EXTERNAL_ID, LOGINS, MODIFIED, POSTS, SIM_DOSSIER, book, outcome, sim_dossier, spawn_replica,
    start_sim,
};

#[tokio::test]
async fn a_lost_answer_after_commit_is_settled_without_a_second_post() {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.request_timeout_ms = 300;
    let mut gateway = spawn_replica(settings, sim.clock()).await;
    sim.state.inject_fault(POSTS, Fault::StatusAfterCommit(504));
    // Field case 20: the POST stores the booking, then the connection times out.
    sim.state
        .inject_fault(POSTS, Fault::DelayAfterCommit(Duration::from_secs(5)));
    for number in [1, 2] {
        let response = book(&mut gateway.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
        assert!(
            response.message.contains("answer was lost"),
            "{}",
            response.message
        );
        let calls = counts(&response.calls);
        assert_eq!((calls[POSTS], calls[MODIFIED]), (1, 1));
    }
    assert_eq!(sim.booked_numbers(), [1, 2]);
    assert_eq!(sim.count(POSTS), 2);
}

#[tokio::test]
async fn a_500_and_a_502_html_page_store_nothing_and_the_booking_is_sent_again() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    sim.state.inject_fault(POSTS, Fault::Status(500));
    sim.state.inject_fault(POSTS, Fault::Status(502));
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(
        outcome(&response),
        BookingOutcome::Booked,
        "{}",
        response.message
    );
    let calls = counts(&response.calls);
    // Each unclear answer is settled by a read before the next POST.
    assert_eq!((calls[POSTS], calls[MODIFIED]), (3, 2));
    assert_eq!(sim.booked_numbers(), [1]);
}

#[tokio::test]
async fn persistent_unavailability_is_reported_after_bounded_attempts() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    for _ in 0..4 {
        sim.state.inject_fault(POSTS, Fault::Status(503));
    }
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(outcome(&response), BookingOutcome::Rejected);
    assert!(
        response.message.starts_with(
            "Octopus did not store booking 1 of journal V1 (tried 4 times; nothing was stored"
        ),
        "{}",
        response.message
    );
    assert_eq!(sim.count(POSTS), 4);
    assert!(sim.booked_numbers().is_empty());
    // Sending it again later is safe and works.
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(outcome(&response), BookingOutcome::Booked);
}

#[tokio::test]
async fn a_429_backs_off_then_defers_until_brussels_midnight() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    sim.state.inject_fault(POSTS, Fault::Status(429));
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(
        outcome(&response),
        BookingOutcome::Booked,
        "one 429 is waited out"
    );
    assert_eq!(counts(&response.calls)[POSTS], 2);
    assert_eq!(
        counts(&response.calls).get(MODIFIED),
        None,
        "a 429 stored nothing"
    );

    for _ in 0..4 {
        sim.state.inject_fault(POSTS, Fault::Status(429));
    }
    let response = book(&mut gateway.client, &sim, 2).await;
    assert_eq!(
        outcome(&response),
        BookingOutcome::Deferred,
        "{}",
        response.message
    );
    let midnight = ox_octopus_gateway::next_brussels_midnight(sim.state.now());
    assert_eq!(response.deferred_until, midnight.to_rfc3339());
    assert_eq!(counts(&response.calls)[POSTS], 4);
    assert_eq!(sim.booked_numbers(), [1]);
}

#[tokio::test]
async fn a_5xx_on_a_read_is_retried_but_never_past_the_cap() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    let bookyears = "GET /dossiers/{dossierId}/bookyears";
    let vat_codes = "GET /dossiers/{dossierId}/vatcodes";
    sim.state.inject_fault(bookyears, Fault::Status(503));
    sim.state.inject_fault(bookyears, Fault::Status(500));
    // VAT codes allow 2 reads a day, and failed reads count: the third attempt is not made.
    sim.state.inject_fault(vat_codes, Fault::Status(503));
    sim.state.inject_fault(vat_codes, Fault::Status(502));
    let request = GetDossierSnapshotRequest {
        dossier: sim_dossier(),
    };
    let status = gateway
        .client
        .get_dossier_snapshot(request.clone())
        .await
        .unwrap_err();
    assert_eq!(
        status.code(),
        Code::ResourceExhausted,
        "{}",
        status.message()
    );
    assert!(
        status
            .message()
            .contains("daily cap of 2 calls to GET /dossiers/{dossierId}/vatcodes")
    );
    assert_eq!(sim.count(bookyears), 3);
    assert_eq!(sim.count(vat_codes), 2);

    // Tomorrow the cap is free again.
    sim.state.advance_clock(Duration::from_secs(24 * 3600));
    let response = gateway
        .client
        .get_dossier_snapshot(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(counts(&response.calls)[vat_codes], 1);
    assert_eq!(counts(&response.calls)[bookyears], 1);
    assert!(!response.snapshot.unwrap().vat_codes.is_empty());
}

#[tokio::test]
async fn a_locked_journal_is_waited_for_a_bounded_number_of_times() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    sim.state
        .set_journal_locked(SIM_DOSSIER, 3, "V1", true)
        .unwrap();
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(outcome(&response), BookingOutcome::Rejected);
    assert_eq!(
        response.message,
        "journal V1 is locked or closed in Octopus (tried 3 times)"
    );
    assert_eq!(
        response.octopus_error_code,
        octopus_sim::ErrorCode::JournalClosedOrLocked.code()
    );
    assert_eq!(sim.count(POSTS), 3);
    assert_eq!(sim.count(MODIFIED), 0);

    sim.state
        .set_journal_locked(SIM_DOSSIER, 3, "V1", false)
        .unwrap();
    let response = book(&mut gateway.client, &sim, 1).await;
    assert_eq!(outcome(&response), BookingOutcome::Booked);
    assert_eq!(sim.booked_numbers(), [1]);
}

#[tokio::test]
async fn a_rejected_login_stops_the_dossier_without_retrying() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    sim.config.set_password("not-the-password");
    for _ in 0..3 {
        let status = gateway
            .client
            .find_relation(FindRelationRequest {
                dossier: sim_dossier(),
                external_relation_id: EXTERNAL_ID,
            })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied);
        assert_eq!(
            status.message(),
            format!("Octopus rejected the credentials for dossier {SIM_DOSSIER}")
        );
    }
    // Octopus counts failed logins (and locks the user after 5): one attempt only.
    assert_eq!(sim.count(LOGINS), 1);
    assert_eq!(sim.count(POSTS), 0);
}
