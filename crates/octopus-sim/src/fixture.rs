//! Dossier fixtures: one JSON document with users and dossiers (bookyears, journals, VAT codes,
//! accounts, relations) that `--fixture FILE` and `POST /_sim/fixtures` load in one step.
//! The format is in the crate README; field names are snake_case like [`DossierSetup`], except
//! relations, which are Octopus `RelationServiceData` (camelCase).

use serde::{Deserialize, Serialize};

use crate::setup::{
    AccountSetup, BookyearSetup, DossierSetup, JournalSetup, VatCodeSetup, standard_vat_codes,
};
use crate::state::dossiers::insert_ui_relation;
use crate::state::{SimError, SimState};
use crate::store::Dossier;
use crate::wire::RelationData;

/// Users and dossiers to load.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Users who may log in.
    #[serde(default)]
    pub users: Vec<UserFixture>,
    /// Dossiers; one with the id of an existing dossier replaces it.
    #[serde(default)]
    pub dossiers: Vec<DossierFixture>,
}

/// A user of a fixture. Its `Debug` hides the password.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    /// Login name.
    pub user: String,
    /// Password.
    pub password: String,
    /// The software house uuid the user logs in with.
    pub software_house_uuid: String,
    /// Dossiers the user may open.
    pub dossier_ids: Vec<i32>,
}

impl std::fmt::Debug for UserFixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserFixture")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("dossier_ids", &self.dossier_ids)
            .finish_non_exhaustive()
    }
}

/// A bookyear: a calendar year with monthly periods `YYYYMM`, or every field spelled out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BookyearFixture {
    /// `{"id": 2, "calendar_year": 2025, "closed": false}`.
    #[serde(rename_all = "snake_case")]
    Calendar {
        /// `bookyearKey.id`.
        id: i32,
        /// The calendar year.
        calendar_year: i32,
        /// A closed bookyear refuses bookings.
        #[serde(default)]
        closed: bool,
    },
    /// A [`BookyearSetup`] with its periods.
    Full(BookyearSetup),
}

/// One dossier of a fixture.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierFixture {
    /// Dossier id.
    pub id: i32,
    /// `dossierDescription`.
    pub name: String,
    /// A disabled dossier answers 403 on connect.
    #[serde(default)]
    pub disabled: bool,
    /// Bookyears.
    pub bookyears: Vec<BookyearFixture>,
    /// Journals.
    #[serde(default)]
    pub journals: Vec<JournalSetup>,
    /// VAT codes; [`standard_vat_codes`] when left out.
    #[serde(default = "standard_vat_codes")]
    pub vat_codes: Vec<VatCodeSetup>,
    /// Accounts.
    #[serde(default)]
    pub accounts: Vec<AccountSetup>,
    /// Relations as Octopus returns them (`RelationServiceData`), stored as if made in the UI.
    #[serde(default)]
    pub relations: Vec<serde_json::Value>,
}

/// What a fixture loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixtureSummary {
    /// Dossier ids loaded.
    pub dossiers: Vec<i32>,
    /// User names loaded.
    pub users: Vec<String>,
    /// Relations loaded, over all dossiers.
    pub relations: usize,
}

impl Fixture {
    /// Parses a fixture from JSON.
    pub fn from_json(text: &str) -> Result<Self, SimError> {
        serde_json::from_str(text).map_err(|e| SimError::InvalidFixture(e.to_string()))
    }
}

fn invalid(dossier: i32, why: impl std::fmt::Display) -> SimError {
    SimError::InvalidFixture(format!("dossier {dossier}: {why}"))
}

