//! Encrypted Octopus credentials: stored and read as ciphertexts only, never clear text.

use super::{BeginWrite as _, Db, on_pool};
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

/// The sealed columns of a `credentials` row; all `None` when a LEFT JOIN found no row.
#[derive(sqlx::FromRow)]
struct SealedRow {
    key_id: Option<String>,
    user_ciphertext: Option<Vec<u8>>,
    user_nonce: Option<Vec<u8>>,
    password_ciphertext: Option<Vec<u8>>,
    password_nonce: Option<Vec<u8>>,
    software_house_uuid_ciphertext: Option<Vec<u8>>,
    software_house_uuid_nonce: Option<Vec<u8>>,
}

/// A tenant's base URL and its (possibly absent) sealed credentials.
#[derive(sqlx::FromRow)]
struct BaseUrlAndSealed {
    octopus_base_url: String,
    #[sqlx(flatten)]
    sealed: SealedRow,
}

/// A tenant id and its sealed credentials.
#[derive(sqlx::FromRow)]
struct TenantAndSealed {
    tenant_id: String,
    #[sqlx(flatten)]
    sealed: SealedRow,
}

/// The columns of [`SealedRow`], from `credentials c`.
macro_rules! sealed_columns {
    () => {
        "c.key_id, c.user_ciphertext, c.user_nonce, c.password_ciphertext, c.password_nonce, \
         c.software_house_uuid_ciphertext, c.software_house_uuid_nonce"
    };
}

