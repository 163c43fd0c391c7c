//! `octopus-export run`: asks a running orchestrator for an export and prints its report.

use anyhow::Context as _;

use ox_orchestrator::report::RunReport;
use ox_proto::orchestrator::v1::StartExportRequest;
use ox_proto::orchestrator::v1::export_orchestrator_client::ExportOrchestratorClient;

/// Starts an export on the orchestrator at `orchestrator` and waits for its report.
pub async fn start_export(
    orchestrator: &str,
    request: StartExportRequest,
) -> anyhow::Result<RunReport> {
    let channel = ox_kit::channel(orchestrator)?;
    let mut client =
        ExportOrchestratorClient::new(channel).max_decoding_message_size(256 * 1024 * 1024);
    let response = client
        .start_export(request)
        .await
        .map_err(|status| anyhow::anyhow!("{}", status.message()))
        .context("the orchestrator refused the export")?;
    let report = response
        .into_inner()
        .report
        .context("the orchestrator answered without a report")?;
    Ok(report.into())
}
