//! One export run: validate journals, export the debtors, then book the invoices per journal in
//! ascending number, recording every outcome in the ledger so that a re-run books nothing twice.

mod customers;
mod invoices;
pub mod request;
mod selection;

use std::collections::BTreeMap;

use ox_proto::config::v1::{ExportProfile, GetExportProfileRequest};
use ox_proto::gateway::v1::{DossierRef, GetDossierSnapshotRequest, OctopusCall};
use ox_proto::mapping::v1::ValidateJournalsRequest;
use ox_proto::planmanager::v1::MarkExportedRequest;

use crate::error::OrchestratorError;
use crate::ledger::Ledger;
use crate::peers::PeerClients;
use crate::report::{ReportItem, RunReport, status};
use request::{ExportRequest, What};

/// Runs exports against the peers, recording outcomes in the ledger.
#[derive(Debug, Clone)]
pub struct Runner {
    peers: PeerClients,
    ledger: Ledger,
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
}

impl Runner {
    /// A runner over these peers and this ledger.
    pub fn new(peers: PeerClients, ledger: Ledger) -> Self {
        Self { peers, ledger }
    }

    /// The ledger, for reading earlier runs.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Runs one export to the end and returns its report.
    #[tracing::instrument(skip_all, fields(tenant_id = %request.tenant_id, location = %request.location))]
    pub async fn execute(&self, request: ExportRequest) -> Result<RunReport, OrchestratorError> {
        let profile = self
            .peers
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
            .ok_or_else(|| OrchestratorError::Corrupt("config-service sent no profile".into()))?;
        let run = RunContext {
            run_id: uuid::Uuid::new_v4().to_string(),
            dossier: DossierRef {
                tenant_id: request.tenant_id.clone(),
                dossier_id: profile.dossier_id,
            },
            profile,
        };
        let request_json = serde_json::to_string(&request)
            .map_err(|error| OrchestratorError::Corrupt(error.to_string()))?;
        self.ledger
            .insert_run(
                &run.run_id,
                &request.tenant_id,
                &request.location,
                run.profile.dossier_id,
                &request_json,
            )
            .await?;
        tracing::info!(run_id = %run.run_id, dossier_id = run.profile.dossier_id, "export run started");

        let mut report = RunReport {
            run_id: run.run_id.clone(),
            ..RunReport::default()
        };
        let mut calls = CallTally::default();
        let rejected = self
            .run_phases(&run, &request, &mut report, &mut calls)
            .await?;
        report.octopus_calls = calls.0;
        report.finish(rejected);

        let report_json = serde_json::to_string(&report)
            .map_err(|error| OrchestratorError::Corrupt(error.to_string()))?;
        self.ledger
            .finish_run(&run.run_id, &report.status, &report_json)
            .await?;
        tracing::info!(run_id = %run.run_id, status = %report.status, "export run finished");
        Ok(report)
    }

    /// The phases in order; returns true when the configuration was invalid and nothing was sent.
    async fn run_phases(
        &self,
        run: &RunContext,
        request: &ExportRequest,
        report: &mut RunReport,
        calls: &mut CallTally,
    ) -> Result<bool, OrchestratorError> {
        let selection = selection::read(&self.peers, request).await?;
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
            report.items.extend(journal_problems);
            report.items.extend(selection.blocked_by_configuration());
            return Ok(true);
        }

        let debtors = customers::export(self, run, &selection, report, calls).await?;
        if request.what == What::Customers {
            return Ok(false);
        }
        let booked_ids =
            invoices::book(self, run, &snapshot, selection, &debtors, report, calls).await?;
        if !booked_ids.is_empty() {
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
