//! The public gRPC API: a thin adapter from `orchestrator.v1` onto the runner and the ledger.

use tonic::{Request, Response, Status};

use ox_proto::orchestrator::v1::export_orchestrator_server::ExportOrchestrator;
use ox_proto::orchestrator::v1::{
    GetRunRequest, GetRunResponse, StartExportRequest, StartExportResponse,
};

use crate::error::OrchestratorError;
use crate::report::RunReport;
use crate::run::Runner;
use crate::run::request::ExportRequest;

/// The `ExportOrchestrator` service.
#[derive(Debug, Clone)]
pub struct OrchestratorGrpc {
    runner: Runner,
}

impl OrchestratorGrpc {
    /// Serves exports with this runner.
    pub fn new(runner: Runner) -> Self {
        Self { runner }
    }
}

#[tonic::async_trait]
impl ExportOrchestrator for OrchestratorGrpc {
    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn start_export(
        &self,
        request: Request<StartExportRequest>,
    ) -> Result<Response<StartExportResponse>, Status> {
        let request = ExportRequest::try_from(request.into_inner())?;
        let report = self.runner.execute(request).await?;
        Ok(Response::new(StartExportResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all, fields(run_id = %request.get_ref().run_id))]
    async fn get_run(
        &self,
        request: Request<GetRunRequest>,
    ) -> Result<Response<GetRunResponse>, Status> {
        let run_id = request.into_inner().run_id;
        let json = self
            .runner
            .ledger()
            .run_report(&run_id)
            .await?
            .ok_or_else(|| OrchestratorError::RunNotFound(run_id.clone()))?;
        let report: RunReport = serde_json::from_str(&json)
            .map_err(|error| OrchestratorError::Corrupt(error.to_string()))?;
        Ok(Response::new(GetRunResponse {
            report: Some(report.into()),
        }))
    }
}
