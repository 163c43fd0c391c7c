//! `orchestrator` binary: loads settings, starts telemetry, serves gRPC until SIGINT/SIGTERM.

use anyhow::Context as _;
use ox_orchestrator::{Application, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let telemetry = ox_telemetry::init("orchestrator", "info")?;
    let settings = Settings::load().context("failed to load the orchestrator's settings")?;
    let app = Application::build(settings).await?;
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(grpc_addr = %app.local_addr(), "orchestrator started");
    let outcome = app.run_until(shutdown).await;
    telemetry.shutdown();
    Ok(outcome?)
}
