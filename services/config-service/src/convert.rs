//! Proto ↔ domain conversions; parsing of wire values (rates, regimes, enums) happens here.

use std::str::FromStr as _;

use ox_proto::config::v1 as pb;
use rust_decimal::Decimal;

use crate::credentials::OctopusCredentials;
use crate::error::ConfigError;
use crate::model::{
    ExportProfile, FieldLimits, JournalOverride, LocationDossier, RoundingPolicy, Tenant, TenantId,
    VatMapping, VatRegime,
};
use crate::secret::Secret;

impl TryFrom<pb::Tenant> for Tenant {
    type Error = ConfigError;

    fn try_from(tenant: pb::Tenant) -> Result<Self, Self::Error> {
        let id = TenantId::parse("tenant.tenant_id", &tenant.tenant_id)?;
        let rounding_policy = match pb::RoundingPolicy::try_from(tenant.rounding_policy) {
            Ok(pb::RoundingPolicy::Unspecified | pb::RoundingPolicy::OctopusTotal) => {
                RoundingPolicy::OctopusTotal
            }
            Ok(pb::RoundingPolicy::Document) => RoundingPolicy::Document,
            Err(_) => {
                return Err(ConfigError::invalid(
                    "tenant.rounding_policy",
                    format!("unknown rounding policy {}", tenant.rounding_policy),
                ));
            }
        };
        let mut vat_mappings = Vec::with_capacity(tenant.vat_mappings.len());
        for (index, mapping) in tenant.vat_mappings.into_iter().enumerate() {
            vat_mappings.push(parse_vat_mapping(index, mapping)?);
        }
        let limits = tenant.field_limits.unwrap_or_default();
        Ok(Self {
            id,
            name: tenant.name,
            locations: tenant
                .locations
                .into_iter()
                .map(|location| LocationDossier {
                    location_name: location.location_name,
                    dossier_id: location.dossier_id,
                })
                .collect(),
            journal_overrides: tenant
                .journal_overrides
                .into_iter()
                .map(|entry| JournalOverride {
                    location_name: entry.location_name,
                    planmanager_code: entry.planmanager_code,
                    octopus_journal_key: entry.octopus_journal_key,
                })
                .collect(),
            vat_mappings,
            default_revenue_account: tenant.default_revenue_account,
            default_receivable_account: tenant.default_receivable_account,
            rounding_policy,
            field_limits: FieldLimits {
                name: limits.name,
                street_and_nr: limits.street_and_nr,
                city: limits.city,
                email: limits.email,
            },
            octopus_base_url: Some(tenant.octopus_base_url).filter(|url| !url.trim().is_empty()),
        })
    }
}

fn parse_vat_mapping(index: usize, mapping: pb::VatMapping) -> Result<VatMapping, ConfigError> {
    let field = format!("tenant.vat_mappings[{index}]");
    let rate = Decimal::from_str(mapping.rate.trim()).map_err(|_| {
        ConfigError::invalid(
            format!("{field}.rate"),
            format!(
                "{:?} is not a decimal percentage (write e.g. \"21\" or \"5.5\")",
                mapping.rate
            ),
        )
    })?;
    let regime = VatRegime::parse(mapping.regime.trim()).ok_or_else(|| {
        ConfigError::invalid(
            format!("{field}.regime"),
            format!(
                "{:?} is not a VAT regime; use one of {}",
                mapping.regime,
                VatRegime::names().join(", ")
            ),
        )
    })?;
    Ok(VatMapping {
        rate: rate.normalize(),
        regime,
        octopus_code: mapping.octopus_code,
    })
}

impl From<&Tenant> for pb::Tenant {
    fn from(tenant: &Tenant) -> Self {
        Self {
            tenant_id: tenant.id.to_string(),
            name: tenant.name.clone(),
            locations: tenant
                .locations
                .iter()
                .map(|location| pb::LocationDossier {
                    location_name: location.location_name.clone(),
                    dossier_id: location.dossier_id,
                })
                .collect(),
            journal_overrides: tenant
                .journal_overrides
                .iter()
                .map(|entry| pb::JournalOverride {
                    location_name: entry.location_name.clone(),
                    planmanager_code: entry.planmanager_code.clone(),
                    octopus_journal_key: entry.octopus_journal_key.clone(),
                })
                .collect(),
            vat_mappings: tenant.vat_mappings.iter().map(Into::into).collect(),
            default_revenue_account: tenant.default_revenue_account,
            default_receivable_account: tenant.default_receivable_account,
            rounding_policy: pb::RoundingPolicy::from(tenant.rounding_policy).into(),
            field_limits: Some(pb::FieldLimits {
                name: tenant.field_limits.name,
                street_and_nr: tenant.field_limits.street_and_nr,
                city: tenant.field_limits.city,
                email: tenant.field_limits.email,
            }),
            octopus_base_url: tenant.octopus_base_url.clone().unwrap_or_default(),
        }
    }
}

