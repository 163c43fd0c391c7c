//! VAT per booking line under the dossier's rounding policy (design.md, "Rounding").
//!
//! Octopus-total: VAT once per VAT code on the summed base, half away from zero to the cent, spread
//! over that code's lines with the difference on the largest line whose sign allows it, so the
//! parts add up exactly and no line gets VAT of the other sign than its base.
//! Document: PlanManager's printed VAT, summed per line.

use ox_domain::money::round_cents;
use rust_decimal::Decimal;

use crate::domain::invoice_error::InvoiceError;
use crate::domain::lines::Group;
use crate::domain::profile::Rounding;

/// The VAT of each group, in the groups' order.
pub fn vat_per_group(groups: &[Group], rounding: Rounding) -> Result<Vec<Decimal>, InvoiceError> {
    match rounding {
        Rounding::Document => groups
            .iter()
            .map(|group| {
                group
                    .printed_vat
                    .map(round_cents)
                    .ok_or(InvoiceError::MissingPrintedVat {
                        line: group.first_line,
                    })
            })
            .collect(),
        Rounding::OctopusTotal => Ok(octopus_total(groups)),
    }
}

fn octopus_total(groups: &[Group]) -> Vec<Decimal> {
    let hundred = Decimal::ONE_HUNDRED;
    let mut vat: Vec<Decimal> = groups
        .iter()
        .map(|group| round_cents(group.base * group.rate / hundred))
        .collect();
    let mut done: Vec<&str> = Vec::new();
    for group in groups {
        if done.contains(&group.vat_code.as_str()) {
            continue;
        }
        done.push(&group.vat_code);
        let members: Vec<usize> = (0..groups.len())
            .filter(|i| groups[*i].vat_code == group.vat_code)
            .collect();
        let base: Decimal = members.iter().map(|i| groups[*i].base).sum();
        // Every group of one code has the same rate (lines::group_lines refuses mixed rates).
        let total = round_cents(base * group.rate / hundred);
        let spread: Decimal = members.iter().map(|i| vat[*i]).sum();
        spread_difference(groups, &members, &mut vat, total - spread);
    }
    vat
}

/// Hands out `difference` cent by cent so the code's parts add up to its total. Each cent goes to
/// the largest base (the first on ties) whose VAT keeps the sign of its base: a discount on its own
/// account never ends up with VAT of the other sign. Such a group always exists (if every base
/// were on the other side, the total would be too); should none be found, the largest group takes
/// the rest and the sign check holds the invoice.
fn spread_difference(
    groups: &[Group],
    members: &[usize],
    vat: &mut [Decimal],
    difference: Decimal,
) {
    let cent = Decimal::new(1, 2);
    let mut left = difference;
    while !left.is_zero() {
        let step = if left.is_sign_positive() { cent } else { -cent };
        let keeps_sign = |i: usize| {
            let after = vat[i] + step;
            let base = groups[i].base;
            (base > Decimal::ZERO && after >= Decimal::ZERO)
                || (base < Decimal::ZERO && after <= Decimal::ZERO)
        };
        let Some(target) = largest(groups, members.iter().copied().filter(|i| keeps_sign(*i)))
        else {
            if let Some(target) = largest(groups, members.iter().copied()) {
                vat[target] += left;
            }
            return;
        };
        vat[target] += step;
        left -= step;
    }
}

/// The first index with the largest absolute base.
fn largest(groups: &[Group], candidates: impl Iterator<Item = usize>) -> Option<usize> {
    candidates.fold(None, |best, i| match best {
        Some(b) if groups[b].base.abs() >= groups[i].base.abs() => Some(b),
        _ => Some(i),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(account: i32, code: &str, rate: i64, base: &str, printed: Option<&str>) -> Group {
        Group {
            account,
            vat_code: code.into(),
            rate: Decimal::from(rate),
            base: base.parse().unwrap(),
            printed_vat: printed.map(|p| p.parse().unwrap()),
            first_line: account,
        }
    }

    fn strings(values: &[Decimal]) -> Vec<String> {
        values.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn rounds_once_per_code_on_the_summed_base() {
        // Three lines of 10.01 at 21 %: per line 2.10 each (6.30), on the total 6.3063 → 6.31.
        let groups = [
            group(700000, "21", 21, "10.01", None),
            group(700100, "21", 21, "10.01", None),
            group(700200, "21", 21, "10.01", None),
        ];
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        assert_eq!(strings(&vat), ["2.11", "2.10", "2.10"]);
        assert_eq!(vat.iter().copied().sum::<Decimal>().to_string(), "6.31");
    }

    #[test]
    fn puts_the_difference_on_the_largest_line_of_its_code_only() {
        let groups = [
            group(1, "21", 21, "0.05", None),
            group(2, "06", 6, "100.00", None),
            group(3, "21", 21, "0.05", None),
            group(4, "21", 21, "0.07", None),
        ];
        // Code 21: per line 0.01 + 0.01 + 0.01 = 0.03; on 0.17 → 0.0357 → 0.04: +0.01 on group 4.
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        assert_eq!(strings(&vat), ["0.01", "6.00", "0.01", "0.02"]);
    }

    #[test]
    fn never_gives_a_line_vat_of_the_other_sign_when_spreading() {
        // Per group: 0.00, 0.00, -0.01, -0.01 = -0.02; on the total -0.02 × 21 % = -0.0042 → 0.00.
        // Of the +0.02, the first cent takes group 3 back to 0.00; a second cent there would give
        // base -0.03 VAT +0.01, so it goes to group 4, the next largest whose sign allows it.
        let groups = [
            group(1, "21", 21, "0.02", None),
            group(2, "21", 21, "0.02", None),
            group(3, "21", 21, "-0.03", None),
            group(4, "21", 21, "-0.03", None),
        ];
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        assert_eq!(strings(&vat), ["0.00", "0.00", "0.00", "0.00"]);
        // Three discounts alone: -0.01 each, -0.02 on the total; +0.01 back on the first.
        let groups = [
            group(1, "21", 21, "-0.03", None),
            group(2, "21", 21, "-0.03", None),
            group(3, "21", 21, "-0.03", None),
        ];
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        assert_eq!(strings(&vat), ["0.00", "-0.01", "-0.01"]);
    }

    #[test]
    fn rounds_half_away_from_zero_for_negative_bases() {
        let groups = [group(1, "21", 21, "-10.50", None)];
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        assert_eq!(strings(&vat), ["-2.21"]);
    }

    #[test]
    fn sends_the_printed_vat_under_the_document_policy() {
        let groups = [
            group(1, "21", 21, "30.03", Some("6.30")),
            group(2, "06", 6, "10", Some("0.6")),
        ];
        let vat = vat_per_group(&groups, Rounding::Document).unwrap();
        assert_eq!(strings(&vat), ["6.30", "0.60"]);
        let missing = [group(7, "21", 21, "1", None)];
        assert_eq!(
            vat_per_group(&missing, Rounding::Document).unwrap_err(),
            InvoiceError::MissingPrintedVat { line: 7 }
        );
    }
}
