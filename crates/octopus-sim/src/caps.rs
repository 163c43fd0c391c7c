//! Octopus's daily call caps ("Maximum allowed calls per day: N"): counted per dossier and
//! endpoint per Europe/Brussels day on the simulator clock, with per-endpoint overrides. Off
//! until switched on. Past a cap: 429 with errorCode -90 (Octopus's own answer is unknown).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::brussels_day;
use crate::endpoints::{Endpoint, RELATION_SEARCH_ALIAS, RELATION_SEARCH_CAP};
use crate::error::{ApiError, ErrorCode};

/// Which budget a call draws on: the endpoint, and for `GET /relations` list or search.
type Budget = (Endpoint, bool);

/// Cap settings and today's usage.
#[derive(Debug, Default)]
pub(crate) struct DailyCaps {
    pub(crate) enabled: bool,
    /// `Some(n)`: cap n; `None`: no cap. Budgets not listed keep Octopus's documented cap.
    overrides: HashMap<Budget, Option<u64>>,
    day: Option<NaiveDate>,
    /// Calls admitted today per (dossier, budget); calls outside a dossier use dossier -1.
    used: HashMap<(i32, Budget), u64>,
}

/// The caps in force, as the control API shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CapsStatus {
    /// Whether caps are enforced.
    pub enabled: bool,
    /// Cap per alias (`relations-search` for relation searches); `null` means uncapped.
    pub caps: BTreeMap<String, Option<u64>>,
}

/// Resolves a cap name: an endpoint alias or key, or `relations-search`.
pub(crate) fn budget(name: &str) -> Option<Budget> {
    if name.trim() == RELATION_SEARCH_ALIAS {
        return Some((Endpoint::Relations, true));
    }
    Endpoint::parse(name).map(|e| (e, false))
}

fn documented(budget: Budget) -> Option<u64> {
    match budget {
        (Endpoint::Relations, true) => Some(RELATION_SEARCH_CAP),
        (endpoint, _) => endpoint.default_cap(),
    }
}

impl DailyCaps {
    fn cap(&self, budget: Budget) -> Option<u64> {
        self.overrides
            .get(&budget)
            .copied()
            .unwrap_or_else(|| documented(budget))
    }

    /// Overrides one budget's cap (`None`: uncapped).
    pub(crate) fn set(&mut self, budget: Budget, cap: Option<u64>) {
        self.overrides.insert(budget, cap);
    }

    /// Returns every cap in force, by alias.
    pub(crate) fn status(&self) -> CapsStatus {
        let mut caps = BTreeMap::new();
        for endpoint in Endpoint::ALL {
            caps.insert(endpoint.alias().to_owned(), self.cap((endpoint, false)));
        }
        caps.insert(
            RELATION_SEARCH_ALIAS.to_owned(),
            self.cap((Endpoint::Relations, true)),
        );
        CapsStatus {
            enabled: self.enabled,
            caps,
        }
    }

    /// Admits a call or refuses it with 429 / -90 when its budget for today is used up.
    pub(crate) fn admit(
        &mut self,
        endpoint: Endpoint,
        dossier_id: Option<i32>,
        relation_search: bool,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        let budget = (endpoint, endpoint == Endpoint::Relations && relation_search);
        let Some(cap) = self.cap(budget) else {
            return Ok(());
        };
        let today = brussels_day(now);
        if self.day != Some(today) {
            // A new Brussels day: every budget starts again.
            self.day = Some(today);
            self.used.clear();
        }
        let used = self
            .used
            .entry((dossier_id.unwrap_or(-1), budget))
            .or_insert(0);
        if *used >= cap {
            let search = if budget.1 { " (search)" } else { "" };
            let info = format!(
                "Maximum allowed calls per day ({cap}) reached for {}{search}",
                endpoint.key()
            );
            return Err(ApiError::coded(ErrorCode::DailyCapExceeded, info));
        }
        *used += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn caps_count_per_dossier_and_reset_at_brussels_midnight() {
        let mut caps = DailyCaps {
            enabled: true,
            ..DailyCaps::default()
        };
        // 22:30 UTC on 30 June is 00:30 on 1 July in Brussels (summer time).
        let evening = Utc.with_ymd_and_hms(2025, 6, 30, 21, 30, 0).unwrap();
        let after_midnight = Utc.with_ymd_and_hms(2025, 6, 30, 22, 30, 0).unwrap();
        for _ in 0..2 {
            assert!(
                caps.admit(Endpoint::VatCodes, Some(1), false, evening)
                    .is_ok()
            );
        }
        let refused = caps
            .admit(Endpoint::VatCodes, Some(1), false, evening)
            .unwrap_err();
        assert_eq!(refused.status.as_u16(), 429);
        assert!(
            caps.admit(Endpoint::VatCodes, Some(2), false, evening)
                .is_ok()
        );
        assert!(
            caps.admit(Endpoint::VatCodes, Some(1), false, after_midnight)
                .is_ok()
        );
    }

    #[test]
    fn overrides_change_or_lift_a_cap_and_searches_have_their_own_budget() {
        let mut caps = DailyCaps {
            enabled: true,
            ..DailyCaps::default()
        };
        let now = Utc::now();
        caps.set((Endpoint::BookingsPost, false), Some(1));
        caps.set((Endpoint::VatCodes, false), None);
        assert!(
            caps.admit(Endpoint::BookingsPost, Some(1), false, now)
                .is_ok()
        );
        assert!(
            caps.admit(Endpoint::BookingsPost, Some(1), false, now)
                .is_err()
        );
        for _ in 0..10 {
            assert!(caps.admit(Endpoint::VatCodes, Some(1), false, now).is_ok());
        }
        let status = caps.status();
        assert_eq!(status.caps["bookings"], Some(1));
        assert_eq!(status.caps["vatcodes"], None);
        assert_eq!(status.caps["relations"], Some(2));
        assert_eq!(status.caps["relations-search"], Some(400));
        assert_eq!(
            budget("relations-search"),
            Some((Endpoint::Relations, true))
        );
    }
}
