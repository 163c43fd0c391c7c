//! The public gRPC API: a thin adapter from `orchestrator.v1` onto the runner and the ledger.

use std::pin::Pin;

use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use ox_proto::orchestrator::v1::export_orchestrator_server::ExportOrchestrator;
use ox_proto::orchestrator::v1::{
    ExportAccountsRequest, ExportAccountsResponse, ExportCustomersRequest, ExportCustomersResponse,
    ExportInvoicesRequest, ExportInvoicesResponse, GetRunRequest, GetRunResponse, ListRunsRequest,
    ListRunsResponse, RequeueRequest, RequeueResponse, RunSummary, StartExportRequest,
    StartExportResponse, WatchRunRequest, WatchRunResponse,
};

use crate::error::OrchestratorError;
use crate::report::{RunReport, run_status};
use crate::run::Runner;
use crate::run::request::{ExportRequest, What};

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

    /// Starts a run; returns its final report, or at once a "running" stub when detached.
    async fn run(&self, request: ExportRequest) -> Result<RunReport, OrchestratorError> {
        let detach = request.detach;
        let started = self.runner.start(request).await?;
        if detach {
            return Ok(RunReport {
                run_id: started.run_id,
                status: run_status::RUNNING.into(),
                ..RunReport::default()
            });
        }
        started
            .handle
            .await
            .map_err(|error| OrchestratorError::Corrupt(format!("the run's task failed: {error}")))
    }
}

type WatchStream = Pin<Box<dyn Stream<Item = Result<WatchRunResponse, Status>> + Send>>;

#[tonic::async_trait]
impl ExportOrchestrator for OrchestratorGrpc {
    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn start_export(
        &self,
        request: Request<StartExportRequest>,
    ) -> Result<Response<StartExportResponse>, Status> {
        let request = ExportRequest::try_from(request.into_inner())?;
        let report = self.run(request).await?;
        Ok(Response::new(StartExportResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn export_customers(
        &self,
        request: Request<ExportCustomersRequest>,
    ) -> Result<Response<ExportCustomersResponse>, Status> {
        let request = ExportRequest::from_options(request.into_inner().options, What::Customers)?;
        let report = self.run(request).await?;
        Ok(Response::new(ExportCustomersResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn export_invoices(
        &self,
        request: Request<ExportInvoicesRequest>,
    ) -> Result<Response<ExportInvoicesResponse>, Status> {
        let request = ExportRequest::from_options(request.into_inner().options, What::Invoices)?;
        let report = self.run(request).await?;
        Ok(Response::new(ExportInvoicesResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn export_accounts(
        &self,
        request: Request<ExportAccountsRequest>,
    ) -> Result<Response<ExportAccountsResponse>, Status> {
        let request = ExportRequest::from_options(request.into_inner().options, What::Accounts)?;
        let report = self.run(request).await?;
        Ok(Response::new(ExportAccountsResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn requeue(
        &self,
        request: Request<RequeueRequest>,
    ) -> Result<Response<RequeueResponse>, Status> {
        let request = ExportRequest::from_requeue(request.get_ref())?;
        let (flags_cleared, ledger_requeued) = self.runner.requeue(&request).await?;
        Ok(Response::new(RequeueResponse {
            flags_cleared,
            ledger_requeued,
        }))
    }

    #[tracing::instrument(skip_all, fields(run_id = %request.get_ref().run_id))]
    async fn get_run(
        &self,
        request: Request<GetRunRequest>,
    ) -> Result<Response<GetRunResponse>, Status> {
        let run_id = request.into_inner().run_id;
        let report = self.runner.report(&run_id).await?;
        Ok(Response::new(GetRunResponse {
            report: Some(report.into()),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn list_runs(
        &self,
        request: Request<ListRunsRequest>,
    ) -> Result<Response<ListRunsResponse>, Status> {
        let request = request.into_inner();
        let limit = if request.limit == 0 {
            50
        } else {
            request.limit.min(1000)
        };
        let rows = self
            .runner
            .ledger()
            .list_runs(&request.tenant_id, limit)
            .await?;
        let runs = rows
            .into_iter()
            .map(|row| RunSummary {
                run_id: row.run_id,
                tenant_id: row.tenant_id,
                location_name: row.location,
                dossier_id: row.dossier_id,
                status: row.status,
                started_at: row.started_at,
                finished_at: row.finished_at.unwrap_or_default(),
                dry_run: row.dry_run,
            })
            .collect();
        Ok(Response::new(ListRunsResponse { runs }))
    }

    type WatchRunStream = WatchStream;

    #[tracing::instrument(skip_all, fields(run_id = %request.get_ref().run_id))]
    async fn watch_run(
        &self,
        request: Request<WatchRunRequest>,
    ) -> Result<Response<Self::WatchRunStream>, Status> {
        let run_id = request.into_inner().run_id;
        let Some(mut rx) = self.runner.registry().watch(&run_id) else {
            // Not running here: a finished run gets one final event.
            let report = self.runner.report(&run_id).await?;
            let event = WatchRunResponse {
                run_id,
                phase: "done".into(),
                customers: Some(report.customers.into()),
                invoices: Some(report.invoices.into()),
                status: report.status,
                message: report.message,
                ..WatchRunResponse::default()
            };
            let stream = tokio_stream::iter([Ok(event)]);
            return Ok(Response::new(Box::pin(stream)));
        };
        let (tx, out) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            loop {
                let event = rx.borrow_and_update().clone();
                let finished = event.status != run_status::RUNNING;
                if tx.send(Ok(event)).await.is_err() || finished {
                    return;
                }
                // The sender is dropped once the run is removed; its last event was "done".
                if rx.changed().await.is_err() {
                    let last = rx.borrow().clone();
                    let _ = tx.send(Ok(last)).await;
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(out),
        )))
    }
}
