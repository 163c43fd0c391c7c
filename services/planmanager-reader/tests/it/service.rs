//! The gRPC service over a real socket on a seeded sample: listings, filters, order, flags.

use ox_planmanager_reader::{Application, ReaderError, Settings};
use ox_proto::planmanager::v1::{
    InvoiceFilter, ListGlAccountsRequest, ListJournalsRequest, ListLocationsRequest,
    MarkExportedRequest, RequeueRequest, StreamCustomersRequest, StreamInvoicesRequest,
    stream_customers_response,
};

use crate::helpers::{Backend, TestDb, both_backends, location, spawn_app};

both_backends!(
    lists_locations_journals_and_accounts,
    streams_a_location_in_journal_and_number_order,
    filters_dates_numbers_and_journals,
    mark_exported_is_idempotent_and_requeue_clears,
    streams_customers_and_reports_missing_ones,
    never_creates_or_migrates_the_planmanager_database,
    a_client_that_stops_reading_does_not_block_the_service,
);

async fn lists_locations_journals_and_accounts(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 250).await;
    let mut app = spawn_app(&db.url).await;
    let locations = app
        .client
        .list_locations(ListLocationsRequest {})
        .await
        .unwrap()
        .into_inner();
    let names: Vec<&str> = locations
        .locations
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(names, ["Bodyshop A", "Bodyshop B", "Demo JM"]);

    let all = app
        .client
        .list_journals(ListJournalsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.journals.len(), 11);
    assert_eq!(all.problems.len(), 1, "{:?}", all.problems);
    assert_eq!(all.problems[0].kind, "journal");
    assert_eq!(all.problems[0].id, 3);
    assert!(all.problems[0].message.contains("has no code"));

    let request = ListJournalsRequest {
        location_name: "Bodyshop A".into(),
    };
    let a = app
        .client
        .list_journals(request)
        .await
        .unwrap()
        .into_inner();
    let codes: Vec<&str> = a.journals.iter().map(|j| j.code.as_str()).collect();
    assert_eq!(codes, ["AAN", "AAN CN", "700", "JVCA2"]);
    assert!(a.problems.is_empty());
    let missing = ListJournalsRequest {
        location_name: "Bodyshop Z".into(),
    };
    let status = app.client.list_journals(missing).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);

    let accounts = app
        .client
        .list_gl_accounts(ListGlAccountsRequest {})
        .await
        .unwrap()
        .into_inner();
    let sales = accounts
        .accounts
        .iter()
        .find(|a| a.number == 700_000)
        .unwrap();
    assert_eq!(sales.description_nl, "Omzet carrosserie");
    assert_eq!(sales.description_fr, "Chiffre d'affaires carrosserie");
    app.stop().await;
}

async fn streams_a_location_in_journal_and_number_order(backend: Backend) {
    let (db, summary) = TestDb::seeded(backend, 250).await;
    let mut app = spawn_app(&db.url).await;
    let (invoices, problems) = app.invoices(location("Bodyshop A")).await;
    assert!(
        problems.is_empty(),
        "every Bodyshop A invoice of the sample is valid: {problems:?}"
    );
    let expected = summary
        .locations
        .iter()
        .find(|l| l.name.as_deref() == Some("Bodyshop A"))
        .unwrap();
    assert_eq!(
        invoices.len() as u64,
        expected.invoices,
        "drafts are left out"
    );
    let keys: Vec<(String, i64)> = invoices
        .iter()
        .map(|i| (i.journal_code.clone(), i.number))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        keys.iter()
            .all(|(code, _)| code == "700" || code == "JVCA2")
    );
    for invoice in &invoices {
        assert!(!invoice.lines.is_empty() && !invoice.exported);
        let excl: rust_decimal::Decimal = invoice
            .lines
            .iter()
            .map(|l| l.amount_excl.parse::<rust_decimal::Decimal>().unwrap())
            .sum();
        assert_eq!(excl, invoice.total_excl.parse().unwrap());
        assert!(invoice.kind != 2 || invoice.credited_invoice_id > 0);
    }
    assert!(invoices.iter().any(|i| i.payment_term_days > 0));
    assert!(invoices.iter().any(|i| i.payment_term_end_of_month));

    let drafts: Vec<i64> = db
        .pool()
        .await
        .column("SELECT id FROM invoices WHERE status = 'draft'")
        .await
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    let every = InvoiceFilter {
        include_exported: true,
        ..Default::default()
    };
    let (all, _) = app.invoices(every).await;
    assert!(!drafts.is_empty());
    assert!(all.iter().all(|i| !drafts.contains(&i.id)));
    assert_eq!(all.len() as u64, summary.invoices - summary.drafts);
    app.stop().await;
}

