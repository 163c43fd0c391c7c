//! The config domain as one handle: validated writes, export profiles, sealed credentials.
//!
//! The gRPC adapters call this; so can an in-process caller. Key checks and rotation are in
//! `keys.rs`, the operator's reads and single-entry edits in `admin.rs`.

use std::sync::Arc;

use crate::config::Settings;
use crate::credentials::{OctopusCredentials, ResolvedCredentials};
use crate::crypto::{Field, KeyRing, Sealed};
use crate::db::{Db, SealedCredentials};
use crate::error::ConfigError;
use crate::model::{DEFAULT_OCTOPUS_BASE_URL, ExportProfile, Tenant, TenantId};
use crate::secret::Secret;

/// Tenants, profiles and credentials on one database under one key ring. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    pub(crate) db: Db,
    pub(crate) keys: Arc<KeyRing>,
}

impl ConfigStore {
    /// Checks the master keys, opens the database, applies its migrations and makes sure every
    /// configured key is the one the database knows under its id, and that every stored
    /// credential is sealed under a configured key.
    pub async fn open(settings: &Settings) -> Result<Self, ConfigError> {
        // The keys first: a bad key must fail before anything touches the database.
        let keys = settings.key_ring()?;
        let db = Db::connect(&settings.database_url).await?;
        db.migrate().await?;
        let store = Self::new(db, keys);
        if let Err(error) = store.verify_keys().await {
            store.close().await;
            return Err(error);
        }
        Ok(store)
    }

    /// Wraps an opened, migrated database; the keys are not checked against it.
    pub fn new(db: Db, keys: KeyRing) -> Self {
        Self {
            db,
            keys: Arc::new(keys),
        }
    }

    /// The id of the master key new secrets are sealed under.
    pub fn key_id(&self) -> &str {
        self.keys.current().id()
    }

    /// Creates or replaces a tenant with its locations and mappings; returns `true` when new.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant.id))]
    pub async fn upsert_tenant(&self, tenant: &Tenant) -> Result<bool, ConfigError> {
        tenant.validate()?;
        // One Octopus dossier belongs to one tenant: its credentials, sessions and daily caps
        // are that tenant's, and two tenants' exports would race for its document numbers.
        for location in &tenant.locations {
            if let Some(owner) = self
                .db
                .other_tenant_of_dossier(&tenant.id, location.dossier_id)
                .await?
            {
                return Err(ConfigError::invalid(
                    format!("locations[{}].dossier_id", location.location_name),
                    format!(
                        "Octopus dossier {} already belongs to tenant {owner}",
                        location.dossier_id
                    ),
                ));
            }
        }
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
        // A new user or password without a software house id keeps the one stored: PlanManager's
        // settings files carry only ACCOUNTING_USERNAME and ACCOUNTING_PASSWORD.
        let mut credentials = credentials.clone();
        if credentials.software_house_uuid.is_empty()
            && let Some(sealed) = self.db.fetch_credentials(tenant_id).await?.sealed
        {
            credentials.software_house_uuid = self
                .open_credentials(tenant_id, &sealed)?
                .software_house_uuid;
        }
        let sealed = self.seal_credentials(tenant_id, &credentials)?;
        self.db.put_credentials(tenant_id, &sealed).await?;
        tracing::info!(key_id = %sealed.key_id, "credentials stored");
        Ok(sealed.key_id)
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
        let credentials = self.open_credentials(tenant_id, &sealed)?;
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

    /// Opens all parts of `sealed` with whichever configured key it names.
    pub(crate) fn open_credentials(
        &self,
        tenant_id: &TenantId,
        sealed: &SealedCredentials,
    ) -> Result<OctopusCredentials, ConfigError> {
        let key_id = &sealed.key_id;
        let user = match &sealed.user {
            Some(user) => self.open_secret(tenant_id, key_id, Field::User, user)?,
            None => Secret::new(""),
        };
        Ok(OctopusCredentials {
            user,
            password: self.open_secret(tenant_id, key_id, Field::Password, &sealed.password)?,
            software_house_uuid: self.open_secret(
                tenant_id,
                key_id,
                Field::SoftwareHouseUuid,
                &sealed.software_house_uuid,
            )?,
        })
    }

    fn open_secret(
        &self,
        tenant_id: &TenantId,
        key_id: &str,
        field: Field,
        sealed: &Sealed,
    ) -> Result<Secret, ConfigError> {
        let key = self
            .keys
            .get(key_id)
            .ok_or_else(|| ConfigError::MasterKeyMismatch {
                tenant_id: tenant_id.to_string(),
                stored_key_id: key_id.to_owned(),
                configured_key_id: self.key_id().to_owned(),
            })?;
        let bytes = key.open(tenant_id, field, sealed)?;
        // Only text is ever sealed, and the GCM tag proves these are the sealed bytes.
        String::from_utf8(bytes).map(Secret::from).map_err(|_| {
            ConfigError::Corrupt(format!("a credential of tenant {tenant_id} is not text"))
        })
    }
}