impl From<&VatMapping> for pb::VatMapping {
    fn from(mapping: &VatMapping) -> Self {
        Self {
            rate: mapping.rate.normalize().to_string(),
            regime: mapping.regime.as_str().to_owned(),
            octopus_code: mapping.octopus_code.clone(),
        }
    }
}

impl From<RoundingPolicy> for pb::RoundingPolicy {
    fn from(policy: RoundingPolicy) -> Self {
        match policy {
            RoundingPolicy::OctopusTotal => Self::OctopusTotal,
            RoundingPolicy::Document => Self::Document,
        }
    }
}

impl From<ExportProfile> for pb::ExportProfile {
    fn from(profile: ExportProfile) -> Self {
        Self {
            tenant_id: profile.tenant_id.to_string(),
            location_name: profile.location_name,
            dossier_id: profile.dossier_id,
            journal_overrides: profile.journal_overrides.into_iter().collect(),
            vat_mappings: profile.vat_mappings.iter().map(Into::into).collect(),
            default_revenue_account: profile.default_revenue_account,
            default_receivable_account: profile.default_receivable_account,
            rounding_policy: pb::RoundingPolicy::from(profile.rounding_policy).into(),
            field_limits: Some(pb::FieldLimits {
                name: profile.field_limits.name,
                street_and_nr: profile.field_limits.street_and_nr,
                city: profile.field_limits.city,
                email: profile.field_limits.email,
            }),
        }
    }
}

/// Splits a `SetCredentials` request into the tenant and its (still unchecked) credentials.
pub fn credentials_request(
    request: pb::SetCredentialsRequest,
) -> Result<(TenantId, OctopusCredentials), ConfigError> {
    let tenant_id = TenantId::parse("tenant_id", &request.tenant_id)?;
    Ok((
        tenant_id,
        OctopusCredentials {
            user: Secret::new(request.user),
            password: Secret::new(request.password),
            software_house_uuid: Secret::new(request.software_house_uuid.trim()),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> pb::Tenant {
        pb::Tenant {
            tenant_id: "acme".into(),
            name: "Acme".into(),
            locations: vec![pb::LocationDossier {
                location_name: "Bodyshop A".into(),
                dossier_id: 1111,
            }],
            vat_mappings: vec![pb::VatMapping {
                rate: "21.00".into(),
                regime: "standard".into(),
                octopus_code: "21".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn rates_are_normalised_and_unspecified_rounding_means_octopus_total() {
        let parsed = Tenant::try_from(tenant()).unwrap();
        assert_eq!(parsed.vat_mappings[0].rate.to_string(), "21");
        assert_eq!(parsed.rounding_policy, RoundingPolicy::OctopusTotal);
        assert_eq!(parsed.octopus_base_url, None);
    }

    #[test]
    fn a_tenant_survives_the_trip_to_the_wire_and_back() {
        let mut wire = tenant();
        wire.vat_mappings[0].rate = "21".into();
        wire.rounding_policy = pb::RoundingPolicy::Document.into();
        wire.field_limits = Some(pb::FieldLimits {
            name: 40,
            street_and_nr: 40,
            city: 30,
            email: 60,
        });
        wire.octopus_base_url = "http://127.0.0.1:9/v1".into();
        let parsed = Tenant::try_from(wire.clone()).unwrap();
        assert_eq!(pb::Tenant::from(&parsed), wire);
    }

    #[test]
    fn bad_wire_values_name_their_field() {
        let mut bad_rate = tenant();
        bad_rate.vat_mappings[0].rate = "21%".into();
        let error = Tenant::try_from(bad_rate).unwrap_err().to_string();
        assert!(
            error.starts_with("tenant.vat_mappings[0].rate: "),
            "{error}"
        );

        let mut bad_regime = tenant();
        bad_regime.vat_mappings[0].regime = "normal".into();
        let error = Tenant::try_from(bad_regime).unwrap_err().to_string();
        assert!(
            error.starts_with("tenant.vat_mappings[0].regime: "),
            "{error}"
        );
        assert!(error.contains("reverse_charge_be"), "{error}");

        let mut bad_policy = tenant();
        bad_policy.rounding_policy = 9;
        let error = Tenant::try_from(bad_policy).unwrap_err().to_string();
        assert!(error.starts_with("tenant.rounding_policy: "), "{error}");

        let mut bad_id = tenant();
        bad_id.tenant_id = "acme corp".into();
        let error = Tenant::try_from(bad_id).unwrap_err().to_string();
        assert!(error.starts_with("tenant.tenant_id: "), "{error}");
    }
}
