//! The sample generator: verbatim journals, numbering, dates, credit notes, drafts, VAT numbers,
//! determinism, and refusing to write over existing data.

use std::collections::HashMap;

use ox_domain::vat_number::is_valid_belgian_digits;
use ox_planmanager_reader::ReaderError;
use sqlx::Row as _;

use crate::helpers::{TempDir, digest, pool, seeded};

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

#[tokio::test]
async fn journals_are_the_faq_list_verbatim() {
    let (_dir, url, _) = seeded(250).await;
    let pool = pool(&url).await;
    let rows = sqlx::query(
        "SELECT j.code, j.name, l.name AS location, j.kind, j.last_number \
         FROM journals j LEFT JOIN locations l ON l.id = j.location_id ORDER BY j.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let found: Vec<(String, String, Option<String>, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.get("code"),
                r.get("name"),
                r.get("location"),
                r.get("kind"),
                r.get("last_number"),
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
    let locations: Vec<String> = sqlx::query_scalar("SELECT name FROM locations ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(locations, ["Bodyshop A", "Bodyshop B", "Demo JM"]);
}

#[tokio::test]
async fn numbering_dates_credit_notes_and_drafts() {
    let (_dir, url, summary) = seeded(250).await;
    assert_eq!(summary.invoices, 250);
    assert!(
        summary.drafts >= 1 && summary.credit_notes >= 5,
        "{summary:?}"
    );
    let pool = pool(&url).await;
    let rows = sqlx::query(
        "SELECT i.id, i.number, i.date, i.customer_id, i.kind, i.credited_invoice_id, i.status, \
         i.due_date, j.code, j.last_number FROM invoices i JOIN journals j ON j.id = i.journal_id \
         ORDER BY j.id, i.number",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut per_journal: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    let mut by_id: HashMap<i64, (i64, String, String)> = HashMap::new();
    let mut drafts = 0;
    for row in &rows {
        let id: i64 = row.get("id");
        let date: String = row.get("date");
        assert!(
            ("2025-01-02"..="2025-12-31").contains(&date.as_str()),
            "{date}"
        );
        by_id.insert(id, (row.get("customer_id"), date.clone(), row.get("kind")));
        if row.get::<String, _>("status") == "draft" {
            drafts += 1;
            assert!(row.get::<Option<i64>, _>("number").is_none());
            continue;
        }
        let code: String = row.get("code");
        let number: i64 = row.get("number");
        assert!(number <= row.get::<i64, _>("last_number"));
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
    for row in rows
        .iter()
        .filter(|r| r.get::<String, _>("kind") == "credit_note")
    {
        let credited: i64 = row.get("credited_invoice_id");
        let (customer, date, kind) = &by_id[&credited];
        assert_eq!(*customer, row.get::<i64, _>("customer_id"));
        assert!(date.as_str() <= row.get::<String, _>("date").as_str());
        assert_eq!(kind, "invoice");
    }
    // Lines: 0 % only with a regime; totals are the sums of per-line rounded amounts.
    let zero_standard: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invoice_lines WHERE vat_rate = '0' AND vat_regime = 'standard'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(zero_standard, 0);
    let rates: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT vat_rate FROM invoice_lines ORDER BY 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        rates.contains(&"21".to_owned()) && rates.contains(&"6".to_owned()),
        "{rates:?}"
    );
}

#[tokio::test]
async fn vat_numbers_are_checksum_valid() {
    let (_dir, url, _) = seeded(250).await;
    let pool = pool(&url).await;
    let rows = sqlx::query("SELECT kind, vat_number, country FROM customers")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut belgian = 0;
    let mut foreign = 0;
    for row in &rows {
        let kind: String = row.get("kind");
        let vat: Option<String> = row.get("vat_number");
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

#[tokio::test]
async fn same_seed_same_data_and_no_overwrite() {
    let dir = TempDir::new();
    let (first, second, other) = (
        dir.url("a.sqlite"),
        dir.url("b.sqlite"),
        dir.url("c.sqlite"),
    );
    let summary = ox_planmanager_reader::seed::generate(&first, 250, 42)
        .await
        .unwrap();
    let again = ox_planmanager_reader::seed::generate(&second, 250, 42)
        .await
        .unwrap();
    ox_planmanager_reader::seed::generate(&other, 250, 43)
        .await
        .unwrap();
    assert_eq!(summary.journals, again.journals);
    assert_eq!(summary.lines, again.lines);
    let digest_first = digest(&first).await;
    assert_eq!(digest_first, digest(&second).await);
    assert_ne!(digest_first, digest(&other).await);

    let error = ox_planmanager_reader::seed::generate(&first, 10, 1)
        .await
        .unwrap_err();
    assert!(matches!(error, ReaderError::NotEmpty { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("already contains PlanManager data")
    );
    assert_eq!(
        digest(&first).await,
        digest_first,
        "a refused seed changes nothing"
    );
    assert!(dir.path("a.sqlite").exists());
}
