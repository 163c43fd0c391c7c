//! Checks and derived fields of one invoice's booking: the debtor's relation, the balance (I4), the
//! base against PlanManager's total, the rounding warning and the expiry date.

use chrono::NaiveDate;
use ox_domain::dates::{due_date, parse_date};
use ox_domain::money::{format_cents, format_signed_cents, parse_amount, round_cents};
use ox_proto::gateway::v1::{BookingLine, RelationRef};
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::Invoice;
use rust_decimal::Decimal;

use crate::domain::invoice_error::InvoiceError;
use crate::domain::lines::ParsedLine;
use crate::domain::wire::read_amount;

/// The debtor's relation; it must exist and, when it names an external id, be the invoice's customer.
pub fn relation_of(item: &InvoiceToMap, invoice: &Invoice) -> Result<RelationRef, InvoiceError> {
    let customer = invoice.customer_id;
    let relation = item
        .relation
        .filter(|r| r.relation_key != 0 || r.external_relation_id != 0)
        .ok_or(InvoiceError::NoRelation { customer })?;
    if relation.external_relation_id != 0 && i64::from(relation.external_relation_id) != customer {
        return Err(InvoiceError::RelationMismatch {
            customer,
            external: relation.external_relation_id,
        });
    }
    Ok(relation)
}

/// I4, checked before the booking leaves: Σ(base + VAT) == amount for an invoice, == −amount for
/// a credit note (negative amount, positive lines).
pub fn check_balance(
    lines: &[BookingLine],
    amount: Decimal,
    credit_note: bool,
) -> Result<(), InvoiceError> {
    let mut sum = Decimal::ZERO;
    for line in lines {
        for value in [&line.base_amount, &line.vat_amount] {
            sum += parse_amount("booking line", value).map_err(|_| InvoiceError::Unbalanced {
                lines: value.clone(),
                amount: format_cents(amount),
            })?;
        }
    }
    let expected = if credit_note { -amount } else { amount };
    if sum != expected {
        return Err(InvoiceError::Unbalanced {
            lines: format_cents(sum),
            amount: format_cents(amount),
        });
    }
    Ok(())
}

/// The lines must add up to PlanManager's total excluding VAT (a cent per booking line of slack for
/// line amounts with more than two decimals); rounding policies only ever change VAT.
pub fn check_base(
    invoice: &Invoice,
    lines: &[ParsedLine],
    groups: usize,
) -> Result<(), InvoiceError> {
    let Ok(total_excl) = read_amount(&invoice.total_excl) else {
        return Ok(());
    };
    let lines_base: Decimal = lines.iter().map(|line| line.base).sum();
    let slack = Decimal::new(1, 2) * Decimal::from(groups.max(1));
    if (lines_base.abs() - total_excl.abs()).abs() > slack {
        return Err(InvoiceError::BaseMismatch {
            lines: format_cents(lines_base),
            total: format_cents(total_excl),
        });
    }
    Ok(())
}

/// "rounding: PlanManager total 36.33, Octopus booking 36.34 (+0.01)" when the totals differ.
pub fn rounding_warning(invoice: &Invoice, credit_note: bool, amount: Decimal) -> Option<String> {
    if invoice.total_incl.trim().is_empty() {
        return None;
    }
    let Ok(total_incl) = read_amount(&invoice.total_incl) else {
        return Some(format!(
            "PlanManager's total {:?} is not a number; the booking total {} could not be compared",
            invoice.total_incl,
            format_cents(amount)
        ));
    };
    // Compare with PlanManager's total under Octopus's sign convention.
    let planmanager = round_cents(if credit_note {
        -total_incl.abs()
    } else {
        total_incl
    });
    let difference = amount - planmanager;
    if difference.is_zero() {
        return None;
    }
    Some(format!(
        "rounding: PlanManager total {}, Octopus booking {} ({})",
        format_cents(planmanager),
        format_cents(amount),
        format_signed_cents(difference)
    ))
}

