//! Tenants with their locations, journal overrides and VAT mappings; read back as export profiles.

use std::collections::BTreeMap;
use std::str::FromStr as _;

use rust_decimal::Decimal;
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use super::Db;
use crate::error::ConfigError;
use crate::model::{
    ExportProfile, FieldLimits, RoundingPolicy, Tenant, TenantId, VatMapping, VatRegime,
};

impl Db {
    /// Creates or replaces `tenant` with its locations, overrides and mappings, in one
    /// transaction; credentials are kept. Returns whether the tenant is new.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant.id))]
    pub async fn upsert_tenant(&self, tenant: &Tenant) -> Result<bool, ConfigError> {
        // IMMEDIATE takes the write lock up front, so the read below cannot deadlock with
        // another writer upgrading its own lock.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = tenant.id.as_str();
        let existed: bool = sqlx::query("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        sqlx::query(
            "INSERT INTO tenants (id, name, default_revenue_account, default_receivable_account, \
                 rounding_policy, limit_name, limit_street_and_nr, limit_city, limit_email, \
                 octopus_base_url) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                 default_revenue_account = excluded.default_revenue_account, \
                 default_receivable_account = excluded.default_receivable_account, \
                 rounding_policy = excluded.rounding_policy, limit_name = excluded.limit_name, \
                 limit_street_and_nr = excluded.limit_street_and_nr, \
                 limit_city = excluded.limit_city, limit_email = excluded.limit_email, \
                 octopus_base_url = excluded.octopus_base_url, updated_at = CURRENT_TIMESTAMP",
        )
        .bind(id)
        .bind(&tenant.name)
        .bind(tenant.default_revenue_account)
        .bind(tenant.default_receivable_account)
        .bind(tenant.rounding_policy.as_str())
        .bind(i64::from(tenant.field_limits.name))
        .bind(i64::from(tenant.field_limits.street_and_nr))
        .bind(i64::from(tenant.field_limits.city))
        .bind(i64::from(tenant.field_limits.email))
        .bind(tenant.octopus_base_url.as_deref().unwrap_or(""))
        .execute(&mut *tx)
        .await?;

        for table in ["journal_overrides", "tenant_locations", "vat_mappings"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE tenant_id = ?"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        for location in &tenant.locations {
            sqlx::query(
                "INSERT INTO tenant_locations (tenant_id, location_name, dossier_id) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(&location.location_name)
            .bind(location.dossier_id)
            .execute(&mut *tx)
            .await?;
        }
        for entry in &tenant.journal_overrides {
            sqlx::query(
                "INSERT INTO journal_overrides \
                     (tenant_id, location_name, planmanager_code, octopus_journal_key) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(&entry.location_name)
            .bind(&entry.planmanager_code)
            .bind(&entry.octopus_journal_key)
            .execute(&mut *tx)
            .await?;
        }
        for mapping in &tenant.vat_mappings {
            sqlx::query(
                "INSERT INTO vat_mappings (tenant_id, rate, regime, octopus_code) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(mapping.rate.normalize().to_string())
            .bind(mapping.regime.as_str())
            .bind(&mapping.octopus_code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(!existed)
    }

    /// Whether the tenant exists.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn tenant_exists(&self, tenant_id: &TenantId) -> Result<bool, ConfigError> {
        let exists: bool = sqlx::query("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)")
            .bind(tenant_id.as_str())
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(exists)
    }

    /// Reads the export profile of one location, from one consistent snapshot.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn fetch_profile(
        &self,
        tenant_id: &TenantId,
        location_name: &str,
    ) -> Result<ExportProfile, ConfigError> {
        let mut tx = self.pool.begin().await?;
        let id = tenant_id.as_str();
        let tenant = sqlx::query(
            "SELECT default_revenue_account, default_receivable_account, rounding_policy, \
                 limit_name, limit_street_and_nr, limit_city, limit_email \
             FROM tenants WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ConfigError::TenantNotFound(id.to_owned()))?;

        let dossier_id: i32 = sqlx::query(
            "SELECT dossier_id FROM tenant_locations WHERE tenant_id = ? AND location_name = ?",
        )
        .bind(id)
        .bind(location_name)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ConfigError::LocationNotFound {
            tenant_id: id.to_owned(),
            location: location_name.to_owned(),
        })?
        .try_get(0)?;

        let mut journal_overrides = BTreeMap::new();
        let rows = sqlx::query(
            "SELECT planmanager_code, octopus_journal_key FROM journal_overrides \
             WHERE tenant_id = ? AND location_name = ? ORDER BY planmanager_code",
        )
        .bind(id)
        .bind(location_name)
        .fetch_all(&mut *tx)
        .await?;
        for row in rows {
            journal_overrides.insert(row.try_get(0)?, row.try_get(1)?);
        }

        let rows = sqlx::query(
            "SELECT rate, regime, octopus_code FROM vat_mappings WHERE tenant_id = ? ORDER BY rowid",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let vat_mappings = rows
            .iter()
            .map(vat_mapping_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;

        let policy: String = tenant.try_get("rounding_policy")?;
        Ok(ExportProfile {
            tenant_id: tenant_id.clone(),
            location_name: location_name.to_owned(),
            dossier_id,
            journal_overrides,
            vat_mappings,
            default_revenue_account: tenant.try_get("default_revenue_account")?,
            default_receivable_account: tenant.try_get("default_receivable_account")?,
            rounding_policy: RoundingPolicy::from_stored(&policy).ok_or_else(|| {
                ConfigError::Corrupt(format!("unknown rounding policy {policy:?}"))
            })?,
            field_limits: FieldLimits {
                name: limit(&tenant, "limit_name")?,
                street_and_nr: limit(&tenant, "limit_street_and_nr")?,
                city: limit(&tenant, "limit_city")?,
                email: limit(&tenant, "limit_email")?,
            },
        })
    }
}

fn vat_mapping_from_row(row: &SqliteRow) -> Result<VatMapping, ConfigError> {
    let rate: String = row.try_get("rate")?;
    let regime: String = row.try_get("regime")?;
    Ok(VatMapping {
        rate: Decimal::from_str(&rate)
            .map_err(|_| ConfigError::Corrupt(format!("VAT rate {rate:?} is not a decimal")))?,
        regime: VatRegime::parse(&regime)
            .ok_or_else(|| ConfigError::Corrupt(format!("unknown VAT regime {regime:?}")))?,
        octopus_code: row.try_get("octopus_code")?,
    })
}

fn limit(row: &SqliteRow, column: &str) -> Result<u32, ConfigError> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value)
        .map_err(|_| ConfigError::Corrupt(format!("{column} {value} is out of range")))
}
