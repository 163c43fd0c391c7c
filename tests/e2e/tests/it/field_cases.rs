//! Field cases that live between the orchestrator, the gateway and Octopus, replayed against the
//! simulator through the whole stack (../shared/cases/field-cases.md).

use std::time::Duration;

use octopus_sim::Fault;
use ox_proto::config::v1::SetCredentialsRequest;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;

use octopus_export::provision::DEMO_DOSSIER;
use octopus_export::stack::EmbeddedStack;

use crate::helpers::{self, TestDir};

const BOOKINGS: &str = "POST /dossiers/{dossierId}/buysellbookings";

fn booked_once(stack: &EmbeddedStack, expected: usize) {
    let state = stack.sim.dump(DEMO_DOSSIER);
    let bookings = state["buySellBookings"].as_array().unwrap();
    let mut keys: Vec<(String, i64)> = bookings
        .iter()
        .map(|b| {
            (
                b["journalKey"].as_str().unwrap().to_owned(),
                b["documentSequenceNr"].as_i64().unwrap(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(bookings.len(), expected, "one booking per invoice");
    assert_eq!(keys.len(), expected, "no number twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_case_16_tokens_expire_in_the_middle_of_a_long_run() {
    let dir = TestDir::new("fc16");
    let (stack, provisioned) = helpers::start(&dir, 180).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    // Every 20 bookings, four minutes pass on Octopus's clock: the 10-minute tokens expire
    // several times during the run, as in a month-end batch with slow answers.
    let sim = stack.sim.clone();
    let clock = tokio::spawn(async move {
        let mut next = 20;
        while next < total {
            if sim.bookings_count(DEMO_DOSSIER) >= next {
                sim.advance_clock(Duration::from_secs(240));
                next += 20;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    let report = helpers::export(&stack, &[]).await;
    clock.abort();
    assert_eq!(
        report.status,
        "completed",
        "{:?}",
        report.items.iter().find(|i| i.status == "failed")
    );
    assert_eq!(report.invoices.booked as usize, total);
    booked_once(&stack, total);
    let calls = stack.sim.call_counts();
    assert!(
        calls["POST /authentication"] >= 3,
        "the gateway renewed its tokens: {calls:?}"
    );
    assert!(
        calls["POST /dossiers"] >= 3,
        "and its dossier tokens: {calls:?}"
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_case_20_a_lost_answer_after_commit_is_settled_not_resent() {
    let dir = TestDir::new("fc20");
    let (stack, provisioned) = helpers::start(&dir, 60).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    // The first booking is stored and then the connection drops; the second is stored and then
    // answered with an empty 500.
    stack.sim.inject_fault(BOOKINGS, Fault::DropAfterCommit);
    stack
        .sim
        .inject_fault(BOOKINGS, Fault::StatusAfterCommit(500));
    let report = helpers::export(&stack, &[]).await;
    assert_eq!(
        report.status,
        "completed",
        "{:?}",
        report.items.iter().find(|i| i.status == "failed")
    );
    assert_eq!(report.invoices.booked as usize, total);
    // Exactly one POST per invoice: the two uncertain ones were settled by reading, not re-sent.
    assert_eq!(report.octopus_calls[BOOKINGS] as usize, total);
    booked_once(&stack, total);
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_login_stops_the_dossier_and_is_never_retried_in_a_loop() {
    let dir = TestDir::new("login");
    let (stack, _) = helpers::start(&dir, 20).await;
    let mut config =
        ConfigServiceClient::new(ox_kit::channel(&stack.addresses.config_service).unwrap());
    config
        .set_credentials(SetCredentialsRequest {
            tenant_id: "demo".into(),
            user: "demo@planmanager.example".into(),
            password: "a-wrong-password".into(),
            software_house_uuid: "6f1c2a9e-0d2b-4c8e-9a57-3b1e2d4f5a60".into(),
        })
        .await
        .unwrap();
    let first = helpers::export(&stack, &[]).await;
    assert_eq!(first.status, "failed");
    assert!(
        first
            .message
            .contains("Octopus rejected the credentials for dossier 1001"),
        "{}",
        first.message
    );
    assert!(!first.message.contains("a-wrong-password"));
    let second = helpers::export(&stack, &[]).await;
    assert_eq!(second.status, "failed");
    assert_eq!(
        stack.sim.call_counts()["POST /authentication"],
        1,
        "one failed login, not a loop"
    );
    assert_eq!(stack.sim.bookings_count(DEMO_DOSSIER), 0);
    stack.stop().await.unwrap();
}
