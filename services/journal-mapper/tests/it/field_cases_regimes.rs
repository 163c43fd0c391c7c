//! Field case 10: intra-EU, reverse-charge and other VAT regimes against the line and the customer.

use ox_journal_mapper::domain::{InvoiceError, MappedBooking, Profile, Snapshot, map_invoice};
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, VatRegime};

use crate::helpers::*;

fn mapped(profile: &Profile, item: &InvoiceToMap) -> MappedBooking {
    mapped_in(profile, &dossier_2025(), item)
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
fn field_case_10_books_intra_eu_services_on_their_own_code_and_holds_the_wrong_customers() {
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
    assert_eq!(
        no_vat.unwrap_err().to_string(),
        "intra-EU VAT needs a valid VAT number of another EU country on the customer, but customer 5001 \
         has no VAT number"
    );

    // Mirror case: a Belgian customer, 0 % without a regime.
    let mirror = map_invoice(
        &profile,
        &dossier_2025(),
        &intra_eu_invoice("", "BE", VatRegime::Unspecified),
    );
    assert_eq!(
        mirror.unwrap_err().to_string(),
        "0 % VAT needs a VAT regime (line 1): mark the line as reverse charge, intra-EU, export or \
         exempt in PlanManager"
    );
}

#[test]
fn field_case_10_holds_vat_charged_under_a_regime_that_charges_none() {
    // onFact's "exemption marked but VAT still charged", and reverse charge without a Belgian number.
    let profile = profile(
        &[],
        &[
            ("21", "", "21"),
            ("21", "intra_eu", "44"),
            ("0", "intra_eu", "44"),
            ("0", "reverse_charge_be", "MC"),
        ],
        RoundingPolicy::OctopusTotal,
    );
    let mut charged = intra_eu_invoice("NL161803398B01", "NL", VatRegime::IntraEu);
    charged.invoice.as_mut().unwrap().lines[0].vat_rate = "21".into();
    assert_eq!(
        map_invoice(&profile, &dossier_2025(), &charged)
            .unwrap_err()
            .to_string(),
        "line 1 is marked intra-EU, which charges no VAT, but has VAT rate 21 %: set the rate to 0 % \
         or the regime to standard in PlanManager"
    );
    let mut printed = intra_eu_invoice("NL161803398B01", "NL", VatRegime::IntraEu);
    printed.invoice.as_mut().unwrap().lines[0].vat_amount = "262.50".into();
    assert!(matches!(
        map_invoice(&profile, &dossier_2025(), &printed),
        Err(InvoiceError::RegimeCharges { line: 1, .. })
    ));
    let with_mc = dossier_with_code("MC");
    let contractor = intra_eu_invoice("", "BE", VatRegime::ReverseChargeBe);
    assert_eq!(
        map_invoice(&profile, &with_mc, &contractor)
            .unwrap_err()
            .to_string(),
        "Belgian reverse charge (medecontractant) needs a valid Belgian VAT number on the customer, \
         but customer 5001 has no VAT number"
    );
    let contractor = intra_eu_invoice("BE0412.345.614", "BE", VatRegime::ReverseChargeBe);
    let booking = mapped_in(&profile, &with_mc, &contractor).booking;
    assert_eq!(
        (booking.lines[0].vat_code.as_str(), booking.amount.as_str()),
        ("MC", "1250.00")
    );
}

fn dossier_with_code(code: &str) -> Snapshot {
    snapshot(
        vec![bookyear_2025()],
        vec![sales_journal(3, "V1"), sales_journal(3, "V2")],
        vec![vat_code("21", 2), vat_code("44", 2), vat_code(code, 2)],
    )
}

fn mapped_in(profile: &Profile, dossier: &Snapshot, item: &InvoiceToMap) -> MappedBooking {
    let mapped = map_invoice(profile, dossier, item).unwrap();
    assert_balanced(&mapped.booking);
    mapped
}
