//! The embedded stack: the simulator and the five services in one process, each on its own
//! 127.0.0.1 port and speaking real gRPC (or HTTP for the simulator) to the others.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinSet;

use octopus_sim::{SimServer, SimState};

/// Where the embedded stack keeps its files.
#[derive(Debug, Clone)]
pub struct StackOptions {
    pub data_dir: PathBuf,
    /// PlanManager's database; `None` means `<data_dir>/planmanager.sqlite`.
    pub planmanager_url: Option<String>,
    /// The gateway's daily caps; `None` keeps Octopus's published values.
    pub gateway_caps: Option<ox_octopus_gateway::Caps>,
}

/// Every address of a running embedded stack.
#[derive(Debug, Clone, Serialize)]
pub struct StackAddresses {
    pub orchestrator: String,
    pub config_service: String,
    pub planmanager_reader: String,
    pub journal_mapper: String,
    pub octopus_gateway: String,
    pub octopus_sim: String,
}

/// A running embedded stack; `stop()` shuts every part down and waits for it.
pub struct EmbeddedStack {
    pub addresses: StackAddresses,
    pub sim: SimState,
    pub planmanager_url: String,
    pub data_dir: PathBuf,
    stop: watch::Sender<bool>,
    tasks: JoinSet<anyhow::Result<()>>,
}

fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Resolves when the stop flag is raised (or its sender is gone).
async fn stopped(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

impl EmbeddedStack {
    /// Starts the simulator (with `sim` as its state) and the five services on loopback ports.
    pub async fn start(options: &StackOptions, sim: SimState) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&options.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                options.data_dir.display()
            )
        })?;
        let data_dir = options.data_dir.clone();
        let planmanager_url = options
            .planmanager_url
            .clone()
            .unwrap_or_else(|| sqlite_url(&data_dir.join("planmanager.sqlite")));
        let master_key = crate::secrets::master_key(&data_dir)?;
        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = JoinSet::new();

        let sim_server = SimServer::bind("127.0.0.1:0", sim.clone())
            .await
            .context("cannot start octopus-sim")?;
        let sim_url = sim_server.base_url();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(sim_server.run_until(shutdown).await?) });

        let config = ox_config_service::Application::build(ox_config_service::Settings::embedded(
            "127.0.0.1:0",
            sqlite_url(&data_dir.join("config.sqlite")),
            "demo-k1",
            ox_config_service::Secret::new(master_key),
        ))
        .await
        .context("cannot start config-service")?;
        let config_addr = config.local_addr();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(config.run_until(shutdown).await?) });

        let reader = ox_planmanager_reader::Application::build(ox_planmanager_reader::Settings {
            listen: "127.0.0.1:0".into(),
            database_url: planmanager_url.clone(),
        })
        .await
        .context("cannot start planmanager-reader")?;
        let reader_addr = reader.local_addr();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(reader.run_until(shutdown).await?) });

        let mapper = ox_journal_mapper::Application::build(ox_journal_mapper::Settings {
            listen: "127.0.0.1:0".into(),
        })
        .await
        .context("cannot start journal-mapper")?;
        let mapper_addr = mapper.local_addr();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(mapper.run_until(shutdown).await?) });

        // The simulated Octopus is the only Octopus here, so its clock decides the gateway's
        // quota days too (tests move it to see caps reset at Brussels midnight).
        let octopus_clock = {
            let sim = sim.clone();
            ox_octopus_gateway::Clock::from_fn(move || sim.now())
        };
        let mut gateway_defaults =
            ox_octopus_gateway::Settings::load().context("gateway defaults")?;
        if let Some(caps) = options.gateway_caps {
            gateway_defaults.caps = caps;
        }
        let gateway = ox_octopus_gateway::Application::build_with_clock(
            ox_octopus_gateway::Settings {
                listen: "127.0.0.1:0".into(),
                config_service: url(config_addr),
                // Sessions, reference data and daily quota counters live with the demo's other data.
                database_url: sqlite_url(&data_dir.join("gateway.sqlite")),
                ..gateway_defaults.clone()
            },
            octopus_clock,
        )
        .await
        .context("cannot start octopus-gateway")?;
        let gateway_addr = gateway.local_addr();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(gateway.run_until(shutdown).await?) });

        let deferral_clock = {
            let sim = sim.clone();
            ox_orchestrator::run::Clock::from_fn(move || sim.now())
        };
        let orchestrator = ox_orchestrator::Application::build_with_clock(
            ox_orchestrator::Settings {
                listen: "127.0.0.1:0".into(),
                database_url: sqlite_url(&data_dir.join("ledger.sqlite")),
                peers: ox_orchestrator::config::Peers {
                    config_service: url(config_addr),
                    planmanager_reader: url(reader_addr),
                    journal_mapper: url(mapper_addr),
                    octopus_gateway: url(gateway_addr),
                },
                // One process holds the whole stack: when it dies, its dossier lease should free up
                // quickly so that the next start resumes the interrupted run.
                lease_ms: 5_000,
                resume_interval_ms: 1_000,
            },
            deferral_clock,
        )
        .await
        .context("cannot start the orchestrator")?;
        let orchestrator_addr = orchestrator.local_addr();
        let shutdown = stopped(stop_rx.clone());
        tasks.spawn(async move { Ok(orchestrator.run_until(shutdown).await?) });

        Ok(Self {
            addresses: StackAddresses {
                orchestrator: url(orchestrator_addr),
                config_service: url(config_addr),
                planmanager_reader: url(reader_addr),
                journal_mapper: url(mapper_addr),
                octopus_gateway: url(gateway_addr),
                octopus_sim: sim_url,
            },
            sim,
            planmanager_url,
            data_dir,
            stop,
            tasks,
        })
    }

    /// Stops every part and waits for each to finish draining.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        // Receivers live in the tasks; a send error only means they all ended already.
        let _ = self.stop.send(true);
        let mut first_error = None;
        while let Some(joined) = self.tasks.join_next().await {
            let outcome = joined.context("a service task panicked").and_then(|r| r);
            if let Err(error) = outcome {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}
