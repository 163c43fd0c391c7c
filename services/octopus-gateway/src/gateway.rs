//! The gateway's core: Octopus sessions plus the per-dossier reference-data cache. Its
//! operations live beside their subject (snapshot.rs, relations.rs, booking.rs).

use std::sync::Arc;

use crate::config::Settings;
use crate::credentials::CredentialSource;
use crate::error::GatewayError;
use crate::http::OctopusHttp;
use crate::session::OctopusClient;
use crate::snapshot::SnapshotCache;

/// Everything a request needs; shared by all gRPC handlers.
#[derive(Debug)]
pub struct Gateway {
    pub(crate) octopus: OctopusClient,
    pub(crate) snapshots: SnapshotCache,
}

impl Gateway {
    /// Builds the one HTTP client and the config-service client from `settings`.
    pub fn new(settings: &Settings) -> Result<Arc<Self>, GatewayError> {
        if settings.request_timeout_ms == 0 || settings.connect_timeout_ms == 0 {
            return Err(GatewayError::InvalidArgument(
                "request_timeout_ms and connect_timeout_ms must be above 0".to_owned(),
            ));
        }
        let http = OctopusHttp::new(settings.request_timeout(), settings.connect_timeout())?;
        let credentials =
            CredentialSource::new(&settings.config_service, settings.request_timeout())?;
        Ok(Arc::new(Self {
            octopus: OctopusClient::new(http, credentials),
            snapshots: SnapshotCache::default(),
        }))
    }
}
