//! Tenants with their locations, journal overrides and VAT mappings; read back whole or as the
//! export profile of one location.

use std::collections::BTreeMap;
use std::str::FromStr as _;

use rust_decimal::Decimal;

use super::{BeginWrite as _, Db, on_pool};
use crate::error::ConfigError;
use crate::model::{
    ExportProfile, FieldLimits, JournalOverride, LocationDossier, RoundingPolicy, Tenant, TenantId,
    VatMapping, VatRegime,
};

const TENANT_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)";
const SELECT_TENANT: &str = "SELECT name, default_revenue_account, default_receivable_account, \
         rounding_policy, limit_name, limit_street_and_nr, limit_city, limit_email, \
         octopus_base_url \
     FROM tenants WHERE id = $1";
const SELECT_VAT_MAPPINGS: &str = "SELECT rate, regime, octopus_code FROM vat_mappings \
     WHERE tenant_id = $1 ORDER BY position, rate, regime";

/// The `tenants` row, as both backends return it.
#[derive(sqlx::FromRow)]
struct TenantRow {
    name: String,
    default_revenue_account: i32,
    default_receivable_account: i32,
    rounding_policy: String,
    limit_name: i64,
    limit_street_and_nr: i64,
    limit_city: i64,
    limit_email: i64,
    octopus_base_url: String,
}

/// A `vat_mappings` row.
#[derive(sqlx::FromRow)]
struct VatRow {
    rate: String,
    regime: String,
    octopus_code: String,
}

impl Db {
    /// Creates or replaces `tenant` with its locations, overrides and mappings, in one
    /// transaction; credentials are kept. Returns whether the tenant is new.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant.id))]
    pub async fn upsert_tenant(&self, tenant: &Tenant) -> Result<bool, ConfigError> {
        let id = tenant.id.as_str();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let existed: bool = sqlx::query_scalar(TENANT_EXISTS)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO tenants (id, name, default_revenue_account, \
                     default_receivable_account, rounding_policy, limit_name, \
                     limit_street_and_nr, limit_city, limit_email, octopus_base_url) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                     default_revenue_account = excluded.default_revenue_account, \
                     default_receivable_account = excluded.default_receivable_account, \
                     rounding_policy = excluded.rounding_policy, \
                     limit_name = excluded.limit_name, \
                     limit_street_and_nr = excluded.limit_street_and_nr, \
                     limit_city = excluded.limit_city, limit_email = excluded.limit_email, \
                     octopus_base_url = excluded.octopus_base_url, \
                     updated_at = CURRENT_TIMESTAMP",
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

            // Overrides first: they reference the locations.
            for statement in [
                "DELETE FROM journal_overrides WHERE tenant_id = $1",
                "DELETE FROM tenant_locations WHERE tenant_id = $1",
                "DELETE FROM vat_mappings WHERE tenant_id = $1",
            ] {
                sqlx::query(statement).bind(id).execute(&mut *tx).await?;
            }
            for location in &tenant.locations {
                sqlx::query(
                    "INSERT INTO tenant_locations (tenant_id, location_name, dossier_id) \
                     VALUES ($1, $2, $3)",
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
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(&entry.location_name)
                .bind(&entry.planmanager_code)
                .bind(&entry.octopus_journal_key)
                .execute(&mut *tx)
                .await?;
            }
            for (position, mapping) in (0_i32..).zip(&tenant.vat_mappings) {
                sqlx::query(
                    "INSERT INTO vat_mappings (tenant_id, rate, regime, octopus_code, position) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(mapping.rate.normalize().to_string())
                .bind(mapping.regime.as_str())
                .bind(&mapping.octopus_code)
                .bind(position)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(!existed)
        })
    }

    /// Another tenant that books a location into `dossier_id`, if any.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, dossier_id))]
    pub async fn other_tenant_of_dossier(
        &self,
        tenant_id: &TenantId,
        dossier_id: i32,
    ) -> Result<Option<String>, ConfigError> {
        on_pool!(self, pool => {
            let owner: Option<String> = sqlx::query_scalar(
                "SELECT tenant_id FROM tenant_locations WHERE dossier_id = $1 AND tenant_id <> $2 LIMIT 1",
            )
            .bind(dossier_id)
            .bind(tenant_id.as_str())
            .fetch_optional(pool)
            .await?;
            Ok(owner)
        })
    }

    /// Whether the tenant exists.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn tenant_exists(&self, tenant_id: &TenantId) -> Result<bool, ConfigError> {
        on_pool!(self, pool => {
            let exists: bool = sqlx::query_scalar(TENANT_EXISTS)
                .bind(tenant_id.as_str())
                .fetch_one(pool)
                .await?;
            Ok(exists)
        })
    }

