//! Octopus's daily caps, enforced before a call is made: every call is reserved in the shared
//! store under (dossier, endpoint template, Europe/Brussels day). A call past its cap is not
//! made; the caller gets a [`Deferral`] until the caps reset at the next Brussels midnight.

use chrono::{DateTime, FixedOffset};

use crate::brussels::{brussels_day, day_key, next_brussels_midnight};
use crate::clock::Clock;
use crate::config::Caps;
use crate::error::GatewayError;
use crate::http::Endpoint;
use crate::store::Store;

/// Why a call was not made: its daily cap is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferral {
    /// The "METHOD /path/template" whose cap is reached.
    pub endpoint: &'static str,
    pub dossier_id: i32,
    /// The cap; 0 when Octopus itself refused (429) and only it knows.
    pub cap: u32,
    /// When to try again.
    pub until: DateTime<FixedOffset>,
}

impl Deferral {
    /// `until` as RFC 3339, e.g. `2026-12-04T00:00:00+01:00`.
    pub fn until_rfc3339(&self) -> String {
        self.until.to_rfc3339()
    }
}

impl std::fmt::Display for Deferral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.cap > 0 {
            write!(
                f,
                "Octopus's daily cap of {} calls to {} for dossier {} is reached; deferred until {}",
                self.cap,
                self.endpoint,
                self.dossier_id,
                self.until_rfc3339()
            )
        } else {
            write!(
                f,
                "Octopus refused {} for dossier {} with 429 (too many calls); deferred until {}",
                self.endpoint,
                self.dossier_id,
                self.until_rfc3339()
            )
        }
    }
}

/// The caps and the store that counts against them.
#[derive(Debug, Clone)]
pub struct Quotas {
    store: Store,
    caps: Caps,
    clock: Clock,
}

impl Quotas {
    /// Quotas counted in `store` on `clock`'s days.
    pub fn new(store: Store, caps: Caps, clock: Clock) -> Self {
        Self { store, caps, clock }
    }

    /// The daily cap of `endpoint`; `None` when Octopus states none (login).
    pub fn cap(&self, endpoint: Endpoint) -> Option<u32> {
        let caps = &self.caps;
        Some(match endpoint {
            Endpoint::Authentication => return None,
            Endpoint::Connect => caps.connect,
            Endpoint::Bookyears => caps.bookyears,
            Endpoint::Journals { .. } => caps.journals,
            Endpoint::VatCodes => caps.vat_codes,
            Endpoint::Accounts => caps.accounts,
            Endpoint::RelationsGet => caps.relations_search,
            Endpoint::RelationsPut => caps.relations_put,
            Endpoint::BookingsPost => caps.bookings_post,
            Endpoint::BookingsModified => caps.bookings_modified,
            Endpoint::AccountsPut => caps.accounts_put,
        })
    }

    /// Reserves one call of `endpoint` for `dossier_id` today, or says until when it must wait.
    pub async fn reserve(&self, endpoint: Endpoint, dossier_id: i32) -> Result<(), GatewayError> {
        let now = self.clock.now();
        let day = day_key(brussels_day(now));
        let template = endpoint.template();
        // Uncapped calls are counted too, without a limit.
        let cap = self.cap(endpoint);
        let reserved = self
            .store
            .reserve(dossier_id, template, &day, cap.unwrap_or(u32::MAX))
            .await?;
        if reserved {
            return Ok(());
        }
        let deferral = Deferral {
            endpoint: template,
            dossier_id,
            cap: cap.unwrap_or_default(),
            until: next_brussels_midnight(now),
        };
        tracing::warn!(
            dossier_id,
            endpoint = template,
            cap = deferral.cap,
            deferred_until = %deferral.until_rfc3339(),
            "octopus daily cap reached, call not made"
        );
        Err(GatewayError::Deferred(deferral))
    }

    /// A deferral for a 429 from Octopus: after `retry_after` when it said so, else at the next
    /// Brussels midnight.
    pub fn refused_by_octopus(
        &self,
        endpoint: Endpoint,
        dossier_id: i32,
        retry_after: Option<std::time::Duration>,
    ) -> Deferral {
        let now = self.clock.now();
        let until = retry_after
            .and_then(|wait| chrono::Duration::from_std(wait).ok())
            .and_then(|wait| now.checked_add_signed(wait))
            .map_or_else(|| next_brussels_midnight(now), crate::brussels::to_brussels);
        Deferral {
            endpoint: endpoint.template(),
            dossier_id,
            cap: 0,
            until,
        }
    }

    /// How many calls of `endpoint` were reserved for `dossier_id` today.
    #[cfg(test)]
    pub async fn used_today(
        &self,
        endpoint: Endpoint,
        dossier_id: i32,
    ) -> Result<u64, GatewayError> {
        let day = day_key(brussels_day(self.clock.now()));
        Ok(self
            .store
            .usage(dossier_id, endpoint.template(), &day)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone as _, Utc};

    #[tokio::test]
    async fn defers_past_the_cap_until_brussels_midnight() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 22, 30, 0).unwrap();
        let caps = Caps {
            vat_codes: 2,
            ..Caps::default()
        };
        let quotas = Quotas::new(store, caps, Clock::from_fn(move || at));
        quotas.reserve(Endpoint::VatCodes, 7).await.unwrap();
        quotas.reserve(Endpoint::VatCodes, 7).await.unwrap();
        let Err(GatewayError::Deferred(deferral)) = quotas.reserve(Endpoint::VatCodes, 7).await
        else {
            panic!("the third read must be deferred");
        };
        assert_eq!(deferral.until_rfc3339(), "2026-12-04T00:00:00+01:00");
        assert_eq!(
            deferral.to_string(),
            "Octopus's daily cap of 2 calls to GET /dossiers/{dossierId}/vatcodes for dossier 7 \
             is reached; deferred until 2026-12-04T00:00:00+01:00"
        );
        assert_eq!(quotas.used_today(Endpoint::VatCodes, 7).await.unwrap(), 2);
        // Login has no cap but is counted.
        for _ in 0..3 {
            quotas.reserve(Endpoint::Authentication, 7).await.unwrap();
        }
        assert_eq!(
            quotas
                .used_today(Endpoint::Authentication, 7)
                .await
                .unwrap(),
            3
        );
        let later = quotas.refused_by_octopus(
            Endpoint::BookingsPost,
            7,
            Some(std::time::Duration::from_secs(90)),
        );
        assert_eq!(later.until_rfc3339(), "2026-12-03T23:31:30+01:00");
        assert!(later.to_string().contains("429"));
    }
}