/// The due date; else the invoice date plus the payment term (to the end of that month if set);
/// else the invoice date.
pub fn expiry(invoice: &Invoice, date: NaiveDate) -> Result<NaiveDate, InvoiceError> {
    if !invoice.due_date.trim().is_empty() {
        return Ok(parse_date("the due date", &invoice.due_date)?);
    }
    let days = invoice.payment_term_days.max(0);
    if days == 0 && !invoice.payment_term_end_of_month {
        return Ok(date);
    }
    let term = u32::try_from(days).unwrap_or_default();
    due_date(date, term, invoice.payment_term_end_of_month)
        .ok_or(InvoiceError::PaymentTermTooLong { days })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::Regime;

    fn invoice() -> Invoice {
        Invoice {
            customer_id: 1001,
            date: "2025-01-20".into(),
            ..Default::default()
        }
    }

    fn date(value: &str) -> NaiveDate {
        parse_date("date", value).unwrap()
    }

    fn item(vat: &str, country: &str) -> InvoiceToMap {
        InvoiceToMap {
            customer_vat_nr: vat.into(),
            customer_country: country.into(),
            relation: Some(RelationRef {
                relation_key: 0,
                external_relation_id: 1001,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn takes_the_expiry_from_due_date_or_payment_term() {
        let mut inv = invoice();
        let day = date("2025-01-20");
        assert_eq!(expiry(&inv, day).unwrap(), day);
        inv.payment_term_days = 30;
        assert_eq!(expiry(&inv, day).unwrap(), date("2025-02-19"));
        inv.payment_term_end_of_month = true;
        assert_eq!(expiry(&inv, day).unwrap(), date("2025-02-28"));
        inv.due_date = "2025-03-01".into();
        assert_eq!(expiry(&inv, day).unwrap(), date("2025-03-01"));
        inv.due_date = "01/03/2025".into();
        assert_eq!(
            expiry(&inv, day).unwrap_err().to_string(),
            "the due date is not a date (YYYY-MM-DD): \"01/03/2025\""
        );
    }

    #[test]
    fn warns_with_both_totals_and_the_signed_difference() {
        let mut inv = invoice();
        let amount = |s: &str| s.parse::<Decimal>().unwrap();
        inv.total_incl = "36.33".into();
        assert_eq!(
            rounding_warning(&inv, false, amount("36.34")).unwrap(),
            "rounding: PlanManager total 36.33, Octopus booking 36.34 (+0.01)"
        );
        inv.total_incl = "30".into();
        assert_eq!(
            rounding_warning(&inv, false, amount("29.98")).unwrap(),
            "rounding: PlanManager total 30.00, Octopus booking 29.98 (-0.02)"
        );
        assert_eq!(rounding_warning(&inv, false, amount("30.00")), None);
        // Credit notes compare under Octopus's sign, whatever sign PlanManager stored.
        inv.total_incl = "302.50".into();
        assert_eq!(rounding_warning(&inv, true, amount("-302.50")), None);
        inv.total_incl = "-302.50".into();
        assert_eq!(rounding_warning(&inv, true, amount("-302.50")), None);
        inv.total_incl = "n/a".into();
        assert!(
            rounding_warning(&inv, false, amount("1"))
                .unwrap()
                .contains("could not be compared")
        );
        inv.total_incl = String::new();
        assert_eq!(rounding_warning(&inv, false, amount("1")), None);
    }

    #[test]
    fn holds_an_invoice_whose_lines_miss_the_total() {
        let line = |base: &str| ParsedLine {
            seq: 1,
            base: base.parse().unwrap(),
            rate: Decimal::from(21),
            printed_vat: None,
            regime: Regime::Standard,
            account: 700000,
        };
        let mut inv = invoice();
        inv.total_excl = "450.00".into();
        assert!(check_base(&inv, &[line("500"), line("-50")], 1).is_ok());
        assert_eq!(
            check_base(&inv, &[line("500")], 1).unwrap_err().to_string(),
            "the invoice lines add up to 500.00 excluding VAT but PlanManager's total excluding VAT \
             is 450.00: check the invoice in PlanManager"
        );
        inv.total_excl = String::new();
        assert!(check_base(&inv, &[line("500")], 1).is_ok());
    }

    #[test]
    fn checks_the_balance_of_the_lines_against_the_amount() {
        let lines = [BookingLine {
            base_amount: "100.00".into(),
            vat_amount: "21.00".into(),
            ..Default::default()
        }];
        assert!(check_balance(&lines, "-121.00".parse().unwrap(), true).is_ok());
        assert!(check_balance(&lines, "121.00".parse().unwrap(), false).is_ok());
        assert!(check_balance(&lines, "121.00".parse().unwrap(), true).is_err());
        assert_eq!(
            check_balance(&lines, "121.01".parse().unwrap(), false).unwrap_err(),
            InvoiceError::Unbalanced {
                lines: "121.00".into(),
                amount: "121.01".into()
            }
        );
    }

    #[test]
    fn needs_the_invoice_customer_relation() {
        let inv = invoice();
        assert!(relation_of(&item("", ""), &inv).is_ok());
        let mut no_relation = item("", "");
        no_relation.relation = None;
        assert_eq!(
            relation_of(&no_relation, &inv).unwrap_err().to_string(),
            "customer 1001 has no Octopus relation yet: export the customer first"
        );
        no_relation.relation = Some(RelationRef::default());
        assert!(matches!(
            relation_of(&no_relation, &inv),
            Err(InvoiceError::NoRelation { .. })
        ));
        let key_only = InvoiceToMap {
            relation: Some(RelationRef {
                relation_key: 57,
                external_relation_id: 0,
            }),
            ..Default::default()
        };
        assert_eq!(relation_of(&key_only, &inv).unwrap().relation_key, 57);
        let other = InvoiceToMap {
            relation: Some(RelationRef {
                relation_key: 5,
                external_relation_id: 3003,
            }),
            ..Default::default()
        };
        assert!(matches!(
            relation_of(&other, &inv),
            Err(InvoiceError::RelationMismatch {
                customer: 1001,
                external: 3003
            })
        ));
    }
}
