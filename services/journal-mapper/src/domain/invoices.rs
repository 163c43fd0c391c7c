//! `MapInvoices`: a PlanManager invoice or credit note becomes an Octopus sales booking in the
//! bookyear and period of its date, in its journal, with lines per (account, VAT code).
//!
//! Invariant (I4): Σ(base + VAT) of the lines == amount to the cent (−amount for a credit note,
//! which carries a negative amount and positive lines); no line has base and VAT of opposite signs
//! (booking_lines holds the invoice instead).

use ox_domain::dates::{format_date, parse_date};
use ox_domain::money::{format_cents, round_cents};
use ox_proto::gateway::v1::Booking;
use ox_proto::mapping::v1::{InvoiceToMap, MappedInvoice};
use ox_proto::planmanager::v1::{Invoice, InvoiceKind};
use rust_decimal::Decimal;

use crate::domain::booking_lines::booking_lines;
use crate::domain::invoice_checks::{
    check_balance, check_base, expiry, relation_of, rounding_warning,
};
use crate::domain::invoice_error::InvoiceError;
use crate::domain::lines::{group_lines, parse_lines};
use crate::domain::placement::{place_one, resolve_key};
use crate::domain::profile::Profile;
use crate::domain::regimes::check_regimes;
use crate::domain::rounding::vat_per_group;
use crate::domain::snapshot::Snapshot;

/// An invoice's booking and what the bookkeeper should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedBooking {
    pub booking: Booking,
    /// E.g. a rounding difference with both figures.
    pub warnings: Vec<String>,
}

/// Maps invoices in request order; a bad invoice gets an error, the others carry on.
pub fn map_invoices(
    profile: &Profile,
    snapshot: &Snapshot,
    items: &[InvoiceToMap],
) -> Vec<MappedInvoice> {
    items
        .iter()
        .map(|item| {
            let invoice_id = item.invoice.as_ref().map_or(0, |invoice| invoice.id);
            match map_invoice(profile, snapshot, item) {
                Ok(mapped) => MappedInvoice {
                    invoice_id,
                    booking: Some(mapped.booking),
                    error: String::new(),
                    warnings: mapped.warnings,
                },
                Err(error) => MappedInvoice {
                    invoice_id,
                    error: error.to_string(),
                    ..Default::default()
                },
            }
        })
        .collect()
}

/// Maps one invoice or credit note to an Octopus sales booking.
pub fn map_invoice(
    profile: &Profile,
    snapshot: &Snapshot,
    item: &InvoiceToMap,
) -> Result<MappedBooking, InvoiceError> {
    let invoice = item.invoice.as_ref().ok_or(InvoiceError::NoInvoice)?;
    let credit_note = match InvoiceKind::try_from(invoice.kind) {
        Ok(InvoiceKind::Invoice) => false,
        Ok(InvoiceKind::CreditNote) => true,
        Ok(InvoiceKind::Unspecified) | Err(_) => return Err(InvoiceError::NoKind),
    };
    let date = parse_date("the invoice date", &invoice.date)?;
    let key = resolve_key(
        profile,
        &invoice.journal_code,
        &format!("#{}", invoice.journal_id),
    )?;
    let placement = place_one(snapshot, &key, invoice.journal_code.trim(), date)?;
    let document_sequence_nr = i32::try_from(invoice.number)
        .ok()
        .filter(|number| *number > 0)
        .ok_or(InvoiceError::NumberOutOfRange {
            number: invoice.number,
        })?;
    let relation = relation_of(item, invoice)?;
    let currency = invoice.currency.trim();
    if !currency.is_empty() && !currency.eq_ignore_ascii_case("EUR") {
        return Err(InvoiceError::Currency {
            currency: currency.to_owned(),
        });
    }
    if invoice.lines.is_empty() {
        return Err(InvoiceError::NoLines);
    }
    let mut lines = parse_lines(profile, &invoice.lines)?;
    let base_sum: Decimal = lines.iter().map(|line| line.base).sum();
    // Octopus wants a credit note's lines positive; PlanManager may store them negative.
    if credit_note && base_sum.is_sign_negative() && !base_sum.is_zero() {
        for line in &mut lines {
            line.base = -line.base;
            line.printed_vat = line.printed_vat.map(|vat| -vat);
        }
    }
    check_regimes(item, invoice, &lines)?;
    let groups = group_lines(profile, snapshot, &lines)?;
    let vats = vat_per_group(&groups, profile.rounding)?;
    let (booking_lines, total) = booking_lines(&groups, &vats, credit_note)?;
    let amount = round_cents(if credit_note { -total } else { total });
    check_balance(&booking_lines, amount, credit_note)?;
    check_base(invoice, &lines, groups.len())?;

    let mut warnings = Vec::new();
    if let Some(warning) = rounding_warning(invoice, credit_note, amount) {
        warnings.push(warning);
    }
    for line in invoice.lines.iter().filter(|line| line.gl_account == 0) {
        warnings.push(format!(
            "line {} has no GL account in PlanManager; booked on the default revenue account {}",
            line.seq, profile.default_revenue_account
        ));
    }
    let booking = Booking {
        bookyear_id: placement.bookyear.id,
        journal_key: key,
        document_sequence_nr,
        bookyear_period_nr: placement.period.nr,
        document_date: format_date(date),
        expiry_date: format_date(expiry(invoice, date)?),
        relation: Some(relation),
        comment: comment(invoice, credit_note),
        reference: invoice.structured_reference.trim().to_owned(),
        amount: format_cents(amount),
        currency_code: "EUR".to_owned(),
        exchange_rate: "1".to_owned(),
        lines: booking_lines,
    };
    Ok(MappedBooking { booking, warnings })
}