    /// Reads a whole tenant (locations, overrides, mappings), from one consistent snapshot.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn fetch_tenant(&self, tenant_id: &TenantId) -> Result<Tenant, ConfigError> {
        let id = tenant_id.as_str();
        let (row, locations, overrides, vat_rows) = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: TenantRow = sqlx::query_as(SELECT_TENANT)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| ConfigError::TenantNotFound(id.to_owned()))?;
            let locations: Vec<(String, i32)> = sqlx::query_as(
                "SELECT location_name, dossier_id FROM tenant_locations \
                 WHERE tenant_id = $1 ORDER BY location_name",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let overrides: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT location_name, planmanager_code, octopus_journal_key \
                 FROM journal_overrides WHERE tenant_id = $1 \
                 ORDER BY location_name, planmanager_code",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let vat_rows: Vec<VatRow> = sqlx::query_as(SELECT_VAT_MAPPINGS)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            (row, locations, overrides, vat_rows)
        });
        Ok(Tenant {
            id: tenant_id.clone(),
            name: row.name.clone(),
            locations: locations
                .into_iter()
                .map(|(location_name, dossier_id)| LocationDossier {
                    location_name,
                    dossier_id,
                })
                .collect(),
            journal_overrides: overrides
                .into_iter()
                .map(
                    |(location_name, planmanager_code, octopus_journal_key)| JournalOverride {
                        location_name,
                        planmanager_code,
                        octopus_journal_key,
                    },
                )
                .collect(),
            vat_mappings: vat_mappings(vat_rows)?,
            default_revenue_account: row.default_revenue_account,
            default_receivable_account: row.default_receivable_account,
            rounding_policy: rounding_policy(&row.rounding_policy)?,
            field_limits: field_limits(&row)?,
            octopus_base_url: Some(row.octopus_base_url).filter(|url| !url.is_empty()),
        })
    }

    /// Reads the export profile of one location, from one consistent snapshot.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn fetch_profile(
        &self,
        tenant_id: &TenantId,
        location_name: &str,
    ) -> Result<ExportProfile, ConfigError> {
        let id = tenant_id.as_str();
        let (row, dossier_id, overrides, vat_rows) = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: TenantRow = sqlx::query_as(SELECT_TENANT)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| ConfigError::TenantNotFound(id.to_owned()))?;
            let dossier_id: i32 = sqlx::query_scalar(
                "SELECT dossier_id FROM tenant_locations \
                 WHERE tenant_id = $1 AND location_name = $2",
            )
            .bind(id)
            .bind(location_name)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ConfigError::LocationNotFound {
                tenant_id: id.to_owned(),
                location: location_name.to_owned(),
            })?;
            let overrides: Vec<(String, String)> = sqlx::query_as(
                "SELECT planmanager_code, octopus_journal_key FROM journal_overrides \
                 WHERE tenant_id = $1 AND location_name = $2 ORDER BY planmanager_code",
            )
            .bind(id)
            .bind(location_name)
            .fetch_all(&mut *tx)
            .await?;
            let vat_rows: Vec<VatRow> = sqlx::query_as(SELECT_VAT_MAPPINGS)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            (row, dossier_id, overrides, vat_rows)
        });
        Ok(ExportProfile {
            tenant_id: tenant_id.clone(),
            location_name: location_name.to_owned(),
            dossier_id,
            journal_overrides: overrides.into_iter().collect::<BTreeMap<_, _>>(),
            vat_mappings: vat_mappings(vat_rows)?,
            default_revenue_account: row.default_revenue_account,
            default_receivable_account: row.default_receivable_account,
            rounding_policy: rounding_policy(&row.rounding_policy)?,
            field_limits: field_limits(&row)?,
        })
    }
}

fn vat_mappings(rows: Vec<VatRow>) -> Result<Vec<VatMapping>, ConfigError> {
    rows.into_iter()
        .map(|row| {
            Ok(VatMapping {
                rate: Decimal::from_str(&row.rate).map_err(|_| {
                    ConfigError::Corrupt(format!("VAT rate {:?} is not a decimal", row.rate))
                })?,
                regime: VatRegime::parse(&row.regime).ok_or_else(|| {
                    ConfigError::Corrupt(format!("unknown VAT regime {:?}", row.regime))
                })?,
                octopus_code: row.octopus_code,
            })
        })
        .collect()
}

fn rounding_policy(stored: &str) -> Result<RoundingPolicy, ConfigError> {
    RoundingPolicy::from_stored(stored)
        .ok_or_else(|| ConfigError::Corrupt(format!("unknown rounding policy {stored:?}")))
}

fn field_limits(row: &TenantRow) -> Result<FieldLimits, ConfigError> {
    let limit = |column: &str, value: i64| {
        u32::try_from(value)
            .map_err(|_| ConfigError::Corrupt(format!("{column} {value} is out of range")))
    };
    Ok(FieldLimits {
        name: limit("limit_name", row.limit_name)?,
        street_and_nr: limit("limit_street_and_nr", row.limit_street_and_nr)?,
        city: limit("limit_city", row.limit_city)?,
        email: limit("limit_email", row.limit_email)?,
    })
}
