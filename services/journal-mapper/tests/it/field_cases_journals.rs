//! Field cases 6, 7 and 15 (journals): `ValidateJournals` reports every problem before anything is sent.

use ox_journal_mapper::domain::validate_journals;
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::JournalUse;
use ox_proto::planmanager::v1::{Journal, JournalKind};

use crate::helpers::*;

fn journal_use(code: &str, kind: JournalKind, dates: &[&str]) -> JournalUse {
    JournalUse {
        journal: Some(Journal {
            id: 1,
            code: code.into(),
            name: format!("Verkoop {code}"),
            location_name: "Bodyshop A".into(),
            kind: kind as i32,
            last_number: 0,
        }),
        dates: dates.iter().map(|d| (*d).to_owned()).collect(),
    }
}

#[test]
fn field_case_06_reports_the_protected_period_before_posting() {
    let mut v1 = sales_journal(3, "V1");
    v1.protected_period = 202503;
    let dossier = snapshot(vec![bookyear_2025()], vec![v1], vec![]);
    let profile = profile(&[], &[], RoundingPolicy::OctopusTotal);
    let response = validate_journals(
        &profile,
        &dossier,
        &[journal_use("V1", JournalKind::Sale, &["2025-03-28"])],
    );
    assert!(response.resolutions.is_empty());
    assert_eq!(response.problems.len(), 1);
    assert_eq!(response.problems[0].planmanager_code, "V1");
    assert_eq!(
        response.problems[0].message,
        "period 202503 of journal V1 is protected (Octopus protects up to period 202503): ask the \
         accountant to lift the protection; the invoice keeps its date"
    );
    // April is after the protected period.
    let april = validate_journals(
        &profile,
        &dossier,
        &[journal_use("V1", JournalKind::Sale, &["2025-04-22"])],
    );
    assert!(april.problems.is_empty());
}

#[test]
fn field_case_07_reports_the_wrong_journal_type_and_the_missing_journal_together() {
    // Config: sales journal V1, credit journal V2; Octopus bookyear 2025 holds only V1, set up for invoices.
    let mut v1 = sales_journal(3, "V1");
    v1.insertion_type = 2;
    let dossier = snapshot(vec![bookyear_2025()], vec![v1], vec![]);
    let profile = profile(
        &[("700", "V1"), ("710", "V2")],
        &[],
        RoundingPolicy::OctopusTotal,
    );
    let selection = [
        journal_use("700", JournalKind::Sale, &["2025-02-14"]),
        journal_use("710", JournalKind::SaleCredit, &["2025-02-14"]),
    ];
    let response = validate_journals(&profile, &dossier, &selection);
    assert!(response.resolutions.is_empty(), "no partial run");
    let messages: Vec<&str> = response
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(
        messages[0],
        "V1 is not a sales-booking journal (insertion type 2: invoices): map PlanManager journal 700 \
         to a sales journal with insertion type 1 (bookings)"
    );
    assert_eq!(
        messages[1],
        "journal V2 does not exist in bookyear 2025 of Octopus dossier 1111 (run File → Synchronise in \
         Octopus, or map PlanManager journal 710 to an existing sales journal)"
    );

    // The mapper keeps nothing: a re-read snapshot with the synchronised journals validates.
    let synced = snapshot(
        vec![bookyear_2025()],
        vec![sales_journal(3, "V1"), sales_journal(3, "V2")],
        vec![],
    );
    let response = validate_journals(&profile, &synced, &selection);
    assert!(response.problems.is_empty());
    let keys: Vec<(&str, &str)> = response
        .resolutions
        .iter()
        .map(|r| (r.planmanager_code.as_str(), r.octopus_journal_key.as_str()))
        .collect();
    assert_eq!(keys, [("700", "V1"), ("710", "V2")]);
}

#[test]
fn field_case_07_reports_the_seed_journals_that_cannot_be_octopus_keys() {
    // The seed's flaws: an internal journal without a code, codes that are not Octopus keys.
    let dossier = snapshot(vec![bookyear_2025()], vec![sales_journal(3, "V1")], vec![]);
    let profile = profile(&[("JVCB1", "V1")], &[], RoundingPolicy::OctopusTotal);
    let mut internal = journal_use("", JournalKind::Internal, &["2025-02-14"]);
    internal.journal.as_mut().unwrap().name = "INTERN".into();
    let response = validate_journals(
        &profile,
        &dossier,
        &[
            internal,
            journal_use("JVCA2", JournalKind::Sale, &["2025-02-14"]),
            journal_use("JVCB1", JournalKind::Sale, &["2025-02-14"]),
        ],
    );
    let problems: Vec<(&str, &str)> = response
        .problems
        .iter()
        .map(|p| (p.planmanager_code.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert_eq!(problems[0].0, "");
    assert!(
        problems[0]
            .1
            .starts_with("PlanManager journal 'INTERN' is an internal journal")
    );
    assert!(
        problems[1]
            .1
            .starts_with("PlanManager journal 'INTERN' has no code")
    );
    assert_eq!(problems[2].0, "JVCA2");
    assert!(
        problems[2]
            .1
            .contains("add a journal override that maps JVCA2")
    );
    assert_eq!(response.resolutions.len(), 1);
    assert_eq!(response.resolutions[0].octopus_journal_key, "V1");
}

#[test]
fn field_case_15_reports_the_date_without_bookyear_and_a_selection_across_bookyears() {
    let profile = profile(&[], &[], RoundingPolicy::OctopusTotal);
    let only_7 = snapshot(
        vec![bookyear(7, "2024-2025", "2024-07-01", 12, 202501)],
        vec![sales_journal(7, "V1")],
        vec![],
    );
    let response = validate_journals(
        &profile,
        &only_7,
        &[journal_use(
            "V1",
            JournalKind::Sale,
            &["2024-12-31", "2025-07-01"],
        )],
    );
    let messages: Vec<&str> = response
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "no open bookyear in Octopus dossier 1111 for 2025-07-01: ask the accountant to create it"
        ]
    );

    let mut old = sales_journal(7, "V1");
    old.last_booked_document_nr = 311;
    let both = snapshot(
        vec![
            bookyear(7, "2024-2025", "2024-07-01", 12, 202501),
            bookyear(8, "2025-2026", "2025-07-01", 12, 202601),
        ],
        vec![old, sales_journal(8, "V1")],
        vec![],
    );
    let response = validate_journals(
        &profile,
        &both,
        &[journal_use(
            "V1",
            JournalKind::Sale,
            &["2025-06-30", "2025-07-01"],
        )],
    );
    assert!(response.resolutions.is_empty());
    assert_eq!(response.problems.len(), 1);
    assert_eq!(
        response.problems[0].message,
        "the selected invoices of PlanManager journal V1 fall in 2 bookyears of Octopus dossier 1111 \
         (2024-2025, 2025-2026): Octopus numbers journal V1 per bookyear (last document 311 in 2024-2025, \
         last document 0 in 2025-2026) while PlanManager's numbering may not restart, so export one \
         bookyear at a time (first the invoices dated up to 2025-06-30)"
    );
}
