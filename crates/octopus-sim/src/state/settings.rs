//! How the simulator behaves, set by tests, the control API and command-line flags: clock,
//! token lifetime, login lock-out, daily caps, latency, faults and the random seed.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{SimError, SimState};
use crate::caps::{CapsStatus, budget};
use crate::endpoints::Endpoint;
use crate::faults::{ActiveRule, Fault, FaultRule, RuleStatus};
use crate::rng::SplitMix64;

fn chrono_duration(d: Duration) -> chrono::Duration {
    // Durations beyond chrono's range (hundreds of millions of years) are clamped.
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl SimState {
    /// Moves the simulator clock forward (token expiry, modified timestamps, daily caps).
    pub fn advance_clock(&self, by: Duration) {
        self.lock().clock.advance(by);
    }

    /// Sets the simulator clock, forwards or backwards. `frozen`: time stands still until
    /// advanced or set again; otherwise it runs on from `now` at real speed.
    pub fn set_clock(&self, now: DateTime<Utc>, frozen: bool) {
        self.lock().clock.set(now, frozen);
    }

    /// Returns the simulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().clock.now()
    }

    /// Whether the simulator clock is frozen.
    pub fn clock_frozen(&self) -> bool {
        self.lock().clock.is_frozen()
    }

    /// Sets the lifetime of tokens issued from now on (both kinds; 10 minutes by default).
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.lock().token_ttl = chrono_duration(ttl);
    }

    /// Returns the lifetime of newly issued tokens.
    pub fn token_ttl(&self) -> Duration {
        self.lock().token_ttl.to_std().unwrap_or_default()
    }

    /// Expires every token issued so far: the next call with one gets 401 -80 "Token expired".
    pub fn expire_tokens(&self) {
        self.lock().expire_tokens();
    }

    /// Sets the login lock-out: after `threshold` failed logins in a row a user is refused
    /// for `duration` on the simulator clock, even with the right password. 0 never locks.
    /// Defaults: [`crate::LOCKOUT_THRESHOLD`], [`crate::LOCKOUT_DURATION`].
    pub fn set_lockout(&self, threshold: u32, duration: Duration) {
        let mut inner = self.lock();
        inner.lockout.threshold = threshold;
        inner.lockout.duration = chrono_duration(duration);
    }

    /// Switches Octopus's daily caps on or off (off by default). When on, each
    /// (dossier, endpoint) gets its documented number of calls per Europe/Brussels day; endpoints
    /// outside a dossier share one counter. Past the cap: 429 with errorCode -90.
    pub fn set_daily_caps(&self, enabled: bool) {
        self.lock().caps.enabled = enabled;
    }

    /// Overrides one endpoint's daily cap: `name` is an alias (`bookings`, `vatcodes`, ...,
    /// `relations-search` for relation searches) or a `"METHOD /template"` key; `None` lifts
    /// the cap. Takes effect when caps are switched on.
    pub fn set_daily_cap(&self, name: &str, cap: Option<u64>) -> Result<(), SimError> {
        let budget = budget(name).ok_or_else(|| SimError::UnknownEndpoint(name.to_owned()))?;
        self.lock().caps.set(budget, cap);
        Ok(())
    }

    /// Returns whether caps are on and the cap of every endpoint.
    pub fn daily_caps(&self) -> CapsStatus {
        self.lock().caps.status()
    }

    /// Delays every answer by `fixed` plus a uniform random part in `[0, jitter]` (real time,
    /// millisecond resolution).
    pub fn set_latency(&self, fixed: Duration, jitter: Duration) {
        self.lock().latency = (fixed, jitter);
    }

    /// Returns the latency as (fixed, jitter).
    pub fn latency(&self) -> (Duration, Duration) {
        self.lock().latency
    }

    /// Seeds the generator behind jitter and probabilistic faults, so a run can be replayed.
    pub fn set_seed(&self, seed: u64) {
        self.lock().rng = SplitMix64::new(seed);
    }

    /// Queues a one-shot fault for the next call of `endpoint`, given by key (e.g.
    /// `"POST /dossiers/{dossierId}/buysellbookings"`) or alias (`"bookings"`). Several faults
    /// are used in order, before any fault rule. An unknown endpoint is ignored with a warning.
    pub fn inject_fault(&self, endpoint: &str, fault: Fault) {
        match Endpoint::parse(endpoint) {
            Some(endpoint) => self
                .lock()
                .one_shot
                .entry(endpoint)
                .or_default()
                .push_back(fault),
            None => tracing::warn!(endpoint, "inject_fault: unknown endpoint, fault ignored"),
        }
    }

    /// Adds fault rules (e.g. from [`crate::parse_fault_spec`]) after the existing ones. Rules
    /// are checked in order; every rule counts every call it matches; the first that fires
    /// decides the call's fault.
    pub fn add_fault_rules(&self, rules: impl IntoIterator<Item = FaultRule>) {
        self.lock()
            .rules
            .extend(rules.into_iter().map(ActiveRule::new));
    }

    /// Returns the fault rules with how many calls each matched and hit.
    pub fn fault_rules(&self) -> Vec<RuleStatus> {
        self.lock().rules.iter().map(ActiveRule::status).collect()
    }

    /// Removes every fault rule and queued one-shot fault.
    pub fn clear_faults(&self) {
        let mut inner = self.lock();
        inner.rules.clear();
        inner.one_shot.clear();
    }

    /// Turns the check that booking lines use existing accounts on or off (on by default).
    pub fn set_check_accounts(&self, enabled: bool) {
        self.lock().skip_account_check = !enabled;
    }
}
