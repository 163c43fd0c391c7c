//! One export run: take the dossier's lease, validate journals, export the debtors, then book the
//! invoices per journal in ascending number, recording every outcome in the ledger so that a
//! re-run books nothing twice. Runs execute in the background and publish their progress.

mod accounts;
mod customers;
mod invoices;
mod lock;
pub mod request;
mod selection;

use std::collections::BTreeMap;

use tokio::task::JoinHandle;

use ox_proto::config::v1::{ExportProfile, GetExportProfileRequest};
use ox_proto::gateway::v1::{DossierRef, GetDossierSnapshotRequest, OctopusCall};
use ox_proto::mapping::v1::ValidateJournalsRequest;
use ox_proto::planmanager::v1::{MarkExportedRequest, RequeueRequest};

use crate::error::OrchestratorError;
use crate::ledger::Ledger;
use crate::peers::PeerClients;
use crate::progress::{Progress, Registry};
use crate::report::{ReportItem, RunReport, run_status, status};
use request::{ExportRequest, What};

/// Runs exports against the peers, recording outcomes in the ledger.
#[derive(Debug, Clone)]
pub struct Runner {
    peers: PeerClients,
    ledger: Ledger,
    registry: Registry,
    /// How long a dossier lease lasts without renewal.
    lease: std::time::Duration,
    /// What time it is for Octopus's caps: deferred items go once this passes their time.
    clock: Clock,
}

/// The time source deferrals are measured against (the wall clock, or a simulated Octopus's).
#[derive(Clone)]
pub struct Clock(std::sync::Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync>);

impl Clock {
    /// The wall clock.
    pub fn system() -> Self {
        Self(std::sync::Arc::new(chrono::Utc::now))
    }

