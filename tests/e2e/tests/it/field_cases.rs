//! Field cases that live between the orchestrator, the gateway and Octopus, replayed against the
//! simulator through the whole stack (../shared/cases/field-cases.md).

use std::time::Duration;

use sqlx::Row as _;

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

/// A Bodyshop A debtor with a Belgian VAT number, and that number in Octopus's form.
async fn debtor_with_vat(dir: &TestDir) -> (i64, String) {
    let pool = helpers::planmanager(dir).await;
    let row = sqlx::query(
        "SELECT c.id, c.vat_number FROM customers c
         WHERE c.id IN (SELECT i.customer_id FROM invoices i JOIN journals j ON j.id = i.journal_id
                        JOIN locations l ON l.id = j.location_id
                        WHERE l.name = 'Bodyshop A' AND i.status = 'final')
           AND c.vat_number LIKE '%0%' AND c.country IN ('BE', 'België')
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    let raw: String = row.get(1);
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = if digits.len() == 9 {
        format!("0{digits}")
    } else {
        digits
    };
    (
        row.get(0),
        format!("BE{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..]),
    )
}

fn accountant_relation(name: &str, vat: &str) -> serde_json::Value {
    serde_json::json!({
        "relationIdentificationServiceData": {"externalRelationId": 0},
        "name": name, "client": true, "supplier": false, "vatNr": vat, "vatType": 1,
        "country": "BE", "currencyCode": "EUR", "active": true
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_case_03_a_customer_already_in_octopus_is_linked_by_vat_number() {
    let dir = TestDir::new("fc03");
    let (stack, _) = helpers::start(&dir, 60).await;
    let (customer_id, vat) = debtor_with_vat(&dir).await;
    let key = stack
        .sim
        .add_relation(DEMO_DOSSIER, accountant_relation("LEASING FICTIEF", &vat))
        .unwrap();

    let report = helpers::export(&stack, &[]).await;
    assert_eq!(
        report.status,
        "completed",
        "{:?}",
        report.items.iter().find(|i| i.status == "failed")
    );
    let item = report
        .items
        .iter()
        .find(|i| i.kind == "customer" && i.id == customer_id)
        .unwrap();
    assert!(
        item.message
            .contains(&format!("existing Octopus relation {key}")),
        "{}",
        item.message
    );
    let relations = stack.sim.dump(DEMO_DOSSIER)["relations"]
        .as_array()
        .unwrap()
        .clone();
    let same_vat: Vec<_> = relations
        .iter()
        .filter(|r| r["vatNr"] == vat.as_str())
        .collect();
    assert_eq!(same_vat.len(), 1, "linked, not duplicated");
    assert_eq!(
        same_vat[0]["relationIdentificationServiceData"]["externalRelationId"].as_i64(),
        Some(customer_id),
        "our external id is now on the accountant's relation"
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_case_03_two_octopus_relations_with_the_vat_number_are_ambiguous() {
    let dir = TestDir::new("fc03b");
    let (stack, _) = helpers::start(&dir, 60).await;
    let (customer_id, vat) = debtor_with_vat(&dir).await;
    for name in ["Leasing Fictief NV", "Leasing Fictief (oud)"] {
        stack
            .sim
            .add_relation(DEMO_DOSSIER, accountant_relation(name, &vat))
            .unwrap();
    }
    let report = helpers::export(&stack, &[]).await;
    let item = report
        .items
        .iter()
        .find(|i| i.kind == "customer" && i.id == customer_id)
        .unwrap();
    assert_eq!(item.status, "failed");
    assert!(item.message.contains("ambiguous match"), "{}", item.message);
    assert!(
        report
            .items
            .iter()
            .filter(
                |i| i.kind == "invoice" && i.message.contains(&format!("customer {customer_id}"))
            )
            .all(|i| i.status == "blocked")
    );
    let relations = stack.sim.dump(DEMO_DOSSIER)["relations"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        relations
            .iter()
            .filter(|r| r["vatNr"] == vat.as_str())
            .count(),
        2,
        "nothing linked or created"
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_case_18_the_daily_booking_cap_defers_the_rest_and_it_completes_the_next_day() {
    let dir = TestDir::new("fc18");
    let (stack, _) = helpers::start(&dir, 60).await;
    stack.sim.set_daily_caps(true);
    stack.sim.set_daily_cap(BOOKINGS, Some(3)).unwrap();
    let first = helpers::export(&stack, &["700"]).await;
    let invoices: Vec<_> = first.items.iter().filter(|i| i.kind == "invoice").collect();
    assert!(invoices.len() > 5);
    assert_eq!(first.invoices.booked, 3);
    assert_eq!(
        first.invoices.deferred as usize,
        invoices.len() - 3,
        "deferred, not failed"
    );
    assert_eq!(first.invoices.failed + first.invoices.blocked, 0);
    let deferred = invoices.iter().find(|i| i.status == "deferred").unwrap();
    assert!(
        deferred.octopus.contains_key("deferred_until"),
        "{deferred:?}"
    );
    // The run is scheduled to resume by itself when the cap resets.
    let ledger = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.0.join("ledger.sqlite").display()
    ))
    .await
    .unwrap();
    let scheduled: Option<String> = sqlx::query("SELECT resume_at FROM runs WHERE run_id = ?")
        .bind(&first.run_id)
        .fetch_one(&ledger)
        .await
        .unwrap()
        .get(0);
    assert!(scheduled.is_some());
    ledger.close().await;

    // The next day on Octopus's clock (with Octopus's own cap of 400 again), the orchestrator
    // sends the rest by itself: nobody presses a button.
    stack.sim.set_daily_cap(BOOKINGS, Some(400)).unwrap();
    stack.sim.advance_clock(Duration::from_secs(24 * 3600));
    let resumed = tokio::time::timeout(Duration::from_secs(60), async {
        while stack.sim.bookings_count(DEMO_DOSSIER) < invoices.len() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        resumed.is_ok(),
        "the deferred invoices went out after Octopus's midnight"
    );
    // And an export pressed afterwards (once the resumed run lets go of the dossier) finds them
    // all booked.
    let second = octopus_export::run_cmd::start_export(
        &stack.addresses.orchestrator,
        ox_proto::orchestrator::v1::StartExportRequest {
            tenant_id: "demo".into(),
            location_name: "Bodyshop A".into(),
            journal_codes: vec!["700".into()],
            wait_if_busy: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(second.status, "completed");
    assert_eq!(second.invoices.booked, 0);
    assert_eq!(second.invoices.already_booked as usize, invoices.len());
    booked_once(&stack, invoices.len());
    stack.stop().await.unwrap();
}
