//! Flawed PlanManager data is reported per record, in words, and never stops the stream.

use ox_proto::planmanager::v1::{
    InvoiceFilter, ListJournalsRequest, StreamCustomersRequest, stream_customers_response,
};

use crate::helpers::{TempDir, location, pool, spawn_app};

const TEXT: &str = "Zoë Ærø-Weiß é ç ß 😀 \"quoted\" & <tag> Ελληνικά 日本";

/// One location, journals with an empty and a duplicated code, and invoices with every flaw.
const FIXTURE: &str = r#"
INSERT INTO locations (id, name) VALUES (1, 'Garage Ω');
INSERT INTO journals (id, code, name, location_id, kind, last_number) VALUES
  (1, 'V1', 'Verkoop', 1, 'sale', 10),
  (2, '', 'Zonder code', 1, 'sale', 5),
  (3, 'DUP', 'Dubbel een', 1, 'sale', 5),
  (4, 'DUP', 'Dubbel twee', NULL, 'sale', 5);
INSERT INTO payment_terms (id, name, days, end_of_month) VALUES (1, '30 dagen einde maand', 30, 1);
INSERT INTO customers (id, kind, name, payment_term_id) VALUES (1, 'person', 'TEXT', 1), (2, 'alien', 'X', 1);
INSERT INTO invoices (id, journal_id, number, date, customer_id, kind, currency, total_excl, total_vat, total_incl, status) VALUES
  (1, 1, 1, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (2, 1, 2, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (3, 1, 3, '2025-02-14', 1, 'invoice', 'EUR', '100.01', '21.00', '121.01', 'final'),
  (4, 1, 4, '2025-02-14', 1, 'invoice', 'EUR', '100.00', NULL, '121.00', 'final'),
  (5, 1, 5, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (6, 1, 3000000000, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (7, 1, 7, '2025-02-14', 99, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (8, 1, 8, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'draft'),
  (9, 1, 0, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (10, 1, 'x10', '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (11, 1, 9, '2025-02-14', 1, 'credit_note', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (12, 1, 6, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.01', 'final');
INSERT INTO invoice_lines (invoice_id, seq, description, quantity, unit_price, discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account)
SELECT id, 1, 'TEXT', '1', '100.00', '0', '100.00', '21', '21.00', 'standard', 700000 FROM invoices WHERE id NOT IN (2, 5);
INSERT INTO invoice_lines (invoice_id, seq, description, quantity, unit_price, discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account)
VALUES (5, 1, 'Uitdeuken', '1', '100.00', '0', 'abc', '21', '21.00', 'standard', 700000);
"#;

async fn flawed_database(dir: &TempDir) -> String {
    let url = dir.url("flawed.sqlite");
    ox_planmanager_reader::migrate(&url).await.unwrap();
    let pool = pool(&url).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(
        FIXTURE.replace("TEXT", &TEXT.replace('\'', "''")),
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    url
}

#[tokio::test]
async fn every_bad_invoice_is_a_problem_and_the_rest_stream() {
    let dir = TempDir::new();
    let url = flawed_database(&dir).await;
    let mut app = spawn_app(&url).await;
    let filter = InvoiceFilter {
        journal_codes: vec!["V1".into()],
        ..location("Garage Ω")
    };
    let (invoices, problems) = app.invoices(filter).await;

    let ok: Vec<i64> = invoices.iter().map(|i| i.id).collect();
    assert_eq!(
        ok,
        [1, 7, 11],
        "the good ones, in number order; the draft is left out"
    );
    let first = &invoices[0];
    assert_eq!(
        first.lines[0].description, TEXT,
        "text passes through unchanged"
    );
    assert_eq!(
        (first.total_incl.as_str(), first.payment_term_days),
        ("121.00", 30)
    );
    assert!(first.payment_term_end_of_month);
    assert_eq!(
        invoices[1].customer_id, 99,
        "a missing customer is not the invoice's problem"
    );
    assert_eq!((invoices[1].payment_term_days, invoices[1].kind), (0, 1));
    assert_eq!(invoices[2].kind, 2);

    let message = |id: i64| {
        let problem = problems
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no problem for {id}: {problems:?}"));
        assert_eq!(
            (problem.kind.as_str(), problem.journal_code.as_str()),
            ("invoice", "V1")
        );
        problem.message.clone()
    };
    assert_eq!(problems.len(), 8, "{problems:?}");
    assert_eq!(message(2), "the invoice has no lines");
    let totals = message(3);
    assert!(
        totals.contains("100.00") && totals.contains("100.01"),
        "{totals}"
    );
    assert!(message(4).contains("total_vat is empty"));
    assert!(message(5).contains("line 1: amount_excl is not an amount: \"abc\""));
    assert!(message(6).contains("3000000000 is too big"));
    assert_eq!(
        problems.iter().find(|p| p.id == 6).unwrap().number,
        3_000_000_000
    );
    assert!(message(9).contains("not a positive"));
    assert!(message(10).contains("number is not a whole number: \"x10\""));
    let incl = message(12);
    assert!(incl.contains("121.00") && incl.contains("121.01"), "{incl}");
    app.stop().await;
}

#[tokio::test]
async fn journals_and_customers_with_flaws_are_reported() {
    let dir = TempDir::new();
    let url = flawed_database(&dir).await;
    let mut app = spawn_app(&url).await;
    let list = app
        .client
        .list_journals(ListJournalsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.journals.len(), 4, "flawed journals are still listed");
    let flagged: Vec<i64> = list.problems.iter().map(|p| p.id).collect();
    assert_eq!(flagged, [2, 3, 4]);
    assert!(list.problems[0].message.contains("has no code"));
    assert!(list.problems[1].message.contains("used by 2 journals"));

    // "Selecteer alles" streams the empty-code journal's invoices too (none here), and works.
    let (invoices, _) = app.invoices(location("Garage Ω")).await;
    assert_eq!(invoices.len(), 3);

    let request = StreamCustomersRequest {
        ids: vec![1, 2, 42],
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
    let stream_customers_response::Item::Customer(person) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(person.name, TEXT);
    let stream_customers_response::Item::Problem(alien) = &items[1] else {
        panic!("{items:?}")
    };
    assert!(
        alien.message.contains("\"alien\" is not one of"),
        "{}",
        alien.message
    );
    let stream_customers_response::Item::Problem(missing) = &items[2] else {
        panic!("{items:?}")
    };
    assert_eq!(missing.message, "customer 42 does not exist in PlanManager");
    app.stop().await;
}
