//! The config domain: tenants, their locations and mappings, export profiles and credentials.
//! What makes them valid is in `validate.rs`.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::error::ConfigError;

/// The Octopus REST base URL used when a tenant configures none.
pub const DEFAULT_OCTOPUS_BASE_URL: &str = "https://service.inaras.be/octopus-rest-api/v1";

/// A tenant id: 1 to 64 characters from `A-Z a-z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(String);

impl TenantId {
    /// Parses a tenant id; `field` names it in the error.
    pub fn parse(field: &str, value: &str) -> Result<Self, ConfigError> {
        if value.is_empty() {
            return Err(ConfigError::invalid(field, "must not be empty"));
        }
        if value.chars().count() > 64 {
            return Err(ConfigError::invalid(field, "must be at most 64 characters"));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if !value.chars().all(allowed) {
            return Err(ConfigError::invalid(
                field,
                format!("{value:?} may only contain A-Z, a-z, 0-9, '_' and '-'"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How VAT is rounded in a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingPolicy {
    /// VAT once per VAT code on the summed base, as Octopus does; the default.
    #[default]
    OctopusTotal,
    /// PlanManager's printed VAT per code, as is.
    Document,
}

impl RoundingPolicy {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OctopusTotal => "octopus_total",
            Self::Document => "document",
        }
    }

    /// Parses a stored name.
    pub fn from_stored(value: &str) -> Option<Self> {
        match value {
            "octopus_total" => Some(Self::OctopusTotal),
            "document" => Some(Self::Document),
            _ => None,
        }
    }
}

/// The VAT regime of an invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VatRegime {
    Standard,
    ReverseChargeBe,
    IntraEu,
    Export,
    Exempt,
}

impl VatRegime {
    /// Every regime, in the contract's order.
    pub const ALL: [Self; 5] = [
        Self::Standard,
        Self::ReverseChargeBe,
        Self::IntraEu,
        Self::Export,
        Self::Exempt,
    ];

    /// The wire and stored name, e.g. `reverse_charge_be`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::ReverseChargeBe => "reverse_charge_be",
            Self::IntraEu => "intra_eu",
            Self::Export => "export",
            Self::Exempt => "exempt",
        }
    }

    /// Every wire name, in the contract's order.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|regime| regime.as_str()).collect()
    }

    /// Parses a wire or stored name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|regime| regime.as_str() == value)
    }
}

/// Which location books into which Octopus dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationDossier {
    pub location_name: String,
    pub dossier_id: i32,
}

/// A PlanManager journal code that books into another Octopus journal key, for one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalOverride {
    pub location_name: String,
    pub planmanager_code: String,
    pub octopus_journal_key: String,
}

/// What a single-entry edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Removed,
}

/// (VAT rate in percent, regime) → Octopus sales VAT code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatMapping {
    /// Normalised (no trailing zeros), so "21.00" and "21" are the same rate.
    pub rate: Decimal,
    pub regime: VatRegime,
    pub octopus_code: String,
}

/// Maximum lengths of relation fields; 0 means "not configured" (the mapper's default applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldLimits {
    pub name: u32,
    pub street_and_nr: u32,
    pub city: u32,
    pub email: u32,
}

/// A tenant: one PlanManager customer (a body-shop group) with everything an export needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub locations: Vec<LocationDossier>,
    pub journal_overrides: Vec<JournalOverride>,
    pub vat_mappings: Vec<VatMapping>,
    /// 0 means none configured.
    pub default_revenue_account: i32,
    /// 0 means none configured.
    pub default_receivable_account: i32,
    pub rounding_policy: RoundingPolicy,
    pub field_limits: FieldLimits,
    /// `None` means the real Octopus service ([`DEFAULT_OCTOPUS_BASE_URL`]).
    pub octopus_base_url: Option<String>,
}

/// What an export of one location needs, without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportProfile {
    pub tenant_id: TenantId,
    pub location_name: String,
    pub dossier_id: i32,
    /// This location's overrides only: PlanManager code → Octopus journal key.
    pub journal_overrides: BTreeMap<String, String>,
    pub vat_mappings: Vec<VatMapping>,
    pub default_revenue_account: i32,
    pub default_receivable_account: i32,
    pub rounding_policy: RoundingPolicy,
    pub field_limits: FieldLimits,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(error: ConfigError) -> String {
        match error {
            ConfigError::InvalidArgument { field, .. } => field,
            other => panic!("not an invalid argument: {other}"),
        }
    }

    #[test]
    fn tenant_ids_are_restricted() {
        assert!(TenantId::parse("t", "acme_01-B").is_ok());
        for bad in ["", "a b", "a/b", "é", &"x".repeat(65)] {
            assert_eq!(
                field_of(TenantId::parse("t", bad).unwrap_err()),
                "t",
                "{bad:?}"
            );
        }
    }
}