/// "700/6125001", and for a credit note "700/6125007 credit note for invoice 4711": the contract
/// carries only the PlanManager id of the credited invoice (field case 11).
fn comment(invoice: &Invoice, credit_note: bool) -> String {
    let document = format!("{}/{}", invoice.journal_code.trim(), invoice.number);
    if credit_note && invoice.credited_invoice_id != 0 {
        format!(
            "{document} credit note for invoice {}",
            invoice.credited_invoice_id
        )
    } else {
        document
    }
}

#[cfg(test)]
mod tests {
    use ox_proto::gateway::v1::RelationRef;
    use ox_proto::planmanager::v1::{InvoiceLine, VatRegime};

    use super::*;
    use crate::domain::profile::{Regime, Rounding, VatRule};
    use crate::domain::snapshot::VatCode;
    use crate::domain::test_support::{profile_with_overrides, snapshot_2025, v_journal};

    fn setup() -> (Profile, Snapshot) {
        let mut profile = profile_with_overrides(&[("700", "V1")]);
        profile.vat_rules.push(VatRule {
            rate: Decimal::from(21),
            regime: Regime::Standard,
            octopus_code: "21".into(),
        });
        let mut protected = v_journal("V2");
        protected.protected_period = 202503;
        let mut snapshot = snapshot_2025(vec![v_journal("V1"), protected]);
        snapshot.vat_codes = vec![VatCode {
            code: "21".into(),
            kind: 2,
        }];
        (profile, snapshot)
    }

    fn line(seq: i32, base: &str, vat: &str) -> InvoiceLine {
        InvoiceLine {
            seq,
            amount_excl: base.into(),
            vat_rate: "21".into(),
            vat_amount: vat.into(),
            vat_regime: VatRegime::Standard as i32,
            ..Default::default()
        }
    }

    fn item(kind: InvoiceKind, lines: Vec<InvoiceLine>) -> InvoiceToMap {
        InvoiceToMap {
            invoice: Some(Invoice {
                id: 42,
                journal_code: "700".into(),
                number: 6125001,
                date: "2025-02-14".into(),
                customer_id: 1001,
                kind: kind as i32,
                currency: "EUR".into(),
                structured_reference: "+++123/4567/89002+++".into(),
                lines,
                ..Default::default()
            }),
            relation: Some(RelationRef {
                relation_key: 28,
                external_relation_id: 1001,
            }),
            ..Default::default()
        }
    }

    fn invoice(input: &mut InvoiceToMap) -> &mut Invoice {
        input.invoice.as_mut().unwrap()
    }

    fn map(item: &InvoiceToMap) -> Result<MappedBooking, InvoiceError> {
        let (profile, snapshot) = setup();
        map_invoice(&profile, &snapshot, item)
    }

    #[test]
    fn maps_an_invoice_onto_a_sales_booking() {
        let mapped = map(&item(InvoiceKind::Invoice, vec![line(1, "100", "21")])).unwrap();
        let booking = mapped.booking;
        assert_eq!(
            (booking.bookyear_id, booking.bookyear_period_nr),
            (3, 202502)
        );
        assert_eq!(
            (booking.journal_key.as_str(), booking.document_sequence_nr),
            ("V1", 6125001)
        );
        assert_eq!(booking.document_date, "2025-02-14");
        assert_eq!(booking.expiry_date, "2025-02-14");
        assert_eq!(booking.comment, "700/6125001");
        assert_eq!(booking.reference, "+++123/4567/89002+++");
        assert_eq!(
            (booking.amount.as_str(), booking.currency_code.as_str()),
            ("121.00", "EUR")
        );
        assert_eq!(booking.exchange_rate, "1");
        assert_eq!(
            booking.relation,
            Some(RelationRef {
                relation_key: 28,
                external_relation_id: 1001
            })
        );
        assert_eq!(booking.lines.len(), 1);
        let line = &booking.lines[0];
        assert_eq!((line.account_key, line.vat_code.as_str()), (700000, "21"));
        assert_eq!(
            (line.base_amount.as_str(), line.vat_amount.as_str()),
            ("100.00", "21.00")
        );
        // The line names no GL account: it lands on the default revenue account, visibly.
        assert_eq!(
            mapped.warnings,
            vec!["line 1 has no GL account in PlanManager; booked on the default revenue account 700000".to_owned()]
        );
    }

