//! Flawed PlanManager data is reported per record, in words, and never stops the stream; the same
//! flaws read the same on SQLite and MariaDB.

use ox_proto::planmanager::v1::{
    InvoiceFilter, ListJournalsRequest, StreamCustomersRequest, stream_customers_response,
};

use crate::helpers::{Backend, TestDb, both_backends, location, spawn_app};

both_backends!(
    every_bad_invoice_is_a_problem_and_the_rest_stream,
    journals_and_customers_with_flaws_are_reported,
);

pub const TEXT: &str = "Zoë Ærø-Weiß é ç ß 😀 \"quoted\" & <tag> Ελληνικά 日本";

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
  (12, 1, 6, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.01', 'final'),
  (13, 1, 10, '0000-00-00', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final'),
  (14, 1, 8, '2025-02-14', 1, 'invoice', 'EUR', '100.00', '21.00', '121.00', 'final');
UPDATE invoices SET due_date = '0000-00-00' WHERE id = 14;
INSERT INTO invoice_lines (invoice_id, seq, description, quantity, unit_price, discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account)
SELECT id, 1, 'TEXT', '1', '100.00', '0', '100.00', '21', '21.00', 'standard', 700000 FROM invoices WHERE id NOT IN (1, 2, 5);
INSERT INTO invoice_lines (invoice_id, seq, description, quantity, unit_price, discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account)
VALUES (1, 2, 'Spuitwerk', '1', '60.00', '0', '60.00', '21', '12.60', 'standard', 700200), (1, 1, 'TEXT', '2', '20.00', '0', '40.00', '21', '8.40', 'standard', 700000);
INSERT INTO invoice_lines (invoice_id, seq, description, quantity, unit_price, discount_pct, amount_excl, vat_rate, vat_amount, vat_regime, gl_account)
VALUES (5, 1, 'Uitdeuken', '1', '100.00', '0', 'abc', '21', '21.00', 'standard', 700000);
"#;

/// MariaDB's typed columns refuse `'x10'` in a BIGINT and `'abc'` in a DECIMAL, but PlanManager's
/// real tables or the views the reader is pointed at may well hold text there: these two columns
/// become text on MariaDB so the same flawed rows can be planted. (SQLite stores them as given.)
const LOOSEN_MARIADB: &str = "
ALTER TABLE invoices MODIFY number VARCHAR(20);
ALTER TABLE invoice_lines MODIFY amount_excl VARCHAR(20);
";

pub async fn flawed_database(backend: Backend) -> TestDb {
    let db = TestDb::new(backend).await;
    ox_planmanager_reader::migrate(&db.url).await.unwrap();
    let pool = db.pool().await;
    if backend == Backend::MariaDb {
        pool.script(LOOSEN_MARIADB).await;
    }
    pool.script(&FIXTURE.replace("TEXT", &TEXT.replace('\'', "''")))
        .await;
    pool.close().await;
    db
}

async fn every_bad_invoice_is_a_problem_and_the_rest_stream(backend: Backend) {
    let db = flawed_database(backend).await;
    let mut app = spawn_app(&db.url).await;
    let filter = InvoiceFilter {
        journal_codes: vec!["V1".into()],
        ..location("Garage Ω")
    };
    let (invoices, problems) = app.invoices(filter).await;

    let ok: Vec<i64> = invoices.iter().map(|i| i.id).collect();
    assert_eq!(
        ok,
        [1, 7, 14, 11],
        "the good ones, in number order; the draft is left out"
    );
    let first = &invoices[0];
    let seqs: Vec<i32> = first.lines.iter().map(|l| l.seq).collect();
    assert_eq!(seqs, [1, 2], "lines in seq order, whatever their ids");
    assert_eq!(
        first.lines[0].description, TEXT,
        "text passes through unchanged"
    );
    let line = &first.lines[0];
    assert_eq!(
        (
            line.quantity.as_str(),
            line.unit_price.as_str(),
            line.vat_rate.as_str(),
            line.vat_amount.as_str()
        ),
        ("2", "20.00", "21", "8.40"),
        "canonical amounts on every backend"
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
    assert_eq!(
        invoices[2].due_date, "",
        "a zero due date is no due date (the payment term applies)"
    );
    assert_eq!(invoices[3].kind, 2);

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
    assert_eq!(problems.len(), 9, "{problems:?}");
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
    assert_eq!(
        message(13),
        "date is the zero date 0000-00-00",
        "MariaDB's zero date is no date"
    );
    app.stop().await;
}

async fn journals_and_customers_with_flaws_are_reported(backend: Backend) {
    let db = flawed_database(backend).await;
    let mut app = spawn_app(&db.url).await;
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
    assert_eq!(invoices.len(), 4);

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
