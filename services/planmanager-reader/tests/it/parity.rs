//! SQLite and MariaDB serve exactly the same: the same sample seeded into both streams identical
//! messages (amount strings included), and the same flawed rows give identical problems.

use ox_proto::planmanager::v1::{
    InvoiceFilter, ListGlAccountsRequest, ListJournalsRequest, ListLocationsRequest,
    MarkExportedRequest, StreamCustomersRequest, StreamCustomersResponse,
};

use crate::bad_data::flawed_database;
use crate::helpers::{Backend, TestApp, TestDb, location, spawn_app};

/// Everything a client can read from one service, for comparison.
#[derive(Debug, PartialEq)]
struct Everything {
    locations: Vec<String>,
    journals: String,
    accounts: String,
    invoices: Vec<String>,
    customers: Vec<StreamCustomersResponse>,
}

async fn customers(app: &mut TestApp, ids: Vec<i64>) -> Vec<StreamCustomersResponse> {
    let mut stream = app
        .client
        .stream_customers(StreamCustomersRequest { ids })
        .await
        .unwrap()
        .into_inner();
    let mut items = Vec::new();
    while let Some(item) = stream.message().await.unwrap() {
        items.push(item);
    }
    items
}

/// `by_id`: compare invoices and problems by id rather than in stream order (the flawed fixture's
/// `number` column is text on MariaDB, where '10' sorts before '2').
async fn read_everything(
    app: &mut TestApp,
    filters: &[InvoiceFilter],
    ids: Vec<i64>,
    by_id: bool,
) -> Everything {
    let locations = app
        .client
        .list_locations(ListLocationsRequest {})
        .await
        .unwrap()
        .into_inner()
        .locations
        .into_iter()
        .map(|l| format!("{l:?}"))
        .collect();
    let journals = app
        .client
        .list_journals(ListJournalsRequest::default())
        .await
        .unwrap()
        .into_inner();
    let accounts = app
        .client
        .list_gl_accounts(ListGlAccountsRequest {})
        .await
        .unwrap()
        .into_inner();
    let mut invoices = Vec::new();
    for filter in filters {
        let (mut found, mut problems) = app.invoices(filter.clone()).await;
        if by_id {
            found.sort_by_key(|invoice| invoice.id);
            problems.sort_by_key(|problem| problem.id);
        }
        invoices.push(format!("{filter:?} → {found:?} / {problems:?}"));
    }
    Everything {
        locations,
        journals: format!("{journals:?}"),
        accounts: format!("{accounts:?}"),
        invoices,
        customers: customers(app, ids).await,
    }
}

#[tokio::test]
async fn the_sample_reads_the_same_on_sqlite_and_mariadb() {
    let (sqlite, summary) = TestDb::seeded(Backend::Sqlite, 250).await;
    let (mariadb, same) = TestDb::seeded(Backend::MariaDb, 250).await;
    assert_eq!(summary.journals, same.journals);
    assert_eq!(summary.lines, same.lines);
    let filters = [
        InvoiceFilter {
            include_exported: true,
            ..Default::default()
        },
        location("Bodyshop A"),
        InvoiceFilter {
            date_from: "2025-03-01".into(),
            date_to: "2025-05-31".into(),
            number_from: Some(1_526_000),
            journal_codes: vec!["JVCA2".into(), "JVCC1".into()],
            ..location("Bodyshop A")
        },
    ];
    let ids: Vec<i64> = (0..=summary.customers as i64 + 1).collect();
    let mut apps = [spawn_app(&sqlite.url).await, spawn_app(&mariadb.url).await];
    let mut seen = Vec::new();
    for app in &mut apps {
        let everything = read_everything(app, &filters, ids.clone(), false).await;
        let marked = app
            .client
            .mark_exported(MarkExportedRequest {
                invoice_ids: vec![3, 5, 8, 13, 99_999],
                run_id: "run-parity".into(),
            })
            .await
            .unwrap()
            .into_inner()
            .marked;
        let after = app.invoices(filters[0].clone()).await;
        seen.push((everything, marked, format!("{after:?}")));
    }
    let (first, second) = (&seen[0], &seen[1]);
    assert!(
        first.0.invoices[0].contains("lines"),
        "{:?}",
        first.0.invoices
    );
    assert_eq!(first.0.customers.len(), ids.len());
    assert!(first.1 >= 3, "marked {}", first.1);
    assert_eq!(first.0.locations, second.0.locations);
    assert_eq!(first.0.journals, second.0.journals);
    assert_eq!(first.0.accounts, second.0.accounts);
    for (sqlite, mariadb) in first.0.invoices.iter().zip(&second.0.invoices) {
        assert_eq!(sqlite, mariadb);
    }
    assert_eq!(first.0.customers, second.0.customers);
    assert_eq!((first.1, &first.2), (second.1, &second.2));
    for app in apps {
        app.stop().await;
    }
}

#[tokio::test]
async fn flawed_rows_are_reported_the_same_on_sqlite_and_mariadb() {
    let sqlite = flawed_database(Backend::Sqlite).await;
    let mariadb = flawed_database(Backend::MariaDb).await;
    let filters = [
        InvoiceFilter {
            journal_codes: vec!["V1".into()],
            ..location("Garage Ω")
        },
        location("Garage Ω"),
        InvoiceFilter {
            include_exported: true,
            ..Default::default()
        },
    ];
    let mut seen = Vec::new();
    for url in [&sqlite.url, &mariadb.url] {
        let mut app = spawn_app(url).await;
        seen.push(read_everything(&mut app, &filters, vec![1, 2, 42], true).await);
        app.stop().await;
    }
    assert!(
        seen[0].invoices[0].contains("0000-00-00"),
        "{:?}",
        seen[0].invoices
    );
    assert_eq!(seen[0], seen[1]);
}
