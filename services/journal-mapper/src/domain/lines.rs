//! Invoice lines: parsed, given an account and a checked Octopus sales VAT code, and grouped per
//! (account, VAT code) in first-seen order.

use ox_domain::money::{format_percent, round_cents};
use ox_proto::planmanager::v1::InvoiceLine;
use rust_decimal::Decimal;

use crate::domain::invoice_error::InvoiceError;
use crate::domain::profile::{Profile, Regime};
use crate::domain::snapshot::{Snapshot, VAT_CODE_SELL};
use crate::domain::wire::{WireProblem, read_amount, read_rate, shown};

/// One PlanManager line with its numbers parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedLine {
    pub seq: i32,
    pub base: Decimal,
    pub rate: Decimal,
    /// PlanManager's printed VAT; `None` when the line has none.
    pub printed_vat: Option<Decimal>,
    pub regime: Regime,
    /// The line's GL account, or the profile's default revenue account.
    pub account: i32,
}

/// The lines of one booking line: same account, same VAT code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub account: i32,
    pub vat_code: String,
    pub rate: Decimal,
    /// Σ base of the group's lines, to the cent.
    pub base: Decimal,
    /// Σ printed VAT; `None` when a line of the group has none.
    pub printed_vat: Option<Decimal>,
    pub first_line: i32,
}

/// Parses every line; the account falls back to the profile's default revenue account.
pub fn parse_lines(
    profile: &Profile,
    lines: &[InvoiceLine],
) -> Result<Vec<ParsedLine>, InvoiceError> {
    let mut parsed = Vec::with_capacity(lines.len());
    for line in lines {
        let seq = line.seq;
        let number =
            |field: &'static str, value: &str, read: fn(&str) -> Result<Decimal, WireProblem>| {
                read(value).map_err(|problem| InvoiceError::Number {
                    line: seq,
                    field,
                    problem: format!("{}: {}", problem.describe(), shown(value)),
                })
            };
        let printed_vat = if line.vat_amount.trim().is_empty() {
            None
        } else {
            Some(number("vat_amount", &line.vat_amount, read_amount)?)
        };
        let regime = Regime::from_line(line.vat_regime).ok_or(InvoiceError::UnknownRegime {
            line: seq,
            value: line.vat_regime,
        })?;
        let account = match line.gl_account {
            0 if profile.default_revenue_account > 0 => profile.default_revenue_account,
            0 => return Err(InvoiceError::NoAccount { line: seq }),
            account if account < 0 => {
                return Err(InvoiceError::BadAccount { line: seq, account });
            }
            account => account,
        };
        parsed.push(ParsedLine {
            seq,
            base: number("amount_excl", &line.amount_excl, read_amount)?,
            rate: number("vat_rate", &line.vat_rate, read_rate)?,
            printed_vat,
            regime,
            account,
        });
    }
    Ok(parsed)
}

/// Groups lines per (account, VAT code) in first-seen order, checking each VAT code.
pub fn group_lines(
    profile: &Profile,
    snapshot: &Snapshot,
    lines: &[ParsedLine],
) -> Result<Vec<Group>, InvoiceError> {
    let mut groups: Vec<Group> = Vec::new();
    for line in lines {
        let code = vat_code(profile, snapshot, line)?;
        if let Some(other) = groups
            .iter()
            .find(|g| g.vat_code == code && g.rate != line.rate)
        {
            return Err(InvoiceError::MixedRates {
                code,
                first: format_percent(other.rate),
                second: format_percent(line.rate),
            });
        }
        match groups
            .iter_mut()
            .find(|g| g.account == line.account && g.vat_code == code)
        {
            Some(group) => {
                group.base += line.base;
                group.printed_vat = group.printed_vat.zip(line.printed_vat).map(|(a, b)| a + b);
            }
            None => groups.push(Group {
                account: line.account,
                vat_code: code,
                rate: line.rate,
                base: line.base,
                printed_vat: line.printed_vat,
                first_line: line.seq,
            }),
        }
    }
    for group in &mut groups {
        group.base = round_cents(group.base);
    }
    Ok(groups)
}

/// The Octopus sales VAT code of a line: from (rate, regime) through the profile's VAT mapping,
/// and present in the dossier as a SELL code.
fn vat_code(
    profile: &Profile,
    snapshot: &Snapshot,
    line: &ParsedLine,
) -> Result<String, InvoiceError> {
    if line.rate.is_zero() && line.regime == Regime::Standard {
        return Err(InvoiceError::ZeroVatNeedsRegime { line: line.seq });
    }
    let no_code = |reason: String| InvoiceError::NoVatCode {
        rate: format_percent(line.rate),
        regime: match line.regime {
            Regime::Standard => String::new(),
            regime => format!(" ({})", regime.label()),
        },
        reason,
    };
    let Some(code) = profile.vat_code(line.rate, line.regime) else {
        return Err(no_code(
            "the dossier's VAT mapping has no entry for it".to_owned(),
        ));
    };
    let kinds: Vec<i32> = snapshot
        .vat_codes_named(code)
        .map(|known| known.kind)
        .collect();
    if kinds.is_empty() {
        return Err(no_code(format!(
            "code {code} from the VAT mapping does not exist in Octopus dossier {}",
            snapshot.dossier_id
        )));
    }
    if !kinds.contains(&VAT_CODE_SELL) {
        let kind = kinds
            .iter()
            .map(|kind| kind_name(*kind))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(InvoiceError::NotSalesCode {
            code: code.to_owned(),
            kind,
        });
    }
    Ok(code.to_owned())
}

