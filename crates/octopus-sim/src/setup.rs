//! What a test or the demo hands the simulator to create a dossier: bookyears with periods,
//! journals, VAT codes and accounts, plus the standard Belgian VAT codes and the demo dossier.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A dossier to create in the simulator with [`crate::SimState::add_dossier`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DossierSetup {
    /// Octopus dossier id (`dossierKey.id`).
    pub id: i32,
    /// `dossierDescription`.
    pub name: String,
    /// Bookyears with their periods.
    pub bookyears: Vec<BookyearSetup>,
    /// Journals; each belongs to one bookyear.
    pub journals: Vec<JournalSetup>,
    /// VAT codes of the dossier (shared by all bookyears).
    pub vat_codes: Vec<VatCodeSetup>,
    /// General-ledger accounts; each belongs to one bookyear.
    pub accounts: Vec<AccountSetup>,
}

/// One bookyear (`BookyearServiceData`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BookyearSetup {
    /// `bookyearKey.id`: a small internal integer, not the calendar year.
    pub id: i32,
    /// `bookyearDescription`.
    #[serde(default)]
    pub description: String,
    /// First day of the bookyear.
    pub start: NaiveDate,
    /// Last day of the bookyear.
    pub end: NaiveDate,
    /// A closed bookyear refuses bookings.
    #[serde(default)]
    pub closed: bool,
    /// The periods, in order.
    pub periods: Vec<PeriodSetup>,
}

/// One period of a bookyear (`{bookyearPeriod, startDate, endDate}`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PeriodSetup {
    /// `bookyearPeriod`, e.g. 202403.
    pub nr: i32,
    /// First day of the period.
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
}

/// One journal of one bookyear (`JournalServiceData`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct JournalSetup {
    /// The bookyear this journal belongs to.
    pub bookyear_id: i32,
    /// `journalKey`, e.g. "V1".
    pub key: String,
    /// `name`, e.g. "VERKOOP".
    #[serde(default)]
    pub name: String,
    /// `lastBookedDocumentNr`: the next booking must carry this + 1 (default 0).
    #[serde(default)]
    pub last_booked_document_nr: i32,
    /// `insertionType`: 1 bookings (default), 2/3 invoices, 4/5 delivery notes.
    #[serde(default = "bookings_insertion")]
    pub insertion_type: i32,
    /// A closed journal answers 403 (default false).
    #[serde(default)]
    pub closed: bool,
    /// `protectedPeriod`: bookings only in periods greater than this (default 0).
    #[serde(default)]
    pub protected_period: i32,
    /// `closedPeriod`: bookings only in periods greater than this (default 0).
    #[serde(default)]
    pub closed_period: i32,
}

fn bookings_insertion() -> i32 {
    1
}

/// One VAT code (`VatCodeServiceData`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VatCodeSetup {
    /// `code`, the key used as `vatCodeKey` in booking lines.
    pub code: String,
    /// `description`.
    pub description: String,
    /// `type`: 1 BUY, 2 SELL, 3 BUY_CREDIT_NOTE, 4 SELL_CREDIT_NOTE.
    pub vat_type: i32,
    /// `basePercentage`, e.g. 21.
    pub base_percentage: Decimal,
}

/// One general-ledger account of one bookyear (`AccountServiceData`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AccountSetup {
    /// The bookyear this account belongs to.
    pub bookyear_id: i32,
    /// Account number, e.g. 700000.
    pub number: i32,
    /// Dutch description.
    #[serde(default)]
    pub description_nl: String,
    /// French description.
    #[serde(default)]
    pub description_fr: String,
}

impl BookyearSetup {
    /// Returns an open calendar-year bookyear with twelve monthly periods numbered YYYYMM.
    pub fn calendar_year(id: i32, year: i32) -> Self {
        let periods = (1..=12u32)
            .filter_map(|month| {
                let start = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                let end = next.pred_opt()?;
                // month fits in i32: it is at most 12.
                Some(PeriodSetup {
                    nr: year * 100 + month as i32,
                    start,
                    end,
                })
            })
            .collect::<Vec<_>>();
        let start = periods.first().map_or(NaiveDate::MIN, |p| p.start);
        let end = periods.last().map_or(NaiveDate::MIN, |p| p.end);
        Self {
            id,
            description: year.to_string(),
            start,
            end,
            closed: false,
            periods,
        }
    }

    /// Returns the period whose date range holds `date`.
    pub fn period_for(&self, date: NaiveDate) -> Option<&PeriodSetup> {
        self.periods
            .iter()
            .find(|p| p.start <= date && date <= p.end)
    }
}

impl JournalSetup {
    /// Returns an open journal with no bookings and no protected or closed period.
    pub fn new(bookyear_id: i32, key: &str, name: &str, insertion_type: i32) -> Self {
        Self {
            bookyear_id,
            key: key.to_owned(),
            name: name.to_owned(),
            last_booked_document_nr: 0,
            insertion_type,
            closed: false,
            protected_period: 0,
            closed_period: 0,
        }
    }
}

impl AccountSetup {
    /// Returns an account with its Dutch and French descriptions.
    pub fn new(bookyear_id: i32, number: i32, nl: &str, fr: &str) -> Self {
        Self {
            bookyear_id,
            number,
            description_nl: nl.to_owned(),
            description_fr: fr.to_owned(),
        }
    }
}

