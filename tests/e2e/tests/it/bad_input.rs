//! Bad input ends as per-item outcomes a bookkeeper understands, never as a crash.

use sqlx::Row as _;

use octopus_export::provision::DEMO_DOSSIER;

use crate::helpers::{self, TestDir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_journal_rejects_the_run_and_sends_nothing() {
    let dir = TestDir::new("unknown-journal");
    let (stack, _) = helpers::start(&dir, 40).await;
    let report = helpers::export(&stack, &["700", "NOPE"]).await;
    assert_eq!(report.status, "rejected");
    let journal = report.items.iter().find(|i| i.kind == "journal").unwrap();
    assert_eq!(journal.journal, "NOPE");
    assert!(
        journal.message.contains("does not exist"),
        "{}",
        journal.message
    );
    assert!(
        !report
            .octopus_calls
            .contains_key("POST /dossiers/{dossierId}/buysellbookings")
    );
    assert!(
        stack.sim.dump(DEMO_DOSSIER)["buySellBookings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nameless_or_missing_customer_blocks_its_invoices_and_the_later_numbers() {
    let dir = TestDir::new("bad-customers");
    let (stack, _) = helpers::start(&dir, 80).await;
    let pool = helpers::planmanager(&dir).await;
    // Two debtors of journal 700: the first loses its name, the second disappears.
    let rows = sqlx::query(
        "SELECT i.customer_id, MIN(i.number) AS first FROM invoices i JOIN journals j ON j.id = i.journal_id
         WHERE j.code = '700' AND i.status = 'final' GROUP BY i.customer_id ORDER BY first LIMIT 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let nameless: i64 = rows[0].get(0);
    let nameless_first: i64 = rows[0].get(1);
    let missing: i64 = rows[1].get(0);
    sqlx::query("UPDATE customers SET name = '', first_name = '' WHERE id = ?")
        .bind(nameless)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM customers WHERE id = ?")
        .bind(missing)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let report = helpers::export(&stack, &[]).await;
    assert_eq!(report.status, "completed_with_errors");
    let customer = |id: i64| {
        report
            .items
            .iter()
            .find(|i| i.kind == "customer" && i.id == id)
            .unwrap()
    };
    assert_eq!(customer(nameless).status, "failed");
    assert!(
        customer(nameless).message.contains("name"),
        "{}",
        customer(nameless).message
    );
    assert_eq!(customer(missing).status, "failed");
    assert!(
        customer(missing).message.contains("does not exist"),
        "{}",
        customer(missing).message
    );

    let invoices_700: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.kind == "invoice" && i.journal == "700")
        .collect();
    let first_blocked = invoices_700
        .iter()
        .find(|i| i.number == nameless_first)
        .unwrap();
    assert_eq!(first_blocked.status, "blocked");
    assert!(
        first_blocked
            .message
            .contains(&format!("customer {nameless}")),
        "{}",
        first_blocked.message
    );
    // Octopus numbers without gaps: everything after the first blocked number waits.
    for item in invoices_700.iter().filter(|i| i.number > nameless_first) {
        assert_eq!(item.status, "blocked", "{} {}", item.number, item.message);
    }
    for item in invoices_700.iter().filter(|i| i.number < nameless_first) {
        assert_eq!(item.status, "booked", "{} {}", item.number, item.message);
    }
    // Other journals carry on.
    assert!(
        report
            .items
            .iter()
            .any(|i| i.kind == "invoice" && i.journal != "700" && i.status == "booked")
    );
    stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_final_invoice_without_number_fails_alone_and_twin_numbers_are_named() {
    let dir = TestDir::new("numbers");
    let (stack, _) = helpers::start(&dir, 80).await;
    let pool = helpers::planmanager(&dir).await;
    // The last invoice of journal 700 loses its number; two early ones end up with the same.
    let no_number: i64 = sqlx::query(
        "SELECT i.id FROM invoices i JOIN journals j ON j.id = i.journal_id
         WHERE j.code = '700' AND i.status = 'final' ORDER BY i.number DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap()
    .get(0);
    let row = sqlx::query(
        "SELECT i.id, i.number, i.journal_id FROM invoices i JOIN journals j ON j.id = i.journal_id
         WHERE j.code = '700' AND i.status = 'final' ORDER BY i.number LIMIT 1 OFFSET 3",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let twin_number: i64 = row.get(1);
    let journal_id: i64 = row.get(2);
    sqlx::query("UPDATE invoices SET number = NULL WHERE id = ?")
        .bind(no_number)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE invoices SET number = ? WHERE journal_id = ? AND number = ?")
        .bind(twin_number)
        .bind(journal_id)
        .bind(twin_number + 1)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let report = helpers::export(&stack, &["700"]).await;
    let item = |id: i64| {
        report
            .items
            .iter()
            .find(|i| i.kind == "invoice" && i.id == id)
            .unwrap()
    };
    assert_eq!(item(no_number).status, "failed");
    // Numbers before the twins are booked: the number-less invoice holds nothing up.
    let before: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.kind == "invoice" && i.number > 0 && i.number < twin_number)
        .collect();
    assert!(!before.is_empty());
    assert!(before.iter().all(|i| i.status == "booked"), "{before:?}");
    let twins: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.kind == "invoice" && i.number == twin_number)
        .collect();
    assert_eq!(twins.len(), 2);
    for twin in twins {
        assert_eq!(twin.status, "failed");
        assert!(
            twin.message
                .contains(&format!("2 final invoices numbered {twin_number}")),
            "{}",
            twin.message
        );
    }
    stack.stop().await.unwrap();
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_octopus_state_is_noticed_and_the_invoices_are_booked_again() {
    let dir = TestDir::new("lost-octopus");
    let (stack, provisioned) = helpers::start(&dir, 40).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    let first = helpers::export(&stack, &[]).await;
    assert_eq!(first.invoices.booked as usize, total);
    octopus_export::demo::save_sim(&stack).unwrap();
    stack.stop().await.unwrap();

    // Octopus comes back empty (its state is gone); the ledger still says everything is booked.
    std::fs::remove_file(dir.0.join("octopus-sim-state.json")).unwrap();
    let (stack, _) = helpers::start(&dir, 40).await;
    let second = helpers::export(&stack, &[]).await;
    assert_eq!(
        second.status,
        "completed",
        "{:?}",
        second.items.iter().find(|i| i.status == "failed")
    );
    assert_eq!(
        second.invoices.booked as usize, total,
        "booked again, not trusted blindly"
    );
    assert!(
        second
            .items
            .iter()
            .filter(|i| i.kind == "invoice")
            .all(|i| i
                .warnings
                .iter()
                .any(|w| w.contains("the ledger said booked")))
    );
    assert_eq!(stack.sim.bookings_count(DEMO_DOSSIER), total);
    stack.stop().await.unwrap();
}
