//! config-service binary: loads settings, builds the application, serves until SIGINT/SIGTERM.

use anyhow::Context as _;
use ox_config_service::{Application, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let guard = ox_telemetry::init("config-service", "info")?;
    let result = run().await;
    if let Err(error) = &result {
        tracing::error!(
            error = format!("{error:#}"),
            "config-service stopped with an error"
        );
    }
    guard.shutdown();
    result
}

async fn run() -> anyhow::Result<()> {
    let settings = Settings::load().context("cannot load config-service settings")?;
    let app = Application::build(settings)
        .await
        .context("cannot start config-service")?;
    tracing::info!(address = %app.local_addr(), "config-service listening");
    app.run_until(ox_kit::shutdown_signal()).await?;
    Ok(())
}
