//! The export profile as the rules need it: journal overrides, VAT mappings with parsed rates,
//! accounts, the rounding policy and the relation field limits. Parsed once per request.

use std::collections::BTreeMap;

use ox_domain::money::format_percent;
use ox_proto::config::v1 as config;
use ox_proto::planmanager::v1::VatRegime;
use rust_decimal::Decimal;

use crate::domain::wire::{read_rate, shown};
use crate::error::InputError;

/// The VAT regime of a line (from PlanManager) or of a VAT mapping (from the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Regime {
    Standard,
    ReverseChargeBe,
    IntraEu,
    Export,
    Exempt,
}

impl Regime {
    /// Parses a config regime; empty means standard. `None` for an unknown word.
    pub fn from_config(value: &str) -> Option<Self> {
        match value.trim() {
            "" | "standard" => Some(Self::Standard),
            "reverse_charge_be" => Some(Self::ReverseChargeBe),
            "intra_eu" => Some(Self::IntraEu),
            "export" => Some(Self::Export),
            "exempt" => Some(Self::Exempt),
            _ => None,
        }
    }

    /// Converts a PlanManager line regime; unspecified means standard. `None` for an unknown value.
    pub fn from_line(value: i32) -> Option<Self> {
        match VatRegime::try_from(value).ok()? {
            VatRegime::Unspecified | VatRegime::Standard => Some(Self::Standard),
            VatRegime::ReverseChargeBe => Some(Self::ReverseChargeBe),
            VatRegime::IntraEu => Some(Self::IntraEu),
            VatRegime::Export => Some(Self::Export),
            VatRegime::Exempt => Some(Self::Exempt),
        }
    }

    /// The regime in words, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::ReverseChargeBe => "Belgian reverse charge",
            Self::IntraEu => "intra-EU",
            Self::Export => "export",
            Self::Exempt => "exempt",
        }
    }
}

/// How VAT is rounded in a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// VAT once per VAT code on the summed base, spread over that code's lines (the default).
    OctopusTotal,
    /// PlanManager's printed VAT, summed per booking line.
    Document,
}

/// One (rate, regime) → Octopus sales VAT code entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatRule {
    pub rate: Decimal,
    pub regime: Regime,
    pub octopus_code: String,
}

/// Maximum lengths (in characters) of relation fields; 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLimits {
    pub name: usize,
    pub street_and_nr: usize,
    pub city: usize,
    pub email: usize,
}

impl Default for FieldLimits {
    /// The limits used when the profile sets none.
    fn default() -> Self {
        Self {
            name: 40,
            street_and_nr: 40,
            city: 30,
            email: 60,
        }
    }
}

impl FieldLimits {
    /// The profile's limits, or the defaults when it carries none (absent, or all zero); a
    /// single 0 among set limits means that field is unlimited.
    pub fn from_proto(limits: Option<&config::FieldLimits>) -> Self {
        // A profile whose limits are all 0 carries none (config-service sends zeros when unset).
        let Some(limits) =
            limits.filter(|l| l.name > 0 || l.street_and_nr > 0 || l.city > 0 || l.email > 0)
        else {
            return Self::default();
        };
        let size = |value: u32| usize::try_from(value).unwrap_or(usize::MAX);
        Self {
            name: size(limits.name),
            street_and_nr: size(limits.street_and_nr),
            city: size(limits.city),
            email: size(limits.email),
        }
    }
}

/// What the mapping rules need from the export profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub dossier_id: i32,
    /// PlanManager journal code → Octopus journal key.
    pub journal_overrides: BTreeMap<String, String>,
    pub vat_rules: Vec<VatRule>,
    pub default_revenue_account: i32,
    pub default_receivable_account: i32,
    pub rounding: Rounding,
    pub field_limits: FieldLimits,
}