impl Db {
    /// Stores (or replaces) `tenant_id`'s sealed credentials; the tenant must exist.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, key_id = %sealed.key_id))]
    pub async fn put_credentials(
        &self,
        tenant_id: &TenantId,
        sealed: &SealedCredentials,
    ) -> Result<(), ConfigError> {
        let id = tenant_id.as_str();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if !exists {
                return Err(ConfigError::TenantNotFound(id.to_owned()));
            }
            sqlx::query(
                "INSERT INTO credentials (tenant_id, key_id, user_ciphertext, user_nonce, \
                     password_ciphertext, password_nonce, software_house_uuid_ciphertext, \
                     software_house_uuid_nonce) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (tenant_id) DO UPDATE SET key_id = excluded.key_id, \
                     user_ciphertext = excluded.user_ciphertext, \
                     user_nonce = excluded.user_nonce, \
                     password_ciphertext = excluded.password_ciphertext, \
                     password_nonce = excluded.password_nonce, \
                     software_house_uuid_ciphertext = excluded.software_house_uuid_ciphertext, \
                     software_house_uuid_nonce = excluded.software_house_uuid_nonce, \
                     updated_at = CURRENT_TIMESTAMP",
            )
            .bind(id)
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
        })
    }

    /// Reads a tenant's base URL and sealed credentials; `TenantNotFound` when there is no tenant.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn fetch_credentials(
        &self,
        tenant_id: &TenantId,
    ) -> Result<StoredCredentials, ConfigError> {
        let id = tenant_id.as_str();
        let found: Option<BaseUrlAndSealed> = on_pool!(self, pool => {
            sqlx::query_as(concat!(
                "SELECT t.octopus_base_url, ",
                sealed_columns!(),
                " FROM tenants t LEFT JOIN credentials c ON c.tenant_id = t.id WHERE t.id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        let found = found.ok_or_else(|| ConfigError::TenantNotFound(id.to_owned()))?;
        Ok(StoredCredentials {
            octopus_base_url: found.octopus_base_url,
            sealed: found.sealed.into_sealed()?,
        })
    }

    /// How many tenants' credentials are sealed under each key id, by key id.
    pub async fn credential_key_ids(&self) -> Result<Vec<(String, i64)>, ConfigError> {
        on_pool!(self, pool => {
            let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT key_id, COUNT(*) FROM credentials GROUP BY key_id ORDER BY key_id",
            )
            .fetch_all(pool)
            .await?;
            Ok(counts)
        })
    }

    /// One tenant's sealed credentials under `key_id`, if any tenant has some.
    pub async fn sample_sealed(
        &self,
        key_id: &str,
    ) -> Result<Option<(String, SealedCredentials)>, ConfigError> {
        let found: Option<TenantAndSealed> = on_pool!(self, pool => {
            sqlx::query_as(concat!(
                "SELECT c.tenant_id, ",
                sealed_columns!(),
                " FROM credentials c WHERE c.key_id = $1 ORDER BY c.tenant_id LIMIT 1"
            ))
            .bind(key_id)
            .fetch_optional(pool)
            .await?
        });
        let Some(found) = found else {
            return Ok(None);
        };
        Ok(found
            .sealed
            .into_sealed()?
            .map(|sealed| (found.tenant_id, sealed)))
    }

    /// The tenants whose credentials are sealed under another key than `key_id`.
    pub async fn tenants_not_sealed_under(&self, key_id: &str) -> Result<Vec<String>, ConfigError> {
        on_pool!(self, pool => {
            let tenants: Vec<String> = sqlx::query_scalar(
                "SELECT tenant_id FROM credentials WHERE key_id <> $1 ORDER BY tenant_id",
            )
            .bind(key_id)
            .fetch_all(pool)
            .await?;
            Ok(tenants)
        })
    }

    /// Replaces `tenant_id`'s ciphertexts with `new` only if the row still holds `old` (same
    /// key id and password nonce): a compare-and-swap in one statement, so a concurrent
    /// `SetCredentials` is never overwritten. Returns whether the row was replaced.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, from = %old.key_id, to = %new.key_id))]
    pub async fn replace_sealed(
        &self,
        tenant_id: &str,
        old: &SealedCredentials,
        new: &SealedCredentials,
    ) -> Result<bool, ConfigError> {
        on_pool!(self, pool => {
            let replaced = sqlx::query(
                "UPDATE credentials SET key_id = $2, user_ciphertext = $3, user_nonce = $4, \
                     password_ciphertext = $5, password_nonce = $6, \
                     software_house_uuid_ciphertext = $7, software_house_uuid_nonce = $8 \
                 WHERE tenant_id = $1 AND key_id = $9 AND password_nonce = $10",
            )
            .bind(tenant_id)
            .bind(&new.key_id)
            .bind(new.user.as_ref().map(|user| &user.ciphertext))
            .bind(new.user.as_ref().map(|user| &user.nonce))
            .bind(&new.password.ciphertext)
            .bind(&new.password.nonce)
            .bind(&new.software_house_uuid.ciphertext)
            .bind(&new.software_house_uuid.nonce)
            .bind(&old.key_id)
            .bind(&old.password.nonce)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(replaced == 1)
        })
    }
}

impl SealedRow {
    fn into_sealed(self) -> Result<Option<SealedCredentials>, ConfigError> {
        let Some(key_id) = self.key_id else {
            return Ok(None);
        };
        let password = sealed("password", self.password_ciphertext, self.password_nonce)?
            .ok_or_else(|| ConfigError::Corrupt("password ciphertext missing".into()))?;
        let software_house_uuid = sealed(
            "software_house_uuid",
            self.software_house_uuid_ciphertext,
            self.software_house_uuid_nonce,
        )?
        .ok_or_else(|| ConfigError::Corrupt("software house uuid ciphertext missing".into()))?;
        Ok(Some(SealedCredentials {
            key_id,
            user: sealed("user", self.user_ciphertext, self.user_nonce)?,
            password,
            software_house_uuid,
        }))
    }
}

fn sealed(
    field: &str,
    ciphertext: Option<Vec<u8>>,
    nonce: Option<Vec<u8>>,
) -> Result<Option<Sealed>, ConfigError> {
    match (ciphertext, nonce) {
        (Some(ciphertext), Some(nonce)) => Ok(Some(Sealed { ciphertext, nonce })),
        (None, None) => Ok(None),
        _ => Err(ConfigError::Corrupt(format!(
            "{field} ciphertext and nonce are not both set"
        ))),
    }
}
