//! Field case 11: credit notes, negative lines and Octopus's sign conventions.

use ox_journal_mapper::domain::{InvoiceError, MappedBooking, Profile, map_invoice};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, VatRegime};

use crate::helpers::*;

const STD: VatRegime = VatRegime::Standard;

fn mapped(profile: &Profile, item: &InvoiceToMap) -> MappedBooking {
    let mapped = map_invoice(profile, &dossier_2025(), item).unwrap();
    assert_balanced(&mapped.booking);
    mapped
}

#[test]
fn field_case_11_credit_note_negative_amount_positive_lines_in_the_credit_journal() {
    let profile = profile(
        &[("700", "V1"), ("710", "V2")],
        &[("21", "", "21")],
        RoundingPolicy::OctopusTotal,
    );
    let mut credit = invoice(
        "710",
        7,
        "2025-05-12",
        InvoiceKind::CreditNote,
        vec![line(1, "250.00", "21", "52.50", STD, 700000)],
        ("250.00", "52.50", "302.50"),
    );
    credit.credited_invoice_id = 10_042;
    credit.structured_reference = "+++090/9337/55493+++".into();
    let booking = mapped(&profile, &to_map(credit, "", "BE")).booking;
    assert_eq!(
        (booking.journal_key.as_str(), booking.document_sequence_nr),
        ("V2", 7)
    );
    assert_eq!(booking.amount, "-302.50");
    assert_eq!(booking.lines.len(), 1);
    assert_eq!(
        (
            booking.lines[0].base_amount.as_str(),
            booking.lines[0].vat_amount.as_str()
        ),
        ("250.00", "52.50")
    );
    assert_eq!(
        booking.comment, "710/7 credit note for invoice 10042",
        "the reference to F-2025-0042 (PlanManager id 10042)"
    );
    assert_eq!(booking.reference, "+++090/9337/55493+++");

    let discount = invoice(
        "700",
        43,
        "2025-05-12",
        InvoiceKind::Invoice,
        vec![
            line(1, "500.00", "21", "105.00", STD, 700000),
            line(2, "-50.00", "21", "-10.50", STD, 700000),
        ],
        ("450.00", "94.50", "544.50"),
    );
    let mapped_discount = mapped(&profile, &to_map(discount, "", "BE"));
    let booking = mapped_discount.booking;
    assert_eq!(booking.lines.len(), 1);
    assert_eq!(
        (
            booking.lines[0].base_amount.as_str(),
            booking.lines[0].vat_amount.as_str()
        ),
        ("450.00", "94.50")
    );
    assert_eq!(booking.amount, "544.50");
    assert!(mapped_discount.warnings.is_empty());
}

#[test]
fn field_case_11_holds_an_invoice_whose_line_would_have_base_and_vat_of_opposite_signs() {
    // A discount on its own account with VAT printed the wrong way round: grouping cannot fix it.
    let profile = profile(&[], &[("21", "", "21")], RoundingPolicy::Document);
    let broken = invoice(
        "V1",
        44,
        "2025-05-12",
        InvoiceKind::Invoice,
        vec![
            line(1, "500.00", "21", "105.00", STD, 700000),
            line(2, "-50.00", "21", "10.50", STD, 700100),
        ],
        ("450.00", "115.50", "565.50"),
    );
    let error = map_invoice(&profile, &dossier_2025(), &to_map(broken, "", "BE")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the booking line for account 700100 with VAT code 21 would have base -50.00 and VAT 10.50 \
         of opposite signs, which Octopus refuses: correct the invoice in PlanManager"
    );
}

#[test]
fn field_case_11_books_a_credit_note_stored_negative_the_same_way() {
    let profile = profile(
        &[("710", "V2")],
        &[("21", "", "21")],
        RoundingPolicy::OctopusTotal,
    );
    let stored = |base: &str, vat: &str, total: &str| {
        let mut credit = invoice(
            "710",
            7,
            "2025-05-12",
            InvoiceKind::CreditNote,
            vec![line(1, base, "21", vat, STD, 700000)],
            (base, vat, total),
        );
        credit.credited_invoice_id = 10_042;
        mapped(&profile, &to_map(credit, "", "BE"))
    };
    let positive = stored("250.00", "52.50", "302.50");
    let negative = stored("-250.00", "-52.50", "-302.50");
    assert_eq!(positive, negative);
    assert_eq!(negative.booking.amount, "-302.50");
    assert_eq!(negative.booking.lines[0].base_amount, "250.00");
    assert!(negative.warnings.is_empty());
}

#[test]
fn field_case_11_keeps_a_discount_on_its_own_account_in_the_sign_of_its_base() {
    // Under octopus-total a discount line on its own account gets VAT of its own sign, never the other.
    let profile = profile(&[], &[("21", "", "21")], RoundingPolicy::OctopusTotal);
    let discounted = invoice(
        "V1",
        45,
        "2025-05-12",
        InvoiceKind::Invoice,
        vec![
            line(1, "500.00", "21", "105.00", STD, 700000),
            line(2, "-50.00", "21", "-10.50", STD, 700100),
        ],
        ("450.00", "94.50", "544.50"),
    );
    let booking = mapped(&profile, &to_map(discounted, "", "BE")).booking;
    let lines: Vec<(&str, &str)> = booking
        .lines
        .iter()
        .map(|l| (l.base_amount.as_str(), l.vat_amount.as_str()))
        .collect();
    assert_eq!(lines, [("500.00", "105.00"), ("-50.00", "-10.50")]);
    assert_eq!(booking.amount, "544.50");
}

#[test]
fn field_case_11_holds_a_credit_note_whose_line_would_be_negative() {
    // A deduction on its own account cannot become a positive credit-note line: held, not flipped.
    let profile = profile(
        &[("710", "V2")],
        &[("21", "", "21")],
        RoundingPolicy::OctopusTotal,
    );
    let own_account = invoice(
        "710",
        8,
        "2025-05-12",
        InvoiceKind::CreditNote,
        vec![
            line(1, "250.00", "21", "52.50", STD, 700000),
            line(2, "-20.00", "21", "-4.20", STD, 700100),
        ],
        ("230.00", "48.30", "278.30"),
    );
    let error = map_invoice(&profile, &dossier_2025(), &to_map(own_account, "", "BE")).unwrap_err();
    assert!(
        matches!(
            &error,
            InvoiceError::CreditNoteNegativeLine { account: 700100, base, vat, .. }
                if base == "-20.00" && vat == "-4.20"
        ),
        "{error}"
    );
    // The same deduction on the account it reduces gives one positive line.
    let same_account = invoice(
        "710",
        8,
        "2025-05-12",
        InvoiceKind::CreditNote,
        vec![
            line(1, "250.00", "21", "52.50", STD, 700000),
            line(2, "-20.00", "21", "-4.20", STD, 700000),
        ],
        ("230.00", "48.30", "278.30"),
    );
    let booking = mapped(&profile, &to_map(same_account, "", "BE")).booking;
    assert_eq!(
        (
            booking.lines[0].base_amount.as_str(),
            booking.lines[0].vat_amount.as_str(),
            booking.amount.as_str()
        ),
        ("230.00", "48.30", "-278.30")
    );
}
