//! Property tests of the octopus-total spread on its own: any groups of one or more VAT codes, with
//! amounts of a few cents either way (where per-line and per-code rounding disagree most), get VAT
//! that adds up per code to the rounded VAT of the summed base and never has the other sign.

use std::collections::BTreeMap;

use ox_domain::money::round_cents;
use ox_journal_mapper::domain::Rounding;
use ox_journal_mapper::domain::lines::Group;
use ox_journal_mapper::domain::rounding::vat_per_group;
use proptest::prelude::*;

use crate::helpers::signs_fit;
use rust_decimal::Decimal;

const CASES: u32 = 2048;

/// Groups on distinct accounts: (code, rate) from three codes, bases mostly tiny.
fn groups() -> impl Strategy<Value = Vec<Group>> {
    let base = prop_oneof![4 => -9i64..=9, 1 => -100_000i64..=100_000];
    prop::collection::vec((0usize..3, base), 1..=10).prop_map(|entries| {
        entries
            .into_iter()
            .zip(0..)
            .map(|((code, cents), account)| {
                let (code, rate) = [("21", 21), ("12", 12), ("06", 6)][code];
                Group {
                    account: 700000 + account,
                    vat_code: code.into(),
                    rate: Decimal::from(rate),
                    base: Decimal::new(cents, 2),
                    printed_vat: None,
                    first_line: account,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn the_spread_keeps_the_code_total_and_every_sign(groups in groups()) {
        let vat = vat_per_group(&groups, Rounding::OctopusTotal).unwrap();
        prop_assert_eq!(vat.len(), groups.len());
        let mut per_code: BTreeMap<&str, (Decimal, Decimal, Decimal)> = BTreeMap::new();
        for (group, vat) in groups.iter().zip(&vat) {
            prop_assert_eq!(vat.scale(), 2);
            prop_assert!(signs_fit(group.base, *vat), "base {} got VAT {}", group.base, vat);
            let zero = Decimal::ZERO;
            let entry = per_code.entry(group.vat_code.as_str()).or_insert((zero, zero, group.rate));
            entry.0 += group.base;
            entry.1 += *vat;
        }
        for (code, (base, vat, rate)) in per_code {
            prop_assert_eq!(vat, round_cents(base * rate / Decimal::ONE_HUNDRED), "code {}", code);
        }
    }
}
