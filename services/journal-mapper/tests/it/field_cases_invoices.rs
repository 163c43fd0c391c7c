//! Field cases 6, 8 and 15 (invoices): the bookings and holds they demand.

use ox_journal_mapper::domain::{Profile, map_invoice, map_invoices};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, VatRegime};

use crate::helpers::*;

const STD: VatRegime = VatRegime::Standard;

fn profile_21(rounding: RoundingPolicy) -> Profile {
    profile(&[], &[("21", "standard", "21")], rounding)
}

#[test]
fn field_case_06_holds_an_invoice_in_a_protected_period_and_books_it_once_lifted() {
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
    assert_eq!(
        error.to_string(),
        "period 202503 of journal V1 is protected (Octopus protects up to period 202503): ask the \
         accountant to lift the protection; the invoice keeps its date"
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
fn field_case_08_holds_an_unmapped_rate_and_lets_the_other_invoices_through() {
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
    assert_eq!(
        results[0].error,
        "VAT rate 6 % has no valid Octopus VAT code: code 06 from the VAT mapping does not exist in \
         Octopus dossier 1111"
    );
    assert!(results[0].booking.is_none());
    assert_eq!(results[1].error, "");
    assert_eq!(results[1].booking.as_ref().unwrap().amount, "484.00");

    // A purchase code is never accepted in the sales mapping.
    let purchase = profile(&[], &[("21", "", "D21")], RoundingPolicy::OctopusTotal);
    let results = map_invoices(&purchase, &dossier, &results_input_plain());
    assert_eq!(
        results[0].error,
        "VAT code D21 is not a sales VAT code (Octopus type 1: purchase): map the rate to a sales \
         code in the dossier's VAT mapping"
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

#[test]
fn field_case_15_takes_bookyear_and_period_from_octopus_and_holds_a_date_without_bookyear() {
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
