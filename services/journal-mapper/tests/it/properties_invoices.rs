//! Property tests over generated invoices (I4 and the rounding rules): every booking balances to
//! the cent under Octopus's sign convention, credit notes are negative with positive lines, no line
//! leaves with base and VAT of opposite signs, the same input always gives the same bytes, and
//! under octopus-total the VAT per code is the rounded VAT of the code's summed base.

use std::collections::BTreeMap;

use ox_domain::money::round_cents;
use ox_journal_mapper::api;
use ox_journal_mapper::domain::{InvoiceError, MappedBooking, Profile, Snapshot, map_invoice};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::MapInvoicesRequest;
use proptest::prelude::*;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::TestRunner;
use prost::Message as _;
use rust_decimal::Decimal;

use crate::gen_invoices::{Case, MAPPINGS, case, rate_of};
use crate::helpers::signs_fit;

const CASES: u32 = 1024;

fn map(case: &Case) -> Result<MappedBooking, InvoiceError> {
    let profile = Profile::from_proto(&case.profile).unwrap();
    let snapshot = Snapshot::from_proto(&case.snapshot, profile.dossier_id).unwrap();
    map_invoice(&profile, &snapshot, &case.item)
}

fn amount(text: &str) -> Decimal {
    assert_eq!(
        text.split('.').nth(1).map(str::len),
        Some(2),
        "two decimals: {text}"
    );
    assert!(!text.starts_with("-0.00"), "negative zero: {text}");
    text.parse().unwrap()
}

/// Expected (account, code) groups in first-seen order: Σ base and Σ printed VAT as booked.
fn expected_groups(case: &Case) -> Vec<((i32, String), Decimal, Option<Decimal>)> {
    // PlanManager stored the amounts times `stored`; the mapper turns a credit note whose stored
    // lines add up negative around.
    let stored = if case.stored_negative {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    let stored_sum: Decimal = case.lines.iter().map(|l| l.base * stored).sum();
    let turned = case.credit_note && stored_sum < Decimal::ZERO;
    let sign = if turned { -stored } else { stored };
    let mut groups: Vec<((i32, String), Decimal, Option<Decimal>)> = Vec::new();
    for line in &case.lines {
        let account = if line.account == 0 {
            700000
        } else {
            line.account
        };
        let regime = regime_name(line.regime);
        let code = MAPPINGS
            .iter()
            .find(|(rate, name, _)| {
                rate.parse::<Decimal>().unwrap() == line.rate && *name == regime
            })
            .map(|(_, _, code)| (*code).to_owned())
            .unwrap();
        let (base, printed) = (line.base * sign, line.printed.map(|p| p * sign));
        let key = (account, code);
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, sum, printed_sum)) => {
                *sum += base;
                *printed_sum = printed_sum.zip(printed).map(|(a, b)| a + b);
            }
            None => groups.push((key, base, printed)),
        }
    }
    groups
}

fn regime_name(regime: ox_proto::planmanager::v1::VatRegime) -> &'static str {
    use ox_proto::planmanager::v1::VatRegime as R;
    match regime {
        R::Unspecified | R::Standard => "standard",
        R::ReverseChargeBe => "reverse_charge_be",
        R::IntraEu => "intra_eu",
        R::Export => "export",
        R::Exempt => "exempt",
    }
}

