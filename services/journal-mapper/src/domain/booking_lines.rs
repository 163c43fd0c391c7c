//! The booking lines of an invoice, one per (account, VAT code) group, checked against Octopus's
//! sign rules before anything leaves: no line with base and VAT of opposite signs, no VAT on a zero
//! base, and a credit note's lines positive (its amount carries the minus).

use ox_domain::money::format_cents;
use ox_proto::gateway::v1::BookingLine;
use rust_decimal::Decimal;

use crate::domain::invoice_error::InvoiceError;
use crate::domain::lines::Group;

/// The booking lines of the groups with their VAT, and Σ(base + VAT) over them.
pub fn booking_lines(
    groups: &[Group],
    vats: &[Decimal],
    credit_note: bool,
) -> Result<(Vec<BookingLine>, Decimal), InvoiceError> {
    let mut lines = Vec::with_capacity(groups.len());
    let mut total = Decimal::ZERO;
    for (group, vat) in groups.iter().zip(vats) {
        let (base, vat) = (group.base, *vat);
        let (account, code) = (group.account, group.vat_code.clone());
        let zero = Decimal::ZERO;
        if (base > zero && vat < zero) || (base < zero && vat > zero) {
            return Err(InvoiceError::OppositeSigns {
                account,
                code,
                base: format_cents(base),
                vat: format_cents(vat),
            });
        }
        if base.is_zero() && !vat.is_zero() {
            return Err(InvoiceError::VatWithoutBase {
                account,
                code,
                vat: format_cents(vat),
            });
        }
        if credit_note && (base < zero || vat < zero) {
            return Err(InvoiceError::CreditNoteNegativeLine {
                account,
                code,
                base: format_cents(base),
                vat: format_cents(vat),
            });
        }
        total += base + vat;
        lines.push(BookingLine {
            account_key: account,
            base_amount: format_cents(base),
            vat_code: code,
            vat_amount: format_cents(vat),
            comment: String::new(),
        });
    }
    Ok((lines, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(account: i32, base: &str) -> Group {
        Group {
            account,
            vat_code: "21".into(),
            rate: Decimal::from(21),
            base: base.parse().unwrap(),
            printed_vat: None,
            first_line: 1,
        }
    }

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    #[test]
    fn builds_two_decimal_lines_and_their_total() {
        let (lines, total) = booking_lines(
            &[group(700000, "500"), group(700100, "-50")],
            &[d("105"), d("-10.5")],
            false,
        )
        .unwrap();
        assert_eq!(total, d("544.50"));
        assert_eq!(
            (lines[1].base_amount.as_str(), lines[1].vat_amount.as_str()),
            ("-50.00", "-10.50")
        );
        assert_eq!(lines[0].account_key, 700000);
    }

    #[test]
    fn holds_opposite_signs_vat_without_base_and_negative_credit_note_lines() {
        let error = |base: &str, vat: &str, credit_note: bool| {
            booking_lines(&[group(700100, base)], &[d(vat)], credit_note)
                .unwrap_err()
                .to_string()
        };
        assert!(
            error("-50", "10.5", false).contains("base -50.00 and VAT 10.50 of opposite signs")
        );
        assert_eq!(
            error("0", "0.01", false),
            "the booking line for account 700100 with VAT code 21 would carry VAT 0.01 on a base of \
             0.00, which Octopus refuses: correct the invoice in PlanManager"
        );
        assert_eq!(
            error("-50", "-10.5", true),
            "the credit note's booking line for account 700100 with VAT code 21 would be negative \
             (base -50.00, VAT -10.50), but Octopus books a credit note with positive lines: book the \
             deduction on the same general-ledger account as the lines it reduces, or correct the \
             credit note in PlanManager"
        );
        assert!(booking_lines(&[group(1, "0")], &[d("0")], true).is_ok());
    }
}
