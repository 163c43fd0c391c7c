//! The gateway's core: Octopus sessions, the shared store (quotas, sessions, reference data)
//! and the retry policies. Its operations live beside their subject (snapshot.rs,
//! relations.rs, booking.rs).

use std::sync::Arc;
use std::time::Duration;

use crate::brussels::{brussels_day, day_key};
use crate::clock::Clock;
use crate::config::Settings;
use crate::credentials::CredentialSource;
use crate::error::GatewayError;
use crate::http::OctopusHttp;
use crate::quota::Quotas;
use crate::retry::Backoff;
use crate::session::OctopusClient;
use crate::snapshot::SnapshotLocks;
use crate::store::Store;

/// Quota counters are kept this many days, for inspection.
const KEEP_USAGE_DAYS: u64 = 7;

/// Everything a request needs; shared by all gRPC handlers.
#[derive(Debug)]
pub struct Gateway {
    pub(crate) octopus: OctopusClient,
    pub(crate) store: Store,
    pub(crate) clock: Clock,
    pub(crate) snapshot_locks: SnapshotLocks,
    pub(crate) snapshot_refresh: Duration,
    pub(crate) locked_journal: Backoff,
}

impl Gateway {
    /// Opens the store and builds the one HTTP client and the config-service client.
    pub async fn open(settings: &Settings, clock: Clock) -> Result<Arc<Self>, GatewayError> {
        if settings.request_timeout_ms == 0 || settings.connect_timeout_ms == 0 {
            return Err(GatewayError::InvalidArgument(
                "request_timeout_ms and connect_timeout_ms must be above 0".to_owned(),
            ));
        }
        let store = Store::open(&settings.database_url).await?;
        let horizon = clock
            .now()
            .checked_sub_days(chrono::Days::new(KEEP_USAGE_DAYS))
            .unwrap_or_else(|| clock.now());
        store.prune_usage(&day_key(brussels_day(horizon))).await?;
        let quotas = Quotas::new(store.clone(), settings.caps, clock.clone());
        let http = OctopusHttp::new(
            settings.request_timeout(),
            settings.connect_timeout(),
            quotas,
        )?;
        let credentials =
            CredentialSource::new(&settings.config_service, settings.request_timeout())?;
        let octopus = OctopusClient::new(
            http,
            credentials,
            store.clone(),
            clock.clone(),
            Backoff::from(settings.retry),
            settings.request_timeout(),
        );
        Ok(Arc::new(Self {
            octopus,
            store,
            clock,
            snapshot_locks: SnapshotLocks::default(),
            snapshot_refresh: Duration::from_secs(
                settings.snapshot_refresh_minutes.saturating_mul(60),
            ),
            locked_journal: Backoff::from(settings.locked_journal),
        }))
    }
}
