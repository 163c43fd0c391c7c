//! planmanager-reader: streams PlanManager's locations, journals, customers and invoices over gRPC
//! from SQLite or MariaDB (chosen by the URL scheme, see SCHEMA.md) and writes back PlanManager's
//! own "exported" flags. Bad records become data problems, never crashes. Also holds the
//! deterministic sample-data generator ([`seed::generate`]).

pub mod config;
mod convert;
pub mod db;
pub mod error;
pub mod grpc;
pub mod model;
pub mod seed;
pub mod validate;

use std::future::Future;
use std::net::SocketAddr;

use ox_kit::GrpcServer;
use ox_proto::planmanager::v1::plan_manager_reader_server::{
    PlanManagerReaderServer, SERVICE_NAME,
};
use tonic::service::Routes;

pub use config::Settings;
pub use db::migrate;
pub use error::ReaderError;
pub use seed::SeedSummary;

/// The reader service: a bound gRPC listener plus the pool on PlanManager's database.
pub struct Application {
    server: GrpcServer,
    pool: db::Pool,
}

impl Application {
    /// Opens PlanManager's database (it must exist; it is never migrated) and binds `listen`.
    pub async fn build(settings: Settings) -> Result<Self, ReaderError> {
        let pool = db::connect(&settings.database_url).await?;
        let server = GrpcServer::bind(&settings.listen).await?;
        Ok(Self { server, pool })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Serves until `shutdown` resolves, then drains and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ReaderError> {
        let service = PlanManagerReaderServer::new(grpc::ReaderGrpc::new(self.pool.clone()));
        let outcome = self
            .server
            .run_until(SERVICE_NAME, Routes::new(service), shutdown)
            .await;
        self.pool.close().await;
        Ok(outcome?)
    }
}
