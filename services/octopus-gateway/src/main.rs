//! octopus-gateway binary: loads settings, starts telemetry, serves gRPC until SIGINT/SIGTERM.

use anyhow::Context as _;
use ox_octopus_gateway::{Application, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let guard = ox_telemetry::init("octopus-gateway", "info")?;
    let outcome = run().await;
    if let Err(error) = &outcome {
        tracing::error!(error = %format!("{error:#}"), "octopus-gateway stopped with an error");
    }
    guard.shutdown();
    outcome
}

async fn run() -> anyhow::Result<()> {
    let settings = Settings::load().context("failed to load the octopus-gateway settings")?;
    let app = Application::build(settings)
        .await
        .context("failed to start the octopus-gateway")?;
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(grpc_addr = %app.local_addr(), "octopus-gateway started");
    app.run_until(shutdown).await?;
    Ok(())
}