fn check_booking(case: &Case, mapped: &MappedBooking) -> Result<(), TestCaseError> {
    let booking = &mapped.booking;
    let total = amount(&booking.amount);
    let mut sum = Decimal::ZERO;
    for line in &booking.lines {
        let (base, vat) = (amount(&line.base_amount), amount(&line.vat_amount));
        prop_assert!(
            signs_fit(base, vat),
            "base and VAT may not leave together: {:?}",
            line
        );
        if case.credit_note {
            prop_assert!(
                base >= Decimal::ZERO && vat >= Decimal::ZERO,
                "credit-note line {:?}",
                line
            );
        }
        sum += base + vat;
    }
    // I4, the signed rule: Σ(base + VAT) == amount, == −amount for a credit note.
    let signed = if case.credit_note { -total } else { total };
    prop_assert_eq!(sum, signed);
    if case.credit_note {
        prop_assert!(total <= Decimal::ZERO);
        prop_assert!(
            total < Decimal::ZERO || sum.is_zero(),
            "credit note amount {}",
            total
        );
    }

    // Lines per (account, VAT code) in first-seen order, each base the rounded sum of its lines.
    let groups = expected_groups(case);
    let keys: Vec<(i32, String)> = booking
        .lines
        .iter()
        .map(|l| (l.account_key, l.vat_code.clone()))
        .collect();
    let expected_keys: Vec<(i32, String)> = groups.iter().map(|(k, _, _)| k.clone()).collect();
    prop_assert_eq!(keys, expected_keys);
    for (line, (_, base, printed)) in booking.lines.iter().zip(&groups) {
        prop_assert_eq!(amount(&line.base_amount), round_cents(*base));
        if case.rounding == RoundingPolicy::Document {
            prop_assert_eq!(Some(amount(&line.vat_amount)), printed.map(round_cents));
        }
    }
    if case.rounding != RoundingPolicy::Document {
        // octopus-total: per code, Σ VAT == round-half-away-from-zero(Σ base × rate) exactly.
        let mut per_code: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
        for line in &booking.lines {
            let entry = per_code.entry(line.vat_code.as_str()).or_default();
            entry.0 += amount(&line.base_amount);
            entry.1 += amount(&line.vat_amount);
        }
        for (code, (base, vat)) in per_code {
            let expected = round_cents(base * rate_of(code) / Decimal::ONE_HUNDRED);
            prop_assert_eq!(vat, expected, "code {}", code);
        }
    }

    // The rounding warning appears exactly when the booking differs from PlanManager's total.
    let invoice = case.item.invoice.as_ref().unwrap();
    let planmanager = (!invoice.total_incl.is_empty()).then(|| {
        let stored: Decimal = invoice.total_incl.parse().unwrap();
        round_cents(if case.credit_note {
            -stored.abs()
        } else {
            stored
        })
    });
    // Lines without a GL account carry their own warning; this property is about rounding.
    let rounding: Vec<&String> = mapped
        .warnings
        .iter()
        .filter(|w| w.starts_with("rounding:"))
        .collect();
    match planmanager {
        Some(pm) if pm != total => {
            prop_assert_eq!(rounding.len(), 1);
            let (planmanager, booked) = (
                format!("PlanManager total {pm}"),
                format!("Octopus booking {total}"),
            );
            prop_assert!(rounding[0].contains(&planmanager), "{:?}", mapped.warnings);
            prop_assert!(rounding[0].contains(&booked), "{:?}", mapped.warnings);
        }
        _ => prop_assert!(rounding.is_empty(), "{:?}", mapped.warnings),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_booking_balances_keeps_the_sign_rules_and_rounds_per_code(case in case()) {
        match map(&case) {
            Ok(mapped) => check_booking(&case, &mapped)?,
            Err(error) => {
                // Holds are fine; an unbalanced booking or, under octopus-total, a sign conflict
                // would be the mapper's own fault.
                prop_assert!(!matches!(error, InvoiceError::Unbalanced { .. }), "{}", error);
                if case.rounding != RoundingPolicy::Document {
                    prop_assert!(
                        !matches!(error, InvoiceError::OppositeSigns { .. } | InvoiceError::VatWithoutBase { .. }),
                        "{}", error
                    );
                }
            }
        }
    }

    #[test]
    fn the_same_invoice_always_gives_the_same_bytes(case in case()) {
        let request = MapInvoicesRequest {
            profile: Some(case.profile.clone()),
            snapshot: Some(case.snapshot.clone()),
            invoices: vec![case.item.clone(), case.item.clone()],
        };
        let first = api::map_invoices(&request).unwrap();
        let second = api::map_invoices(&request.clone()).unwrap();
        prop_assert_eq!(first.encode_to_vec(), second.encode_to_vec());
        prop_assert_eq!(&first.invoices[0], &first.invoices[1]);
        // The gRPC function and the domain function agree.
        match map(&case) {
            Ok(mapped) => prop_assert_eq!(first.invoices[0].booking.as_ref(), Some(&mapped.booking)),
            Err(error) => prop_assert_eq!(&first.invoices[0].error, &error.to_string()),
        }
    }
}

/// The generator is only worth its properties if most invoices book and every kind shows up.
#[test]
fn generated_invoices_mostly_book_and_cover_every_kind() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut booked, mut credit_notes, mut multi_code, mut negative_lines, mut warned) =
        (0, 0, 0, 0, 0);
    let total = 2000;
    for _ in 0..total {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let Ok(mapped) = map(&case) else { continue };
        booked += 1;
        credit_notes += usize::from(case.credit_note);
        let mut codes: Vec<&str> = mapped
            .booking
            .lines
            .iter()
            .map(|l| l.vat_code.as_str())
            .collect();
        codes.dedup();
        multi_code += usize::from(codes.len() > 1);
        negative_lines += usize::from(
            mapped
                .booking
                .lines
                .iter()
                .any(|l| l.base_amount.starts_with('-')),
        );
        warned += usize::from(!mapped.warnings.is_empty());
    }
    assert!(booked * 2 > total, "only {booked} of {total} booked");
    for (what, count) in [
        ("credit notes", credit_notes),
        ("several VAT codes", multi_code),
        ("negative lines", negative_lines),
        ("rounding warnings", warned),
    ] {
        assert!(count * 20 > booked, "{what}: {count} of {booked}");
    }
}
