//! planmanager-reader binary: loads settings, starts telemetry, serves gRPC until SIGINT/SIGTERM.

use anyhow::Context as _;
use ox_planmanager_reader::{Application, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let telemetry = ox_telemetry::init("planmanager-reader", "info")?;
    let outcome = run().await;
    telemetry.shutdown();
    outcome
}

async fn run() -> anyhow::Result<()> {
    let settings = Settings::load().context("failed to load the planmanager-reader settings")?;
    let app = Application::build(settings)
        .await
        .context("failed to start planmanager-reader")?;
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(grpc_addr = %app.local_addr(), "planmanager-reader started");
    app.run_until(shutdown).await?;
    Ok(())
}
