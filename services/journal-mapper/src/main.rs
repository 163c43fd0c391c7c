//! `journal-mapper` binary: loads settings, starts telemetry, serves gRPC until SIGINT/SIGTERM.

use anyhow::Context as _;
use ox_journal_mapper::{Application, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let guard = ox_telemetry::init("journal-mapper", "info")?;
    let settings = Settings::load().context("failed to load the journal-mapper settings")?;
    let app = Application::build(settings)
        .await
        .context("failed to start the journal mapper")?;
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(grpc_addr = %app.local_addr(), "journal-mapper started");
    let outcome = app.run_until(shutdown).await;
    guard.shutdown();
    outcome.context("journal-mapper failed")
}
