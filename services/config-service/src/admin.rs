//! The operator's reads and single-entry edits: a whole tenant, a masked view of its
//! credentials, one journal override or VAT mapping at a time.

use rust_decimal::Decimal;

use crate::error::ConfigError;
use crate::model::{Change, JournalOverride, Tenant, TenantId, VatMapping, VatRegime};
use crate::store::ConfigStore;

/// What an operator may see of a tenant's credentials: nothing that logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsSummary {
    /// E.g. `bo***@janssens.be`.
    pub user_masked: String,
    /// All but the last 4 characters masked; empty when none is stored.
    pub software_house_uuid_masked: String,
    /// The master key the credentials are sealed under.
    pub key_id: String,
}

impl ConfigStore {
    /// Reads a whole tenant.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn tenant(&self, tenant_id: &TenantId) -> Result<Tenant, ConfigError> {
        self.db.fetch_tenant(tenant_id).await
    }

    /// A masked view of the tenant's credentials; `None` when none are set.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn credentials_summary(
        &self,
        tenant_id: &TenantId,
    ) -> Result<Option<CredentialsSummary>, ConfigError> {
        let Some(sealed) = self.db.fetch_credentials(tenant_id).await?.sealed else {
            return Ok(None);
        };
        let credentials = self.open_credentials(tenant_id, &sealed)?;
        Ok(Some(CredentialsSummary {
            user_masked: mask_user(credentials.user.expose()),
            software_house_uuid_masked: mask_tail(credentials.software_house_uuid.expose()),
            key_id: sealed.key_id,
        }))
    }

    /// Sets one journal override; the tenant and its location must exist.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn set_journal_override(
        &self,
        tenant_id: &TenantId,
        entry: &JournalOverride,
    ) -> Result<Change, ConfigError> {
        entry.validate("journal_override")?;
        let change = self.db.set_journal_override(tenant_id, entry).await?;
        tracing::info!(?change, location = %entry.location_name, "journal override stored");
        Ok(change)
    }

    /// Removes one journal override.
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn remove_journal_override(
        &self,
        tenant_id: &TenantId,
        location_name: &str,
        planmanager_code: &str,
    ) -> Result<Change, ConfigError> {
        self.db
            .remove_journal_override(tenant_id, location_name, planmanager_code)
            .await?;
        tracing::info!(location = %location_name, "journal override removed");
        Ok(Change::Removed)
    }

    /// Sets the Octopus code of one (rate, regime).
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn set_vat_mapping(
        &self,
        tenant_id: &TenantId,
        mapping: &VatMapping,
    ) -> Result<Change, ConfigError> {
        mapping.validate("vat_mapping")?;
        let change = self.db.set_vat_mapping(tenant_id, mapping).await?;
        tracing::info!(?change, "VAT mapping stored");
        Ok(change)
    }

    /// Removes the mapping of one (rate, regime).
    #[tracing::instrument(skip_all, fields(tenant_id = %tenant_id))]
    pub async fn remove_vat_mapping(
        &self,
        tenant_id: &TenantId,
        rate: Decimal,
        regime: VatRegime,
    ) -> Result<Change, ConfigError> {
        self.db.remove_vat_mapping(tenant_id, rate, regime).await?;
        tracing::info!("VAT mapping removed");
        Ok(Change::Removed)
    }
}

/// Masks an Octopus user: the first character of an e-mail's local part and its domain stay
/// (`b***@janssens.be`); otherwise the first one or two characters (`op***`).
pub fn mask_user(user: &str) -> String {
    if let Some((local, domain)) = user.rsplit_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let shown = match user.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    let prefix: String = user.chars().take(shown).collect();
    format!("{prefix}***")
}

/// Masks all but the last 4 characters; empty stays empty.
pub fn mask_tail(value: &str) -> String {
    let count = value.chars().count();
    if count <= 4 {
        return "*".repeat(count);
    }
    let tail: String = value.chars().skip(count - 4).collect();
    format!("{}{tail}", "*".repeat(count - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_partially_masked() {
        assert_eq!(mask_user("boekhouding@janssens.be"), "b***@janssens.be");
        assert_eq!(mask_user("operator"), "op***");
        assert_eq!(mask_user("ops"), "o***");
        assert_eq!(mask_user("ab"), "***");
        assert_eq!(mask_user(""), "***");
        assert!(!mask_user("boekhouding@janssens.be").contains("boekhouding"));
    }

    #[test]
    fn only_the_tail_of_a_software_house_id_shows() {
        assert_eq!(
            mask_tail("6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab"),
            "********************************89ab"
        );
        assert_eq!(mask_tail(""), "");
        assert_eq!(mask_tail("abc"), "***");
    }
}
