//! The orchestrator client behind `run`, `requeue`, `runs` and `report`: starts a run detached,
//! follows it with `WatchRun` (the progress bar), then fetches its report.

use anyhow::Context as _;
use tonic::transport::Channel;

use ox_orchestrator::report::RunReport;
use ox_proto::orchestrator::v1::export_orchestrator_client::ExportOrchestratorClient;
use ox_proto::orchestrator::v1::{
    GetRunRequest, ListRunsRequest, RequeueRequest, RequeueResponse, RunSummary,
    StartExportRequest, WatchRunRequest,
};

use crate::summary;

fn client(orchestrator: &str) -> anyhow::Result<ExportOrchestratorClient<Channel>> {
    let channel = ox_kit::channel(orchestrator)?;
    Ok(ExportOrchestratorClient::new(channel).max_decoding_message_size(256 * 1024 * 1024))
}

fn refused(status: tonic::Status) -> anyhow::Error {
    if status.code() == tonic::Code::Unavailable {
        return anyhow::anyhow!("the orchestrator is unreachable ({})", status.message());
    }
    anyhow::anyhow!("{}", status.message())
}

/// Starts an export, shows its progress on a terminal, and returns its final report.
pub async fn start_export(
    orchestrator: &str,
    request: StartExportRequest,
) -> anyhow::Result<RunReport> {
    let mut client = client(orchestrator)?;
    let started = client
        .start_export(StartExportRequest {
            detach: true,
            ..request
        })
        .await
        .map_err(refused)
        .with_context(|| {
            format!("the export was not started by the orchestrator at {orchestrator}")
        })?
        .into_inner()
        .report
        .context("the orchestrator answered without a run")?;
    let run_id = started.run_id;
    let mut events = client
        .watch_run(WatchRunRequest {
            run_id: run_id.clone(),
        })
        .await
        .map_err(refused)
        .context("cannot follow the run")?
        .into_inner();
    while let Some(event) = events.message().await.map_err(refused)? {
        let invoices = event.invoices.unwrap_or_default();
        let done = invoices.booked
            + invoices.already_booked
            + invoices.failed
            + invoices.blocked
            + invoices.deferred
            + invoices.would_book;
        summary::progress(u64::from(done), u64::from(event.invoices_total));
        if event.status != "running" {
            break;
        }
    }
    summary::progress_done();
    report(orchestrator, &run_id).await
}

/// Fetches a run's report.
pub async fn report(orchestrator: &str, run_id: &str) -> anyhow::Result<RunReport> {
    let report = client(orchestrator)?
        .get_run(GetRunRequest {
            run_id: run_id.to_owned(),
        })
        .await
        .map_err(refused)?
        .into_inner()
        .report
        .context("the orchestrator answered without a report")?;
    Ok(report.into())
}

/// Puts a selection back in the queue.
pub async fn requeue(
    orchestrator: &str,
    request: RequeueRequest,
) -> anyhow::Result<RequeueResponse> {
    Ok(client(orchestrator)?
        .requeue(request)
        .await
        .map_err(refused)
        .context("the orchestrator refused the re-queue")?
        .into_inner())
}

/// Lists a tenant's runs, newest first.
pub async fn runs(
    orchestrator: &str,
    tenant_id: &str,
    limit: u32,
) -> anyhow::Result<Vec<RunSummary>> {
    Ok(client(orchestrator)?
        .list_runs(ListRunsRequest {
            tenant_id: tenant_id.to_owned(),
            limit,
        })
        .await
        .map_err(refused)?
        .into_inner()
        .runs)
}
