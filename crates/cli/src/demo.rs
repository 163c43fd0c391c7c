//! `octopus-export demo` and `serve`: the embedded stack over a sample (or given) PlanManager
//! database and a simulated Octopus whose state persists in the data directory between runs.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use octopus_sim::SimState;
use ox_orchestrator::report::RunReport;
use ox_proto::orchestrator::v1::{ExportWhat, StartExportRequest};

use crate::provision::{self, DEMO_DOSSIER, DEMO_TENANT, Provisioned};
use crate::run_cmd;
use crate::stack::{EmbeddedStack, StackOptions};

/// The location the demo exports.
pub const DEMO_LOCATION: &str = "Bodyshop A";
/// The seed number of the sample data, so every demo has the same invoices.
pub const DEMO_SEED: u64 = 42;
const SIM_STATE_FILE: &str = "octopus-sim-state.json";
const OCTOPUS_STATE_FILE: &str = "octopus-state.json";

/// Options of `demo` and `serve`.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub data_dir: PathBuf,
    pub invoices: u32,
    pub planmanager_url: Option<String>,
    /// How the simulated Octopus behaves.
    pub octopus: OctopusBehaviour,
}

/// The simulated Octopus's latency, token lifetime and faults (see octopus-sim's README for
/// the fault SPEC grammar).
#[derive(Debug, Clone, Default)]
pub struct OctopusBehaviour {
    pub latency_ms: u64,
    pub token_ttl_secs: Option<u64>,
    pub faults: Option<String>,
    /// The gateway's daily caps; `None` keeps Octopus's published values.
    pub gateway_caps: Option<ox_octopus_gateway::Caps>,
}

impl OctopusBehaviour {
    fn apply(&self, sim: &SimState) -> anyhow::Result<()> {
        sim.set_latency(
            std::time::Duration::from_millis(self.latency_ms),
            std::time::Duration::ZERO,
        );
        if let Some(secs) = self.token_ttl_secs {
            sim.set_token_ttl(std::time::Duration::from_secs(secs));
        }
        if let Some(spec) = &self.faults {
            let rules = octopus_sim::parse_fault_spec(spec)
                .with_context(|| format!("--octopus-faults {spec:?} is not a fault SPEC"))?;
            sim.add_fault_rules(rules);
        }
        Ok(())
    }
}

/// Seeds PlanManager if needed, restores the simulated Octopus, starts and provisions the stack.
pub async fn prepare(options: &DemoOptions) -> anyhow::Result<(EmbeddedStack, Provisioned)> {
    std::fs::create_dir_all(&options.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            options.data_dir.display()
        )
    })?;
    if options.planmanager_url.is_none() {
        let path = options.data_dir.join("planmanager.sqlite");
        if !path.exists() {
            let url = format!("sqlite://{}?mode=rwc", path.display());
            ox_planmanager_reader::seed::generate(&url, options.invoices, DEMO_SEED)
                .await
                .context("cannot create the sample PlanManager database")?;
        }
    }
    let sim = load_sim(&options.data_dir.join(SIM_STATE_FILE))?;
    options.octopus.apply(&sim)?;
    let stack = EmbeddedStack::start(
        &StackOptions {
            data_dir: options.data_dir.clone(),
            planmanager_url: options.planmanager_url.clone(),
            gateway_caps: options.octopus.gateway_caps,
        },
        sim,
    )
    .await?;
    let provisioned = provision::provision(&stack).await?;
    Ok((stack, provisioned))
}

fn load_sim(path: &Path) -> anyhow::Result<SimState> {
    if !path.exists() {
        return Ok(SimState::new());
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the simulator state {}", path.display()))?;
    SimState::restore_json(&text)
        .with_context(|| format!("the simulator state {} is unreadable", path.display()))
}

/// Saves the simulator's full state and Octopus's view of the demo dossier.
pub fn save_sim(stack: &EmbeddedStack) -> anyhow::Result<PathBuf> {
    let full = stack.sim.save_json();
    std::fs::write(stack.data_dir.join(SIM_STATE_FILE), full)
        .context("cannot save the simulator state")?;
    let path = stack.data_dir.join(OCTOPUS_STATE_FILE);
    let dump = serde_json::to_string_pretty(&stack.sim.dump(DEMO_DOSSIER))?;
    std::fs::write(&path, dump).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// How a demo run ended.
pub struct DemoOutcome {
    /// The run's report; `None` when the demo was interrupted before the run ended.
    pub report: Option<RunReport>,
    /// Where Octopus's view of the dossier was written, or why it could not be.
    pub state: anyhow::Result<PathBuf>,
}

/// Runs the demo export of Bodyshop A. SIGINT or SIGTERM stops it early: what Octopus holds by
/// then is saved, and the next demo on the same directory carries on (the ledger and Octopus's
/// journal numbers say what is left).
pub async fn run(options: &DemoOptions) -> anyhow::Result<DemoOutcome> {
    let _lock = lock_data_dir(&options.data_dir)?;
    let (stack, _) = prepare(options).await?;
    let export = run_cmd::start_export(
        &stack.addresses.orchestrator,
        StartExportRequest {
            tenant_id: DEMO_TENANT.into(),
            location_name: DEMO_LOCATION.into(),
            what: ExportWhat::All as i32,
            // An interrupted earlier demo may still hold the dossier for a few seconds.
            wait_if_busy: true,
            ..StartExportRequest::default()
        },
    );
    let interrupted = ox_kit::shutdown_signal();
    let report = tokio::select! {
        outcome = export => Some(outcome?),
        () = interrupted => None,
    };
    let state = save_sim(&stack);
    if report.is_some() {
        stack.stop().await?;
    }
    // When interrupted, the process ends here: the run stops with it and is resumed later.
    Ok(DemoOutcome { report, state })
}

/// Holds an exclusive lock on the data directory for as long as the returned file lives, so two
/// demos never share one simulated Octopus and ledger.
pub fn lock_data_dir(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot use {} as the data directory", data_dir.display()))?;
    let path = data_dir.join(".octopus-export.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(anyhow::anyhow!(
            "another octopus-export is using {}; wait for it to finish or choose another --data-dir",
            data_dir.display()
        )),
        Err(std::fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}
