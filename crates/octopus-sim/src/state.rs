//! `SimState`, the shared in-memory Octopus: users, dossiers, tokens, the simulator clock, call
//! counts, daily caps, latency and faults. One mutex guards it all; no call holds it across an
//! await, and every write (a booking POST included) happens under it in one piece, so each call
//! is atomic. Setters for tests and the control API live in `state/settings.rs` and
//! `state/dossiers.rs`.

pub(crate) mod dossiers;
mod settings;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::caps::DailyCaps;
use crate::clock::SimClock;
use crate::endpoints::Endpoint;
use crate::error::ApiError;
use crate::faults::{ActiveRule, Fault};
use crate::rng::SplitMix64;
use crate::setup::DossierSetup;
use crate::store::Dossier;
use crate::token::{TOKEN_LIFETIME, TokenInfo};

/// Errors of the test-facing setup methods, fixtures and fault SPECs.
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
    /// A fault SPEC that does not parse.
    #[error("invalid fault SPEC {0}")]
    InvalidFaultSpec(String),
    /// A dossier fixture that does not parse or does not hold together.
    #[error("invalid fixture: {0}")]
    InvalidFixture(String),
    /// An endpoint name that is neither an alias nor a `"METHOD /template"` key.
    #[error("unknown endpoint {0}")]
    UnknownEndpoint(String),
}

/// A user who may log in. Not `Debug`: it holds a password.
pub(crate) struct User {
    pub(crate) password: String,
    pub(crate) software_house_uuid: String,
    pub(crate) dossier_ids: Vec<i32>,
    pub(crate) failed_attempts: u32,
    pub(crate) locked_until: Option<DateTime<Utc>>,
}

/// Failed logins in a row that lock a user, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lockout {
    pub(crate) threshold: u32,
    pub(crate) duration: chrono::Duration,
}

/// Everything behind the mutex.
pub(crate) struct Inner {
    pub(crate) clock: SimClock,
    pub(crate) users: HashMap<String, User>,
    pub(crate) dossiers: BTreeMap<i32, Dossier>,
    pub(crate) tokens: HashMap<String, TokenInfo>,
    pub(crate) token_ttl: chrono::Duration,
    pub(crate) lockout: Lockout,
    pub(crate) calls: [u64; Endpoint::ALL.len()],
    pub(crate) caps: DailyCaps,
    pub(crate) one_shot: HashMap<Endpoint, VecDeque<Fault>>,
    pub(crate) rules: Vec<ActiveRule>,
    pub(crate) rng: SplitMix64,
    pub(crate) latency: (Duration, Duration),
    pub(crate) skip_account_check: bool,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            clock: SimClock::default(),
            users: HashMap::new(),
            dossiers: BTreeMap::new(),
            tokens: HashMap::new(),
            token_ttl: TOKEN_LIFETIME,
            lockout: Lockout {
                threshold: crate::auth::LOCKOUT_THRESHOLD,
                duration: crate::auth::LOCKOUT_DURATION,
            },
            calls: [0; Endpoint::ALL.len()],
            caps: DailyCaps::default(),
            one_shot: HashMap::new(),
            rules: Vec::new(),
            rng: SplitMix64::from_entropy(),
            latency: (Duration::ZERO, Duration::ZERO),
            skip_account_check: false,
        }
    }
}

impl Inner {
    /// Marks every token as expired now.
    pub(crate) fn expire_tokens(&mut self) {
        let now = self.clock.now();
        for token in self.tokens.values_mut() {
            token.expires_at = token.expires_at.min(now);
        }
    }
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
        // A panic while holding the lock leaves consistent data (every write is checked first,
        // then applied), so a poisoned lock is still usable.
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
        let mut inner = self.lock();
        let dossier = Dossier::from_setup(setup, inner.clock.now());
        inner.dossiers.insert(dossier.id, dossier);
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

    /// Returns the ids of every dossier.
    pub fn dossier_ids(&self) -> Vec<i32> {
        self.lock().dossiers.keys().copied().collect()
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
    /// can outlive the process, as the real one does. Users, tokens, counters, timed journal
    /// locks and faults are not kept: whoever restores the state adds its users again.
    pub fn save_json(&self) -> String {
        let inner = self.lock();
        serde_json::to_string(&inner.dossiers).expect(
            "dossiers hold only strings, numbers, dates and decimals, which always serialise",
        )
    }

    /// A simulator holding the dossiers saved by [`SimState::save_json`].
    pub fn restore_json(text: &str) -> Result<Self, SimError> {
        let dossiers: BTreeMap<i32, Dossier> = serde_json::from_str(text)
            .map_err(|error| SimError::InvalidState(error.to_string()))?;
        let state = Self::new();
        state.lock().dossiers = dossiers;
        Ok(state)
    }

    /// Returns how often each endpoint was called, keyed like `"POST /dossiers/{dossierId}/buysellbookings"`;
    /// endpoints never called are left out.
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        let calls = self.lock().calls;
        Endpoint::ALL
            .into_iter()
            .filter(|e| calls[e.index()] > 0)
            .map(|e| (e.key(), calls[e.index()]))
            .collect()
    }

    /// Forgets the call counts (daily-cap usage is kept).
    pub fn reset_call_counts(&self) {
        self.lock().calls = [0; Endpoint::ALL.len()];
    }

    /// Counts a call, applies the daily cap and picks its fault and latency. `expire-tokens`
    /// takes effect here, before the call is handled.
    pub(crate) fn begin_call(
        &self,
        endpoint: Endpoint,
        dossier_id: Option<i32>,
        relation_search: bool,
    ) -> CallPlan {
        let mut guard = self.lock();
        let inner = &mut *guard;
        inner.calls[endpoint.index()] += 1;
        let now = inner.clock.now();
        let rejected = inner
            .caps
            .admit(endpoint, dossier_id, relation_search, now)
            .err();
        let mut fault = None;
        if rejected.is_none() {
            fault = inner
                .one_shot
                .get_mut(&endpoint)
                .and_then(VecDeque::pop_front);
            // Every rule counts every call it matches; the first one that fires wins.
            for rule in &mut inner.rules {
                let armed = fault.is_none();
                if rule.hits(endpoint, dossier_id, &mut inner.rng, armed) {
                    fault = Some(rule.rule.fault.clone());
                }
            }
        }
        if fault == Some(Fault::ExpireTokens) {
            inner.expire_tokens();
        }
        let (fixed, jitter) = inner.latency;
        let jitter_ms = u64::try_from(jitter.as_millis()).unwrap_or(u64::MAX);
        let latency = if jitter_ms == 0 {
            fixed
        } else {
            fixed + Duration::from_millis(inner.rng.up_to(jitter_ms))
        };
        CallPlan {
            rejected,
            fault,
            latency,
        }
    }
}
