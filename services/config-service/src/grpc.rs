//! The gRPC edge: `config.v1.ConfigService` as a thin adapter over [`ConfigStore`].

use ox_proto::config::v1 as pb;
use ox_proto::config::v1::config_service_server::ConfigService;
use tonic::{Request, Response, Status};

use crate::convert::credentials_request;
use crate::model::{Tenant, TenantId};
use crate::store::ConfigStore;

/// Serves `config.v1.ConfigService` from a [`ConfigStore`].
#[derive(Debug, Clone)]
pub struct ConfigGrpc {
    store: ConfigStore,
}

impl ConfigGrpc {
    /// Wraps the store.
    pub fn new(store: ConfigStore) -> Self {
        Self { store }
    }
}

#[tonic::async_trait]
impl ConfigService for ConfigGrpc {
    #[tracing::instrument(skip_all, fields(
        tenant_id = request.get_ref().tenant.as_ref().map_or("", |t| t.tenant_id.as_str())
    ))]
    async fn upsert_tenant(
        &self,
        request: Request<pb::UpsertTenantRequest>,
    ) -> Result<Response<pb::UpsertTenantResponse>, Status> {
        let Some(tenant) = request.into_inner().tenant else {
            return Err(Status::invalid_argument("tenant: is required"));
        };
        let tenant = Tenant::try_from(tenant)?;
        let created = self.store.upsert_tenant(&tenant).await?;
        Ok(Response::new(pb::UpsertTenantResponse { created }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn set_credentials(
        &self,
        request: Request<pb::SetCredentialsRequest>,
    ) -> Result<Response<pb::SetCredentialsResponse>, Status> {
        let (tenant_id, credentials) = credentials_request(request.into_inner())?;
        let key_id = self.store.set_credentials(&tenant_id, &credentials).await?;
        Ok(Response::new(pb::SetCredentialsResponse { key_id }))
    }

    #[tracing::instrument(skip_all, fields(
        tenant_id = %request.get_ref().tenant_id,
        location = %request.get_ref().location_name,
    ))]
    async fn get_export_profile(
        &self,
        request: Request<pb::GetExportProfileRequest>,
    ) -> Result<Response<pb::GetExportProfileResponse>, Status> {
        let request = request.into_inner();
        let tenant_id = TenantId::parse("tenant_id", &request.tenant_id)?;
        let profile = self
            .store
            .export_profile(&tenant_id, &request.location_name)
            .await?;
        Ok(Response::new(pb::GetExportProfileResponse {
            profile: Some(profile.into()),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn resolve_credentials(
        &self,
        request: Request<pb::ResolveCredentialsRequest>,
    ) -> Result<Response<pb::ResolveCredentialsResponse>, Status> {
        let tenant_id = TenantId::parse("tenant_id", &request.get_ref().tenant_id)?;
        let resolved = self.store.resolve_credentials(&tenant_id).await?;
        let credentials = resolved.credentials;
        Ok(Response::new(pb::ResolveCredentialsResponse {
            octopus_base_url: resolved.octopus_base_url,
            software_house_uuid: credentials.software_house_uuid.expose().to_owned(),
            user: credentials.user.expose().to_owned(),
            password: credentials.password.expose().to_owned(),
        }))
    }
}
