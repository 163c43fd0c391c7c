//! The sample generator: verbatim journals, numbering, dates, credit notes, drafts, VAT numbers,
//! determinism, and refusing to write over existing data.

use std::collections::HashMap;

use ox_domain::vat_number::is_valid_belgian_digits;
use ox_planmanager_reader::ReaderError;

use crate::helpers::{Backend, TestDb, both_backends};

both_backends!(
    journals_are_the_faq_list_verbatim,
    numbering_dates_credit_notes_and_drafts,
    vat_numbers_are_checksum_valid,
    same_seed_same_data_and_no_overwrite,
);

/// PlanManager's FAQ screen "Facturatie → journalen", plus the kind each journal holds.
const FAQ_JOURNALS: &[(&str, &str, Option<&str>, &str, i64)] = &[
    (
        "AAN",
        "Aankoop Onderdelen",
        Some("Bodyshop A"),
        "purchase",
        201706,
    ),
    (
        "AAN CN",
        "Credit nota onderdelen",
        Some("Bodyshop A"),
        "purchase_credit",
        2019001,
    ),
    ("", "INTERN", Some("Demo JM"), "internal", 1),
    ("ICTM", "Intern CN Top Motors", None, "internal", 80001),
    (
        "700",
        "Journal verkoop carrosserie A1",
        Some("Bodyshop A"),
        "sale",
        6125218,
    ),
    (
        "JVCA2",
        "Journal verkoop carrosserie A2",
        Some("Bodyshop A"),
        "sale",
        1526021,
    ),
    (
        "JVCB1",
        "Journal verkoop carrosserie B1",
        Some("Bodyshop B"),
        "sale",
        2210006,
    ),
    (
        "JVCB2",
        "Journal verkoop carrosserie B2",
        Some("Bodyshop B"),
        "sale",
        19,
    ),
    (
        "JVCC1",
        "Journal verkoop carrosserie C1",
        None,
        "sale",
        1250539,
    ),
    ("JVGC2", "Journal verkoop carrosserie C2", None, "sale", 16),
    ("JVD1", "Journal verkoop diversen 1", None, "sale", 8250896),
];

async fn journals_are_the_faq_list_verbatim(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 250).await;
    let pool = db.pool().await;
    let rows = pool
        .rows(
            "SELECT j.code, j.name, l.name AS location, j.kind, j.last_number \
             FROM journals j LEFT JOIN locations l ON l.id = j.location_id ORDER BY j.id",
        )
        .await;
    let found: Vec<(String, String, Option<String>, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.str("code"),
                r.str("name"),
                r.text("location"),
                r.str("kind"),
                r.int("last_number"),
            )
        })
        .collect();
    let expected: Vec<_> = FAQ_JOURNALS
        .iter()
        .map(|(c, n, l, k, last)| {
            (
                c.to_string(),
                n.to_string(),
                l.map(str::to_owned),
                k.to_string(),
                *last,
            )
        })
        .collect();
    assert_eq!(found, expected);
    let locations = pool.column("SELECT name FROM locations ORDER BY id").await;
    assert_eq!(locations, ["Bodyshop A", "Bodyshop B", "Demo JM"]);
}

