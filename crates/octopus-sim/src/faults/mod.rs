//! Fault injection: what can go wrong on one call ([`Fault`]), rules that pick the calls it hits
//! ([`FaultRule`]: endpoint, dossier, trigger by count or probability, a limit) and their
//! bookkeeping while the simulator runs.

mod spec;

use std::time::Duration;

use crate::endpoints::Endpoint;
use crate::rng::SplitMix64;

pub use spec::parse_fault_spec;

/// How long `timeout` and `commit-timeout` hold a call when the SPEC gives no duration.
pub const DEFAULT_HANG: Duration = Duration::from_secs(120);
/// How long `lock-journal` keeps a journal locked (simulator clock) when the SPEC gives none.
pub const DEFAULT_LOCK: Duration = Duration::from_secs(300);

/// One misbehaviour of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answers with this status and nothing applied; 502/503/504 carry a proxy's HTML page,
    /// other statuses an empty body. SPEC: `500`, `502`, ...
    Status(u16),
    /// Applies the call, then answers with this status (body as for `Status`), so the client
    /// cannot tell whether it worked. SPEC: `commit-500`, ...
    StatusAfterCommit(u16),
    /// Applies the call, then waits this long (real time) before answering normally: the
    /// client times out although the call worked. SPEC: `commit-timeout[=DURATION]`.
    DelayAfterCommit(Duration),
    /// Closes the connection without answering; nothing applied. SPEC: `drop`.
    Drop,
    /// Applies the call, then closes the connection without answering. SPEC: `commit-drop`.
    DropAfterCommit,
    /// Holds the call this long (real time) without applying it, then answers 504 with a
    /// proxy's HTML page. SPEC: `timeout[=DURATION]`.
    Timeout(Duration),
    /// Locks the journal the booking names, as a desktop user who opened it would, for this
    /// long on the simulator clock; the call then meets the lock (403). Only for booking
    /// writes. SPEC: `lock-journal[=DURATION]`.
    LockJournal(Duration),
    /// Expires every token issued so far, then handles the call (which meets 401 if it needs a
    /// token). SPEC: `expire-tokens`.
    ExpireTokens,
}

/// When a rule fires, counting the calls that match its endpoint and dossier (1-based).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// Only the n-th matching call. SPEC `nth=N`; the default is `nth=1`.
    Nth(u64),
    /// Every n-th matching call (n, 2n, ...). SPEC `every=N`.
    Every(u64),
    /// Every matching call after the first n. SPEC `after=N`.
    After(u64),
    /// Each matching call with this probability (0–1), from the simulator's seeded generator.
    /// SPEC `p=P`.
    Probability(f64),
}

/// A rule: which calls a fault hits. Build one with [`parse_fault_spec`] or by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The endpoint it watches; `None` for every endpoint (`*`).
    pub endpoint: Option<Endpoint>,
    /// Only calls on this dossier (`/dossiers/{id}/...` or connect's `dossierId`).
    pub dossier_id: Option<i32>,
    /// What happens to a call it hits.
    pub fault: Fault,
    /// Which matching calls it hits.
    pub trigger: Trigger,
    /// At most this many hits (`times=N`); `None` is unlimited.
    pub times: Option<u64>,
}

impl FaultRule {
    /// A rule hitting the next call of `endpoint` once.
    pub fn once(endpoint: Endpoint, fault: Fault) -> Self {
        Self {
            endpoint: Some(endpoint),
            dossier_id: None,
            fault,
            trigger: Trigger::Nth(1),
            times: None,
        }
    }
}

/// A rule with its counters.
#[derive(Debug, Clone)]
pub(crate) struct ActiveRule {
    pub(crate) rule: FaultRule,
    pub(crate) seen: u64,
    pub(crate) fired: u64,
}

/// What a fault rule status looks like from outside (control API).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleStatus {
    /// The rule in SPEC form.
    pub rule: String,
    /// Matching calls seen so far.
    pub seen: u64,
    /// Times it fired.
    pub fired: u64,
}

impl ActiveRule {
    pub(crate) fn new(rule: FaultRule) -> Self {
        Self {
            rule,
            seen: 0,
            fired: 0,
        }
    }

    /// Counts a matching call and says whether the rule hits it. With `armed` false (an earlier
    /// rule already hit this call) the call is only counted.
    pub(crate) fn hits(
        &mut self,
        endpoint: Endpoint,
        dossier_id: Option<i32>,
        rng: &mut SplitMix64,
        armed: bool,
    ) -> bool {
        let rule = &self.rule;
        if rule.endpoint.is_some_and(|e| e != endpoint)
            || rule.dossier_id.is_some_and(|d| Some(d) != dossier_id)
            || (matches!(rule.fault, Fault::LockJournal(_))
                && !matches!(endpoint, Endpoint::BookingsPost | Endpoint::BookingsPut))
        {
            return false;
        }
        self.seen += 1;
        if !armed || rule.times.is_some_and(|limit| self.fired >= limit) {
            return false;
        }
        let hit = match rule.trigger {
            Trigger::Nth(n) => self.seen == n,
            Trigger::Every(n) => self.seen.is_multiple_of(n),
            Trigger::After(n) => self.seen > n,
            Trigger::Probability(p) => rng.next_f64() < p,
        };
        if hit {
            self.fired += 1;
        }
        hit
    }

    pub(crate) fn status(&self) -> RuleStatus {
        RuleStatus {
            rule: self.rule.to_string(),
            seen: self.seen,
            fired: self.fired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fire_pattern(rule: &str, calls: usize) -> Vec<bool> {
        let rule = parse_fault_spec(rule).unwrap().remove(0);
        let mut active = ActiveRule::new(rule);
        let mut rng = SplitMix64::new(7);
        (0..calls)
            .map(|_| active.hits(Endpoint::BookingsPost, Some(1), &mut rng, true))
            .collect()
    }

    #[test]
    fn triggers_count_matching_calls() {
        assert_eq!(
            fire_pattern("bookings:500", 3),
            [true, false, false],
            "default nth=1"
        );
        assert_eq!(fire_pattern("bookings:500@nth=2", 3), [false, true, false]);
        assert_eq!(
            fire_pattern("bookings:500@every=2", 5),
            [false, true, false, true, false]
        );
        assert_eq!(
            fire_pattern("*:500@after=3", 5),
            [false, false, false, true, true]
        );
        assert_eq!(
            fire_pattern("bookings:500@after=0@times=2", 4),
            [true, true, false, false]
        );
        assert_eq!(fire_pattern("bookings:500@p=1", 3), [true, true, true]);
        assert_eq!(fire_pattern("bookings:500@p=0", 3), [false, false, false]);
    }

    #[test]
    fn rules_ignore_other_endpoints_and_dossiers() {
        assert_eq!(fire_pattern("connect:500", 2), [false, false]);
        assert_eq!(fire_pattern("bookings#2:500", 2), [false, false]);
        assert_eq!(fire_pattern("bookings#1:500", 2), [true, false]);
    }

    #[test]
    fn probability_hits_about_that_share() {
        let hits = fire_pattern("bookings:500@p=0.25", 10_000)
            .into_iter()
            .filter(|&h| h)
            .count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
    }
}
