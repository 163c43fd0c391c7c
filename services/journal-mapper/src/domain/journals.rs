//! `ValidateJournals`: every selected PlanManager journal must map to a usable Octopus sales journal
//! on every selected date. Every problem of every journal and date is reported in one answer.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use ox_domain::dates::{format_date, parse_date};
use ox_proto::mapping::v1::{
    JournalProblem, JournalResolution, JournalUse, ValidateJournalsResponse,
};
use ox_proto::planmanager::v1::JournalKind;

use crate::domain::placement::{place, resolve_key};
use crate::domain::profile::Profile;
use crate::domain::snapshot::{Bookyear, Snapshot};

/// Validates the selected journals; journals without problems get a resolution.
pub fn validate_journals(
    profile: &Profile,
    snapshot: &Snapshot,
    uses: &[JournalUse],
) -> ValidateJournalsResponse {
    let mut response = ValidateJournalsResponse::default();
    for journal_use in uses {
        let journal = journal_use.journal.clone().unwrap_or_default();
        let code = journal.code.trim().to_owned();
        let (key, messages) = check_journal(profile, snapshot, &journal, &journal_use.dates);
        match key {
            Some(key) if messages.is_empty() => response.resolutions.push(JournalResolution {
                planmanager_code: code,
                octopus_journal_key: key,
            }),
            _ => response
                .problems
                .extend(messages.into_iter().map(|message| JournalProblem {
                    planmanager_code: code.clone(),
                    message,
                })),
        }
    }
    response
}

/// The Octopus key of one journal (when it has one) and every problem of it, without duplicates.
fn check_journal(
    profile: &Profile,
    snapshot: &Snapshot,
    journal: &ox_proto::planmanager::v1::Journal,
    raw_dates: &[String],
) -> (Option<String>, Vec<String>) {
    let code = journal.code.trim();
    let mut messages = Messages::default();
    if let Some(kind) = non_sales_kind(journal.kind) {
        let label = if code.is_empty() {
            format!("'{}'", journal.name.trim())
        } else {
            code.to_owned()
        };
        messages.push(format!(
            "PlanManager journal {label} is {kind} journal; only sales journals are exported to Octopus"
        ));
    }
    let key = match resolve_key(profile, code, &journal.name) {
        Ok(key) => key,
        Err(error) => {
            messages.push(error.to_string());
            return (None, messages.into_vec());
        }
    };
    let mut dates = BTreeSet::new();
    for raw in raw_dates {
        match parse_date("date", raw) {
            Ok(date) => {
                dates.insert(date);
            }
            Err(_) => messages.push(format!(
                "invoice date {raw:?} of PlanManager journal {code} is not a date (YYYY-MM-DD)"
            )),
        }
    }
    for date in &dates {
        if let Err(problems) = place(snapshot, &key, code, *date) {
            for problem in problems {
                messages.push(problem.to_string());
            }
        }
    }
    if let Some(message) = bookyear_span(snapshot, &key, code, &dates) {
        messages.push(message);
    }
    (Some(key), messages.into_vec())
}

/// A problem when the selected dates of one journal fall in more than one bookyear.
fn bookyear_span(
    snapshot: &Snapshot,
    key: &str,
    code: &str,
    dates: &BTreeSet<NaiveDate>,
) -> Option<String> {
    let mut bookyears = Vec::new();
    for date in dates {
        if let Some(bookyear) = snapshot.open_bookyear_for(*date)
            && !bookyears
                .iter()
                .any(|known: &&Bookyear| known.id == bookyear.id)
        {
            bookyears.push(bookyear);
        }
    }
    if bookyears.len() < 2 {
        return None;
    }
    bookyears.sort_by_key(|bookyear| bookyear.start);
    let labels: Vec<&str> = bookyears.iter().map(|b| b.label.as_str()).collect();
    let numbers: Vec<String> = bookyears
        .iter()
        .map(|bookyear| match snapshot.journal(bookyear.id, key) {
            Some(journal) => format!(
                "last document {} in {}",
                journal.last_booked_document_nr, bookyear.label
            ),
            None => format!("absent in {}", bookyear.label),
        })
        .collect();
    Some(format!(
        "the selected invoices of PlanManager journal {code} fall in {} bookyears of Octopus dossier \
         {} ({}): Octopus numbers journal {key} per bookyear ({}) while PlanManager's numbering may \
         not restart, so export one bookyear at a time (first the invoices dated up to {})",
        bookyears.len(),
        snapshot.dossier_id,
        labels.join(", "),
        numbers.join(", "),
        format_date(bookyears[0].end),
    ))
}

