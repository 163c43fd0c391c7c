//! The tonic adapter: request → domain → response. Malformed profiles or snapshots refuse the
//! request (InvalidArgument); a bad journal, customer or invoice is reported in its own item.

use ox_proto::mapping::v1::journal_mapper_server::JournalMapper;
use ox_proto::mapping::v1::{
    MapCustomersRequest, MapCustomersResponse, MapInvoicesRequest, MapInvoicesResponse,
    ValidateJournalsRequest, ValidateJournalsResponse,
};
use tonic::{Request, Response, Status};
use tracing::Instrument as _;

use crate::domain::{self, FieldLimits, Profile, Snapshot};
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
        let (profile, snapshot) =
            parse_context(request.profile.as_ref(), request.snapshot.as_ref())?;
        let response = off_the_runtime(move || {
            domain::validate_journals(&profile, &snapshot, &request.journals)
        })
        .await?;
        tracing::info!(problems = response.problems.len(), "journals validated");
        Ok(Response::new(response))
    }

    #[tracing::instrument(skip_all, fields(customers = request.get_ref().customers.len()))]
    async fn map_customers(
        &self,
        request: Request<MapCustomersRequest>,
    ) -> Result<Response<MapCustomersResponse>, Status> {
        let request = request.into_inner();
        // Only the field limits matter here; a missing profile means the default limits.
        let limits = FieldLimits::from_proto(
            request
                .profile
                .as_ref()
                .and_then(|profile| profile.field_limits.as_ref()),
        );
        let customers =
            off_the_runtime(move || domain::map_customers(&limits, &request.customers)).await?;
        let failed = customers.iter().filter(|c| !c.error.is_empty()).count();
        tracing::info!(failed, "customers mapped");
        Ok(Response::new(MapCustomersResponse { customers }))
    }

    #[tracing::instrument(skip_all, fields(invoices = request.get_ref().invoices.len()))]
    async fn map_invoices(
        &self,
        request: Request<MapInvoicesRequest>,
    ) -> Result<Response<MapInvoicesResponse>, Status> {
        let request = request.into_inner();
        let (profile, snapshot) =
            parse_context(request.profile.as_ref(), request.snapshot.as_ref())?;
        let invoices =
            off_the_runtime(move || domain::map_invoices(&profile, &snapshot, &request.invoices))
                .await?;
        let failed = invoices.iter().filter(|i| !i.error.is_empty()).count();
        tracing::info!(failed, "invoices mapped");
        Ok(Response::new(MapInvoicesResponse { invoices }))
    }
}

fn parse_context(
    profile: Option<&ox_proto::config::v1::ExportProfile>,
    snapshot: Option<&ox_proto::gateway::v1::DossierSnapshot>,
) -> Result<(Profile, Snapshot), InputError> {
    let profile = Profile::from_proto(profile.ok_or(InputError::Missing("export profile"))?)?;
    let snapshot = Snapshot::from_proto(
        snapshot.ok_or(InputError::Missing("dossier snapshot"))?,
        profile.dossier_id,
    )?;
    Ok((profile, snapshot))
}

/// Runs a mapping on the blocking pool: a batch of thousands of invoices must not stall a worker.
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Status> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .instrument(tracing::Span::current())
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "a mapping task failed");
            Status::internal("internal error")
        })
}
