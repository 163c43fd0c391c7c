//! octopus-gateway: the only component that speaks HTTP to Octopus. It keeps sessions per
//! (tenant, dossier), counts every call against Octopus's daily caps in a store all replicas
//! share, caches dossier reference data, upserts and finds relations, and sends bookings,
//! settling every uncertain outcome before anything is re-sent. Serves `gateway.v1.OctopusGateway`.

mod accounts;
mod booking;
mod booking_json;
mod brussels;
mod calls;
mod clock;
mod config;
mod credentials;
mod error;
mod gateway;
mod grpc;
mod http;
mod quota;
mod relation_json;
mod relations;
mod retry;
mod session;
mod settle;
mod snapshot;
mod store;
mod wire;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use ox_kit::GrpcServer;
use ox_proto::gateway::v1::octopus_gateway_server::OctopusGatewayServer;

pub use brussels::{brussels_day, next_brussels_midnight};
pub use clock::Clock;
pub use config::{Caps, RetrySettings, Settings};
pub use credentials::DEFAULT_OCTOPUS_BASE_URL;
pub use error::GatewayError;
pub use gateway::Gateway;
pub use grpc::GatewayGrpc;
pub use relations::normalize_vat;
pub use session::SESSION_REUSE;
pub use store::{Store, StoreError, StoredReference, StoredSession};

/// The fully qualified gRPC service name reported by health checks.
pub const SERVICE_NAME: &str = "gateway.v1.OctopusGateway";

/// The bound gateway, ready to serve.
pub struct Application {
    server: GrpcServer,
    gateway: Arc<Gateway>,
}

impl Application {
    /// Opens the store, builds the HTTP and config-service clients and binds `settings.listen`
    /// (port 0 works). Runs on the real clock.
    pub async fn build(settings: Settings) -> Result<Self, GatewayError> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// Like [`Application::build`], on `clock` (tests run the gateway on a simulator's clock).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> Result<Self, GatewayError> {
        let gateway = Gateway::open(&settings, clock).await?;
        let server = GrpcServer::bind(&settings.listen).await?;
        Ok(Self { server, gateway })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Serves until `shutdown` resolves, then drains and closes the store.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), GatewayError> {
        let store = self.gateway.store.clone();
        let routes =
            tonic::service::Routes::new(OctopusGatewayServer::new(GatewayGrpc::new(self.gateway)));
        let served = self.server.run_until(SERVICE_NAME, routes, shutdown).await;
        store.close().await;
        served?;
        Ok(())
    }
}
