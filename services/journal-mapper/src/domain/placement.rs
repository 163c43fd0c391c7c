//! Where a document books in Octopus: the journal key of a PlanManager journal (override or
//! identity), and the bookyear, period and journal of a date with every reason it cannot book there.
//! Shared by `ValidateJournals` (all problems) and `MapInvoices` (the first one holds the invoice).

use chrono::NaiveDate;

use crate::domain::profile::Profile;
use crate::domain::snapshot::{Bookyear, Journal, Period, Snapshot};

/// Why a PlanManager journal has no usable Octopus journal key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "PlanManager journal '{name}' has no code: give it the code of its Octopus sales journal \
         in PlanManager, or leave it out of the export"
    )]
    NoCode { name: String },
    #[error(
        "PlanManager journal code {code} is not an Octopus journal key (Octopus keys start with A, \
         V, F, D or L): add a journal override that maps {code} to an Octopus sales journal such as V1"
    )]
    NotAKey { code: String },
    #[error(
        "the journal override maps PlanManager journal {code} to '{key}', which is not an Octopus \
         journal key (keys start with A, V, F, D or L): correct the override"
    )]
    BadOverride { code: String, key: String },
}

/// Why a document dated `date` cannot book in a journal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    #[error(
        "no open bookyear in Octopus dossier {dossier} for {date}: ask the accountant to create it"
    )]
    NoBookyear { dossier: i32, date: NaiveDate },
    #[error(
        "bookyear {bookyear} of Octopus dossier {dossier} is closed, so nothing dated {date} can be \
         booked: ask the accountant to reopen it"
    )]
    BookyearClosed {
        dossier: i32,
        bookyear: String,
        date: NaiveDate,
    },
    #[error(
        "no period of bookyear {bookyear} in Octopus dossier {dossier} holds {date}: ask the \
         accountant to check the bookyear's periods"
    )]
    NoPeriod {
        dossier: i32,
        bookyear: String,
        date: NaiveDate,
    },
    #[error(
        "journal {key} does not exist in bookyear {bookyear} of Octopus dossier {dossier} (run File \
         → Synchronise in Octopus, or map PlanManager journal {pm_code} to an existing sales journal)"
    )]
    JournalMissing {
        key: String,
        bookyear: String,
        dossier: i32,
        pm_code: String,
    },
    #[error(
        "{key} is not a sales journal (type {journal_type}): map PlanManager journal {pm_code} to a \
         sales journal (V…) with insertion type 1"
    )]
    NotSales {
        key: String,
        journal_type: String,
        pm_code: String,
    },
    #[error(
        "{key} is not a sales-booking journal (insertion type {insertion_type}: {kind}): map \
         PlanManager journal {pm_code} to a sales journal with insertion type 1 (bookings)"
    )]
    NotBookings {
        key: String,
        insertion_type: i32,
        kind: &'static str,
        pm_code: String,
    },
    #[error(
        "journal {key} is closed in bookyear {bookyear} of Octopus dossier {dossier}: ask the \
         accountant to reopen it"
    )]
    JournalClosed {
        key: String,
        bookyear: String,
        dossier: i32,
    },
    #[error(
        "period {period} of journal {key} is protected (Octopus protects up to period {protected}): \
         ask the accountant to lift the protection; the invoice keeps its date"
    )]
    PeriodProtected {
        period: i32,
        key: String,
        protected: i32,
    },
    #[error(
        "period {period} of journal {key} is closed (Octopus closed up to period {closed}): ask the \
         accountant to reopen it; the invoice keeps its date"
    )]
    PeriodClosed {
        period: i32,
        key: String,
        closed: i32,
    },
}

/// Where a document books.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub bookyear: &'a Bookyear,
    pub period: &'a Period,
    pub journal: &'a Journal,
}

