//! The Octopus dossier snapshot with parsed dates: bookyears and their periods, journals per
//! bookyear, VAT codes. Bookyear and period of a date come from here, never from the calendar.

use chrono::NaiveDate;
use ox_domain::dates::parse_date;
use ox_proto::gateway::v1 as gateway;

use crate::domain::wire::{read_rate, shown};
use crate::error::InputError;

/// A bookyear period as Octopus numbers it (e.g. 202503).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub nr: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// An Octopus bookyear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookyear {
    pub id: i32,
    /// How messages name it: its description (e.g. "2025"), else "with id N".
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub closed: bool,
    pub periods: Vec<Period>,
}

impl Bookyear {
    /// Whether the date lies in this bookyear.
    pub fn holds(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The first of Octopus's periods whose range holds the date.
    pub fn period_for(&self, date: NaiveDate) -> Option<&Period> {
        self.periods
            .iter()
            .find(|period| period.start <= date && date <= period.end)
    }
}

/// An Octopus journal of one bookyear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub bookyear_id: i32,
    pub key: String,
    /// "A", "V", "F", "D" or "L".
    pub journal_type: String,
    pub closed: bool,
    pub last_booked_document_nr: i32,
    pub protected_period: i32,
    pub closed_period: i32,
    pub insertion_type: i32,
}

/// An Octopus VAT code; `kind` is 1 BUY, 2 SELL, 3 BUY_CREDIT_NOTE, 4 SELL_CREDIT_NOTE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatCode {
    pub code: String,
    pub kind: i32,
}

/// Octopus VAT code type SELL.
pub const VAT_CODE_SELL: i32 = 2;

/// A dossier's reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub dossier_id: i32,
    pub bookyears: Vec<Bookyear>,
    pub journals: Vec<Journal>,
    pub vat_codes: Vec<VatCode>,
}

impl Snapshot {
    /// Parses and checks the snapshot; `profile_dossier_id` names the dossier when the snapshot
    /// does not, and a snapshot of another dossier is refused (0: no profile to compare with).
    pub fn from_proto(
        snapshot: &gateway::DossierSnapshot,
        profile_dossier_id: i32,
    ) -> Result<Self, InputError> {
        let dossier_id = match (snapshot.dossier_id, profile_dossier_id) {
            (0, profile) => profile,
            (own, 0) => own,
            (own, profile) if own == profile => own,
            (own, profile) => {
                return Err(InputError::invalid(
                    "snapshot.dossier_id",
                    format!(
                        "is {own}, but the export profile is for Octopus dossier {profile}: the \
                         snapshot must be read from the profile's dossier"
                    ),
                ));
            }
        };
        let mut bookyears = Vec::with_capacity(snapshot.bookyears.len());
        for (index, bookyear) in snapshot.bookyears.iter().enumerate() {
            bookyears.push(parse_bookyear(index, bookyear)?);
        }
        let journals = snapshot
            .journals
            .iter()
            .map(|journal| Journal {
                bookyear_id: journal.bookyear_id,
                key: journal.journal_key.trim().to_owned(),
                journal_type: journal_type(journal),
                closed: journal.closed,
                last_booked_document_nr: journal.last_booked_document_nr,
                protected_period: journal.protected_period,
                closed_period: journal.closed_period,
                insertion_type: journal.insertion_type,
            })
            .collect();
        let mut vat_codes = Vec::with_capacity(snapshot.vat_codes.len());
        for (index, code) in snapshot.vat_codes.iter().enumerate() {
            let percentage = code.base_percentage.trim();
            if !percentage.is_empty()
                && let Err(problem) = read_rate(percentage)
            {
                return Err(InputError::invalid(
                    format!("snapshot.vat_codes[{index}].base_percentage"),
                    format!("{}: {}", problem.describe(), shown(&code.base_percentage)),
                ));
            }
            vat_codes.push(VatCode {
                code: code.code.trim().to_owned(),
                kind: code.r#type,
            });
        }
        Ok(Self {
            dossier_id,
            bookyears,
            journals,
            vat_codes,
        })
    }

    /// The bookyears whose range holds the date, open ones first.
    pub fn bookyears_holding(&self, date: NaiveDate) -> Vec<&Bookyear> {
        let mut holding: Vec<&Bookyear> = self.bookyears.iter().filter(|b| b.holds(date)).collect();
        holding.sort_by_key(|bookyear| bookyear.closed);
        holding
    }

    /// The open bookyear holding the date, if any.
    pub fn open_bookyear_for(&self, date: NaiveDate) -> Option<&Bookyear> {
        self.bookyears_holding(date)
            .into_iter()
            .find(|bookyear| !bookyear.closed)
    }

    /// The journal `key` of a bookyear.
    pub fn journal(&self, bookyear_id: i32, key: &str) -> Option<&Journal> {
        self.journals
            .iter()
            .find(|journal| journal.bookyear_id == bookyear_id && journal.key == key)
    }

    /// Every Octopus VAT code entry named `code` (a code may be listed once per type).
    pub fn vat_codes_named<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a VatCode> + 'a {
        self.vat_codes
            .iter()
            .filter(move |known| known.code == code)
    }
}

fn journal_type(journal: &gateway::OctopusJournal) -> String {
    let given = journal.journal_type.trim();
    if given.is_empty() {
        // The gateway derives the type from the key's first letter; do the same if it did not.
        journal.journal_key.trim().chars().take(1).collect()
    } else {
        given.to_owned()
    }
}

