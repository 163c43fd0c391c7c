//! `SimState`, the shared in-memory Octopus: users, dossiers, tokens, the simulator clock, call
//! counts, optional daily caps, latency and one-shot faults. Tests drive it through these methods.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::caps::daily_cap;
use crate::clock::{SimClock, brussels_day};
use crate::error::{ApiError, ErrorCode};
use crate::setup::DossierSetup;
use crate::store::{Dossier, StoredRelation};
use crate::token::TokenInfo;
use crate::wire::{Key, RelationData, RelationIdentification};

/// A one-shot misbehaviour for the next call of one endpoint (see [`SimState::inject_fault`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answers with this status and nothing applied; 502/503/504 carry a proxy's HTML page,
    /// other statuses an empty body.
    Status(u16),
    /// Applies the call, then answers with this status and an empty body, so the client cannot
    /// tell whether it worked.
    StatusAfterCommit(u16),
    /// Applies the call, then waits this long (real time) before answering: for client timeouts.
    DelayAfterCommit(Duration),
}

/// Errors of the test-facing setup methods.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SimError {
    /// No dossier with this id was added.
    #[error("unknown dossier {0}")]
    UnknownDossier(i32),
    /// No such journal in that bookyear.
    #[error("unknown journal {key} in bookyear {bookyear_id}")]
    UnknownJournal {
        /// Bookyear id.
        bookyear_id: i32,
        /// Journal key.
        key: String,
    },
    /// A saved state that cannot be read back.
    #[error("unreadable simulator state: {0}")]
    InvalidState(String),
    /// The relation JSON is not a `RelationServiceData`.
    #[error("invalid relation: {0}")]
    InvalidRelation(String),
}

/// A user who may log in. Not `Debug`: it holds a password.
pub(crate) struct User {
    pub(crate) password: String,
    pub(crate) software_house_uuid: String,
    pub(crate) dossier_ids: Vec<i32>,
    pub(crate) failed_attempts: u32,
    pub(crate) locked_until: Option<DateTime<Utc>>,
}

/// Everything behind the mutex.
#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) clock: SimClock,
    pub(crate) users: HashMap<String, User>,
    pub(crate) dossiers: BTreeMap<i32, Dossier>,
    pub(crate) tokens: HashMap<String, TokenInfo>,
    pub(crate) call_counts: BTreeMap<String, u64>,
    pub(crate) daily_usage: HashMap<(String, NaiveDate), u64>,
    pub(crate) daily_caps: bool,
    pub(crate) faults: HashMap<String, VecDeque<Fault>>,
    pub(crate) latency: Duration,
    pub(crate) skip_account_check: bool,
}

/// What the HTTP layer must do with one incoming call.
#[derive(Debug)]
pub(crate) struct CallPlan {
    pub(crate) rejected: Option<ApiError>,
    pub(crate) fault: Option<Fault>,
    pub(crate) latency: Duration,
}

/// The simulated Octopus. Cheap to clone; all clones share one state.
#[derive(Clone, Default)]
pub struct SimState {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for SimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimState").finish_non_exhaustive()
    }
}

impl SimState {
    /// Creates an empty simulator whose clock is the real clock.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data (no multi-step invariants are
        // half-written across an await), so a poisoned lock is still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds (or replaces) a user who may open `dossier_ids` with this software house uuid.
    pub fn add_user(
        &self,
        user: &str,
        password: &str,
        software_house_uuid: &str,
        dossier_ids: &[i32],
    ) {
        let record = User {
            password: password.to_owned(),
            software_house_uuid: software_house_uuid.to_owned(),
            dossier_ids: dossier_ids.to_vec(),
            failed_attempts: 0,
            locked_until: None,
        };
        self.lock().users.insert(user.to_owned(), record);
    }

    /// Adds a dossier, replacing any dossier with the same id (and its relations and bookings).
    pub fn add_dossier(&self, setup: DossierSetup) {
        let dossier = Dossier::from_setup(setup);
        self.lock().dossiers.insert(dossier.id, dossier);
    }

