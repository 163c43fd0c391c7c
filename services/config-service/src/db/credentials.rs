//! Encrypted Octopus credentials: stored and read as ciphertexts only, never clear text.

use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use super::Db;
use crate::crypto::Sealed;
use crate::error::ConfigError;
use crate::model::TenantId;

/// The sealed parts of a tenant's credentials and the id of the key they are sealed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedCredentials {
    pub key_id: String,
    /// `None` only in rows written without a user.
    pub user: Option<Sealed>,
    pub password: Sealed,
    pub software_house_uuid: Sealed,
}

/// What is stored for a tenant: its Octopus base URL and, when set, its sealed credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredentials {
    /// Empty means the real Octopus service.
    pub octopus_base_url: String,
    pub sealed: Option<SealedCredentials>,
}

impl Db {
    /// Stores (or replaces) `tenant_id`'s sealed credentials; the tenant must exist.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, key_id = %sealed.key_id))]
    pub async fn put_credentials(
        &self,
        tenant_id: &TenantId,
        sealed: &SealedCredentials,
    ) -> Result<(), ConfigError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: bool = sqlx::query("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)")
            .bind(tenant_id.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if !exists {
            return Err(ConfigError::TenantNotFound(tenant_id.to_string()));
        }
        sqlx::query(
            "INSERT INTO credentials (tenant_id, key_id, user_ciphertext, user_nonce, \
                 password_ciphertext, password_nonce, software_house_uuid_ciphertext, \
                 software_house_uuid_nonce) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (tenant_id) DO UPDATE SET key_id = excluded.key_id, \
                 user_ciphertext = excluded.user_ciphertext, user_nonce = excluded.user_nonce, \
                 password_ciphertext = excluded.password_ciphertext, \
                 password_nonce = excluded.password_nonce, \
                 software_house_uuid_ciphertext = excluded.software_house_uuid_ciphertext, \
                 software_house_uuid_nonce = excluded.software_house_uuid_nonce, \
                 updated_at = CURRENT_TIMESTAMP",
        )
        .bind(tenant_id.as_str())
        .bind(&sealed.key_id)
        .bind(sealed.user.as_ref().map(|user| &user.ciphertext))
        .bind(sealed.user.as_ref().map(|user| &user.nonce))
        .bind(&sealed.password.ciphertext)
        .bind(&sealed.password.nonce)
        .bind(&sealed.software_house_uuid.ciphertext)
        .bind(&sealed.software_house_uuid.nonce)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads a tenant's base URL and sealed credentials; `TenantNotFound` when there is no tenant.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn fetch_credentials(
        &self,
        tenant_id: &TenantId,
    ) -> Result<StoredCredentials, ConfigError> {
        let row = sqlx::query(
            "SELECT t.octopus_base_url, c.key_id, c.user_ciphertext, c.user_nonce, \
                 c.password_ciphertext, c.password_nonce, c.software_house_uuid_ciphertext, \
                 c.software_house_uuid_nonce \
             FROM tenants t LEFT JOIN credentials c ON c.tenant_id = t.id WHERE t.id = ?",
        )
        .bind(tenant_id.as_str())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| ConfigError::TenantNotFound(tenant_id.to_string()))?;
        let octopus_base_url: String = row.try_get("octopus_base_url")?;
        let key_id: Option<String> = row.try_get("key_id")?;
        let Some(key_id) = key_id else {
            return Ok(StoredCredentials {
                octopus_base_url,
                sealed: None,
            });
        };
        let sealed_credentials = SealedCredentials {
            key_id,
            user: sealed(&row, "user")?,
            password: sealed(&row, "password")?
                .ok_or_else(|| ConfigError::Corrupt("password ciphertext missing".into()))?,
            software_house_uuid: sealed(&row, "software_house_uuid")?.ok_or_else(|| {
                ConfigError::Corrupt("software house uuid ciphertext missing".into())
            })?,
        };
        Ok(StoredCredentials {
            octopus_base_url,
            sealed: Some(sealed_credentials),
        })
    }
}

fn sealed(row: &SqliteRow, field: &str) -> Result<Option<Sealed>, ConfigError> {
    let ciphertext: Option<Vec<u8>> = row.try_get(format!("{field}_ciphertext").as_str())?;
    let nonce: Option<Vec<u8>> = row.try_get(format!("{field}_nonce").as_str())?;
    match (ciphertext, nonce) {
        (Some(ciphertext), Some(nonce)) => Ok(Some(Sealed { ciphertext, nonce })),
        (None, None) => Ok(None),
        _ => Err(ConfigError::Corrupt(format!(
            "{field} ciphertext and nonce are not both set"
        ))),
    }
}
