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
    let stack = EmbeddedStack::start(
        &StackOptions {
            data_dir: options.data_dir.clone(),
            planmanager_url: options.planmanager_url.clone(),
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

/// Runs the demo export of Bodyshop A and returns its report.
pub async fn run(options: &DemoOptions) -> anyhow::Result<(RunReport, PathBuf)> {
    let (stack, _) = prepare(options).await?;
    let outcome = run_cmd::start_export(
        &stack.addresses.orchestrator,
        StartExportRequest {
            tenant_id: DEMO_TENANT.into(),
            location_name: DEMO_LOCATION.into(),
            what: ExportWhat::All as i32,
            ..StartExportRequest::default()
        },
    )
    .await;
    let state_path = save_sim(&stack)?;
    stack.stop().await?;
    Ok((outcome?, state_path))
}