    /// Moves the simulator clock forward (token expiry, modified timestamps, daily caps).
    pub fn advance_clock(&self, by: Duration) {
        self.lock().clock.advance(by);
    }

    /// Returns the simulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().clock.now()
    }

    /// Returns relations, bookings and journals of a dossier exactly as Octopus would return them:
    /// `{"dossierId", "relations", "buySellBookings", "journals", "attachments"}` where
    /// attachments are `{bookyearKey, journalKey, documentSequenceNr, fileName, sizeBytes}`.
    /// An unknown dossier gives empty arrays.
    pub fn dump(&self, dossier_id: i32) -> serde_json::Value {
        self.lock()
            .dossiers
            .get(&dossier_id)
            .map(Dossier::dump)
            .unwrap_or_else(|| {
                serde_json::json!({"dossierId": dossier_id, "relations": [], "buySellBookings": [],
                               "journals": [], "attachments": []})
            })
    }

    /// Whether a dossier with this id exists.
    pub fn has_dossier(&self, dossier_id: i32) -> bool {
        self.lock().dossiers.contains_key(&dossier_id)
    }

    /// How many buy/sell bookings a dossier holds (0 for an unknown dossier).
    pub fn bookings_count(&self, dossier_id: i32) -> usize {
        self.lock()
            .dossiers
            .get(&dossier_id)
            .map_or(0, |dossier| dossier.bookings.len())
    }

    /// Serialises every dossier (reference data, relations, bookings) so the simulated Octopus
    /// can outlive the process, as the real one does. Users, tokens, counters and faults are
    /// not kept: whoever restores the state adds its users again.
    pub fn save_json(&self) -> String {
        let inner = self.lock();
        serde_json::to_string(&inner.dossiers)
            .expect("dossiers hold only strings, numbers, dates and decimals, which always serialise")
    }

    /// A simulator holding the dossiers saved by [`SimState::save_json`].
    pub fn restore_json(text: &str) -> Result<Self, SimError> {
        let dossiers: BTreeMap<i32, Dossier> = serde_json::from_str(text)
            .map_err(|error| SimError::InvalidState(error.to_string()))?;
        let state = Self::new();
        state.lock().dossiers = dossiers;
        Ok(state)
    }

    /// Returns how often each endpoint was called, keyed like `"POST /dossiers/{dossierId}/buysellbookings"`.
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        self.lock().call_counts.clone()
    }

    /// Forgets the call counts (daily-cap usage is kept).
    pub fn reset_call_counts(&self) {
        self.lock().call_counts.clear();
    }

    /// Switches Octopus's daily caps on or off (off by default). When on, each
    /// (dossier, endpoint) gets its documented number of calls per Europe/Brussels day; endpoints
    /// outside a dossier share one counter. Past the cap: 429 with errorCode -90.
    pub fn set_daily_caps(&self, enabled: bool) {
        self.lock().daily_caps = enabled;
    }

    /// Delays every answer by this much real time.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Queues a one-shot fault for the next call of `endpoint`, e.g.
    /// `"POST /dossiers/{dossierId}/buysellbookings"`. Several faults are used in order.
    pub fn inject_fault(&self, endpoint: &str, fault: Fault) {
        self.lock()
            .faults
            .entry(endpoint.to_owned())
            .or_default()
            .push_back(fault);
    }

    /// Turns the check that booking lines use existing accounts on or off (on by default).
    pub fn set_check_accounts(&self, enabled: bool) {
        self.lock().skip_account_check = !enabled;
    }

    /// Disables (403 on connect) or re-enables a dossier.
    pub fn set_dossier_disabled(&self, dossier_id: i32, disabled: bool) -> Result<(), SimError> {
        let mut inner = self.lock();
        let dossier = inner
            .dossiers
            .get_mut(&dossier_id)
            .ok_or(SimError::UnknownDossier(dossier_id))?;
        dossier.disabled = disabled;
        Ok(())
    }

    /// Locks a journal as a desktop user would (bookings get 403) or releases it.
    pub fn set_journal_locked(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        key: &str,
        locked: bool,
    ) -> Result<(), SimError> {
        let mut inner = self.lock();
        let dossier = inner
            .dossiers
            .get_mut(&dossier_id)
            .ok_or(SimError::UnknownDossier(dossier_id))?;
        if dossier.journal(bookyear_id, key).is_none() {
            return Err(SimError::UnknownJournal {
                bookyear_id,
                key: key.to_owned(),
            });
        }
        let entry = (bookyear_id, key.to_owned());
        if locked {
            dossier.locked_journals.insert(entry);
        } else {
            dossier.locked_journals.remove(&entry);
        }
        Ok(())
    }

    /// Sets a journal's `lastBookedDocumentNr`, as if someone booked in the desktop app.
    pub fn set_last_booked_document_nr(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        key: &str,
        nr: i32,
    ) -> Result<(), SimError> {
        let mut inner = self.lock();
        let dossier = inner
            .dossiers
            .get_mut(&dossier_id)
            .ok_or(SimError::UnknownDossier(dossier_id))?;
        let journal =
            dossier
                .journal_mut(bookyear_id, key)
                .ok_or_else(|| SimError::UnknownJournal {
                    bookyear_id,
                    key: key.to_owned(),
                })?;
        journal.last_booked_document_nr = nr;
        Ok(())
    }

    /// Adds a relation as if created in the Octopus UI (no checks, no defaults) and returns its
    /// key: `relationIdentificationServiceData.relationKey.id` if given, else the next free key.
    pub fn add_relation(
        &self,
        dossier_id: i32,
        relation: serde_json::Value,
    ) -> Result<i32, SimError> {
        let mut data: RelationData = serde_json::from_value(relation)
            .map_err(|e| SimError::InvalidRelation(e.to_string()))?;
        let mut inner = self.lock();
        let now = inner.clock.now();
        let dossier = inner
            .dossiers
            .get_mut(&dossier_id)
            .ok_or(SimError::UnknownDossier(dossier_id))?;
        let ident = data
            .relation_identification_service_data
            .clone()
            .unwrap_or_default();
        let key = ident
            .relation_key
            .map(|k| k.id)
            .filter(|&k| k > 0)
            .unwrap_or_else(|| dossier.next_relation_key());
        data.relation_identification_service_data = Some(RelationIdentification {
            relation_key: Some(Key { id: key }),
            external_relation_id: Some(ident.external_relation_id.unwrap_or(0)),
        });
        dossier.relations.insert(
            key,
            StoredRelation {
                data,
                modified_at: now,
            },
        );
        Ok(key)
    }

    /// Counts a call, applies the daily cap and picks its fault and latency.
    pub(crate) fn begin_call(
        &self,
        endpoint: &str,
        dossier_id: Option<i32>,
        relation_search: bool,
    ) -> CallPlan {
        let mut inner = self.lock();
        *inner.call_counts.entry(endpoint.to_owned()).or_insert(0) += 1;
        let mut rejected = None;
        if inner.daily_caps
            && let Some(cap) = daily_cap(endpoint, relation_search)
        {
            let scope = dossier_id.map_or_else(|| "-".to_owned(), |d| d.to_string());
            let search = if relation_search { " (search)" } else { "" };
            let day = brussels_day(inner.clock.now());
            let used = inner
                .daily_usage
                .entry((format!("{scope} {endpoint}{search}"), day))
                .or_insert(0);
            if *used >= cap {
                let info =
                    format!("Maximum allowed calls per day ({cap}) reached for {endpoint}{search}");
                rejected = Some(ApiError::coded(ErrorCode::DailyCapExceeded, info));
            } else {
                *used += 1;
            }
        }
        let fault = match rejected {
            Some(_) => None,
            None => inner.faults.get_mut(endpoint).and_then(VecDeque::pop_front),
        };
        CallPlan {
            rejected,
            fault,
            latency: inner.latency,
        }
    }
}
