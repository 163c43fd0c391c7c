//! The export orchestrator: what PlanManager calls. It runs exports in order (journals, then
//! customers, then invoices per journal in ascending number) and records every outcome in a
//! durable ledger so that re-running an export books nothing twice.

pub mod config;
pub mod error;
pub mod grpc;
pub mod ledger;
pub mod peers;
pub mod progress;
pub mod report;
pub mod run;

use std::future::Future;
use std::net::SocketAddr;

use ox_kit::GrpcServer;
use ox_proto::orchestrator::v1::export_orchestrator_server::ExportOrchestratorServer;

pub use config::Settings;
pub use error::OrchestratorError;

/// The fully qualified gRPC service name, as health checks report it.
pub const SERVICE_NAME: &str = "orchestrator.v1.ExportOrchestrator";

/// A bound orchestrator, ready to serve.
pub struct Application {
    server: GrpcServer,
    runner: run::Runner,
    ledger: ledger::Ledger,
    resume_interval: std::time::Duration,
}

impl Application {
    /// Opens the ledger, builds the peer clients and binds the listen address.
    pub async fn build(settings: Settings) -> Result<Self, OrchestratorError> {
        Self::build_with_clock(settings, run::Clock::system()).await
    }

    /// As [`Application::build`], measuring deferrals against `clock` (the embedded demo passes
    /// its simulated Octopus's clock, so caps reset when that Octopus's day ends).
    pub async fn build_with_clock(
        settings: Settings,
        clock: run::Clock,
    ) -> Result<Self, OrchestratorError> {
        let ledger = ledger::Ledger::open(&settings.database_url).await?;
        let peers = peers::PeerClients::new(&settings.peers)?;
        let server = GrpcServer::bind(&settings.listen).await?;
        Ok(Self {
            server,
            runner: run::Runner::new(
                peers,
                ledger.clone(),
                std::time::Duration::from_millis(settings.lease_ms),
                clock,
            ),
            ledger,
            resume_interval: std::time::Duration::from_millis(settings.resume_interval_ms),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The runner, for resuming runs and in-process checks.
    pub fn runner(&self) -> &run::Runner {
        &self.runner
    }

    /// Serves until `shutdown` resolves, then closes the ledger. Meanwhile, every
    /// `resume_interval` it resumes runs whose process died (their lease ran out).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), OrchestratorError> {
        let resumer = {
            let runner = self.runner.clone();
            let interval = self.resume_interval;
            tokio::spawn(async move {
                loop {
                    if let Err(error) = runner.resume_unfinished().await {
                        tracing::warn!(error = %error, "could not look for unfinished runs");
                    }
                    if let Err(error) = runner.resume_deferred().await {
                        tracing::warn!(error = %error, "could not look for deferred runs");
                    }
                    tokio::time::sleep(interval).await;
                }
            })
        };
        let service = ExportOrchestratorServer::new(grpc::OrchestratorGrpc::new(self.runner))
            .max_decoding_message_size(16 * 1024 * 1024)
            .max_encoding_message_size(256 * 1024 * 1024);
        let outcome = self
            .server
            .run_until(SERVICE_NAME, tonic::service::Routes::new(service), shutdown)
            .await;
        resumer.abort();
        self.ledger.close().await;
        Ok(outcome?)
    }
}