impl DossierFixture {
    /// Converts to a checked setup and relations.
    fn prepare(&self) -> Result<(DossierSetup, Vec<RelationData>), SimError> {
        let id = self.id;
        let bookyears: Vec<BookyearSetup> = self
            .bookyears
            .iter()
            .map(|b| match b {
                BookyearFixture::Calendar {
                    id,
                    calendar_year,
                    closed,
                } => BookyearSetup {
                    closed: *closed,
                    ..BookyearSetup::calendar_year(*id, *calendar_year)
                },
                BookyearFixture::Full(setup) => setup.clone(),
            })
            .collect();
        for (i, b) in bookyears.iter().enumerate() {
            if bookyears[..i].iter().any(|o| o.id == b.id) {
                return Err(invalid(id, format!("bookyear {} appears twice", b.id)));
            }
            if b.periods
                .iter()
                .any(|p| p.start > p.end || p.start < b.start || p.end > b.end)
            {
                return Err(invalid(
                    id,
                    format!("bookyear {} has a period outside its dates", b.id),
                ));
            }
        }
        let known = |bookyear: i32| bookyears.iter().any(|b| b.id == bookyear);
        for (i, j) in self.journals.iter().enumerate() {
            if !known(j.bookyear_id) {
                return Err(invalid(
                    id,
                    format!("journal {} names unknown bookyear {}", j.key, j.bookyear_id),
                ));
            }
            if !j.key.starts_with(['A', 'V', 'F', 'D', 'L']) {
                return Err(invalid(
                    id,
                    format!("journal key {} must start with A, V, F, D or L", j.key),
                ));
            }
            if self.journals[..i]
                .iter()
                .any(|o| o.bookyear_id == j.bookyear_id && o.key == j.key)
            {
                return Err(invalid(
                    id,
                    format!(
                        "journal {} appears twice in bookyear {}",
                        j.key, j.bookyear_id
                    ),
                ));
            }
        }
        if let Some(a) = self.accounts.iter().find(|a| !known(a.bookyear_id)) {
            return Err(invalid(
                id,
                format!(
                    "account {} names unknown bookyear {}",
                    a.number, a.bookyear_id
                ),
            ));
        }
        if let Some(v) = self
            .vat_codes
            .iter()
            .find(|v| !(1..=4).contains(&v.vat_type))
        {
            return Err(invalid(
                id,
                format!("VAT code {} has type {} (use 1-4)", v.code, v.vat_type),
            ));
        }
        let relations = self
            .relations
            .iter()
            .map(|r| serde_json::from_value::<RelationData>(r.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(id, format!("relation: {e}")))?;
        let setup = DossierSetup {
            id,
            name: self.name.clone(),
            bookyears,
            journals: self.journals.clone(),
            vat_codes: self.vat_codes.clone(),
            accounts: self.accounts.clone(),
        };
        Ok((setup, relations))
    }
}

impl SimState {
    /// Loads a fixture in one step: every part is checked first, then dossiers (replacing any
    /// with the same id), their relations and the users are added together.
    pub fn load_fixture(&self, fixture: &Fixture) -> Result<FixtureSummary, SimError> {
        let prepared = fixture
            .dossiers
            .iter()
            .map(|d| d.prepare().map(|p| (d.disabled, p)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut inner = self.lock();
        for user in &fixture.users {
            let unknown = user.dossier_ids.iter().find(|&&d| {
                !inner.dossiers.contains_key(&d) && !fixture.dossiers.iter().any(|f| f.id == d)
            });
            if let Some(d) = unknown {
                return Err(SimError::InvalidFixture(format!(
                    "user {} may open dossier {d}, which is not in the fixture or the simulator",
                    user.user
                )));
            }
        }
        let now = inner.clock.now();
        let mut summary = FixtureSummary {
            dossiers: Vec::new(),
            users: Vec::new(),
            relations: 0,
        };
        for (disabled, (setup, relations)) in prepared {
            let mut dossier = Dossier::from_setup(setup, now);
            dossier.disabled = disabled;
            summary.relations += relations.len();
            for relation in relations {
                insert_ui_relation(&mut dossier, relation, now);
            }
            summary.dossiers.push(dossier.id);
            inner.dossiers.insert(dossier.id, dossier);
        }
        drop(inner);
        for user in &fixture.users {
            self.add_user(
                &user.user,
                &user.password,
                &user.software_house_uuid,
                &user.dossier_ids,
            );
            summary.users.push(user.user.clone());
        }
        Ok(summary)
    }

    /// Parses and loads a JSON fixture (see [`SimState::load_fixture`]).
    pub fn load_fixture_json(&self, text: &str) -> Result<FixtureSummary, SimError> {
        self.load_fixture(&Fixture::from_json(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = r#"{
      "users": [{"user": "u", "password": "p", "software_house_uuid": "s", "dossier_ids": [7]}],
      "dossiers": [{
        "id": 7, "name": "Garage", "bookyears": [{"id": 1, "calendar_year": 2025}],
        "journals": [{"bookyear_id": 1, "key": "V1", "name": "VERKOOP"}],
        "accounts": [{"bookyear_id": 1, "number": 700000, "description_nl": "Omzet"}],
        "relations": [{"relationIdentificationServiceData": {"externalRelationId": 5},
                       "name": "Klant", "client": true, "currencyCode": "EUR"}]
      }]
    }"#;

    #[test]
    fn a_fixture_loads_dossiers_relations_and_users_with_defaults() {
        let state = SimState::new();
        let summary = state.load_fixture_json(FIXTURE).unwrap();
        assert_eq!(summary.dossiers, [7]);
        assert_eq!(summary.relations, 1);
        let dump = state.dump(7);
        assert_eq!(
            dump["relations"][0]["relationIdentificationServiceData"]["relationKey"]["id"],
            1
        );
        assert_eq!(dump["journals"][0]["insertionType"], 1);
        assert_eq!(dump["journals"][0]["lastBookedDocumentNr"], 0);
        let inner = state.lock();
        assert_eq!(
            inner.dossiers[&7].vat_codes.len(),
            standard_vat_codes().len()
        );
        assert_eq!(inner.dossiers[&7].bookyears[0].periods.len(), 12);
    }

    #[test]
    fn inconsistent_fixtures_are_refused_whole() {
        let state = SimState::new();
        let bad = FIXTURE.replace(
            r#""bookyear_id": 1, "key": "V1""#,
            r#""bookyear_id": 9, "key": "V1""#,
        );
        let error = state.load_fixture_json(&bad).unwrap_err().to_string();
        assert!(error.contains("unknown bookyear 9"), "{error}");
        assert!(!state.has_dossier(7));
        let typo = FIXTURE.replace("\"accounts\"", "\"acounts\"");
        assert!(
            state
                .load_fixture_json(&typo)
                .unwrap_err()
                .to_string()
                .contains("acounts")
        );
        let stranger = FIXTURE.replace("[7]", "[8]");
        assert!(
            state
                .load_fixture_json(&stranger)
                .unwrap_err()
                .to_string()
                .contains("dossier 8")
        );
    }
}
