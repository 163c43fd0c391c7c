//! Field case 1: one-cent gaps between line-level and total-level VAT rounding, under both policies.

use ox_journal_mapper::domain::{MappedBooking, Profile, map_invoice};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, VatRegime};

use crate::helpers::*;

const STD: VatRegime = VatRegime::Standard;

fn profile_21(rounding: RoundingPolicy) -> Profile {
    profile(&[], &[("21", "standard", "21")], rounding)
}

fn case_1a() -> InvoiceToMap {
    let lines = vec![
        line(1, "10.01", "21", "2.10", STD, 700000),
        line(2, "10.01", "21", "2.10", STD, 700000),
        line(3, "10.01", "21", "2.10", STD, 700000),
    ];
    to_map(
        invoice(
            "V1",
            101,
            "2025-02-14",
            InvoiceKind::Invoice,
            lines,
            ("30.03", "6.30", "36.33"),
        ),
        "",
        "BE",
    )
}

fn case_1b() -> InvoiceToMap {
    // Gross prices: 3 × 10.00 incl. VAT; PlanManager printed net 24.78 and VAT 5.22.
    let mut wiper = line(1, "24.78", "21", "5.22", STD, 700000);
    wiper.quantity = "3".into();
    to_map(
        invoice(
            "V1",
            102,
            "2025-02-14",
            InvoiceKind::Invoice,
            vec![wiper],
            ("24.78", "5.22", "30.00"),
        ),
        "",
        "BE",
    )
}

fn mapped(profile: &Profile, item: &InvoiceToMap) -> MappedBooking {
    let mapped = map_invoice(profile, &dossier_2025(), item).unwrap();
    assert_balanced(&mapped.booking);
    mapped
}

#[test]
fn field_case_01_octopus_total_rounds_vat_once_and_warns_with_both_figures() {
    let profile = profile_21(RoundingPolicy::Unspecified);
    let a = mapped(&profile, &case_1a());
    assert_eq!(a.booking.lines.len(), 1);
    assert_eq!(
        (
            a.booking.lines[0].base_amount.as_str(),
            a.booking.lines[0].vat_amount.as_str()
        ),
        ("30.03", "6.31")
    );
    assert_eq!(a.booking.amount, "36.34");
    assert_eq!(
        a.warnings,
        ["rounding: PlanManager total 36.33, Octopus booking 36.34 (+0.01)"]
    );

    let b = mapped(&profile, &case_1b());
    assert_eq!(b.booking.lines.len(), 1);
    assert_eq!(
        (
            b.booking.lines[0].base_amount.as_str(),
            b.booking.lines[0].vat_amount.as_str()
        ),
        ("24.78", "5.20")
    );
    assert_eq!(b.booking.amount, "29.98");
    assert_eq!(
        b.warnings,
        ["rounding: PlanManager total 30.00, Octopus booking 29.98 (-0.02)"]
    );
}

#[test]
fn field_case_01_document_policy_sends_the_printed_vat_without_warning() {
    let profile = profile_21(RoundingPolicy::Document);
    let a = mapped(&profile, &case_1a());
    assert_eq!(a.booking.lines.len(), 1);
    assert_eq!(
        (
            a.booking.lines[0].base_amount.as_str(),
            a.booking.lines[0].vat_amount.as_str(),
            a.booking.amount.as_str()
        ),
        ("30.03", "6.30", "36.33")
    );
    assert!(a.warnings.is_empty());
    let b = mapped(&profile, &case_1b());
    assert_eq!(
        (
            b.booking.lines[0].base_amount.as_str(),
            b.booking.lines[0].vat_amount.as_str(),
            b.booking.amount.as_str()
        ),
        ("24.78", "5.22", "30.00")
    );
    assert!(b.warnings.is_empty());
}

#[test]
fn field_case_01_spreads_the_total_vat_over_lines_of_several_accounts() {
    let lines = vec![
        line(1, "10.01", "21", "2.10", STD, 700000),
        line(2, "10.01", "21", "2.10", STD, 700100),
        line(3, "10.01", "21", "2.10", STD, 700200),
    ];
    let item = to_map(
        invoice(
            "V1",
            103,
            "2025-02-14",
            InvoiceKind::Invoice,
            lines,
            ("30.03", "6.30", "36.33"),
        ),
        "",
        "BE",
    );
    let booking = mapped(&profile_21(RoundingPolicy::OctopusTotal), &item).booking;
    let vats: Vec<&str> = booking
        .lines
        .iter()
        .map(|l| l.vat_amount.as_str())
        .collect();
    assert_eq!(vats, ["2.11", "2.10", "2.10"]);
    assert_eq!(booking.amount, "36.34");
}
