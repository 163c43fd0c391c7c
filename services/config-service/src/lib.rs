//! config-service: tenants, their locations → Octopus dossiers, journal and VAT mappings,
//! policies, and the tenants' Octopus credentials sealed with AES-256-GCM.
//!
//! [`Application`] serves `config.v1.ConfigService` and the operator API
//! `config_admin.v1.ConfigAdmin` over gRPC; [`ConfigStore`] is the same domain for in-process
//! callers. Storage: SQLite or PostgreSQL (`db`); keys and rotation: `crypto`, `keys`.

pub mod admin;
pub mod admin_grpc;
pub mod config;
mod convert;
pub mod credentials;
pub mod crypto;
pub mod db;
pub mod error;
pub mod grpc;
pub mod keys;
pub mod model;
pub mod planmanager_settings;
pub mod secret;
pub mod store;
pub mod validate;

/// The operator contract `config_admin.v1`: generated messages, client and server.
/// `octopus-export config` uses its client.
pub use ox_proto::config_admin as admin_api;

use std::future::Future;
use std::net::SocketAddr;

use admin_api::v1::config_admin_server::ConfigAdminServer;
use ox_kit::GrpcServer;
use ox_proto::config::v1::config_service_server::{ConfigServiceServer, SERVICE_NAME};

pub use admin::CredentialsSummary;
pub use admin_grpc::ConfigAdminGrpc;
pub use config::{PreviousKey, Settings};
pub use credentials::{OctopusCredentials, ResolvedCredentials};
pub use error::ConfigError;
pub use grpc::ConfigGrpc;
pub use keys::{RotationFailure, RotationReport};
pub use model::{
    Change, DEFAULT_OCTOPUS_BASE_URL, ExportProfile, FieldLimits, JournalOverride, LocationDossier,
    RoundingPolicy, Tenant, TenantId, VatMapping, VatRegime,
};
pub use secret::Secret;
pub use store::ConfigStore;

/// config-service, bound and ready to serve.
pub struct Application {
    server: GrpcServer,
    store: ConfigStore,
}

impl Application {
    /// Checks the master key, opens and migrates the database, and binds `settings.listen`.
    pub async fn build(settings: Settings) -> Result<Self, ConfigError> {
        let store = ConfigStore::open(&settings).await?;
        let server = GrpcServer::bind(&settings.listen).await?;
        tracing::info!(key_id = %store.key_id(), "config-service ready");
        Ok(Self { server, store })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The domain behind the gRPC API, for in-process callers.
    pub fn store(&self) -> &ConfigStore {
        &self.store
    }

    /// Serves until `shutdown` resolves, then drains in-flight calls and closes the database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ConfigError> {
        let routes = tonic::service::Routes::new(ConfigServiceServer::new(ConfigGrpc::new(
            self.store.clone(),
        )))
        .add_service(ConfigAdminServer::new(ConfigAdminGrpc::new(
            self.store.clone(),
        )));
        let served = self.server.run_until(SERVICE_NAME, routes, shutdown).await;
        self.store.close().await;
        served?;
        Ok(())
    }
}