fn kind_name(kind: i32) -> String {
    match kind {
        1 => "1: purchase".to_owned(),
        3 => "3: purchase credit note".to_owned(),
        4 => "4: sales credit note".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use ox_proto::planmanager::v1::VatRegime;

    use super::*;
    use crate::domain::snapshot::VatCode;
    use crate::domain::test_support::{profile_with_overrides, snapshot_2025};

    fn line(seq: i32, base: &str, rate: &str, regime: VatRegime, gl: i32) -> InvoiceLine {
        InvoiceLine {
            seq,
            amount_excl: base.into(),
            vat_rate: rate.into(),
            vat_regime: regime as i32,
            gl_account: gl,
            ..Default::default()
        }
    }

    fn setup() -> (Profile, Snapshot) {
        let mut profile = profile_with_overrides(&[]);
        for (rate, regime, code) in [
            ("21", Regime::Standard, "21"),
            ("6", Regime::Standard, "06"),
            ("0", Regime::Export, "D21"),
        ] {
            profile.vat_rules.push(crate::domain::profile::VatRule {
                rate: rate.parse().unwrap(),
                regime,
                octopus_code: code.into(),
            });
        }
        let mut snapshot = snapshot_2025(vec![]);
        snapshot.vat_codes = vec![
            VatCode {
                code: "21".into(),
                kind: 2,
            },
            VatCode {
                code: "D21".into(),
                kind: 1,
            },
        ];
        (profile, snapshot)
    }

    fn group(lines: &[InvoiceLine]) -> Result<Vec<Group>, InvoiceError> {
        let (profile, snapshot) = setup();
        group_lines(&profile, &snapshot, &parse_lines(&profile, lines)?)
    }

    #[test]
    fn groups_per_account_and_code_in_first_seen_order() {
        let groups = group(&[
            line(1, "500.00", "21", VatRegime::Standard, 0),
            line(2, "100.00", "21.00", VatRegime::Unspecified, 700100),
            line(3, "-50.00", "21", VatRegime::Standard, 700000),
        ])
        .unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(
            (groups[0].account, groups[0].base.to_string().as_str()),
            (700000, "450.00")
        );
        assert_eq!(
            (groups[1].account, groups[1].vat_code.as_str()),
            (700100, "21")
        );
        assert_eq!(groups[0].first_line, 1);
    }

    #[test]
    fn explains_missing_wrong_and_unmapped_vat_codes() {
        let error = |lines: &[InvoiceLine]| group(lines).unwrap_err().to_string();
        assert_eq!(
            error(&[line(1, "150", "6", VatRegime::Standard, 0)]),
            "VAT rate 6 % has no valid Octopus VAT code: code 06 from the VAT mapping does not exist \
             in Octopus dossier 1111"
        );
        assert_eq!(
            error(&[line(1, "150", "12", VatRegime::Standard, 0)]),
            "VAT rate 12 % has no valid Octopus VAT code: the dossier's VAT mapping has no entry for it"
        );
        assert!(
            error(&[line(1, "150", "0", VatRegime::Export, 0)])
                .starts_with("VAT code D21 is not a sales VAT code (Octopus type 1: purchase)")
        );
        assert!(
            error(&[line(4, "150", "0", VatRegime::Unspecified, 0)])
                .starts_with("0 % VAT needs a VAT regime (line 4)")
        );
        assert!(
            error(&[line(1, "150", "0", VatRegime::IntraEu, 0)])
                .starts_with("VAT rate 0 % (intra-EU) has no valid Octopus VAT code")
        );
    }

    #[test]
    fn refuses_unreadable_lines_and_missing_accounts() {
        assert_eq!(
            group(&[line(2, "12,50", "21", VatRegime::Standard, 0)])
                .unwrap_err()
                .to_string(),
            "line 2: amount_excl is not a decimal number: \"12,50\""
        );
        let (mut profile, _) = setup();
        profile.default_revenue_account = 0;
        let error =
            parse_lines(&profile, &[line(3, "1", "21", VatRegime::Standard, 0)]).unwrap_err();
        assert_eq!(error, InvoiceError::NoAccount { line: 3 });
        assert!(matches!(
            parse_lines(&profile, &[line(3, "1", "21", VatRegime::Standard, -5)]),
            Err(InvoiceError::BadAccount { .. })
        ));
    }
}
