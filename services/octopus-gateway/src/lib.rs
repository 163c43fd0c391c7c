//! octopus-gateway: the only component that speaks HTTP to Octopus. It keeps sessions per
//! (tenant, dossier), caches dossier reference data, upserts relations and sends bookings,
//! settling every uncertain outcome before it answers. Serves `gateway.v1.OctopusGateway`.

mod booking;
mod booking_json;
mod calls;
mod config;
mod credentials;
mod error;
mod gateway;
mod grpc;
mod http;
mod relation_json;
mod relations;
mod session;
mod snapshot;
mod wire;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use ox_kit::GrpcServer;
use ox_proto::gateway::v1::octopus_gateway_server::OctopusGatewayServer;

pub use config::Settings;
pub use credentials::DEFAULT_OCTOPUS_BASE_URL;
pub use error::GatewayError;
pub use gateway::Gateway;
pub use grpc::GatewayGrpc;
pub use session::SESSION_REUSE;

/// The fully qualified gRPC service name reported by health checks.
pub const SERVICE_NAME: &str = "gateway.v1.OctopusGateway";

/// The bound gateway, ready to serve.
pub struct Application {
    server: GrpcServer,
    gateway: Arc<Gateway>,
}

impl Application {
    /// Builds the HTTP and config-service clients and binds `settings.listen` (port 0 works).
    pub async fn build(settings: Settings) -> Result<Self, GatewayError> {
        let gateway = Gateway::new(&settings)?;
        let server = GrpcServer::bind(&settings.listen).await?;
        Ok(Self { server, gateway })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Serves until `shutdown` resolves, then drains.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), GatewayError> {
        let routes =
            tonic::service::Routes::new(OctopusGatewayServer::new(GatewayGrpc::new(self.gateway)));
        self.server
            .run_until(SERVICE_NAME, routes, shutdown)
            .await?;
        Ok(())
    }
}
