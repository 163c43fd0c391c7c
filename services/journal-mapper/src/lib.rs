//! Journal mapper: Octopus's bookkeeping rules, pure and deterministic. PlanManager journals,
//! customers and invoices plus the dossier's snapshot in; journal resolutions, Octopus relations and
//! bookings, or precise reasons why not, out. No I/O and no clock in [`domain`].
//!
//! [`api`] is each RPC as a plain function of the raw request: the contract check of
//! [`validate`] (a malformed request is refused with InvalidArgument naming the field and value),
//! then the domain; [`grpc`] runs exactly these on the blocking pool.

pub mod api;
pub mod config;
pub mod domain;
pub mod error;
pub mod grpc;
pub mod validate;

use std::future::Future;
use std::net::SocketAddr;

use ox_proto::mapping::v1::journal_mapper_server::JournalMapperServer;

pub use config::Settings;
pub use error::{InputError, MapperError};
pub use grpc::JournalMapperGrpc;

/// The fully qualified gRPC service name, reported by the health service.
pub const SERVICE_NAME: &str = "mapping.v1.JournalMapper";

/// The journal mapper, bound and ready to serve.
pub struct Application {
    server: ox_kit::GrpcServer,
}

impl Application {
    /// Binds `settings.listen` (port 0 picks a free port).
    pub async fn build(settings: Settings) -> Result<Self, MapperError> {
        let server = ox_kit::GrpcServer::bind(&settings.listen).await?;
        Ok(Self { server })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Serves `mapping.v1.JournalMapper` (plus health and reflection) until `shutdown` resolves.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), MapperError> {
        let routes = tonic::service::Routes::new(JournalMapperServer::new(JournalMapperGrpc));
        self.server
            .run_until(SERVICE_NAME, routes, shutdown)
            .await?;
        Ok(())
    }
}