/// "a purchase" etc. for PlanManager journal kinds that never hold sales invoices.
fn non_sales_kind(kind: i32) -> Option<&'static str> {
    match JournalKind::try_from(kind).ok()? {
        JournalKind::Purchase => Some("a purchase"),
        JournalKind::PurchaseCredit => Some("a purchase credit-note"),
        JournalKind::Internal => Some("an internal"),
        JournalKind::Unspecified | JournalKind::Sale | JournalKind::SaleCredit => None,
    }
}

/// Problem messages in first-seen order, each once (many dates share one protected period).
#[derive(Default)]
struct Messages(Vec<String>);

impl Messages {
    fn push(&mut self, message: String) {
        if !self.0.contains(&message) {
            self.0.push(message);
        }
    }

    fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use ox_proto::planmanager::v1::Journal;

    use super::*;
    use crate::domain::test_support::{profile_with_overrides, snapshot_2025, v_journal};

    fn journal_use(code: &str, name: &str, dates: &[&str]) -> JournalUse {
        JournalUse {
            journal: Some(Journal {
                code: code.into(),
                name: name.into(),
                kind: JournalKind::Sale as i32,
                ..Default::default()
            }),
            dates: dates.iter().map(|d| (*d).to_owned()).collect(),
        }
    }

    #[test]
    fn resolves_good_journals_and_reports_all_problems_of_the_others() {
        let profile = profile_with_overrides(&[("700", "V1")]);
        let mut protected = v_journal("V3");
        protected.protected_period = 202503;
        let snapshot = snapshot_2025(vec![v_journal("V1"), protected]);
        let response = validate_journals(
            &profile,
            &snapshot,
            &[
                journal_use("700", "Verkoop", &["2025-02-14", "2025-03-01"]),
                journal_use("", "INTERN", &["2025-02-14"]),
                journal_use("ICTM", "Intracom", &["2025-02-14"]),
                journal_use(
                    "V3",
                    "Verkoop 3",
                    &["2025-03-01", "2025-03-28", "2025-04-02"],
                ),
                journal_use("V9", "Nieuw", &["2025-02-14", "not a date"]),
            ],
        );
        assert_eq!(response.resolutions.len(), 1);
        assert_eq!(response.resolutions[0].planmanager_code, "700");
        assert_eq!(response.resolutions[0].octopus_journal_key, "V1");
        let problems: Vec<(&str, &str)> = response
            .problems
            .iter()
            .map(|p| (p.planmanager_code.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(
            problems[0]
                .1
                .starts_with("PlanManager journal 'INTERN' has no code")
        );
        assert_eq!(problems[1].0, "ICTM");
        assert!(problems[1].1.contains("add a journal override"));
        // Two March dates share one protected period: reported once.
        assert_eq!(problems[2].0, "V3");
        assert!(
            problems[2]
                .1
                .starts_with("period 202503 of journal V3 is protected")
        );
        assert!(
            problems[3]
                .1
                .starts_with("invoice date \"not a date\" of PlanManager journal V9")
        );
        assert!(
            problems[4]
                .1
                .starts_with("journal V9 does not exist in bookyear 2025")
        );
    }

    #[test]
    fn reports_a_purchase_journal_in_the_selection() {
        let mut journal = journal_use("AAN", "Aankoop", &[]);
        journal.journal.as_mut().unwrap().kind = JournalKind::Purchase as i32;
        let response = validate_journals(
            &profile_with_overrides(&[]),
            &snapshot_2025(vec![]),
            &[journal],
        );
        assert!(response.resolutions.is_empty());
        assert_eq!(
            response.problems[0].message,
            "PlanManager journal AAN is a purchase journal; only sales journals are exported to Octopus"
        );
    }

    #[test]
    fn accepts_a_journal_without_dates_on_its_key_alone() {
        let response = validate_journals(
            &profile_with_overrides(&[]),
            &snapshot_2025(vec![]),
            &[journal_use("V1", "Verkoop", &[])],
        );
        assert_eq!(response.resolutions.len(), 1);
        assert!(response.problems.is_empty());
    }
}