    #[test]
    fn books_credit_notes_negative_with_positive_lines_whatever_planmanager_stored() {
        for (base, vat) in [("250.00", "52.50"), ("-250.00", "-52.50")] {
            let booking = map(&item(InvoiceKind::CreditNote, vec![line(1, base, vat)]))
                .unwrap()
                .booking;
            assert_eq!(booking.amount, "-302.50", "{base}");
            assert_eq!(booking.lines[0].base_amount, "250.00");
            assert_eq!(booking.lines[0].vat_amount, "52.50");
        }
    }

    #[test]
    fn books_a_negative_invoice_with_negative_lines_and_amount() {
        let mapped = map(&item(InvoiceKind::Invoice, vec![line(1, "-100", "-21")])).unwrap();
        assert_eq!(mapped.booking.amount, "-121.00");
        assert_eq!(mapped.booking.lines[0].base_amount, "-100.00");
        assert_eq!(mapped.booking.lines[0].vat_amount, "-21.00");
    }

    #[test]
    fn holds_a_line_whose_base_and_vat_have_opposite_signs() {
        let (mut profile, snapshot) = setup();
        profile.rounding = Rounding::Document;
        let error = map_invoice(
            &profile,
            &snapshot,
            &item(InvoiceKind::Invoice, vec![line(1, "10", "-2.10")]),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the booking line for account 700000 with VAT code 21 would have base 10.00 and VAT -2.10 \
             of opposite signs, which Octopus refuses: correct the invoice in PlanManager"
        );
    }

    #[test]
    fn holds_invoices_it_cannot_place_number_or_attribute() {
        let error = |change: &dyn Fn(&mut InvoiceToMap)| {
            let mut input = item(InvoiceKind::Invoice, vec![line(1, "100", "21")]);
            change(&mut input);
            map(&input).unwrap_err()
        };
        assert_eq!(error(&|i| invoice(i).kind = 0), InvoiceError::NoKind);
        assert!(matches!(
            error(&|i| invoice(i).number = 3_000_000_000),
            InvoiceError::NumberOutOfRange { .. }
        ));
        assert!(matches!(
            error(&|i| invoice(i).number = 0),
            InvoiceError::NumberOutOfRange { .. }
        ));
        assert!(matches!(
            error(&|i| invoice(i).date = "14-02-2025".into()),
            InvoiceError::Date(_)
        ));
        assert_eq!(
            error(&|i| invoice(i).currency = "USD".into()).to_string(),
            "the invoice is in USD; Octopus bookings are sent in EUR only"
        );
        assert_eq!(error(&|i| invoice(i).lines.clear()), InvoiceError::NoLines);
        assert!(matches!(
            error(&|i| i.relation = None),
            InvoiceError::NoRelation { customer: 1001 }
        ));
        assert!(matches!(
            error(&|i| invoice(i).journal_code = "ICTM".into()),
            InvoiceError::Key(_)
        ));
        let protected = error(&|i| {
            invoice(i).journal_code = "V2".into();
            invoice(i).date = "2025-03-28".into();
        });
        assert!(
            protected
                .to_string()
                .starts_with("period 202503 of journal V2 is protected")
        );
        assert!(matches!(
            error(&|i| i.invoice = None),
            InvoiceError::NoInvoice
        ));
    }

    #[test]
    fn reports_each_invoice_in_request_order() {
        let (profile, snapshot) = setup();
        let good = item(InvoiceKind::Invoice, vec![line(1, "100", "21")]);
        let mut bad = item(InvoiceKind::Invoice, vec![line(1, "100", "21")]);
        bad.invoice.as_mut().unwrap().id = 43;
        bad.invoice.as_mut().unwrap().lines[0].vat_rate = "0".into();
        let mapped = map_invoices(&profile, &snapshot, &[bad, good]);
        assert_eq!((mapped[0].invoice_id, mapped[1].invoice_id), (43, 42));
        assert!(
            mapped[0]
                .error
                .starts_with("0 % VAT needs a VAT regime (line 1)")
        );
        assert!(mapped[0].booking.is_none());
        assert_eq!(mapped[1].error, "");
        assert_eq!(mapped[1].booking.as_ref().unwrap().amount, "121.00");
    }
}
