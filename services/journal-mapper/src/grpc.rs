//! The tonic adapter: it runs the [`api`] function of each RPC on the blocking pool
//! and turns a refused request into InvalidArgument. A bad journal, customer or invoice is reported
//! in its own item, not as an error.

use ox_proto::mapping::v1::journal_mapper_server::JournalMapper;
use ox_proto::mapping::v1::{
    MapCustomersRequest, MapCustomersResponse, MapInvoicesRequest, MapInvoicesResponse,
    ValidateJournalsRequest, ValidateJournalsResponse,
};
use tonic::{Request, Response, Status};
use tracing::Instrument as _;

use crate::api;
use crate::error::InputError;

/// Serves `mapping.v1.JournalMapper`; stateless.
#[derive(Debug, Clone, Copy, Default)]
pub struct JournalMapperGrpc;

#[tonic::async_trait]
impl JournalMapper for JournalMapperGrpc {
    #[tracing::instrument(skip_all, fields(journals = request.get_ref().journals.len()))]
    async fn validate_journals(
        &self,
        request: Request<ValidateJournalsRequest>,
    ) -> Result<Response<ValidateJournalsResponse>, Status> {
        let request = request.into_inner();
        let response = off_the_runtime(move || api::validate_journals(&request)).await?;
        tracing::info!(problems = response.problems.len(), "journals validated");
        Ok(Response::new(response))
    }

    #[tracing::instrument(skip_all, fields(customers = request.get_ref().customers.len()))]
    async fn map_customers(
        &self,
        request: Request<MapCustomersRequest>,
    ) -> Result<Response<MapCustomersResponse>, Status> {
        let request = request.into_inner();
        let response = off_the_runtime(move || api::map_customers(&request)).await?;
        let failed = response
            .customers
            .iter()
            .filter(|c| !c.error.is_empty())
            .count();
        tracing::info!(failed, "customers mapped");
        Ok(Response::new(response))
    }

    #[tracing::instrument(skip_all, fields(invoices = request.get_ref().invoices.len()))]
    async fn map_invoices(
        &self,
        request: Request<MapInvoicesRequest>,
    ) -> Result<Response<MapInvoicesResponse>, Status> {
        let request = request.into_inner();
        let response = off_the_runtime(move || api::map_invoices(&request)).await?;
        let failed = response
            .invoices
            .iter()
            .filter(|i| !i.error.is_empty())
            .count();
        tracing::info!(failed, "invoices mapped");
        Ok(Response::new(response))
    }
}

/// Runs a mapping on the blocking pool (a batch of thousands of invoices must not stall a worker)
/// and answers a refused request with InvalidArgument.
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, InputError> + Send + 'static,
) -> Result<T, Status> {
    let span = tracing::Span::current();
    let outcome = tokio::task::spawn_blocking(move || span.in_scope(work))
        .instrument(tracing::Span::current())
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "a mapping task failed");
            Status::internal("internal error")
        })?;
    outcome.map_err(|error| {
        tracing::warn!(error = %error, "request refused");
        Status::from(error)
    })
}
