//! The gRPC edge of the operator API: `config_admin.v1.ConfigAdmin` over [`ConfigStore`].

use std::str::FromStr as _;

use ox_proto::config::v1 as config_pb;
use rust_decimal::Decimal;
use tonic::{Request, Response, Status};

use crate::admin_api::v1 as pb;
use crate::admin_api::v1::config_admin_server::ConfigAdmin;
use crate::error::ConfigError;
use crate::model::{Change, JournalOverride, TenantId, VatMapping, VatRegime};
use crate::store::ConfigStore;

/// Serves `config_admin.v1.ConfigAdmin` from a [`ConfigStore`].
#[derive(Debug, Clone)]
pub struct ConfigAdminGrpc {
    store: ConfigStore,
}

impl ConfigAdminGrpc {
    /// Wraps the store.
    pub fn new(store: ConfigStore) -> Self {
        Self { store }
    }
}

impl From<Change> for pb::Change {
    fn from(change: Change) -> Self {
        match change {
            Change::Created => Self::Created,
            Change::Updated => Self::Updated,
            Change::Removed => Self::Removed,
        }
    }
}

#[tonic::async_trait]
impl ConfigAdmin for ConfigAdminGrpc {
    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn get_tenant(
        &self,
        request: Request<pb::GetTenantRequest>,
    ) -> Result<Response<pb::GetTenantResponse>, Status> {
        let tenant_id = TenantId::parse("tenant_id", &request.get_ref().tenant_id)?;
        let tenant = self.store.tenant(&tenant_id).await?;
        let credentials = match self.store.credentials_summary(&tenant_id).await? {
            Some(summary) => pb::CredentialsSummary {
                set: true,
                user_masked: summary.user_masked,
                software_house_uuid_masked: summary.software_house_uuid_masked,
                key_id: summary.key_id,
            },
            None => pb::CredentialsSummary::default(),
        };
        Ok(Response::new(pb::GetTenantResponse {
            tenant: Some(config_pb::Tenant::from(&tenant)),
            credentials: Some(credentials),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn set_journal_override(
        &self,
        request: Request<pb::SetJournalOverrideRequest>,
    ) -> Result<Response<pb::SetJournalOverrideResponse>, Status> {
        let request = request.into_inner();
        let tenant_id = TenantId::parse("tenant_id", &request.tenant_id)?;
        let change = if request.octopus_journal_key.is_empty() {
            self.store
                .remove_journal_override(
                    &tenant_id,
                    &request.location_name,
                    &request.planmanager_code,
                )
                .await?
        } else {
            let entry = JournalOverride {
                location_name: request.location_name,
                planmanager_code: request.planmanager_code,
                octopus_journal_key: request.octopus_journal_key.trim().to_owned(),
            };
            self.store.set_journal_override(&tenant_id, &entry).await?
        };
        Ok(Response::new(pb::SetJournalOverrideResponse {
            change: pb::Change::from(change).into(),
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant_id = %request.get_ref().tenant_id))]
    async fn set_vat_mapping(
        &self,
        request: Request<pb::SetVatMappingRequest>,
    ) -> Result<Response<pb::SetVatMappingResponse>, Status> {
        let request = request.into_inner();
        let tenant_id = TenantId::parse("tenant_id", &request.tenant_id)?;
        let Some(mapping) = request.mapping else {
            return Err(Status::invalid_argument("mapping: is required"));
        };
        let rate = Decimal::from_str(mapping.rate.trim()).map_err(|_| {
            ConfigError::invalid(
                "mapping.rate",
                format!(
                    "{:?} is not a decimal percentage (write e.g. \"21\" or \"5.5\")",
                    mapping.rate
                ),
            )
        })?;
        let regime = VatRegime::parse(mapping.regime.trim()).ok_or_else(|| {
            ConfigError::invalid(
                "mapping.regime",
                format!(
                    "{:?} is not a VAT regime; use one of {}",
                    mapping.regime,
                    VatRegime::names().join(", ")
                ),
            )
        })?;
        let change = if mapping.octopus_code.is_empty() {
            self.store
                .remove_vat_mapping(&tenant_id, rate.normalize(), regime)
                .await?
        } else {
            let mapping = VatMapping {
                rate: rate.normalize(),
                regime,
                octopus_code: mapping.octopus_code.trim().to_owned(),
            };
            self.store.set_vat_mapping(&tenant_id, &mapping).await?
        };
        Ok(Response::new(pb::SetVatMappingResponse {
            change: pb::Change::from(change).into(),
        }))
    }
}
