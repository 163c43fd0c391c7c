//! config-service binary: serves the gRPC API until SIGINT/SIGTERM (the default), or runs
//! `rotate-key` against the same settings and exits.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use ox_config_service::store::ConfigStore;
use ox_config_service::{Application, Settings};

#[derive(Parser)]
#[command(
    name = "config-service",
    about = "Tenants, dossiers, mappings and encrypted Octopus credentials"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the gRPC API (the default).
    Serve,
    /// Re-encrypts every stored credential under the current master key, tenant by tenant,
    /// while the service keeps running; afterwards the old key can leave `previous_keys`.
    RotateKey,
}

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let guard = ox_telemetry::init("config-service", "info")?;
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await.map(|()| ExitCode::SUCCESS),
        Command::RotateKey => rotate_key().await,
    };
    if let Err(error) = &result {
        tracing::error!(
            error = format!("{error:#}"),
            "config-service stopped with an error"
        );
    }
    guard.shutdown();
    result
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::load().context("cannot load config-service settings")?;
    let app = Application::build(settings)
        .await
        .context("cannot start config-service")?;
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(address = %app.local_addr(), "config-service listening");
    app.run_until(shutdown).await?;
    Ok(())
}

async fn rotate_key() -> anyhow::Result<ExitCode> {
    let settings = Settings::load().context("cannot load config-service settings")?;
    let store = ConfigStore::open(&settings)
        .await
        .context("cannot open the config database")?;
    let report = store.rotate_credentials().await;
    store.close().await;
    let report = report.context("key rotation failed")?;
    print!("{report}");
    Ok(if report.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
