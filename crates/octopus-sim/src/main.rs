//! `octopus-sim` binary: serves the simulator on `--listen` until SIGINT/SIGTERM, configured by
//! flags (fixtures, caps, latency, token lifetime, faults, clock). With `--demo` it loads the
//! demo dossier and prints one JSON line with the base URL and credentials.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use octopus_sim::{SimServer, SimState, demo_dossier, parse_fault_spec};

/// Simulator of the Octopus REST API (https://service.inaras.be/octopus-rest-api/v1), with a
/// control API under /_sim.
#[derive(Parser)]
#[command(version, about, after_help = include_str!("cli_help.txt"))]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Load the demo dossier and print its credentials as one JSON line on stdout.
    #[arg(long)]
    demo: bool,
    /// Load a fixture file (JSON, format below); repeatable.
    #[arg(long, value_name = "FILE")]
    fixture: Vec<PathBuf>,
    /// Enforce Octopus's daily call caps (per dossier and endpoint, reset at Brussels midnight).
    #[arg(long)]
    daily_caps: bool,
    /// Override one daily cap, e.g. `bookings=50` or `vatcodes=none` (alias as in the SPEC, or
    /// `relations-search`); repeatable.
    #[arg(long, value_name = "ALIAS=N|none")]
    cap: Vec<String>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Add a uniform random delay of up to this many milliseconds.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Lifetime of authentication and dossier tokens, in seconds.
    #[arg(long, default_value_t = 600)]
    token_ttl_secs: u64,
    /// Fault rules (SPEC grammar below).
    #[arg(long, value_name = "SPEC")]
    faults: Option<String>,
    /// Failed logins in a row that lock a user (0: never).
    #[arg(long, default_value_t = octopus_sim::LOCKOUT_THRESHOLD)]
    lockout_threshold: u32,
    /// How long a locked user stays locked, in seconds of simulator time.
    #[arg(long, default_value_t = 900)]
    lockout_secs: u64,
    /// Start the simulator clock at this instant (RFC 3339, e.g. 2025-03-15T09:00:00Z).
    #[arg(long, value_name = "TIME")]
    clock: Option<chrono::DateTime<chrono::Utc>>,
    /// Freeze the simulator clock (it moves only through the control API).
    #[arg(long)]
    freeze_clock: bool,
    /// Seed for jitter and probabilistic faults, to replay a run.
    #[arg(long)]
    seed: Option<u64>,
}

fn configure(args: &Args, state: &SimState) -> anyhow::Result<()> {
    state.set_daily_caps(args.daily_caps);
    for cap in &args.cap {
        let (name, value) = cap
            .split_once('=')
            .with_context(|| format!("--cap {cap}: expected ALIAS=N or ALIAS=none"))?;
        let value = match value.trim() {
            "none" => None,
            n => Some(
                n.parse()
                    .with_context(|| format!("--cap {cap}: {n} is not a number"))?,
            ),
        };
        state.set_daily_cap(name, value)?;
    }
    state.set_latency(
        Duration::from_millis(args.latency_ms),
        Duration::from_millis(args.jitter_ms),
    );
    state.set_token_ttl(Duration::from_secs(args.token_ttl_secs));
    state.set_lockout(
        args.lockout_threshold,
        Duration::from_secs(args.lockout_secs),
    );
    if let Some(spec) = &args.faults {
        state.add_fault_rules(parse_fault_spec(spec)?);
    }
    if let Some(seed) = args.seed {
        state.set_seed(seed);
    }
    if args.clock.is_some() || args.freeze_clock {
        state.set_clock(args.clock.unwrap_or_else(|| state.now()), args.freeze_clock);
    }
    for path in &args.fixture {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read fixture {}", path.display()))?;
        state
            .load_fixture_json(&text)
            .with_context(|| format!("fixture {}", path.display()))?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let telemetry = ox_telemetry::init("octopus-sim", "info")?;
    let state = SimState::new();
    configure(&args, &state)?;
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
    // Handlers first: a SIGTERM right after the announcement must drain, not kill.
    let shutdown = ox_kit::shutdown_signal();
    tracing::info!(base_url = %server.base_url(), control_url = %server.control_url(), "octopus-sim listening");
    if let Some(creds) = demo {
        let line = serde_json::json!({
            "base_url": server.base_url(),
            "control_url": server.control_url(),
            "software_house_uuid": creds.software_house_uuid,
            "user": creds.user,
            "password": creds.password,
            "dossier_id": creds.dossier_id,
        });
        println!("{line}");
    }
    let outcome = server.run_until(shutdown).await;
    telemetry.shutdown();
    outcome.context("octopus-sim server failed")
}
