//! The contract check of a request's journals, customers and invoices, run before any mapping:
//! every number must be a decimal string in range, every date `YYYY-MM-DD`, every enum a known
//! value, every required message present. A violation refuses the whole request with the field's
//! path and value (InvalidArgument); what the contract allows but Octopus's rules do not (an
//! unmapped rate, a closed period) is reported per item by the domain instead.

use ox_domain::dates::parse_date;
use ox_proto::mapping::v1::{InvoiceToMap, JournalUse};
use ox_proto::planmanager::v1::{
    Customer, CustomerKind, Invoice, InvoiceKind, InvoiceLine, JournalKind, VatRegime,
};

use crate::domain::wire::{WireProblem, read_amount, read_rate, shown};
use crate::error::InputError;

/// Checks the journals of a `ValidateJournals` request.
pub fn journal_uses(uses: &[JournalUse]) -> Result<(), InputError> {
    for (index, journal_use) in uses.iter().enumerate() {
        let path = format!("journals[{index}]");
        let Some(journal) = &journal_use.journal else {
            return Err(InputError::missing(format!("{path}.journal"), "journal"));
        };
        let context = format!(" (journal {})", shown(&journal.code));
        if JournalKind::try_from(journal.kind).is_err() {
            return Err(InputError::invalid(
                format!("{path}.journal.kind"),
                format!("is not a known journal kind: {}{context}", journal.kind),
            ));
        }
        for (nr, date) in journal_use.dates.iter().enumerate() {
            check_date(&format!("{path}.dates[{nr}]"), date, &context)?;
        }
    }
    Ok(())
}

