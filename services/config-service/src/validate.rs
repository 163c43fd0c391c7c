//! What a valid tenant is, and the shapes Octopus accepts for journal keys and VAT codes.
//!
//! Invariant: a [`Tenant`] that passed [`Tenant::validate`] has at least one location, positive
//! dossier ids, unique names and keys, overrides only for its own locations, journal keys and
//! VAT codes of an Octopus shape, and no 0% rate under the standard regime.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::error::ConfigError;
use crate::model::{JournalOverride, Tenant, VatMapping, VatRegime};

impl JournalOverride {
    /// Checks one override on its own; `field` prefixes the error (e.g. `tenant.journal_overrides[0]`).
    pub fn validate(&self, field: &str) -> Result<(), ConfigError> {
        if self.location_name.trim().is_empty() {
            return Err(ConfigError::invalid(
                format!("{field}.location_name"),
                "must not be empty",
            ));
        }
        if self.planmanager_code.trim().is_empty() {
            return Err(ConfigError::invalid(
                format!("{field}.planmanager_code"),
                "must not be empty",
            ));
        }
        let key = &self.octopus_journal_key;
        if key.trim().is_empty() {
            return Err(ConfigError::invalid(
                format!("{field}.octopus_journal_key"),
                "must not be empty",
            ));
        }
        if !is_octopus_journal_key(key) {
            return Err(ConfigError::invalid(
                format!("{field}.octopus_journal_key"),
                format!(
                    "{key:?} is not a key Octopus can use: journal keys start with A, V, F, D or L \
                     followed by letters or digits, at most {MAX_JOURNAL_KEY_LEN} characters (e.g. V1)"
                ),
            ));
        }
        Ok(())
    }
}

/// The longest journal key accepted (Octopus shows keys such as `V1`, `V12`).
pub const MAX_JOURNAL_KEY_LEN: usize = 10;
/// The longest VAT code accepted (Octopus codes look like `21`, `06`, `MC`, `D21`).
pub const MAX_VAT_CODE_LEN: usize = 10;

/// Whether `key` can be an Octopus journal key: A, V, F, D or L, then letters or digits only
/// (the rule journal-mapper applies to identity-mapped codes).
pub fn is_octopus_journal_key(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= MAX_JOURNAL_KEY_LEN
        && matches!(chars.next(), Some('A' | 'V' | 'F' | 'D' | 'L'))
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Whether `code` has the shape of an Octopus VAT code: letters and digits only. Whether the
/// dossier knows the code is checked against Octopus by journal-mapper at export time.
pub fn is_octopus_vat_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_VAT_CODE_LEN
        && code.chars().all(|c| c.is_ascii_alphanumeric())
}

impl VatMapping {
    /// Checks one mapping on its own; `field` prefixes the error (e.g. `tenant.vat_mappings[0]`).
    pub fn validate(&self, field: &str) -> Result<(), ConfigError> {
        if self.rate.is_sign_negative() || self.rate > Decimal::ONE_HUNDRED {
            return Err(ConfigError::invalid(
                format!("{field}.rate"),
                format!("must be a percentage from 0 to 100; got {}", self.rate),
            ));
        }
        if self.rate.is_zero() && self.regime == VatRegime::Standard {
            return Err(ConfigError::invalid(
                format!("{field}.regime"),
                "a 0% rate needs its regime (reverse_charge_be, intra_eu, export or exempt), \
                 not standard",
            ));
        }
        let code = &self.octopus_code;
        if code.trim().is_empty() {
            return Err(ConfigError::invalid(
                format!("{field}.octopus_code"),
                "must not be empty",
            ));
        }
        if !is_octopus_vat_code(code) {
            return Err(ConfigError::invalid(
                format!("{field}.octopus_code"),
                format!(
                    "{code:?} is not an Octopus VAT code: use the code as Octopus lists it, \
                     letters and digits only, at most {MAX_VAT_CODE_LEN} characters (e.g. 21, 06, MC)"
                ),
            ));
        }
        Ok(())
    }
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
            entry.validate(&field)?;
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
            mapping.validate(&field)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldLimits, LocationDossier, RoundingPolicy, TenantId};

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
    fn journal_keys_and_vat_codes_have_octopus_shapes() {
        for good in ["V1", "V12", "A1", "F", "D21", "LX9"] {
            assert!(is_octopus_journal_key(good), "{good}");
        }
        for bad in ["", "1V", "v1", "AAN CN", "JVCB1", "V-1", "V12345678901"] {
            assert!(!is_octopus_journal_key(bad), "{bad}");
        }
        for good in ["21", "06", "MC", "D21", "IC"] {
            assert!(is_octopus_vat_code(good), "{good}");
        }
        for bad in ["", "21 %", "6.5", "ABCDEFGHIJK"] {
            assert!(!is_octopus_vat_code(bad), "{bad}");
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
        t.vat_mappings[0].rate = Decimal::ZERO;
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.vat_mappings[0].regime"
        );

        let mut t = tenant();
        t.vat_mappings[0].octopus_code = "21 %".into();
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.vat_mappings[0].octopus_code"
        );

        let mut t = tenant();
        t.journal_overrides[0].octopus_journal_key = "700".into();
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.journal_overrides[0].octopus_journal_key"
        );

        let mut t = tenant();
        t.default_receivable_account = -1;
        assert_eq!(
            field_of(t.validate().unwrap_err()),
            "tenant.default_receivable_account"
        );
    }
}
