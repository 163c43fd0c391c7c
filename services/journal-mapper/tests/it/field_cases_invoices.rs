//! Field cases 6, 8, 10, 11 and 15 (invoices): the bookings, warnings and holds they demand.

use ox_journal_mapper::domain::{InvoiceError, MappedBooking, Profile, map_invoice, map_invoices};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, VatRegime};

use crate::helpers::*;

const STD: VatRegime = VatRegime::Standard;

fn profile_21(rounding: RoundingPolicy) -> Profile {
    profile(&[], &[("21", "standard", "21")], rounding)
}

fn mapped(profile: &Profile, item: &InvoiceToMap) -> MappedBooking {
    let mapped = map_invoice(profile, &dossier_2025(), item).unwrap();
    assert_balanced(&mapped.booking);
    mapped
}

#[test]
fn case_6_holds_an_invoice_in_a_protected_period_and_books_it_once_lifted() {
    let profile = profile_21(RoundingPolicy::OctopusTotal);
    let item = to_map(
        invoice(
            "V1",
            99,
            "2025-03-28",
            InvoiceKind::Invoice,
            vec![line(1, "380.00", "21", "79.80", STD, 0)],
            ("380.00", "79.80", "459.80"),
        ),
        "",
        "BE",
    );
    let mut protected = sales_journal(3, "V1");
    protected.protected_period = 202503;
    let locked = snapshot(
        vec![bookyear_2025()],
        vec![protected],
        vec![vat_code("21", 2)],
    );
    let error = map_invoice(&profile, &locked, &item).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("period 202503 of journal V1 is protected"),
        "{error}"
    );

    // After the accountant lifts the protection the same invoice books, with its own date and period.
    let booking = map_invoice(&profile, &dossier_2025(), &item)
        .unwrap()
        .booking;
    assert_eq!(
        (booking.document_date.as_str(), booking.bookyear_period_nr),
        ("2025-03-28", 202503)
    );
    assert_eq!(
        (booking.document_sequence_nr, booking.amount.as_str()),
        (99, "459.80")
    );
}

#[test]
fn case_8_holds_an_unmapped_rate_and_lets_the_other_invoices_through() {
    // vat_mapping {"21": "21", "6": "06", "0": none}; Octopus holds 21, 00 and D21 (a purchase code).
    let mapping = profile(
        &[],
        &[("21", "", "21"), ("6", "", "06")],
        RoundingPolicy::OctopusTotal,
    );
    let dossier = snapshot(
        vec![bookyear_2025()],
        vec![sales_journal(3, "V1")],
        vec![vat_code("21", 2), vat_code("00", 2), vat_code("D21", 1)],
    );
    let mixed = to_map(
        invoice(
            "V1",
            110,
            "2025-04-02",
            InvoiceKind::Invoice,
            vec![
                line(1, "400.00", "21", "84.00", STD, 0),
                line(2, "150.00", "6", "9.00", STD, 0),
            ],
            ("550.00", "93.00", "643.00"),
        ),
        "",
        "BE",
    );
    let plain = to_map(
        invoice(
            "V1",
            111,
            "2025-04-02",
            InvoiceKind::Invoice,
            vec![line(1, "400.00", "21", "84.00", STD, 0)],
            ("400.00", "84.00", "484.00"),
        ),
        "",
        "BE",
    );
    let results = map_invoices(&mapping, &dossier, &[mixed, plain]);
    assert!(
        results[0]
            .error
            .starts_with("VAT rate 6 % has no valid Octopus VAT code"),
        "{}",
        results[0].error
    );
    assert!(results[0].booking.is_none());
    assert_eq!(results[1].error, "");
    assert_eq!(results[1].booking.as_ref().unwrap().amount, "484.00");

    // A purchase code is never accepted in the sales mapping.
    let purchase = profile(&[], &[("21", "", "D21")], RoundingPolicy::OctopusTotal);
    let results = map_invoices(&purchase, &dossier, &results_input_plain());
    assert!(
        results[0]
            .error
            .starts_with("VAT code D21 is not a sales VAT code"),
        "{}",
        results[0].error
    );
}

fn results_input_plain() -> Vec<InvoiceToMap> {
    vec![to_map(
        invoice(
            "V1",
            112,
            "2025-04-02",
            InvoiceKind::Invoice,
            vec![line(1, "400.00", "21", "84.00", STD, 0)],
            ("400.00", "84.00", "484.00"),
        ),
        "",
        "BE",
    )]
}

fn intra_eu_invoice(vat_nr: &str, country: &str, regime: VatRegime) -> InvoiceToMap {
    let mut invoice = invoice(
        "V1",
        120,
        "2025-05-06",
        InvoiceKind::Invoice,
        vec![line(1, "1250.00", "0", "0.00", regime, 0)],
        ("1250.00", "0.00", "1250.00"),
    );
    invoice.customer_id = 5001;
    to_map(invoice, vat_nr, country)
}

