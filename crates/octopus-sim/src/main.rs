//! `octopus-sim` binary: serves the simulator on `--listen` until SIGINT/SIGTERM. With `--demo`
//! it loads the demo dossier and prints one JSON line with the base URL and credentials.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use octopus_sim::{SimServer, SimState, demo_dossier};

/// Simulator of the Octopus REST API.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Load the demo dossier and print its credentials as one JSON line on stdout.
    #[arg(long)]
    demo: bool,
    /// Enforce Octopus's daily call caps.
    #[arg(long)]
    daily_caps: bool,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let telemetry = ox_telemetry::init("octopus-sim", "info")?;
    let state = SimState::new();
    state.set_daily_caps(args.daily_caps);
    state.set_latency(Duration::from_millis(args.latency_ms));
    let demo = args.demo.then(|| {
        let (creds, dossier) = demo_dossier();
        state.add_user(
            &creds.user,
            &creds.password,
            &creds.software_house_uuid,
            &[creds.dossier_id],
        );
        state.add_dossier(dossier);
        creds
    });
    let server = SimServer::bind(&args.listen, state)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(base_url = %server.base_url(), "octopus-sim listening");
    if let Some(creds) = demo {
        let line = serde_json::json!({
            "base_url": server.base_url(),
            "software_house_uuid": creds.software_house_uuid,
            "user": creds.user,
            "password": creds.password,
            "dossier_id": creds.dossier_id,
        });
        println!("{line}");
    }
    let outcome = server.run_until(ox_kit::shutdown_signal()).await;
    telemetry.shutdown();
    outcome.context("octopus-sim server failed")
}
