//! Runs as the orchestrator's contract (invariants I1, I3, I6): dry runs, the per-dossier lease,
//! re-queue, reruns after a partial failure, and changes made in PlanManager after an export.

use ox_proto::orchestrator::v1::export_orchestrator_client::ExportOrchestratorClient;
use ox_proto::orchestrator::v1::{
    ListRunsRequest, RequeueRequest, StartExportRequest, WatchRunRequest,
};
use sqlx::Row as _;

use octopus_export::provision::DEMO_DOSSIER;

use crate::helpers::{self, TestDir};

const BOOKINGS: &str = "POST /dossiers/{dossierId}/buysellbookings";

fn request(journals: &[&str]) -> StartExportRequest {
    StartExportRequest {
        tenant_id: "demo".into(),
        location_name: "Bodyshop A".into(),
        journal_codes: journals.iter().map(|j| (*j).to_owned()).collect(),
        ..StartExportRequest::default()
    }
}

fn bookings(stack: &octopus_export::stack::EmbeddedStack) -> usize {
    stack.sim.dump(DEMO_DOSSIER)["buySellBookings"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_reports_everything_and_leaves_octopus_untouched() {
    let dir = TestDir::new("dry-run");
    let (stack, _) = helpers::start(&dir, 60).await;
    let calls_before = stack.sim.call_counts();
    let report = octopus_export::run_cmd::start_export(
        &stack.addresses.orchestrator,
        StartExportRequest {
            dry_run: true,
            ..request(&[])
        },
    )
    .await
    .unwrap();
    assert!(report.dry_run);
    assert_eq!(report.status, "completed");
    assert!(report.invoices.would_book > 0);
    assert_eq!(report.invoices.booked, 0);
    assert!(report.customers.would_export > 0);
    let item = report
        .items
        .iter()
        .find(|i| i.status == "would_book")
        .unwrap();
    assert!(item.octopus.contains_key("amount"), "{item:?}");
    // Only reads reached Octopus; nothing was written, and the ledger still says nothing is booked.
    assert_eq!(bookings(&stack), 0);
    assert!(
        stack.sim.dump(DEMO_DOSSIER)["relations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let calls_after = stack.sim.call_counts();
    assert_eq!(calls_after.get(BOOKINGS), calls_before.get(BOOKINGS));

    let real = helpers::export(&stack, &[]).await;
    assert_eq!(real.invoices.booked, report.invoices.would_book);
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_dossier_refuses_or_makes_the_second_run_wait() {
    let dir = TestDir::new("busy");
    let (stack, _) = helpers::start(&dir, 40).await;
    // Another orchestrator process holds the dossier's lease (as it would mid-run).
    let ledger_url = format!("sqlite://{}", dir.0.join("ledger.sqlite").display());
    let ledger = sqlx::SqlitePool::connect(&ledger_url).await.unwrap();
    sqlx::query("INSERT INTO dossier_locks (dossier_id, run_id, expires_at) VALUES (?, 'other-run', '2999-01-01T00:00:00.000000Z')")
        .bind(DEMO_DOSSIER)
        .execute(&ledger)
        .await
        .unwrap();

    let mut client =
        ExportOrchestratorClient::new(ox_kit::channel(&stack.addresses.orchestrator).unwrap());
    let refused = client.start_export(request(&[])).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);
    assert!(
        refused.message().contains("busy with export run other-run"),
        "{}",
        refused.message()
    );
    assert_eq!(bookings(&stack), 0);

    // A caller that chooses to wait gets its run once the holder lets go.
    let waiting = {
        let mut client = client.clone();
        tokio::spawn(async move {
            client
                .start_export(StartExportRequest {
                    wait_if_busy: true,
                    ..request(&[])
                })
                .await
        })
    };
    tokio::task::yield_now().await;
    assert_eq!(bookings(&stack), 0, "nothing runs while the lease is held");
    sqlx::query("DELETE FROM dossier_locks WHERE run_id = 'other-run'")
        .execute(&ledger)
        .await
        .unwrap();
    let report = waiting.await.unwrap().unwrap().into_inner().report.unwrap();
    assert_eq!(report.status, "completed");
    assert!(report.invoices.unwrap().booked > 0);
    let runs = client
        .list_runs(ListRunsRequest {
            tenant_id: "demo".into(),
            limit: 0,
        })
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.len(), 1, "the refused request left no run behind");
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_run_streams_progress_until_the_end() {
    let dir = TestDir::new("watch");
    let (stack, _) = helpers::start(&dir, 60).await;
    let mut client =
        ExportOrchestratorClient::new(ox_kit::channel(&stack.addresses.orchestrator).unwrap());
    let started = client
        .start_export(StartExportRequest {
            detach: true,
            ..request(&[])
        })
        .await
        .unwrap()
        .into_inner()
        .report
        .unwrap();
    assert_eq!(started.status, "running");
    let mut events = client
        .watch_run(WatchRunRequest {
            run_id: started.run_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut last = None;
    while let Some(event) = events.message().await.unwrap() {
        last = Some(event);
    }
    let last = last.expect("at least the final event");
    assert_eq!(last.status, "completed");
    assert_eq!(last.phase, "done");
    let invoices = last.invoices.unwrap();
    assert_eq!(invoices.booked as usize, bookings(&stack));
    assert_eq!(last.invoices_total, invoices.booked);
    // Watching a finished run gives its final state at once.
    let mut again = client
        .watch_run(WatchRunRequest {
            run_id: started.run_id,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.message().await.unwrap().unwrap().status, "completed");
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requeued_invoice_that_octopus_holds_is_already_booked_never_duplicated() {
    let dir = TestDir::new("requeue");
    let (stack, _) = helpers::start(&dir, 60).await;
    let first = helpers::export(&stack, &[]).await;
    let booked = bookings(&stack);
    assert_eq!(first.invoices.booked as usize, booked);

    let mut client =
        ExportOrchestratorClient::new(ox_kit::channel(&stack.addresses.orchestrator).unwrap());
    let requeued = client
        .requeue(RequeueRequest {
            tenant_id: "demo".into(),
            location_name: "Bodyshop A".into(),
            journal_codes: vec!["700".into()],
            ..RequeueRequest::default()
        })
        .await
        .unwrap()
        .into_inner();
    let in_700 = first
        .items
        .iter()
        .filter(|i| i.kind == "invoice" && i.journal == "700")
        .count();
    assert_eq!(requeued.flags_cleared as usize, in_700);
    assert_eq!(requeued.ledger_requeued as usize, in_700);

    let second = helpers::export(&stack, &[]).await;
    assert_eq!(
        second.status,
        "completed",
        "{:?}",
        second
            .items
            .iter()
            .find(|i| i.status != "already_booked" && i.kind == "invoice")
    );
    assert_eq!(second.invoices.booked, 0);
    assert_eq!(second.invoices.already_booked as usize, booked);
    // The re-queued ones were checked with Octopus (one POST each, refused as already there).
    assert_eq!(
        second.octopus_calls.get(BOOKINGS).copied().unwrap_or(0) as usize,
        in_700
    );
    assert_eq!(
        bookings(&stack),
        booked,
        "Octopus holds each invoice once (I1)"
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_after_a_partial_failure_books_only_what_is_missing() {
    // Field case 19: one invoice fails (unmapped VAT rate), the run goes on; after the fix the
    // rerun books that invoice and the ones that waited for it, and nothing twice.
    let dir = TestDir::new("partial");
    let (stack, _) = helpers::start(&dir, 80).await;
    let pool = helpers::planmanager(&dir).await;
    let row = sqlx::query(
        "SELECT i.id, i.number FROM invoices i JOIN journals j ON j.id = i.journal_id
         WHERE j.code = '700' AND i.status = 'final' ORDER BY i.number LIMIT 1 OFFSET 5",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (broken_id, broken_number): (i64, i64) = (row.get(0), row.get(1));
    let rate: String =
        sqlx::query("SELECT vat_rate FROM invoice_lines WHERE invoice_id = ? ORDER BY seq LIMIT 1")
            .bind(broken_id)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
    sqlx::query("UPDATE invoice_lines SET vat_rate = '7' WHERE invoice_id = ?")
        .bind(broken_id)
        .execute(&pool)
        .await
        .unwrap();

    let first = helpers::export(&stack, &[]).await;
    assert_eq!(first.status, "completed_with_errors");
    let broken = first
        .items
        .iter()
        .find(|i| i.kind == "invoice" && i.id == broken_id)
        .unwrap();
    assert_eq!(broken.status, "failed");
    assert!(broken.message.contains("7"), "{}", broken.message);
    let waiting: Vec<_> = first
        .items
        .iter()
        .filter(|i| i.kind == "invoice" && i.journal == "700" && i.number > broken_number)
        .collect();
    assert!(!waiting.is_empty());
    assert!(waiting.iter().all(|i| {
        i.status == "blocked"
            && i.message
                .contains(&format!("waiting for invoice {broken_number}"))
    }));
    let booked_first = bookings(&stack);

    sqlx::query("UPDATE invoice_lines SET vat_rate = ? WHERE invoice_id = ?")
        .bind(&rate)
        .bind(broken_id)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let second = helpers::export(&stack, &[]).await;
    assert_eq!(second.status, "completed");
    assert_eq!(second.invoices.booked as usize, 1 + waiting.len());
    assert_eq!(second.invoices.already_booked as usize, booked_first);
    assert_eq!(bookings(&stack), booked_first + 1 + waiting.len());
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_after_an_export_update_the_relation_but_never_resend_a_booking() {
    // Field case 4 and design §3: a changed customer is updated before its next booking; an
    // invoice changed after booking is flagged for a credit note, not re-sent.
    let dir = TestDir::new("edits");
    let (stack, _) = helpers::start(&dir, 60).await;
    let first = helpers::export(&stack, &[]).await;
    let invoice = first
        .items
        .iter()
        .find(|i| i.kind == "invoice" && i.status == "booked")
        .unwrap()
        .clone();
    let pool = helpers::planmanager(&dir).await;
    let customer_id: i64 = sqlx::query("SELECT customer_id FROM invoices WHERE id = ?")
        .bind(invoice.id)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    sqlx::query("UPDATE customers SET city = 'Sint-Niklaas', postal_code = '9100' WHERE id = ?")
        .bind(customer_id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE invoices SET structured_reference = '+++000/0000/00097+++' WHERE id = ?")
        .bind(invoice.id)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let second = helpers::export(&stack, &[]).await;
    let customer = second
        .items
        .iter()
        .find(|i| i.kind == "customer" && i.id == customer_id)
        .unwrap();
    assert_eq!(customer.status, "exported", "{customer:?}");
    assert!(customer.message.contains("updated"), "{}", customer.message);
    assert_eq!(
        second.customers.exported, 1,
        "only the edited customer costs a call"
    );
    let relation = stack.sim.dump(DEMO_DOSSIER)["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["relationIdentificationServiceData"]["externalRelationId"].as_i64()
                == Some(customer_id)
        })
        .unwrap()
        .clone();
    assert_eq!(relation["city"], "Sint-Niklaas");

    let edited = second
        .items
        .iter()
        .find(|i| i.kind == "invoice" && i.id == invoice.id)
        .unwrap();
    assert_eq!(edited.status, "already_booked");
    assert!(
        edited
            .warnings
            .iter()
            .any(|w| w.contains("changed after booking")),
        "{edited:?}"
    );
    assert!(!second.octopus_calls.contains_key(BOOKINGS));
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_accounts_creates_only_the_gl_accounts_octopus_lacks() {
    let dir = TestDir::new("accounts");
    let (stack, _) = helpers::start(&dir, 20).await;
    let pool = helpers::planmanager(&dir).await;
    sqlx::query("INSERT INTO gl_accounts (number, description_nl, description_fr) VALUES (701500, 'Verkoop ruitherstel', 'Ventes pare-brise')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let accounts = |dry_run: bool| StartExportRequest {
        what: ox_proto::orchestrator::v1::ExportWhat::Accounts as i32,
        dry_run,
        ..request(&[])
    };
    let puts = "PUT /dossiers/{dossierId}/accounts";

    let dry = octopus_export::run_cmd::start_export(&stack.addresses.orchestrator, accounts(true))
        .await
        .unwrap();
    let would: Vec<_> = dry
        .items
        .iter()
        .filter(|i| i.status == "would_export")
        .collect();
    assert_eq!(would.len(), 1);
    assert_eq!(would[0].id, 701500);
    assert!(!stack.sim.call_counts().contains_key(puts));

    let real =
        octopus_export::run_cmd::start_export(&stack.addresses.orchestrator, accounts(false))
            .await
            .unwrap();
    assert_eq!(real.status, "completed");
    let exported: Vec<_> = real
        .items
        .iter()
        .filter(|i| i.status == "exported")
        .collect();
    assert_eq!(exported.len(), 1, "only the new account costs a call");
    assert_eq!(exported[0].id, 701500);
    assert!(
        real.items
            .iter()
            .filter(|i| i.id != 701500)
            .all(|i| i.status == "unchanged")
    );
    assert_eq!(stack.sim.call_counts()[puts], 1);
    stack.stop().await.unwrap();
}
