//! The config domain: tenants, their locations and mappings, export profiles and credentials.
//!
//! Invariant: a [`Tenant`] that passed [`Tenant::validate`] has at least one location, positive
//! dossier ids, unique names and keys, and overrides only for its own locations.

use std::collections::{BTreeMap, HashSet};
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

impl Tenant {
    /// Checks the invariants that span fields; errors name the field as `tenant.<path>`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.locations.is_empty() {
            return Err(ConfigError::invalid(
                "tenant.locations",
                "at least one location with its Octopus dossier is required",
            ));
        }
        let mut names = HashSet::new();
        for (index, location) in self.locations.iter().enumerate() {
            let field = format!("tenant.locations[{index}]");
            if location.location_name.trim().is_empty() {
                return Err(ConfigError::invalid(
                    format!("{field}.location_name"),
                    "must not be empty",
                ));
            }
            if location.dossier_id <= 0 {
                return Err(ConfigError::invalid(
                    format!("{field}.dossier_id"),
                    format!(
                        "must be a positive Octopus dossier id; got {}",
                        location.dossier_id
                    ),
                ));
            }
            if !names.insert(location.location_name.as_str()) {
                return Err(ConfigError::invalid(
                    format!("{field}.location_name"),
                    format!("location '{}' is listed twice", location.location_name),
                ));
            }
        }
        self.validate_overrides(&names)?;
        self.validate_vat_mappings()?;
        for (field, account) in [
            (
                "tenant.default_revenue_account",
                self.default_revenue_account,
            ),
            (
                "tenant.default_receivable_account",
                self.default_receivable_account,
            ),
        ] {
            if account < 0 {
                return Err(ConfigError::invalid(
                    field,
                    format!("must be an account number (or 0 for none); got {account}"),
                ));
            }
        }
        if let Some(url) = &self.octopus_base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(ConfigError::invalid(
                "tenant.octopus_base_url",
                format!("must start with https:// or http://; got {url:?}"),
            ));
        }
        Ok(())
    }

    fn validate_overrides(&self, locations: &HashSet<&str>) -> Result<(), ConfigError> {
        let mut seen = HashSet::new();
        for (index, entry) in self.journal_overrides.iter().enumerate() {
            let field = format!("tenant.journal_overrides[{index}]");
            if !locations.contains(entry.location_name.as_str()) {
                return Err(ConfigError::invalid(
                    format!("{field}.location_name"),
                    format!(
                        "location '{}' is not one of the tenant's locations",
                        entry.location_name
                    ),
                ));
            }
            if entry.planmanager_code.trim().is_empty() {
                return Err(ConfigError::invalid(
                    format!("{field}.planmanager_code"),
                    "must not be empty",
                ));
            }
            if entry.octopus_journal_key.trim().is_empty() {
                return Err(ConfigError::invalid(
                    format!("{field}.octopus_journal_key"),
                    "must not be empty",
                ));
            }
            if !seen.insert((&entry.location_name, &entry.planmanager_code)) {
                return Err(ConfigError::invalid(
                    format!("{field}.planmanager_code"),
                    format!(
                        "journal '{}' of location '{}' is overridden twice",
                        entry.planmanager_code, entry.location_name
                    ),
                ));
            }
        }
        Ok(())
    }

    fn validate_vat_mappings(&self) -> Result<(), ConfigError> {
        let mut seen = HashSet::new();
        for (index, mapping) in self.vat_mappings.iter().enumerate() {
            let field = format!("tenant.vat_mappings[{index}]");
            if mapping.rate.is_sign_negative() || mapping.rate > Decimal::ONE_HUNDRED {
                return Err(ConfigError::invalid(
                    format!("{field}.rate"),
                    format!("must be a percentage from 0 to 100; got {}", mapping.rate),
                ));
            }
            if mapping.octopus_code.trim().is_empty() {
                return Err(ConfigError::invalid(
                    format!("{field}.octopus_code"),
                    "must not be empty",
                ));
            }
            if !seen.insert((mapping.rate.normalize(), mapping.regime)) {
                return Err(ConfigError::invalid(
                    format!("{field}.rate"),
                    format!(
                        "rate {}% with regime {} is mapped twice",
                        mapping.rate.normalize(),
                        mapping.regime.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }
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

    fn tenant() -> Tenant {
        Tenant {
            id: TenantId::parse("tenant_id", "acme").unwrap(),
            name: "Acme".into(),
            locations: vec![LocationDossier {
                location_name: "Bodyshop A".into(),
                dossier_id: 1,
            }],
            journal_overrides: vec![JournalOverride {
                location_name: "Bodyshop A".into(),
                planmanager_code: "AAN".into(),
                octopus_journal_key: "V1".into(),
            }],
            vat_mappings: vec![VatMapping {
                rate: Decimal::from(21),
                regime: VatRegime::Standard,
                octopus_code: "21".into(),
            }],
            default_revenue_account: 700000,
            default_receivable_account: 400000,
            rounding_policy: RoundingPolicy::OctopusTotal,
            field_limits: FieldLimits::default(),
            octopus_base_url: None,
        }
    }

    fn field_of(error: ConfigError) -> String {
        match error {
            ConfigError::InvalidArgument { field, .. } => field,
            other => panic!("not an invalid argument: {other}"),
        }
    }

    #[test]
    fn a_complete_tenant_is_valid() {
        tenant().validate().unwrap();
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

    #[test]
    fn each_broken_invariant_names_its_field() {
        let mut t = tenant();
        t.locations[0].dossier_id = -4;
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.locations[0].dossier_id"
        );

        let mut t = tenant();
        t.locations[0].location_name = "  ".into();
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.locations[0].location_name"
        );

        let mut t = tenant();
        t.journal_overrides.push(t.journal_overrides[0].clone());
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.journal_overrides[1].planmanager_code"
        );

        let mut t = tenant();
        t.vat_mappings[0].rate = Decimal::new(-1, 0);
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.vat_mappings[0].rate"
        );

        let mut t = tenant();
        t.vat_mappings[0].rate = Decimal::new(1001, 1);
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.vat_mappings[0].rate"
        );

        let mut t = tenant();
        t.default_receivable_account = -1;
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.default_receivable_account"
        );
    }
}