/// Checks the customers of a `MapCustomers` request.
pub fn customers(customers: &[Customer]) -> Result<(), InputError> {
    for (index, customer) in customers.iter().enumerate() {
        if CustomerKind::try_from(customer.kind).is_err() {
            return Err(InputError::invalid(
                format!("customers[{index}].kind"),
                format!(
                    "is not a known customer kind: {} (customer {})",
                    customer.kind, customer.id
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the invoices of a `MapInvoices` request.
pub fn invoices(items: &[InvoiceToMap]) -> Result<(), InputError> {
    for (index, item) in items.iter().enumerate() {
        let path = format!("invoices[{index}].invoice");
        let Some(invoice) = &item.invoice else {
            return Err(InputError::missing(path, "invoice"));
        };
        check_invoice(&path, invoice)?;
    }
    Ok(())
}

fn check_invoice(path: &str, invoice: &Invoice) -> Result<(), InputError> {
    let context = format!(
        " (invoice id {}, number {} in journal {})",
        invoice.id,
        invoice.number,
        shown(&invoice.journal_code)
    );
    let field = |name: &str| format!("{path}.{name}");
    if InvoiceKind::try_from(invoice.kind).is_err() {
        return Err(InputError::invalid(
            field("kind"),
            format!("is not a known invoice kind: {}{context}", invoice.kind),
        ));
    }
    check_date(&field("date"), &invoice.date, &context)?;
    if !invoice.due_date.trim().is_empty() {
        check_date(&field("due_date"), &invoice.due_date, &context)?;
    }
    for (name, value) in [
        ("total_excl", &invoice.total_excl),
        ("total_vat", &invoice.total_vat),
        ("total_incl", &invoice.total_incl),
    ] {
        check_optional(&field(name), value, &context)?;
    }
    if invoice.credited_invoice_id < 0 {
        return Err(InputError::invalid(
            field("credited_invoice_id"),
            format!(
                "is not an invoice id: {}{context}",
                invoice.credited_invoice_id
            ),
        ));
    }
    for (index, line) in invoice.lines.iter().enumerate() {
        check_line(&format!("{path}.lines[{index}]"), line, &context)?;
    }
    Ok(())
}

fn check_line(path: &str, line: &InvoiceLine, context: &str) -> Result<(), InputError> {
    let field = |name: &str| format!("{path}.{name}");
    for (name, value) in [
        ("quantity", &line.quantity),
        ("unit_price", &line.unit_price),
        ("discount_pct", &line.discount_pct),
        ("vat_amount", &line.vat_amount),
    ] {
        check_optional(&field(name), value, context)?;
    }
    check_number(
        &field("amount_excl"),
        &line.amount_excl,
        read_amount,
        context,
    )?;
    check_number(&field("vat_rate"), &line.vat_rate, read_rate, context)?;
    if VatRegime::try_from(line.vat_regime).is_err() {
        return Err(InputError::invalid(
            field("vat_regime"),
            format!("is not a known VAT regime: {}{context}", line.vat_regime),
        ));
    }
    if line.gl_account < 0 {
        return Err(InputError::invalid(
            field("gl_account"),
            format!("is not an account number: {}{context}", line.gl_account),
        ));
    }
    Ok(())
}

fn check_date(field: &str, value: &str, context: &str) -> Result<(), InputError> {
    parse_date("", value).map(drop).map_err(|_| {
        InputError::invalid(
            field,
            format!("is not a date (YYYY-MM-DD): {}{context}", shown(value)),
        )
    })
}

/// An amount the contract allows to be empty.
fn check_optional(field: &str, value: &str, context: &str) -> Result<(), InputError> {
    if value.trim().is_empty() {
        return Ok(());
    }
    check_number(field, value, read_amount, context)
}

fn check_number(
    field: &str,
    value: &str,
    read: fn(&str) -> Result<rust_decimal::Decimal, WireProblem>,
    context: &str,
) -> Result<(), InputError> {
    read(value).map(drop).map_err(|problem| {
        InputError::invalid(
            field,
            format!("{}: {}{context}", problem.describe(), shown(value)),
        )
    })
}

#[cfg(test)]
mod tests {
    use ox_proto::planmanager::v1::Journal;

    use super::*;

    /// A well-formed invoice with two lines, changed by `change`, as the request's only item.
    fn invoice_items(change: impl FnOnce(&mut Invoice)) -> Vec<InvoiceToMap> {
        let line = InvoiceLine {
            amount_excl: "10.01".into(),
            vat_rate: "21".into(),
            ..Default::default()
        };
        let mut invoice = Invoice {
            id: 42,
            journal_code: "700".into(),
            number: 101,
            date: "2025-02-14".into(),
            kind: InvoiceKind::Invoice as i32,
            lines: vec![line.clone(), line],
            ..Default::default()
        };
        change(&mut invoice);
        vec![InvoiceToMap {
            invoice: Some(invoice),
            ..Default::default()
        }]
    }

    fn refusal(change: impl FnOnce(&mut Invoice)) -> String {
        invoices(&invoice_items(change)).unwrap_err().to_string()
    }

    const CONTEXT: &str = " (invoice id 42, number 101 in journal \"700\")";

    #[test]
    fn accepts_a_well_formed_invoice_with_empty_optional_fields() {
        assert_eq!(invoices(&invoice_items(|_| {})), Ok(()));
    }

    #[test]
    fn names_the_field_and_value_of_a_malformed_invoice() {
        let mut items = invoice_items(|_| {});
        items.insert(0, InvoiceToMap::default());
        assert_eq!(
            invoices(&items).unwrap_err().to_string(),
            "the request carries no invoice (field invoices[0].invoice)"
        );
        assert_eq!(
            refusal(|i| i.lines[1].amount_excl = "12,50".into()),
            format!(
                "invoices[0].invoice.lines[1].amount_excl is not a decimal number: \"12,50\"{CONTEXT}"
            )
        );
        assert_eq!(
            refusal(|i| i.lines[0].vat_rate = "121".into()),
            format!(
                "invoices[0].invoice.lines[0].vat_rate is not a VAT rate between 0 and 100 %: \
                 \"121\"{CONTEXT}"
            )
        );
        assert_eq!(
            refusal(|i| i.date = "14/02/2025".into()),
            format!("invoices[0].invoice.date is not a date (YYYY-MM-DD): \"14/02/2025\"{CONTEXT}")
        );
        assert_eq!(
            refusal(|i| i.kind = 7),
            format!("invoices[0].invoice.kind is not a known invoice kind: 7{CONTEXT}")
        );
        assert_eq!(
            refusal(|i| i.lines[0].vat_regime = -1),
            format!(
                "invoices[0].invoice.lines[0].vat_regime is not a known VAT regime: -1{CONTEXT}"
            )
        );
        assert_eq!(
            refusal(|i| i.total_incl = "1e30".into()),
            format!(
                "invoices[0].invoice.total_incl is out of range (at most 1000000000000 either way): \
                 \"1e30\"{CONTEXT}"
            )
        );
    }

    #[test]
    fn checks_every_other_number_date_and_id() {
        for (change, field) in [
            (
                (|i: &mut Invoice| i.due_date = "2025-2-1".into()) as fn(&mut Invoice),
                "due_date",
            ),
            (|i| i.total_excl = "x".into(), "total_excl"),
            (|i| i.total_vat = "--1".into(), "total_vat"),
            (|i| i.credited_invoice_id = -1, "credited_invoice_id"),
            (
                |i| i.lines[0].quantity = "three".into(),
                "lines[0].quantity",
            ),
            (
                |i| i.lines[0].unit_price = "€10".into(),
                "lines[0].unit_price",
            ),
            (
                |i| i.lines[0].discount_pct = "5%".into(),
                "lines[0].discount_pct",
            ),
            (
                |i| i.lines[0].vat_amount = "2,10".into(),
                "lines[0].vat_amount",
            ),
            (
                |i| i.lines[0].amount_excl = String::new(),
                "lines[0].amount_excl",
            ),
            (|i| i.lines[0].gl_account = -700000, "lines[0].gl_account"),
        ] {
            let message = refusal(change);
            assert!(
                message.starts_with(&format!("invoices[0].invoice.{field} ")),
                "{message}"
            );
        }
    }

    #[test]
    fn checks_journal_uses_and_customers() {
        let journal = |kind: i32, dates: &[&str]| JournalUse {
            journal: Some(Journal {
                code: "V1".into(),
                kind,
                ..Default::default()
            }),
            dates: dates.iter().map(|d| (*d).to_owned()).collect(),
        };
        assert_eq!(journal_uses(&[journal(1, &["2025-02-14"])]), Ok(()));
        assert_eq!(
            journal_uses(&[journal(1, &["2025-02-14", "not a date"])])
                .unwrap_err()
                .to_string(),
            "journals[0].dates[1] is not a date (YYYY-MM-DD): \"not a date\" (journal \"V1\")"
        );
        assert_eq!(
            journal_uses(&[journal(1, &[]), journal(42, &[])])
                .unwrap_err()
                .to_string(),
            "journals[1].journal.kind is not a known journal kind: 42 (journal \"V1\")"
        );
        assert_eq!(
            journal_uses(&[JournalUse::default()])
                .unwrap_err()
                .to_string(),
            "the request carries no journal (field journals[0].journal)"
        );
        let customer = Customer {
            id: 1001,
            kind: 9,
            ..Default::default()
        };
        assert_eq!(
            customers(&[Customer::default(), customer])
                .unwrap_err()
                .to_string(),
            "customers[1].kind is not a known customer kind: 9 (customer 1001)"
        );
    }
}