#[test]
fn case_10_books_intra_eu_services_on_their_own_code_and_holds_the_wrong_customers() {
    let profile = profile(
        &[],
        &[
            ("21", "", "21"),
            ("0", "exempt", "00"),
            ("0", "intra_eu", "44"),
        ],
        RoundingPolicy::OctopusTotal,
    );
    // The relation as MapCustomers sent it: NL161803398B01, country NL.
    let booking = mapped(
        &profile,
        &intra_eu_invoice("NL161803398B01", "NL", VatRegime::IntraEu),
    )
    .booking;
    assert_eq!(
        booking.lines[0].vat_code, "44",
        "intra-EU code, not the domestic 0 % code"
    );
    assert_eq!(
        (
            booking.lines[0].vat_amount.as_str(),
            booking.amount.as_str()
        ),
        ("0.00", "1250.00")
    );

    let belgian = map_invoice(
        &profile,
        &dossier_2025(),
        &intra_eu_invoice("BE0412.345.614", "BE", VatRegime::IntraEu),
    );
    assert_eq!(
        belgian.unwrap_err().to_string(),
        "intra-EU VAT needs a valid VAT number of another EU country on the customer, but customer 5001 \
         has the Belgian VAT number BE0412.345.614"
    );
    let no_vat = map_invoice(
        &profile,
        &dossier_2025(),
        &intra_eu_invoice("", "NL", VatRegime::IntraEu),
    );
    assert!(matches!(no_vat, Err(InvoiceError::IntraEuNeedsVat { .. })));

    // Mirror case: a Belgian customer, 0 % without a regime.
    let mirror = map_invoice(
        &profile,
        &dossier_2025(),
        &intra_eu_invoice("", "BE", VatRegime::Unspecified),
    );
    assert!(
        mirror
            .unwrap_err()
            .to_string()
            .starts_with("0 % VAT needs a VAT regime")
    );
}

#[test]
fn case_11_credit_note_negative_amount_positive_lines_in_the_credit_journal() {
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
        (booking.comment.as_str(), booking.reference.as_str()),
        ("710/7", "+++090/9337/55493+++")
    );

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
fn case_11_holds_an_invoice_whose_line_would_have_base_and_vat_of_opposite_signs() {
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
    assert!(
        matches!(
            error,
            InvoiceError::OppositeSigns {
                account: 700100,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn case_15_takes_bookyear_and_period_from_octopus_and_holds_a_date_without_bookyear() {
    // Bookyear 7 runs 2024-07-01..2025-06-30; Octopus numbers its periods 202501..202512.
    let dossier = snapshot(
        vec![bookyear(7, "2024-2025", "2024-07-01", 12, 202501)],
        vec![sales_journal(7, "V1")],
        vec![vat_code("21", 2)],
    );
    let profile = profile_21(RoundingPolicy::OctopusTotal);
    let december = to_map(
        invoice(
            "V1",
            311,
            "2024-12-31",
            InvoiceKind::Invoice,
            vec![line(1, "100.00", "21", "21.00", STD, 0)],
            ("100.00", "21.00", "121.00"),
        ),
        "",
        "BE",
    );
    let july = to_map(
        invoice(
            "V1",
            400,
            "2025-07-01",
            InvoiceKind::Invoice,
            vec![line(1, "200.00", "21", "42.00", STD, 0)],
            ("200.00", "42.00", "242.00"),
        ),
        "",
        "BE",
    );
    let booking = map_invoice(&profile, &dossier, &december).unwrap().booking;
    assert_eq!(
        (booking.bookyear_id, booking.bookyear_period_nr),
        (7, 202506),
        "from periods[], not the calendar"
    );
    assert_eq!(booking.document_date, "2024-12-31");
    assert_eq!(
        map_invoice(&profile, &dossier, &july)
            .unwrap_err()
            .to_string(),
        "no open bookyear in Octopus dossier 1111 for 2025-07-01: ask the accountant to create it"
    );

    // Once the accountant created the next bookyear, the same invoice books in it.
    let next = snapshot(
        vec![
            bookyear(7, "2024-2025", "2024-07-01", 12, 202501),
            bookyear(8, "2025-2026", "2025-07-01", 12, 202601),
        ],
        vec![sales_journal(7, "V1"), sales_journal(8, "V1")],
        vec![vat_code("21", 2)],
    );
    let booking = map_invoice(&profile, &next, &july).unwrap().booking;
    assert_eq!(
        (booking.bookyear_id, booking.bookyear_period_nr),
        (8, 202601)
    );
}
