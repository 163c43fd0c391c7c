//! The tonic adapter: proto → gateway call → proto, with the Octopus calls made attached.

use std::sync::Arc;

use ox_proto::gateway::v1::octopus_gateway_server::OctopusGateway;
use ox_proto::gateway::v1::{
    CreateBookingRequest, CreateBookingResponse, DossierRef, FindRelationRequest,
    FindRelationResponse, FindRelationsByVatRequest, FindRelationsByVatResponse,
    GetDossierSnapshotRequest, GetDossierSnapshotResponse, UpsertAccountRequest,
    UpsertAccountResponse, UpsertRelationRequest, UpsertRelationResponse,
};
use tonic::{Request, Response, Status};

use crate::booking_json::BookingOrder;
use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::session::DossierKey;

/// Serves `gateway.v1.OctopusGateway` from a shared [`Gateway`].
#[derive(Debug, Clone)]
pub struct GatewayGrpc {
    gateway: Arc<Gateway>,
}

impl GatewayGrpc {
    /// An adapter over `gateway`.
    pub fn new(gateway: Arc<Gateway>) -> Self {
        Self { gateway }
    }
}

fn dossier_key(dossier: Option<&DossierRef>) -> Result<DossierKey, GatewayError> {
    let dossier = dossier.ok_or_else(|| {
        GatewayError::InvalidArgument("the request names no dossier (tenant_id, dossier_id)".into())
    })?;
    let tenant_id = dossier.tenant_id.trim();
    if tenant_id.is_empty() || dossier.dossier_id <= 0 {
        return Err(GatewayError::InvalidArgument(format!(
            "a dossier needs a tenant id and a dossier id above 0 (got tenant {:?}, dossier {})",
            dossier.tenant_id, dossier.dossier_id
        )));
    }
    Ok(DossierKey {
        tenant_id: tenant_id.to_owned(),
        dossier_id: dossier.dossier_id,
    })
}

fn record_span(key: &DossierKey) {
    let span = tracing::Span::current();
    span.record("tenant", key.tenant_id.as_str());
    span.record("dossier_id", key.dossier_id);
}

#[tonic::async_trait]
impl OctopusGateway for GatewayGrpc {
    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn get_dossier_snapshot(
        &self,
        request: Request<GetDossierSnapshotRequest>,
    ) -> Result<Response<GetDossierSnapshotResponse>, Status> {
        let key = dossier_key(request.get_ref().dossier.as_ref())?;
        record_span(&key);
        let mut calls = Calls::default();
        let snapshot = self.gateway.snapshot(&key, &mut calls).await?;
        Ok(Response::new(GetDossierSnapshotResponse {
            snapshot: Some(snapshot),
            calls: calls.into_proto(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn find_relation(
        &self,
        request: Request<FindRelationRequest>,
    ) -> Result<Response<FindRelationResponse>, Status> {
        let request = request.into_inner();
        let key = dossier_key(request.dossier.as_ref())?;
        record_span(&key);
        let mut calls = Calls::default();
        let relations = self
            .gateway
            .find_relations(&key, request.external_relation_id, &mut calls)
            .await?;
        Ok(Response::new(FindRelationResponse {
            relations,
            calls: calls.into_proto(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn upsert_relation(
        &self,
        request: Request<UpsertRelationRequest>,
    ) -> Result<Response<UpsertRelationResponse>, Status> {
        let request = request.into_inner();
        let key = dossier_key(request.dossier.as_ref())?;
        record_span(&key);
        let relation = request.relation.ok_or_else(|| {
            GatewayError::InvalidArgument("UpsertRelation carries no relation".into())
        })?;
        let mut calls = Calls::default();
        let upserted = self
            .gateway
            .upsert_relation(&key, &relation, &mut calls)
            .await?;
        Ok(Response::new(UpsertRelationResponse {
            relation_key: upserted.relation_key,
            created: upserted.created,
            calls: calls.into_proto(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn upsert_account(
        &self,
        request: Request<UpsertAccountRequest>,
    ) -> Result<Response<UpsertAccountResponse>, Status> {
        let request = request.into_inner();
        let key = dossier_key(request.dossier.as_ref())?;
        record_span(&key);
        let account = request.account.ok_or_else(|| {
            GatewayError::InvalidArgument("UpsertAccount carries no account".into())
        })?;
        let mut calls = Calls::default();
        let created = self
            .gateway
            .upsert_account(&key, &account, &request.description_fr, &mut calls)
            .await?;
        Ok(Response::new(UpsertAccountResponse {
            created,
            calls: calls.into_proto(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn create_booking(
        &self,
        request: Request<CreateBookingRequest>,
    ) -> Result<Response<CreateBookingResponse>, Status> {
        let request = request.into_inner();
        let key = dossier_key(request.dossier.as_ref())?;
        record_span(&key);
        let booking = request.booking.ok_or_else(|| {
            GatewayError::InvalidArgument("CreateBooking carries no booking".into())
        })?;
        let order = BookingOrder::try_from(booking)?;
        let mut calls = Calls::default();
        let result = self
            .gateway
            .create_booking(&key, &order, &mut calls)
            .await?;
        Ok(Response::new(CreateBookingResponse {
            outcome: result.outcome.into(),
            octopus_error_code: result.octopus_error_code,
            message: result.message,
            last_document_nr: result.last_document_nr.unwrap_or_default(),
            deferred_until: result.deferred_until.unwrap_or_default(),
            calls: calls.into_proto(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant, dossier_id))]
    async fn find_relations_by_vat(
        &self,
        request: Request<FindRelationsByVatRequest>,
    ) -> Result<Response<FindRelationsByVatResponse>, Status> {
        let request = request.into_inner();
        let key = dossier_key(request.dossier.as_ref())?;
        record_span(&key);
        let mut calls = Calls::default();
        let matches = self
            .gateway
            .find_relations_by_vat(
                &key,
                &request.vat_nr,
                request.external_relation_id,
                &mut calls,
            )
            .await?;
        Ok(Response::new(FindRelationsByVatResponse {
            candidates: matches.candidates,
            linked_elsewhere: matches.linked_elsewhere,
            normalized_vat_nr: matches.normalized,
            calls: calls.into_proto(),
        }))
    }
}