    /// A clock read from `now`, e.g. a simulator's.
    pub fn from_fn(
        now: impl Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync + 'static,
    ) -> Self {
        Self(std::sync::Arc::new(now))
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// Octopus calls made for a run, per "METHOD /path/template".
#[derive(Debug, Default)]
pub(crate) struct CallTally(BTreeMap<String, u32>);

impl CallTally {
    pub(crate) fn add(&mut self, calls: &[OctopusCall]) {
        for call in calls {
            *self.0.entry(call.endpoint.clone()).or_default() += call.count;
        }
    }

    pub(crate) fn merge(&mut self, other: CallTally) {
        for (endpoint, count) in other.0 {
            *self.0.entry(endpoint).or_default() += count;
        }
    }
}

/// What every phase of one run needs to know.
#[derive(Debug, Clone)]
pub(crate) struct RunContext {
    pub run_id: String,
    pub profile: ExportProfile,
    pub dossier: DossierRef,
    pub dry_run: bool,
    pub progress: Progress,
}

impl RunContext {
    /// Adds an item to the report and to the live progress.
    pub(crate) fn push(&self, items: &mut Vec<ReportItem>, item: ReportItem) {
        self.progress.item(&item);
        items.push(item);
    }
}

/// When a run's deferred items may go: the latest `deferred_until` among them.
fn resume_at(report: &RunReport) -> Option<chrono::DateTime<chrono::Utc>> {
    report
        .items
        .iter()
        .filter(|item| item.status == status::DEFERRED)
        .filter_map(|item| item.octopus.get("deferred_until"))
        .filter_map(|until| chrono::DateTime::parse_from_rfc3339(until).ok())
        .map(|until| until.with_timezone(&chrono::Utc))
        .max()
}

/// A run that has started: its id, and its report once it ends.
pub struct StartedRun {
    pub run_id: String,
    pub handle: JoinHandle<RunReport>,
}

impl Runner {
    /// A runner over these peers and this ledger; `lease` bounds how long a dead run's
    /// dossier stays locked.
    pub fn new(
        peers: PeerClients,
        ledger: Ledger,
        lease: std::time::Duration,
        clock: Clock,
    ) -> Self {
        Self {
            peers,
            ledger,
            registry: Registry::default(),
            lease,
            clock,
        }
    }

    /// The ledger, for reading earlier runs.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Runs in progress in this process.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Starts a run in the background once the dossier's lease is taken (waiting for it or
    /// refusing, as the request says). Fails before anything runs on an unknown tenant or
    /// location, or a busy dossier.
    #[tracing::instrument(skip_all, fields(tenant_id = %request.tenant_id, location = %request.location))]
    pub async fn start(&self, request: ExportRequest) -> Result<StartedRun, OrchestratorError> {
        let profile = self.profile(&request).await?;
        let run_id = uuid::Uuid::new_v4().to_string();
        let dossier_id = profile.dossier_id;
        let lease = lock::take(
            &self.ledger,
            dossier_id,
            &run_id,
            request.wait_if_busy,
            self.lease,
        )
        .await?;
        let request_json = serde_json::to_string(&request)
            .map_err(|error| OrchestratorError::Corrupt(error.to_string()))?;
        if let Err(error) = self
            .ledger
            .insert_run(
                &run_id,
                &request.tenant_id,
                &request.location,
                dossier_id,
                &request_json,
                request.dry_run,
            )
            .await
        {
            lease.release().await;
            return Err(error);
        }
        Ok(self.spawn(run_id, profile, request, lease))
    }

    /// Puts the selected invoices back in the queue: clears PlanManager's exported flags and
    /// marks their ledger entries to be checked with Octopus again. Octopus's strict numbering
    /// then recognises an invoice it already holds (`already_booked`), so nothing is duplicated.
    pub async fn requeue(&self, request: &ExportRequest) -> Result<(u32, u32), OrchestratorError> {
        let profile = self.profile(request).await?;
        let selection = selection::read(&self.peers, request).await?;
        if let Some(problem) = selection.journal_problems.first() {
            return Err(OrchestratorError::InvalidArgument(problem.message.clone()));
        }
        let ids: Vec<i64> = selection.entries.iter().map(|entry| entry.id()).collect();
        let codes = selection.journals.iter().map(|j| j.code.clone()).collect();
        let cleared = self
            .peers
            .reader
            .clone()
            .requeue(RequeueRequest {
                filter: Some(request.invoice_filter(codes)),
            })
            .await
            .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?
            .into_inner()
            .requeued;
        let requeued = self.ledger.requeue(profile.dossier_id, &ids).await?;
        tracing::info!(cleared, requeued, "invoices put back in the queue");
        Ok((cleared, requeued))
    }

    /// A run's report: final from the ledger, or the live counts of a run still going.
    pub async fn report(&self, run_id: &str) -> Result<RunReport, OrchestratorError> {
        if let Some(json) = self.ledger.run_report(run_id).await? {
            return serde_json::from_str(&json)
                .map_err(|error| OrchestratorError::Corrupt(error.to_string()));
        }
        let Some(rx) = self.registry.watch(run_id) else {
            return Err(OrchestratorError::RunNotFound(run_id.to_owned()));
        };
        let event = rx.borrow().clone();
        Ok(RunReport {
            run_id: run_id.to_owned(),
            status: run_status::RUNNING.into(),
            customers: event.customers.unwrap_or_default().into(),
            invoices: event.invoices.unwrap_or_default().into(),
            message: event.message,
            ..RunReport::default()
        })
    }

    async fn profile(&self, request: &ExportRequest) -> Result<ExportProfile, OrchestratorError> {
        self.peers
            .config
            .clone()
            .get_export_profile(GetExportProfileRequest {
                tenant_id: request.tenant_id.clone(),
                location_name: request.location.clone(),
            })
            .await
            .map_err(|status| OrchestratorError::peer("config-service", status))?
            .into_inner()
            .profile
            .ok_or_else(|| OrchestratorError::Corrupt("config-service sent no profile".into()))
    }

    /// Resumes runs whose process stopped mid-run (status still `running`, lease run out), each
    /// under its own run id. Outcomes already in the ledger are kept; bookings in flight are
    /// re-sent and settled by Octopus's numbering (the gateway reports `already_booked`).
    pub async fn resume_unfinished(&self) -> Result<Vec<StartedRun>, OrchestratorError> {
        let mut resumed = Vec::new();
        for row in self.ledger.unfinished_runs().await? {
            if self.registry.watch(&row.run_id).is_some() {
                continue;
            }
            let request: ExportRequest = match serde_json::from_str(&row.request_json) {
                Ok(request) => request,
                Err(error) => {
                    tracing::error!(run_id = %row.run_id, error = %error, "unreadable request of an unfinished run");
                    continue;
                }
            };
            let Some(lease) =
                lock::take_for_resume(&self.ledger, row.dossier_id, &row.run_id, self.lease)
                    .await?
            else {
                continue;
            };
            let profile = match self.profile(&request).await {
                Ok(profile) => profile,
                Err(error) => {
                    lease.release().await;
                    tracing::warn!(run_id = %row.run_id, error = %error, "cannot resume the run yet");
                    continue;
                }
            };
            tracing::info!(run_id = %row.run_id, "resuming an unfinished run");
            resumed.push(self.spawn(row.run_id, profile, request, lease));
        }
        Ok(resumed)
    }

    /// Runs an already recorded run to its end in the background, holding `lease`.
    fn spawn(
        &self,
        run_id: String,
        profile: ExportProfile,
        request: ExportRequest,
        lease: lock::Lease,
    ) -> StartedRun {
        let progress = self.registry.register(&run_id);
        let run = RunContext {
            run_id: run_id.clone(),
            dossier: DossierRef {
                tenant_id: request.tenant_id.clone(),
                dossier_id: profile.dossier_id,
            },
            profile,
            dry_run: request.dry_run,
            progress,
        };
        let runner = self.clone();
        let handle = tokio::spawn(async move {
            tracing::info!(run_id = %run.run_id, dossier_id = run.profile.dossier_id, "export run started");
            let report = runner.drive(&run, &request).await;
            if let Err(error) = runner.record_end(&run, &report).await {
                tracing::error!(run_id = %run.run_id, error = %error, "could not record the end of a run");
            }
            lease.release().await;
            run.progress.done(&report.status, &report.message);
            runner.registry.remove(&run.run_id);
            tracing::info!(run_id = %run.run_id, status = %report.status, "export run finished");
            report
        });
        StartedRun { run_id, handle }
    }

    /// Runs the phases; a failure of the run itself becomes status "failed" with its reason.
    async fn drive(&self, run: &RunContext, request: &ExportRequest) -> RunReport {
        let mut report = RunReport {
            run_id: run.run_id.clone(),
            dry_run: run.dry_run,
            ..RunReport::default()
        };
        let mut calls = CallTally::default();
        let outcome = self.run_phases(run, request, &mut report, &mut calls).await;
        report.octopus_calls = calls.0;
        match outcome {
            Ok(rejected) => report.finish(rejected),
            Err(error) => {
                report.finish(false);
                report.status = run_status::FAILED.into();
                report.message = format!(
                    "the run stopped: {error}; outcomes so far are recorded, and running the export again continues where it stopped"
                );
            }
        }
        report
    }

    async fn record_end(
        &self,
        run: &RunContext,
        report: &RunReport,
    ) -> Result<(), OrchestratorError> {
        let report_json = serde_json::to_string(report)
            .map_err(|error| OrchestratorError::Corrupt(error.to_string()))?;
        self.ledger
            .finish_run(&run.run_id, &report.status, &report_json)
            .await?;
        if let Some(resume_at) = resume_at(report) {
            self.ledger.schedule_resume(&run.run_id, resume_at).await?;
            tracing::info!(run_id = %run.run_id, resume_at = %resume_at, "deferred items scheduled");
        }
        Ok(())
    }

    /// Starts a new run for every run whose deferred items are due (Octopus's cap has reset).
    /// A busy dossier is tried again on the next round.
    pub async fn resume_deferred(&self) -> Result<Vec<StartedRun>, OrchestratorError> {
        let mut started = Vec::new();
        for row in self.ledger.due_resumptions(self.clock.now()).await? {
            let mut request: ExportRequest = match serde_json::from_str(&row.request_json) {
                Ok(request) => request,
                Err(error) => {
                    tracing::error!(run_id = %row.run_id, error = %error, "unreadable request of a deferred run");
                    continue;
                }
            };
            request.wait_if_busy = false;
            match self.start(request).await {
                Ok(run) => {
                    self.ledger.mark_resumed(&row.run_id, &run.run_id).await?;
                    tracing::info!(run_id = %row.run_id, resumed_by = %run.run_id, "deferred items resumed");
                    started.push(run);
                }
                Err(OrchestratorError::Busy { .. }) => {}
                Err(error) => {
                    tracing::warn!(run_id = %row.run_id, error = %error, "cannot resume deferred items yet");
                }
            }
        }
        Ok(started)
    }

    /// The phases in order; returns true when the configuration was invalid and nothing was sent.
    async fn run_phases(
        &self,
        run: &RunContext,
        request: &ExportRequest,
        report: &mut RunReport,
        calls: &mut CallTally,
    ) -> Result<bool, OrchestratorError> {
        let snapshot_response = self
            .peers
            .gateway
            .clone()
            .get_dossier_snapshot(GetDossierSnapshotRequest {
                dossier: Some(run.dossier.clone()),
            })
            .await
            .map_err(|status| OrchestratorError::peer("octopus-gateway", status))?
            .into_inner();
        calls.add(&snapshot_response.calls);
        let snapshot = snapshot_response.snapshot.unwrap_or_default();

        if request.what == What::Accounts {
            run.progress.phase("accounts");
            accounts::export(self, run, &snapshot, report, calls).await?;
            return Ok(false);
        }

        let selection = selection::read(&self.peers, request).await?;
        let validation = self
            .peers
            .mapper
            .clone()
            .validate_journals(ValidateJournalsRequest {
                profile: Some(run.profile.clone()),
                snapshot: Some(snapshot.clone()),
                journals: selection.journal_uses(),
            })
            .await
            .map_err(|status| OrchestratorError::peer("journal-mapper", status))?
            .into_inner();

        let mut journal_problems = selection.journal_problems.clone();
        journal_problems.extend(validation.problems.iter().map(|problem| ReportItem {
            kind: "journal".into(),
            journal: problem.planmanager_code.clone(),
            status: status::FAILED.into(),
            message: problem.message.clone(),
            ..ReportItem::default()
        }));
        if !journal_problems.is_empty() {
            // An invalid configuration sends nothing (design §3 step 5).
            for item in journal_problems
                .into_iter()
                .chain(selection.blocked_by_configuration())
            {
                run.push(&mut report.items, item);
            }
            return Ok(true);
        }

        run.progress.phase("customers");
        run.progress.invoices_total(selection.entries.len());
        let debtors = customers::export(self, run, &selection, report, calls).await?;
        if request.what == What::Customers {
            return Ok(false);
        }
        run.progress.phase("invoices");
        let booked_ids =
            invoices::book(self, run, &snapshot, selection, &debtors, report, calls).await?;
        if !booked_ids.is_empty() && !run.dry_run {
            self.peers
                .reader
                .clone()
                .mark_exported(MarkExportedRequest {
                    invoice_ids: booked_ids,
                    run_id: run.run_id.clone(),
                })
                .await
                .map_err(|status| OrchestratorError::peer("planmanager-reader", status))?;
        }
        Ok(false)
    }
}