fn parse_bookyear(index: usize, bookyear: &gateway::Bookyear) -> Result<Bookyear, InputError> {
    let label = if bookyear.description.trim().is_empty() {
        format!("with id {}", bookyear.id)
    } else {
        bookyear.description.trim().to_owned()
    };
    let path = format!("snapshot.bookyears[{index}]");
    let date = |field: String, value: &str| {
        parse_date("", value).map_err(|_| {
            InputError::invalid(
                field,
                format!(
                    "is not a date (YYYY-MM-DD): {} (bookyear {label})",
                    shown(value)
                ),
            )
        })
    };
    let range = |field: String, start: NaiveDate, end: NaiveDate| {
        if start > end {
            return Err(InputError::invalid(
                field,
                format!("ends before it starts: {start} to {end} (bookyear {label})"),
            ));
        }
        Ok(())
    };
    let start = date(format!("{path}.start_date"), &bookyear.start_date)?;
    let end = date(format!("{path}.end_date"), &bookyear.end_date)?;
    range(path.clone(), start, end)?;
    let mut periods = Vec::with_capacity(bookyear.periods.len());
    for (nr, period) in bookyear.periods.iter().enumerate() {
        let at = format!("{path}.periods[{nr}]");
        let period_start = date(format!("{at}.start_date"), &period.start_date)?;
        let period_end = date(format!("{at}.end_date"), &period.end_date)?;
        range(at, period_start, period_end)?;
        periods.push(Period {
            nr: period.nr,
            start: period_start,
            end: period_end,
        });
    }
    Ok(Bookyear {
        id: bookyear.id,
        label,
        start,
        end,
        closed: bookyear.closed,
        periods,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(nr: i32, start: &str, end: &str) -> gateway::Period {
        gateway::Period {
            nr,
            start_date: start.into(),
            end_date: end.into(),
        }
    }

    fn d(value: &str) -> NaiveDate {
        parse_date("date", value).unwrap()
    }

    #[test]
    fn finds_bookyear_and_period_from_octopus_ranges() {
        let snapshot = Snapshot::from_proto(
            &gateway::DossierSnapshot {
                dossier_id: 0,
                bookyears: vec![
                    gateway::Bookyear {
                        id: 6,
                        description: "2023-2024".into(),
                        start_date: "2023-07-01".into(),
                        end_date: "2024-06-30".into(),
                        closed: true,
                        periods: vec![],
                    },
                    gateway::Bookyear {
                        id: 7,
                        description: String::new(),
                        start_date: "2024-07-01".into(),
                        end_date: "2025-06-30".into(),
                        closed: false,
                        periods: vec![
                            period(202407, "2024-07-01", "2024-12-31"),
                            period(202501, "2025-01-01", "2025-06-30"),
                        ],
                    },
                ],
                journals: vec![gateway::OctopusJournal {
                    bookyear_id: 7,
                    journal_key: "V1".into(),
                    ..Default::default()
                }],
                vat_codes: vec![],
                accounts: vec![],
            },
            1111,
        )
        .unwrap();
        assert_eq!(snapshot.dossier_id, 1111);
        let bookyear = snapshot.open_bookyear_for(d("2024-12-31")).unwrap();
        assert_eq!((bookyear.id, bookyear.label.as_str()), (7, "with id 7"));
        assert_eq!(bookyear.period_for(d("2024-12-31")).unwrap().nr, 202407);
        assert!(snapshot.open_bookyear_for(d("2024-01-01")).is_none());
        assert_eq!(snapshot.bookyears_holding(d("2024-01-01"))[0].id, 6);
        assert!(snapshot.open_bookyear_for(d("2025-07-01")).is_none());
        assert_eq!(snapshot.journal(7, "V1").unwrap().journal_type, "V");
    }

    fn refusal(change: impl FnOnce(&mut gateway::DossierSnapshot)) -> String {
        let mut snapshot = gateway::DossierSnapshot {
            dossier_id: 1111,
            bookyears: vec![gateway::Bookyear {
                id: 1,
                description: "2025".into(),
                start_date: "2025-01-01".into(),
                end_date: "2025-12-31".into(),
                periods: vec![period(202501, "2025-01-01", "2025-01-31")],
                ..Default::default()
            }],
            ..Default::default()
        };
        change(&mut snapshot);
        Snapshot::from_proto(&snapshot, 1111)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn refuses_a_snapshot_with_a_malformed_date_or_range() {
        assert_eq!(
            refusal(|s| s.bookyears[0].end_date = "31/12/2025".into()),
            "snapshot.bookyears[0].end_date is not a date (YYYY-MM-DD): \"31/12/2025\" (bookyear 2025)"
        );
        assert_eq!(
            refusal(|s| s.bookyears[0].periods[0].start_date = String::new()),
            "snapshot.bookyears[0].periods[0].start_date is not a date (YYYY-MM-DD): \"\" (bookyear 2025)"
        );
        assert_eq!(
            refusal(|s| s.bookyears[0].periods[0].end_date = "2024-12-31".into()),
            "snapshot.bookyears[0].periods[0] ends before it starts: 2025-01-01 to 2024-12-31 \
             (bookyear 2025)"
        );
    }

    #[test]
    fn refuses_another_dossier_and_a_bad_base_percentage() {
        assert_eq!(
            refusal(|s| s.dossier_id = 2222),
            "snapshot.dossier_id is 2222, but the export profile is for Octopus dossier 1111: the \
             snapshot must be read from the profile's dossier"
        );
        assert_eq!(
            refusal(|s| s.vat_codes = vec![gateway::VatCode {
                code: "21".into(),
                base_percentage: "21 %".into(),
                ..Default::default()
            }]),
            "snapshot.vat_codes[0].base_percentage is not a decimal number: \"21 %\""
        );
    }
}