impl Profile {
    /// Parses and checks the profile; a malformed or contradictory value refuses the whole request.
    pub fn from_proto(profile: &config::ExportProfile) -> Result<Self, InputError> {
        let rounding = match config::RoundingPolicy::try_from(profile.rounding_policy) {
            Ok(config::RoundingPolicy::Unspecified | config::RoundingPolicy::OctopusTotal) => {
                Rounding::OctopusTotal
            }
            Ok(config::RoundingPolicy::Document) => Rounding::Document,
            Err(_) => {
                return Err(InputError::invalid(
                    "profile.rounding_policy",
                    format!(
                        "is not a known rounding policy: {}",
                        profile.rounding_policy
                    ),
                ));
            }
        };
        if profile.dossier_id <= 0 {
            return Err(InputError::invalid(
                "profile.dossier_id",
                format!(
                    "is not an Octopus dossier id (a positive number): {}",
                    profile.dossier_id
                ),
            ));
        }
        for (field, account) in [
            (
                "profile.default_revenue_account",
                profile.default_revenue_account,
            ),
            (
                "profile.default_receivable_account",
                profile.default_receivable_account,
            ),
        ] {
            if account < 0 {
                return Err(InputError::invalid(
                    field,
                    format!("is not an account number: {account}"),
                ));
            }
        }
        let mut vat_rules: Vec<(usize, VatRule)> = Vec::new();
        for (index, mapping) in profile.vat_mappings.iter().enumerate() {
            let rule = parse_vat_rule(index, mapping)?;
            if let Some((other_index, other)) = vat_rules
                .iter()
                .find(|(_, known)| known.rate == rule.rate && known.regime == rule.regime)
            {
                if other.octopus_code != rule.octopus_code {
                    return Err(InputError::invalid(
                        format!("profile.vat_mappings[{index}]"),
                        format!(
                            "maps {} % ({}) to {}, but profile.vat_mappings[{other_index}] maps it \
                             to {}: one rate and regime can have only one Octopus VAT code",
                            format_percent(rule.rate),
                            rule.regime.label(),
                            rule.octopus_code,
                            other.octopus_code
                        ),
                    ));
                }
                continue;
            }
            vat_rules.push((index, rule));
        }
        // An empty override value means "no override", not "book into journal ''".
        let journal_overrides = profile
            .journal_overrides
            .iter()
            .filter(|(_, key)| !key.trim().is_empty())
            .map(|(code, key)| (code.trim().to_owned(), key.trim().to_owned()))
            .collect();
        Ok(Self {
            dossier_id: profile.dossier_id,
            journal_overrides,
            vat_rules: vat_rules.into_iter().map(|(_, rule)| rule).collect(),
            default_revenue_account: profile.default_revenue_account,
            default_receivable_account: profile.default_receivable_account,
            rounding,
            field_limits: FieldLimits::from_proto(profile.field_limits.as_ref()),
        })
    }

    /// The Octopus VAT code configured for (rate, regime); rates compare as numbers.
    pub fn vat_code(&self, rate: Decimal, regime: Regime) -> Option<&str> {
        self.vat_rules
            .iter()
            .find(|rule| rule.rate == rate && rule.regime == regime)
            .map(|rule| rule.octopus_code.as_str())
    }
}

