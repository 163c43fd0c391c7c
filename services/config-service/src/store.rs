//! The config domain as one handle: validated writes, export profiles, sealed credentials.
//!
//! The gRPC adapter calls this; so can an in-process caller (the CLI).

use std::sync::Arc;

use crate::config::Settings;
use crate::credentials::{OctopusCredentials, ResolvedCredentials};
use crate::crypto::{Field, MasterKey, Sealed};
use crate::db::{Db, SealedCredentials};
use crate::error::ConfigError;
use crate::model::{DEFAULT_OCTOPUS_BASE_URL, ExportProfile, Tenant, TenantId};
use crate::secret::Secret;

/// Tenants, profiles and credentials on one database under one master key. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    db: Db,
    key: Arc<MasterKey>,
}

impl ConfigStore {
    /// Checks the master key, opens the database and applies its migrations.
    pub async fn open(settings: &Settings) -> Result<Self, ConfigError> {
        // The key first: a bad key must fail before anything touches the database.
        let key = settings.master_key()?;
        let db = Db::connect(&settings.database_url).await?;
        db.migrate().await?;
        Ok(Self::new(db, key))
    }

    /// Wraps an opened, migrated database.
    pub fn new(db: Db, key: MasterKey) -> Self {
        Self {
            db,
            key: Arc::new(key),
        }
    }

    /// The id of the master key new secrets are sealed under.
    pub fn key_id(&self) -> &str {
        self.key.id()
    }

    /// Creates or replaces a tenant with its locations and mappings; returns `true` when new.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant.id))]
    pub async fn upsert_tenant(&self, tenant: &Tenant) -> Result<bool, ConfigError> {
        tenant.validate()?;
        let created = self.db.upsert_tenant(tenant).await?;
        tracing::info!(
            created,
            locations = tenant.locations.len(),
            vat_mappings = tenant.vat_mappings.len(),
            "tenant stored"
        );
        Ok(created)
    }

    /// Seals and stores a tenant's Octopus credentials; returns the key id used.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn set_credentials(
        &self,
        tenant_id: &TenantId,
        credentials: &OctopusCredentials,
    ) -> Result<String, ConfigError> {
        credentials.validate()?;
        if !self.db.tenant_exists(tenant_id).await? {
            return Err(ConfigError::TenantNotFound(tenant_id.to_string()));
        }
        let key = &self.key;
        let sealed = SealedCredentials {
            key_id: key.id().to_owned(),
            user: Some(key.seal(tenant_id, Field::User, credentials.user.expose().as_bytes())?),
            password: key.seal(
                tenant_id,
                Field::Password,
                credentials.password.expose().as_bytes(),
            )?,
            software_house_uuid: key.seal(
                tenant_id,
                Field::SoftwareHouseUuid,
                credentials.software_house_uuid.expose().as_bytes(),
            )?,
        };
        self.db.put_credentials(tenant_id, &sealed).await?;
        tracing::info!(key_id = %key.id(), "credentials stored");
        Ok(key.id().to_owned())
    }

    /// Returns what an export of `location_name` needs, without secrets.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn export_profile(
        &self,
        tenant_id: &TenantId,
        location_name: &str,
    ) -> Result<ExportProfile, ConfigError> {
        if location_name.trim().is_empty() {
            return Err(ConfigError::invalid("location_name", "must not be empty"));
        }
        self.db.fetch_profile(tenant_id, location_name).await
    }

    /// Returns a tenant's decrypted credentials and its Octopus base URL.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn resolve_credentials(
        &self,
        tenant_id: &TenantId,
    ) -> Result<ResolvedCredentials, ConfigError> {
        let stored = self.db.fetch_credentials(tenant_id).await?;
        let sealed = stored
            .sealed
            .ok_or_else(|| ConfigError::CredentialsNotSet(tenant_id.to_string()))?;
        if sealed.key_id != self.key.id() {
            return Err(ConfigError::MasterKeyMismatch {
                tenant_id: tenant_id.to_string(),
                stored_key_id: sealed.key_id,
                configured_key_id: self.key.id().to_owned(),
            });
        }
        let user = match &sealed.user {
            Some(user) => self.open_secret(tenant_id, Field::User, user)?,
            None => Secret::new(""),
        };
        let credentials = OctopusCredentials {
            user,
            password: self.open_secret(tenant_id, Field::Password, &sealed.password)?,
            software_house_uuid: self.open_secret(
                tenant_id,
                Field::SoftwareHouseUuid,
                &sealed.software_house_uuid,
            )?,
        };
        let octopus_base_url = if stored.octopus_base_url.is_empty() {
            DEFAULT_OCTOPUS_BASE_URL.to_owned()
        } else {
            stored.octopus_base_url
        };
        Ok(ResolvedCredentials {
            octopus_base_url,
            credentials,
        })
    }

    /// Closes the database pool.
    pub async fn close(&self) {
        self.db.close().await;
    }

    fn open_secret(
        &self,
        tenant_id: &TenantId,
        field: Field,
        sealed: &Sealed,
    ) -> Result<Secret, ConfigError> {
        let bytes = self.key.open(tenant_id, field, sealed)?;
        // Only text is ever sealed, and the GCM tag proves these are the sealed bytes.
        String::from_utf8(bytes).map(Secret::from).map_err(|_| {
            ConfigError::Corrupt(format!("a credential of tenant {tenant_id} is not text"))
        })
    }
}
