//! Consistency rules an invoice must meet before anyone books it: it has lines, the lines add up to
//! its totals, and its number fits Octopus's `documentSequenceNr` (a positive int32).

use crate::model::Invoice;

/// Checks an invoice number against Octopus's `documentSequenceNr` (int32, > 0).
pub fn check_number(number: i64) -> Result<(), String> {
    if number <= 0 {
        return Err(format!(
            "invoice number {number} is not a positive whole number"
        ));
    }
    if number > i64::from(i32::MAX) {
        return Err(format!(
            "invoice number {number} is too big for Octopus (document numbers go up to {})",
            i32::MAX
        ));
    }
    Ok(())
}

/// Lists what is inconsistent in a fully read invoice (empty when it is fine).
pub fn check_invoice(invoice: &Invoice) -> Vec<String> {
    let mut problems = Vec::new();
    if invoice.lines.is_empty() {
        problems.push("the invoice has no lines".to_owned());
        return problems;
    }
    let lines_excl: rust_decimal::Decimal = invoice.lines.iter().map(|line| line.amount_excl).sum();
    let lines_vat: rust_decimal::Decimal = invoice.lines.iter().map(|line| line.vat_amount).sum();
    if lines_excl != invoice.total_excl {
        problems.push(format!(
            "the lines add up to {lines_excl} excl. VAT but the invoice total excl. VAT is {}",
            invoice.total_excl
        ));
    }
    if lines_vat != invoice.total_vat {
        problems.push(format!(
            "the lines' VAT adds up to {lines_vat} but the invoice's total VAT is {}",
            invoice.total_vat
        ));
    }
    let sum = invoice.total_excl + invoice.total_vat;
    if sum != invoice.total_incl {
        problems.push(format!(
            "total excl. VAT {} + VAT {} = {sum}, but the invoice total incl. VAT is {}",
            invoice.total_excl, invoice.total_vat, invoice.total_incl
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;
    use crate::model::{InvoiceKind, InvoiceLine, PaymentTerm, VatRegime};

    fn cents(value: i64) -> Decimal {
        Decimal::new(value, 2)
    }

    fn line(excl: i64, vat: i64) -> InvoiceLine {
        InvoiceLine {
            seq: 1,
            description: "Uitdeuken deur L".into(),
            quantity: Decimal::ONE,
            unit_price: cents(excl),
            discount_pct: Decimal::ZERO,
            amount_excl: cents(excl),
            vat_rate: Decimal::from(21),
            vat_amount: cents(vat),
            vat_regime: VatRegime::Standard,
            gl_account: 700000,
        }
    }

    fn invoice(lines: Vec<InvoiceLine>, excl: i64, vat: i64, incl: i64) -> Invoice {
        Invoice {
            id: 1,
            journal_id: 5,
            journal_code: "700".into(),
            number: 101,
            date: NaiveDate::from_ymd_opt(2025, 2, 14).unwrap(),
            due_date: None,
            customer_id: 1001,
            kind: InvoiceKind::Invoice,
            credited_invoice_id: None,
            currency: "EUR".into(),
            total_excl: cents(excl),
            total_vat: cents(vat),
            total_incl: cents(incl),
            structured_reference: String::new(),
            file_reference: String::new(),
            plate: String::new(),
            lines,
            payment_term: PaymentTerm::default(),
            exported: false,
        }
    }

    #[test]
    fn accepts_per_line_rounded_totals() {
        // Field case 1 A: three lines of 10.01 at 21 % print VAT 2.10 each, total 36.33.
        let lines = vec![line(1001, 210), line(1001, 210), line(1001, 210)];
        assert!(check_invoice(&invoice(lines, 3003, 630, 3633)).is_empty());
    }

    #[test]
    fn reports_totals_that_disagree_with_both_figures() {
        let problems = check_invoice(&invoice(vec![line(1000, 210)], 1001, 211, 1213));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("10.00") && problems[0].contains("10.01"));
        assert!(problems[1].contains("2.10") && problems[1].contains("2.11"));
        assert!(problems[2].contains("12.12") && problems[2].contains("12.13"));
        assert_eq!(
            check_invoice(&invoice(vec![], 0, 0, 0)),
            vec!["the invoice has no lines".to_owned()]
        );
    }

    #[test]
    fn numbers_must_fit_octopus() {
        assert!(check_number(1).is_ok());
        assert!(check_number(2_147_483_647).is_ok());
        assert!(check_number(2_147_483_648).unwrap_err().contains("too big"));
        assert!(check_number(0).unwrap_err().contains("not a positive"));
        assert!(check_number(-5).is_err());
    }
}