fn vat(code: &str, description: &str, vat_type: i32, percentage: i64) -> VatCodeSetup {
    VatCodeSetup {
        code: code.to_owned(),
        description: description.to_owned(),
        vat_type,
        base_percentage: Decimal::from(percentage),
    }
}

/// Standard Belgian sales and purchase VAT codes: sales "21", "12", "06", "00" (type 2), "IC"
/// intra-EU services 0 %, "EX" export 0 %, "MC" Belgian reverse charge (medecontractant) 0 %,
/// "VR" exempt 0 %, and purchase codes "D21", "D06" (type 1).
pub fn standard_vat_codes() -> Vec<VatCodeSetup> {
    vec![
        vat("21", "Verkopen 21%", 2, 21),
        vat("12", "Verkopen 12%", 2, 12),
        vat("06", "Verkopen 6%", 2, 6),
        vat("00", "Verkopen 0%", 2, 0),
        vat("IC", "Intracommunautaire diensten", 2, 0),
        vat("EX", "Uitvoer buiten EU", 2, 0),
        vat("MC", "Medecontractant", 2, 0),
        vat("VR", "Vrijgestelde verkopen", 2, 0),
        vat("D21", "Aankopen handelsgoederen 21%", 1, 21),
        vat("D06", "Aankopen handelsgoederen 6%", 1, 6),
    ]
}

/// The demo dossier of `octopus-sim --demo`: user, password, software house uuid and dossier id.
#[derive(Debug, Clone)]
pub struct DemoCredentials {
    /// Octopus user name.
    pub user: String,
    /// Its password (a fixed, public demo value).
    pub password: String,
    /// The software house uuid to send as `softwareHouseUuid`.
    pub software_house_uuid: String,
    /// The demo dossier id.
    pub dossier_id: i32,
}

/// Returns the demo credentials and dossier: calendar bookyears 2024 (id 1), 2025 (id 2) and
/// 2026 (id 3) with monthly periods; per bookyear the sales journals V1 and V2 (bookings,
/// insertionType 1), V3 (invoices, insertionType 2) and the purchase journal A1; the standard
/// VAT codes; revenue accounts 700000–708000 and the customers account 400000.
pub fn demo_dossier() -> (DemoCredentials, DossierSetup) {
    let credentials = DemoCredentials {
        user: "demo@octopus-sim.invalid".to_owned(),
        password: "demo-password".to_owned(),
        software_house_uuid: "6f1c8a52-3d4e-4b7a-9c11-0d5e2f7a8b90".to_owned(),
        dossier_id: 12345,
    };
    let bookyears: Vec<BookyearSetup> = [(1, 2024), (2, 2025), (3, 2026)]
        .into_iter()
        .map(|(id, year)| BookyearSetup::calendar_year(id, year))
        .collect();
    let mut journals = Vec::new();
    let mut accounts = Vec::new();
    for by in &bookyears {
        journals.push(JournalSetup::new(by.id, "V1", "VERKOOP", 1));
        journals.push(JournalSetup::new(by.id, "V2", "VERKOOP CARROSSERIE", 1));
        journals.push(JournalSetup::new(by.id, "V3", "Verkoopsfacturen", 2));
        journals.push(JournalSetup::new(by.id, "A1", "AANKOPEN", 1));
        for (number, nl, fr) in [
            (
                400000,
                "Handelsvorderingen klanten",
                "Créances commerciales clients",
            ),
            (700000, "Omzet", "Chiffre d'affaires"),
            (
                700100,
                "Omzet herstellingen",
                "Chiffre d'affaires réparations",
            ),
            (700200, "Omzet onderdelen", "Chiffre d'affaires pièces"),
            (
                701000,
                "Omzet intracommunautair",
                "Chiffre d'affaires intracommunautaire",
            ),
            (702000, "Omzet uitvoer", "Chiffre d'affaires exportation"),
            (
                704000,
                "Omzet medecontractant",
                "Chiffre d'affaires cocontractant",
            ),
            (708000, "Toegestane kortingen", "Remises accordées"),
        ] {
            accounts.push(AccountSetup::new(by.id, number, nl, fr));
        }
    }
    let setup = DossierSetup {
        id: credentials.dossier_id,
        name: "Demo Carrosserie BV".to_owned(),
        bookyears,
        journals,
        vat_codes: standard_vat_codes(),
        accounts,
    };
    (credentials, setup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_year_has_twelve_yyyymm_periods_covering_the_year() {
        let by = BookyearSetup::calendar_year(3, 2024);
        assert_eq!(by.periods.len(), 12);
        assert_eq!(by.periods[1].nr, 202402);
        assert_eq!(
            by.periods[1].end,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(by.start, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        assert_eq!(by.end, NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        let d = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        assert_eq!(by.period_for(d).map(|p| p.nr), Some(202412));
    }

    #[test]
    fn demo_dossier_has_three_years_and_booking_journals() {
        let (creds, setup) = demo_dossier();
        assert_eq!(setup.id, creds.dossier_id);
        assert_eq!(setup.bookyears.len(), 3);
        let v3 = setup.journals.iter().find(|j| j.key == "V3").unwrap();
        assert_eq!(v3.insertion_type, 2);
        assert!(setup.vat_codes.iter().any(|v| v.code == "MC"));
    }
}
