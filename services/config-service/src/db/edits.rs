//! Single-entry edits of a tenant (one journal override, one VAT mapping), each in one short
//! transaction that first locks the tenant row, so it never interleaves with a full upsert.

use rust_decimal::Decimal;

use super::{BeginWrite as _, Db, on_pool};
use crate::error::ConfigError;
use crate::model::{Change, JournalOverride, TenantId, VatMapping, VatRegime};

/// Locks the tenant row (PostgreSQL) or the database (SQLite's IMMEDIATE transaction) and
/// tells whether the tenant exists.
const TOUCH_TENANT: &str = "UPDATE tenants SET updated_at = CURRENT_TIMESTAMP WHERE id = $1";

impl Db {
    /// Creates or changes one journal override; the location must exist.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn set_journal_override(
        &self,
        tenant_id: &TenantId,
        entry: &JournalOverride,
    ) -> Result<Change, ConfigError> {
        let id = tenant_id.as_str();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if sqlx::query(TOUCH_TENANT).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(ConfigError::TenantNotFound(id.to_owned()));
            }
            let location: Option<i32> = sqlx::query_scalar(
                "SELECT dossier_id FROM tenant_locations \
                 WHERE tenant_id = $1 AND location_name = $2",
            )
            .bind(id)
            .bind(&entry.location_name)
            .fetch_optional(&mut *tx)
            .await?;
            if location.is_none() {
                return Err(ConfigError::LocationNotFound {
                    tenant_id: id.to_owned(),
                    location: entry.location_name.clone(),
                });
            }
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT octopus_journal_key FROM journal_overrides \
                 WHERE tenant_id = $1 AND location_name = $2 AND planmanager_code = $3",
            )
            .bind(id)
            .bind(&entry.location_name)
            .bind(&entry.planmanager_code)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO journal_overrides \
                     (tenant_id, location_name, planmanager_code, octopus_journal_key) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (tenant_id, location_name, planmanager_code) \
                 DO UPDATE SET octopus_journal_key = excluded.octopus_journal_key",
            )
            .bind(id)
            .bind(&entry.location_name)
            .bind(&entry.planmanager_code)
            .bind(&entry.octopus_journal_key)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(if existing.is_some() { Change::Updated } else { Change::Created })
        })
    }

    /// Removes one journal override.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn remove_journal_override(
        &self,
        tenant_id: &TenantId,
        location_name: &str,
        planmanager_code: &str,
    ) -> Result<(), ConfigError> {
        let id = tenant_id.as_str();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if sqlx::query(TOUCH_TENANT).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(ConfigError::TenantNotFound(id.to_owned()));
            }
            let removed = sqlx::query(
                "DELETE FROM journal_overrides \
                 WHERE tenant_id = $1 AND location_name = $2 AND planmanager_code = $3",
            )
            .bind(id)
            .bind(location_name)
            .bind(planmanager_code)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if removed == 0 {
                return Err(ConfigError::JournalOverrideNotFound {
                    tenant_id: id.to_owned(),
                    location: location_name.to_owned(),
                    planmanager_code: planmanager_code.to_owned(),
                });
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Creates or changes the Octopus code of one (rate, regime); new mappings go last.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn set_vat_mapping(
        &self,
        tenant_id: &TenantId,
        mapping: &VatMapping,
    ) -> Result<Change, ConfigError> {
        let id = tenant_id.as_str();
        let rate = mapping.rate.normalize().to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if sqlx::query(TOUCH_TENANT).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(ConfigError::TenantNotFound(id.to_owned()));
            }
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT octopus_code FROM vat_mappings \
                 WHERE tenant_id = $1 AND rate = $2 AND regime = $3",
            )
            .bind(id)
            .bind(&rate)
            .bind(mapping.regime.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let next_position: i32 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM vat_mappings WHERE tenant_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO vat_mappings (tenant_id, rate, regime, octopus_code, position) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (tenant_id, rate, regime) \
                 DO UPDATE SET octopus_code = excluded.octopus_code",
            )
            .bind(id)
            .bind(&rate)
            .bind(mapping.regime.as_str())
            .bind(&mapping.octopus_code)
            .bind(next_position)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(if existing.is_some() { Change::Updated } else { Change::Created })
        })
    }

    /// Removes the mapping of one (rate, regime).
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn remove_vat_mapping(
        &self,
        tenant_id: &TenantId,
        rate: Decimal,
        regime: VatRegime,
    ) -> Result<(), ConfigError> {
        let id = tenant_id.as_str();
        let rate = rate.normalize().to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if sqlx::query(TOUCH_TENANT).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(ConfigError::TenantNotFound(id.to_owned()));
            }
            let removed = sqlx::query(
                "DELETE FROM vat_mappings WHERE tenant_id = $1 AND rate = $2 AND regime = $3",
            )
            .bind(id)
            .bind(&rate)
            .bind(regime.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if removed == 0 {
                return Err(ConfigError::VatMappingNotFound {
                    tenant_id: id.to_owned(),
                    rate,
                    regime: regime.as_str().to_owned(),
                });
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