/// The Octopus journal key of a PlanManager journal: its override, else its own code.
///
/// `name` names a journal without a code in the error.
pub fn resolve_key(profile: &Profile, pm_code: &str, name: &str) -> Result<String, KeyError> {
    let code = pm_code.trim();
    if code.is_empty() {
        return Err(KeyError::NoCode {
            name: name.trim().to_owned(),
        });
    }
    if let Some(key) = profile.journal_overrides.get(code) {
        if !is_octopus_key(key) {
            return Err(KeyError::BadOverride {
                code: code.to_owned(),
                key: key.clone(),
            });
        }
        return Ok(key.clone());
    }
    if !is_octopus_key(code) {
        return Err(KeyError::NotAKey {
            code: code.to_owned(),
        });
    }
    Ok(code.to_owned())
}

/// Whether `key` can be an Octopus journal key: A, V, F, D or L, then letters or digits only.
pub fn is_octopus_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('A' | 'V' | 'F' | 'D' | 'L'))
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Checks that a sales booking dated `date` can go into journal `key`; returns every problem.
///
/// Without a bookyear nothing else can be checked; without the journal neither its type nor
/// its periods can.
pub fn place<'a>(
    snapshot: &'a Snapshot,
    key: &str,
    pm_code: &str,
    date: NaiveDate,
) -> Result<Placement<'a>, Vec<PlacementError>> {
    let dossier = snapshot.dossier_id;
    let Some(bookyear) = snapshot.open_bookyear_for(date) else {
        let closed = snapshot.bookyears_holding(date).into_iter().next();
        return Err(vec![match closed {
            Some(bookyear) => PlacementError::BookyearClosed {
                dossier,
                bookyear: bookyear.label.clone(),
                date,
            },
            None => PlacementError::NoBookyear { dossier, date },
        }]);
    };
    let mut problems = Vec::new();
    let period = bookyear.period_for(date);
    if period.is_none() {
        problems.push(PlacementError::NoPeriod {
            dossier,
            bookyear: bookyear.label.clone(),
            date,
        });
    }
    let Some(journal) = snapshot.journal(bookyear.id, key) else {
        problems.push(PlacementError::JournalMissing {
            key: key.to_owned(),
            bookyear: bookyear.label.clone(),
            dossier,
            pm_code: pm_code.to_owned(),
        });
        return Err(problems);
    };
    problems.extend(journal_problems(bookyear, journal, pm_code, dossier));
    if let Some(period) = period {
        problems.extend(period_problems(journal, period.nr));
    }
    match period {
        Some(period) if problems.is_empty() => Ok(Placement {
            bookyear,
            period,
            journal,
        }),
        _ => Err(problems),
    }
}

/// Like [`place`], but stops at the first problem: an invoice is held for one clear reason.
pub fn place_one<'a>(
    snapshot: &'a Snapshot,
    key: &str,
    pm_code: &str,
    date: NaiveDate,
) -> Result<Placement<'a>, PlacementError> {
    place(snapshot, key, pm_code, date).map_err(|problems| {
        // `place` never fails without a problem; the fallback only keeps this total.
        problems
            .into_iter()
            .next()
            .unwrap_or(PlacementError::NoBookyear {
                dossier: snapshot.dossier_id,
                date,
            })
    })
}

fn journal_problems(
    bookyear: &Bookyear,
    journal: &Journal,
    pm_code: &str,
    dossier: i32,
) -> Vec<PlacementError> {
    let mut problems = Vec::new();
    if journal.journal_type != "V" {
        problems.push(PlacementError::NotSales {
            key: journal.key.clone(),
            journal_type: journal.journal_type.clone(),
            pm_code: pm_code.to_owned(),
        });
    } else if journal.insertion_type != 1 {
        problems.push(PlacementError::NotBookings {
            key: journal.key.clone(),
            insertion_type: journal.insertion_type,
            kind: insertion_kind(journal.insertion_type),
            pm_code: pm_code.to_owned(),
        });
    }
    if journal.closed {
        problems.push(PlacementError::JournalClosed {
            key: journal.key.clone(),
            bookyear: bookyear.label.clone(),
            dossier,
        });
    }
    problems
}

