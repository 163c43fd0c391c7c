//! Shared set-up: a fresh data directory and the embedded stack over a generated sample.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use octopus_export::demo::{self, DemoOptions};
use octopus_export::provision::Provisioned;
use octopus_export::stack::EmbeddedStack;
use ox_orchestrator::report::RunReport;
use ox_proto::orchestrator::v1::StartExportRequest;
use sqlx::SqlitePool;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A data directory of its own for one test, removed when dropped.
pub struct TestDir(pub PathBuf);

impl TestDir {
    pub fn new(name: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("ox-e2e-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The embedded stack over a freshly generated PlanManager sample of `invoices` invoices.
pub async fn start(dir: &TestDir, invoices: u32) -> (EmbeddedStack, Provisioned) {
    start_with(dir, invoices, Default::default()).await
}

/// The same, with the simulated Octopus and the gateway's caps set as given.
pub async fn start_with(
    dir: &TestDir,
    invoices: u32,
    octopus: demo::OctopusBehaviour,
) -> (EmbeddedStack, Provisioned) {
    demo::prepare(&DemoOptions {
        data_dir: dir.0.clone(),
        invoices,
        planmanager_url: None,
        octopus,
    })
    .await
    .expect("the embedded stack starts")
}

/// A direct connection to the sample PlanManager database, to check results against it.
pub async fn planmanager(dir: &TestDir) -> SqlitePool {
    let url = format!("sqlite://{}", dir.0.join("planmanager.sqlite").display());
    SqlitePool::connect(&url).await.unwrap()
}

/// Runs an export of Bodyshop A through the orchestrator's gRPC API.
pub async fn export(stack: &EmbeddedStack, journals: &[&str]) -> RunReport {
    octopus_export::run_cmd::start_export(
        &stack.addresses.orchestrator,
        StartExportRequest {
            tenant_id: "demo".into(),
            location_name: "Bodyshop A".into(),
            journal_codes: journals.iter().map(|j| (*j).to_owned()).collect(),
            // A run the orchestrator resumed by itself may still hold the dossier for a moment.
            wait_if_busy: true,
            ..StartExportRequest::default()
        },
    )
    .await
    .expect("the orchestrator answers")
}