async fn filters_dates_numbers_and_journals(backend: Backend) {
    let (db, summary) = TestDb::seeded(backend, 250).await;
    let mut app = spawn_app(&db.url).await;
    let march = InvoiceFilter {
        date_from: "2025-03-01".into(),
        date_to: "2025-03-31".into(),
        ..location("Bodyshop A")
    };
    let (invoices, _) = app.invoices(march).await;
    assert!(!invoices.is_empty());
    assert!(
        invoices
            .iter()
            .all(|i| i.date.as_str() >= "2025-03-01" && i.date.as_str() <= "2025-03-31")
    );
    let in_march = db
        .pool()
        .await
        .scalar(
            "SELECT COUNT(*) FROM invoices WHERE status = 'final' AND journal_id IN (5, 6) \
             AND date BETWEEN '2025-03-01' AND '2025-03-31'",
        )
        .await;
    assert_eq!(invoices.len() as i64, in_march);

    let journal = summary.journals.iter().find(|j| j.code == "700").unwrap();
    let last = journal.last_number.unwrap();
    let numbers = InvoiceFilter {
        number_from: Some(last - 9),
        number_to: Some(last - 5),
        journal_codes: vec!["700".into()],
        ..location("Bodyshop A")
    };
    let (invoices, _) = app.invoices(numbers).await;
    let got: Vec<i64> = invoices.iter().map(|i| i.number).collect();
    assert_eq!(got, (last - 9..=last - 5).collect::<Vec<_>>());

    let jvca2 = InvoiceFilter {
        journal_codes: vec!["JVCA2".into()],
        ..location("Bodyshop A")
    };
    let (invoices, _) = app.invoices(jvca2).await;
    let expected = summary
        .journals
        .iter()
        .find(|j| j.code == "JVCA2")
        .unwrap()
        .invoices;
    assert_eq!(invoices.len() as u64, expected);
    assert!(invoices.iter().all(|i| i.journal_code == "JVCA2"));

    // A journal without a location may be picked from any location's screen; another's may not.
    let shared = InvoiceFilter {
        journal_codes: vec!["JVCC1".into()],
        ..location("Bodyshop A")
    };
    let (invoices, _) = app.invoices(shared).await;
    assert!(!invoices.is_empty() && invoices.iter().all(|i| i.journal_code == "JVCC1"));
    for (codes, words) in [
        (vec!["JVCB1"], "belongs to Bodyshop B"),
        (vec!["NOPE"], "does not exist"),
    ] {
        let filter = InvoiceFilter {
            journal_codes: codes.iter().map(|c| c.to_string()).collect(),
            ..location("Bodyshop A")
        };
        let status = app
            .client
            .stream_invoices(StreamInvoicesRequest {
                filter: Some(filter),
            })
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(status.message().contains(words), "{}", status.message());
    }
    let bad_date = InvoiceFilter {
        date_from: "1/3/2025".into(),
        ..location("Bodyshop A")
    };
    let status = app
        .client
        .stream_invoices(StreamInvoicesRequest {
            filter: Some(bad_date),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    app.stop().await;
}

async fn mark_exported_is_idempotent_and_requeue_clears(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 250).await;
    let mut app = spawn_app(&db.url).await;
    let (before, _) = app.invoices(location("Bodyshop A")).await;
    // Four of journal 700 and three of JVCA2.
    let in_journal = |code: &str, n: usize| -> Vec<i64> {
        let of_journal = before.iter().filter(|i| i.journal_code == code);
        of_journal.take(n).map(|i| i.id).collect()
    };
    let ids: Vec<i64> = [in_journal("700", 4), in_journal("JVCA2", 3)].concat();
    let mark = |invoice_ids: Vec<i64>| MarkExportedRequest {
        invoice_ids,
        run_id: "run-1".into(),
    };
    let first = app
        .client
        .mark_exported(mark(ids[..5].to_vec()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.marked, 5);
    let again = app
        .client
        .mark_exported(mark(ids[..5].to_vec()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.marked, 0);
    let mixed = app
        .client
        .mark_exported(mark(ids.clone()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(mixed.marked, 2);
    let unknown = app
        .client
        .mark_exported(mark(vec![9_999_999]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(unknown.marked, 0);

    let (pending, _) = app.invoices(location("Bodyshop A")).await;
    assert_eq!(pending.len(), before.len() - 7);
    assert!(pending.iter().all(|i| !ids.contains(&i.id)));
    let everything = InvoiceFilter {
        include_exported: true,
        ..location("Bodyshop A")
    };
    let (all, _) = app.invoices(everything).await;
    assert_eq!(all.len(), before.len());
    assert_eq!(all.iter().filter(|i| i.exported).count(), 7);

    // Requeue only journal 700's: those of JVCA2 stay flagged.
    let in_700 = 4;
    let filter = InvoiceFilter {
        journal_codes: vec!["700".into()],
        ..location("Bodyshop A")
    };
    let requeued = app
        .client
        .requeue(RequeueRequest {
            filter: Some(filter),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(requeued.requeued as usize, in_700);
    let (pending, _) = app.invoices(location("Bodyshop A")).await;
    assert_eq!(pending.len(), before.len() - (7 - in_700));
    app.stop().await;
}

async fn streams_customers_and_reports_missing_ones(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 250).await;
    let mut app = spawn_app(&db.url).await;
    let request = StreamCustomersRequest {
        ids: vec![1, 9_999, 14, 1],
    };
    let mut stream = app
        .client
        .stream_customers(request)
        .await
        .unwrap()
        .into_inner();
    let mut items = Vec::new();
    while let Some(item) = stream.message().await.unwrap() {
        items.push(item.item.unwrap());
    }
    assert_eq!(items.len(), 3, "a repeated id comes once");
    let stream_customers_response::Item::Customer(insurer) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!((insurer.id, insurer.kind), (1, 3));
    assert_eq!(insurer.payment_term_days, 60);
    let stream_customers_response::Item::Problem(missing) = &items[1] else {
        panic!("{items:?}")
    };
    assert_eq!((missing.kind.as_str(), missing.id), ("customer", 9_999));
    assert_eq!(
        missing.message,
        "customer 9999 does not exist in PlanManager"
    );
    let stream_customers_response::Item::Customer(eu) = &items[2] else {
        panic!("{items:?}")
    };
    assert!(eu.vat_number.starts_with("NL"), "{}", eu.vat_number);
    app.stop().await;
}

async fn never_creates_or_migrates_the_planmanager_database(backend: Backend) {
    let db = TestDb::new(backend).await;
    let settings = Settings {
        listen: "127.0.0.1:0".into(),
        database_url: db.url.clone(),
    };
    let error = Application::build(settings).await.err().unwrap();
    assert!(matches!(error, ReaderError::Open { .. }), "{error}");
    assert!(!db.exists().await);

    // An existing database without our schema is served as is, not migrated.
    db.create_empty().await;
    let app = spawn_app(&db.url).await;
    app.stop().await;
    assert_eq!(db.table_count().await, 0);
}

async fn a_client_that_stops_reading_does_not_block_the_service(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 400).await;
    let mut app = spawn_app(&db.url).await;
    let every = InvoiceFilter {
        include_exported: true,
        ..Default::default()
    };
    let request = StreamInvoicesRequest {
        filter: Some(every),
    };
    let mut stream = app
        .client
        .stream_invoices(request)
        .await
        .unwrap()
        .into_inner();
    assert!(stream.message().await.unwrap().is_some());
    drop(stream);
    // The abandoned stream's reader task ends and frees its connection; the service goes on.
    let (invoices, _) = app.invoices(location("Bodyshop B")).await;
    assert!(!invoices.is_empty());
    app.stop().await;
}