fn period_problems(journal: &Journal, period: i32) -> Vec<PlacementError> {
    let mut problems = Vec::new();
    // Octopus books only in periods strictly after the protected and closed ones.
    if period <= journal.protected_period {
        problems.push(PlacementError::PeriodProtected {
            period,
            key: journal.key.clone(),
            protected: journal.protected_period,
        });
    }
    if period <= journal.closed_period {
        problems.push(PlacementError::PeriodClosed {
            period,
            key: journal.key.clone(),
            closed: journal.closed_period,
        });
    }
    problems
}

fn insertion_kind(insertion_type: i32) -> &'static str {
    match insertion_type {
        1 => "bookings",
        2 => "invoices",
        3 => "invoices VAT-inclusive",
        4 => "delivery notes",
        5 => "delivery notes VAT-inclusive",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{date, profile_with_overrides, snapshot_2025, v_journal};

    #[test]
    fn resolves_keys_through_overrides_or_identity() {
        let profile = profile_with_overrides(&[("700", "V1"), ("JVCA2", "X 1")]);
        assert_eq!(resolve_key(&profile, "700", "Verkoop").unwrap(), "V1");
        assert_eq!(resolve_key(&profile, " V2 ", "Verkoop").unwrap(), "V2");
        assert_eq!(
            resolve_key(&profile, "", "INTERN").unwrap_err().to_string(),
            "PlanManager journal 'INTERN' has no code: give it the code of its Octopus sales journal \
             in PlanManager, or leave it out of the export"
        );
        assert!(matches!(
            resolve_key(&profile, "ICTM", "x"),
            Err(KeyError::NotAKey { .. })
        ));
        assert!(matches!(
            resolve_key(&profile, "AAN CN", "x"),
            Err(KeyError::NotAKey { .. })
        ));
        assert!(matches!(
            resolve_key(&profile, "JVCA2", "x"),
            Err(KeyError::BadOverride { .. })
        ));
    }

    #[test]
    fn places_a_date_in_bookyear_period_and_journal() {
        let snapshot = snapshot_2025(vec![v_journal("V1")]);
        let placement = place(&snapshot, "V1", "700", date("2025-03-28")).unwrap();
        assert_eq!(placement.bookyear.id, 3);
        assert_eq!(placement.period.nr, 202503);
        assert_eq!(placement.journal.key, "V1");
    }

    #[test]
    fn reports_every_journal_problem_of_a_date() {
        let mut journal = v_journal("V1");
        journal.insertion_type = 2;
        journal.closed = true;
        journal.protected_period = 202503;
        journal.closed_period = 202504;
        let snapshot = snapshot_2025(vec![journal]);
        let problems = place(&snapshot, "V1", "700", date("2025-03-28")).unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages[0]
                .starts_with("V1 is not a sales-booking journal (insertion type 2: invoices)")
        );
        assert!(
            messages[1]
                .starts_with("journal V1 is closed in bookyear 2025 of Octopus dossier 1111")
        );
        assert!(messages[2].starts_with("period 202503 of journal V1 is protected"));
        assert!(messages[3].starts_with("period 202503 of journal V1 is closed"));
        let after = place(&snapshot, "V1", "700", date("2025-05-02")).unwrap_err();
        assert_eq!(after.len(), 2, "only type and closed journal remain in May");
    }

    #[test]
    fn reports_missing_bookyear_journal_and_wrong_type() {
        let mut purchase = v_journal("A1");
        purchase.journal_type = "A".into();
        let snapshot = snapshot_2025(vec![purchase]);
        assert_eq!(
            place(&snapshot, "V1", "700", date("2026-01-02")).unwrap_err()[0].to_string(),
            "no open bookyear in Octopus dossier 1111 for 2026-01-02: ask the accountant to create it"
        );
        assert!(matches!(
            place(&snapshot, "V9", "700", date("2025-01-02")).unwrap_err()[..],
            [PlacementError::JournalMissing { .. }]
        ));
        assert!(matches!(
            place(&snapshot, "A1", "700", date("2025-01-02")).unwrap_err()[..],
            [PlacementError::NotSales { .. }]
        ));
    }
}