async fn numbering_dates_credit_notes_and_drafts(backend: Backend) {
    let (db, summary) = TestDb::seeded(backend, 250).await;
    assert_eq!(summary.invoices, 250);
    assert!(
        summary.drafts >= 1 && summary.credit_notes >= 5,
        "{summary:?}"
    );
    let pool = db.pool().await;
    let rows = pool
        .rows(
            "SELECT i.id, i.number, i.date, i.customer_id, i.kind, i.credited_invoice_id, \
             i.status, i.due_date, j.code, j.last_number \
             FROM invoices i JOIN journals j ON j.id = i.journal_id ORDER BY j.id, i.number",
        )
        .await;
    let mut per_journal: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    let mut by_id: HashMap<i64, (i64, String, String)> = HashMap::new();
    let mut drafts = 0;
    for row in &rows {
        let id = row.int("id");
        let date = row.str("date");
        assert!(
            ("2025-01-02"..="2025-12-31").contains(&date.as_str()),
            "{date}"
        );
        by_id.insert(id, (row.int("customer_id"), date.clone(), row.str("kind")));
        if row.str("status") == "draft" {
            drafts += 1;
            assert!(row.opt_int("number").is_none());
            continue;
        }
        let code = row.str("code");
        let number = row.int("number");
        assert!(number <= row.int("last_number"));
        per_journal.entry(code).or_default().push((number, date));
    }
    assert_eq!(drafts, summary.drafts);
    for (code, documents) in &per_journal {
        let journal = summary.journals.iter().find(|j| &j.code == code).unwrap();
        let last = FAQ_JOURNALS.iter().find(|j| j.0 == code).unwrap().4;
        assert_eq!(
            documents.last().unwrap().0,
            last,
            "{code} ends at its last number"
        );
        assert_eq!(journal.last_number, Some(last));
        assert_eq!(journal.first_number, Some(documents[0].0));
        for pair in documents.windows(2) {
            assert_eq!(pair[1].0, pair[0].0 + 1, "{code} is numbered without gaps");
            assert!(pair[1].1 >= pair[0].1, "{code}: dates rise with the number");
        }
    }
    assert!(per_journal.get("JVCB2").is_none_or(|d| d.len() <= 19));
    assert!(per_journal.get("JVGC2").is_none_or(|d| d.len() <= 16));
    let finals = (summary.invoices - summary.drafts) as f64;
    let bodyshop_a = summary
        .locations
        .iter()
        .find(|l| l.name.as_deref() == Some("Bodyshop A"))
        .unwrap();
    let share = bodyshop_a.invoices as f64 / finals;
    assert!((0.6..=0.8).contains(&share), "Bodyshop A share {share}");
    // A credit note credits an earlier invoice of the same customer.
    for row in rows.iter().filter(|r| r.str("kind") == "credit_note") {
        let credited = row.int("credited_invoice_id");
        let (customer, date, kind) = &by_id[&credited];
        assert_eq!(*customer, row.int("customer_id"));
        assert!(*date <= row.str("date"));
        assert_eq!(kind, "invoice");
    }
    // Lines: 0 % only with a regime; totals are the sums of per-line rounded amounts.
    let zero_standard = pool
        .scalar("SELECT COUNT(*) FROM invoice_lines WHERE vat_rate = 0 AND vat_regime = 'standard'")
        .await;
    assert_eq!(zero_standard, 0);
    // '21' on SQLite, 21.0000 in MariaDB's DECIMAL column: the same rate.
    let rates: Vec<String> = pool
        .column("SELECT DISTINCT vat_rate FROM invoice_lines")
        .await
        .iter()
        .map(|rate| {
            rate.parse::<rust_decimal::Decimal>()
                .unwrap()
                .normalize()
                .to_string()
        })
        .collect();
    assert!(
        rates.contains(&"21".to_owned()) && rates.contains(&"6".to_owned()),
        "{rates:?}"
    );
}

async fn vat_numbers_are_checksum_valid(backend: Backend) {
    let (db, _) = TestDb::seeded(backend, 250).await;
    let pool = db.pool().await;
    let rows = pool
        .rows("SELECT kind, vat_number, country FROM customers")
        .await;
    let mut belgian = 0;
    let mut foreign = 0;
    for row in &rows {
        let kind = row.str("kind");
        let vat = row.text("vat_number");
        let Some(vat) = vat else {
            assert_eq!(kind, "person");
            continue;
        };
        assert_ne!(kind, "person", "persons have no VAT number");
        let upper = vat.to_uppercase();
        if upper.starts_with("NL") || upper.starts_with("FR") || upper.starts_with("DE") {
            foreign += 1;
            continue;
        }
        let digits: String = vat.chars().filter(char::is_ascii_digit).collect();
        assert!(is_valid_belgian_digits(&digits), "{vat}");
        belgian += 1;
    }
    assert!(
        belgian >= 13 && foreign >= 6,
        "{belgian} Belgian, {foreign} foreign"
    );
}

async fn same_seed_same_data_and_no_overwrite(backend: Backend) {
    let first = TestDb::new(backend).await;
    let (second, other) = (first.sibling().await, first.sibling().await);
    let summary = ox_planmanager_reader::seed::generate(&first.url, 250, 42)
        .await
        .unwrap();
    let again = ox_planmanager_reader::seed::generate(&second.url, 250, 42)
        .await
        .unwrap();
    ox_planmanager_reader::seed::generate(&other.url, 250, 43)
        .await
        .unwrap();
    assert_eq!(summary.journals, again.journals);
    assert_eq!(summary.lines, again.lines);
    let digest_first = first.pool().await.digest().await;
    assert_eq!(digest_first, second.pool().await.digest().await);
    assert_ne!(digest_first, other.pool().await.digest().await);

    let error = ox_planmanager_reader::seed::generate(&first.url, 10, 1)
        .await
        .unwrap_err();
    assert!(matches!(error, ReaderError::NotEmpty { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("already contains PlanManager data")
    );
    assert_eq!(
        first.pool().await.digest().await,
        digest_first,
        "a refused seed changes nothing"
    );
    assert!(first.exists().await);
}