fn parse_vat_rule(index: usize, mapping: &config::VatMapping) -> Result<VatRule, InputError> {
    let field = |name: &str| format!("profile.vat_mappings[{index}].{name}");
    let rate = read_rate(&mapping.rate).map_err(|problem| {
        InputError::invalid(
            field("rate"),
            format!("{}: {}", problem.describe(), shown(&mapping.rate)),
        )
    })?;
    let regime = Regime::from_config(&mapping.regime).ok_or_else(|| {
        InputError::invalid(
            field("regime"),
            format!(
                "is not one of standard, reverse_charge_be, intra_eu, export, exempt: {}",
                shown(&mapping.regime)
            ),
        )
    })?;
    let octopus_code = mapping.octopus_code.trim().to_owned();
    if octopus_code.is_empty() {
        return Err(InputError::invalid(
            field("octopus_code"),
            format!(
                "is empty; it must name the Octopus VAT code for {} % ({})",
                format_percent(rate),
                regime.label()
            ),
        ));
    }
    Ok(VatRule {
        rate,
        regime,
        octopus_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(rate: &str, regime: &str, code: &str) -> config::VatMapping {
        config::VatMapping {
            rate: rate.into(),
            regime: regime.into(),
            octopus_code: code.into(),
        }
    }

    #[test]
    fn compares_rates_as_decimals_and_defaults_the_regime() {
        let profile = Profile::from_proto(&config::ExportProfile {
            dossier_id: 1111,
            vat_mappings: vec![mapping("21.00", "", "21"), mapping("0", "intra_eu", "ICL")],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            profile.vat_code(Decimal::from(21), Regime::Standard),
            Some("21")
        );
        assert_eq!(
            profile.vat_code(Decimal::ZERO, Regime::IntraEu),
            Some("ICL")
        );
        assert_eq!(profile.vat_code(Decimal::ZERO, Regime::Standard), None);
        assert_eq!(profile.rounding, Rounding::OctopusTotal);
        assert_eq!(profile.field_limits, FieldLimits::default());
    }

    fn refusal(change: impl FnOnce(&mut config::ExportProfile)) -> String {
        let mut profile = config::ExportProfile {
            dossier_id: 1111,
            ..Default::default()
        };
        change(&mut profile);
        Profile::from_proto(&profile).unwrap_err().to_string()
    }

    #[test]
    fn refuses_malformed_or_contradictory_mappings() {
        assert_eq!(
            refusal(|p| p.vat_mappings = vec![mapping("21%", "", "21")]),
            "profile.vat_mappings[0].rate is not a decimal number: \"21%\""
        );
        assert_eq!(
            refusal(|p| p.vat_mappings = vec![mapping("21", "", "21"), mapping("150", "", "X")]),
            "profile.vat_mappings[1].rate is not a VAT rate between 0 and 100 %: \"150\""
        );
        assert_eq!(
            refusal(|p| p.vat_mappings =
                vec![mapping("21", "standard", "21"), mapping("21.0", "", "211")]),
            "profile.vat_mappings[1] maps 21 % (standard) to 211, but profile.vat_mappings[0] maps it \
             to 21: one rate and regime can have only one Octopus VAT code"
        );
        assert_eq!(
            refusal(|p| p.vat_mappings = vec![mapping("0", "domestic", "00")]),
            "profile.vat_mappings[0].regime is not one of standard, reverse_charge_be, intra_eu, \
             export, exempt: \"domestic\""
        );
        assert_eq!(
            refusal(|p| p.vat_mappings = vec![mapping("0", "intra_eu", " ")]),
            "profile.vat_mappings[0].octopus_code is empty; it must name the Octopus VAT code for \
             0 % (intra-EU)"
        );
    }

    #[test]
    fn refuses_unknown_policies_dossiers_and_negative_accounts() {
        assert_eq!(
            refusal(|p| p.rounding_policy = 9),
            "profile.rounding_policy is not a known rounding policy: 9"
        );
        assert_eq!(
            refusal(|p| p.dossier_id = 0),
            "profile.dossier_id is not an Octopus dossier id (a positive number): 0"
        );
        assert_eq!(
            refusal(|p| p.default_receivable_account = -400000),
            "profile.default_receivable_account is not an account number: -400000"
        );
    }

    #[test]
    fn all_zero_limits_mean_the_defaults() {
        let zeros = config::FieldLimits::default();
        assert_eq!(
            FieldLimits::from_proto(Some(&zeros)),
            FieldLimits::default()
        );
        assert_eq!(FieldLimits::default().name, 40);
    }

    #[test]
    fn takes_explicit_limits_with_zero_meaning_unlimited() {
        let profile = Profile::from_proto(&config::ExportProfile {
            dossier_id: 1111,
            rounding_policy: config::RoundingPolicy::Document as i32,
            field_limits: Some(config::FieldLimits {
                name: 0,
                street_and_nr: 35,
                city: 0,
                email: 0,
            }),
            journal_overrides: [
                ("700".to_owned(), " V1 ".to_owned()),
                ("X".to_owned(), String::new()),
            ]
            .into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(profile.rounding, Rounding::Document);
        assert_eq!(profile.field_limits.name, 0);
        assert_eq!(profile.field_limits.street_and_nr, 35);
        assert_eq!(
            profile.journal_overrides.get("700").map(String::as_str),
            Some("V1")
        );
        assert!(!profile.journal_overrides.contains_key("X"));
    }
}
