//! Conversions between the wire (`planmanager.v1`) and the reader's own records.

use chrono::NaiveDate;
use ox_proto::planmanager::v1 as pb;

use crate::error::ReaderError;
use crate::model::{
    Customer, CustomerKind, DataProblem, GlAccount, Invoice, InvoiceFilter, InvoiceKind,
    InvoiceLine, Journal, JournalKind, Location, VatRegime,
};

fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>, ReaderError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            ReaderError::InvalidRequest(format!("{field} is not a date (YYYY-MM-DD): {value:?}"))
        })
}

impl TryFrom<pb::InvoiceFilter> for InvoiceFilter {
    type Error = ReaderError;

    fn try_from(wire: pb::InvoiceFilter) -> Result<Self, Self::Error> {
        let date_from = optional_date("date_from", &wire.date_from)?;
        let date_to = optional_date("date_to", &wire.date_to)?;
        if let (Some(from), Some(to)) = (date_from, date_to)
            && from > to
        {
            return Err(ReaderError::InvalidRequest(format!(
                "date_from {from} is after date_to {to}"
            )));
        }
        if let (Some(from), Some(to)) = (wire.number_from, wire.number_to)
            && from > to
        {
            return Err(ReaderError::InvalidRequest(format!(
                "number_from {from} is above number_to {to}"
            )));
        }
        let mut journal_codes = Vec::with_capacity(wire.journal_codes.len());
        for code in wire.journal_codes {
            if !journal_codes.contains(&code) {
                journal_codes.push(code);
            }
        }
        Ok(Self {
            location_name: wire.location_name,
            date_from,
            date_to,
            number_from: wire.number_from,
            number_to: wire.number_to,
            journal_codes,
            include_exported: wire.include_exported,
        })
    }
}

impl From<Location> for pb::Location {
    fn from(location: Location) -> Self {
        Self {
            id: location.id,
            name: location.name,
        }
    }
}

impl From<JournalKind> for pb::JournalKind {
    fn from(kind: JournalKind) -> Self {
        match kind {
            JournalKind::Sale => Self::Sale,
            JournalKind::SaleCredit => Self::SaleCredit,
            JournalKind::Purchase => Self::Purchase,
            JournalKind::PurchaseCredit => Self::PurchaseCredit,
            JournalKind::Internal => Self::Internal,
            JournalKind::Unknown => Self::Unspecified,
        }
    }
}

impl From<Journal> for pb::Journal {
    fn from(journal: Journal) -> Self {
        Self {
            id: journal.id,
            code: journal.code,
            name: journal.name,
            location_name: journal.location_name,
            kind: pb::JournalKind::from(journal.kind).into(),
            last_number: journal.last_number,
        }
    }
}

impl From<DataProblem> for pb::DataProblem {
    fn from(problem: DataProblem) -> Self {
        Self {
            kind: problem.kind.as_str().to_owned(),
            id: problem.id,
            journal_code: problem.journal_code,
            number: problem.number,
            message: problem.message,
        }
    }
}

impl From<VatRegime> for pb::VatRegime {
    fn from(regime: VatRegime) -> Self {
        match regime {
            VatRegime::Standard => Self::Standard,
            VatRegime::ReverseChargeBe => Self::ReverseChargeBe,
            VatRegime::IntraEu => Self::IntraEu,
            VatRegime::Export => Self::Export,
            VatRegime::Exempt => Self::Exempt,
        }
    }
}

impl From<InvoiceLine> for pb::InvoiceLine {
    fn from(line: InvoiceLine) -> Self {
        Self {
            seq: line.seq,
            description: line.description,
            quantity: line.quantity.to_string(),
            unit_price: line.unit_price.to_string(),
            discount_pct: line.discount_pct.to_string(),
            amount_excl: line.amount_excl.to_string(),
            vat_rate: line.vat_rate.to_string(),
            vat_amount: line.vat_amount.to_string(),
            vat_regime: pb::VatRegime::from(line.vat_regime).into(),
            gl_account: line.gl_account,
        }
    }
}

impl From<Invoice> for pb::Invoice {
    fn from(invoice: Invoice) -> Self {
        let kind = match invoice.kind {
            InvoiceKind::Invoice => pb::InvoiceKind::Invoice,
            InvoiceKind::CreditNote => pb::InvoiceKind::CreditNote,
        };
        Self {
            id: invoice.id,
            journal_id: invoice.journal_id,
            journal_code: invoice.journal_code,
            number: invoice.number,
            date: invoice.date.format("%Y-%m-%d").to_string(),
            due_date: invoice
                .due_date
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            customer_id: invoice.customer_id,
            kind: kind.into(),
            credited_invoice_id: invoice.credited_invoice_id.unwrap_or(0),
            currency: invoice.currency,
            total_excl: invoice.total_excl.to_string(),
            total_vat: invoice.total_vat.to_string(),
            total_incl: invoice.total_incl.to_string(),
            structured_reference: invoice.structured_reference,
            file_reference: invoice.file_reference,
            plate: invoice.plate,
            lines: invoice
                .lines
                .into_iter()
                .map(pb::InvoiceLine::from)
                .collect(),
            payment_term_days: invoice.payment_term.days,
            payment_term_end_of_month: invoice.payment_term.end_of_month,
            exported: invoice.exported,
        }
    }
}

impl From<Customer> for pb::Customer {
    fn from(customer: Customer) -> Self {
        let kind = match customer.kind {
            CustomerKind::Person => pb::CustomerKind::Person,
            CustomerKind::Company => pb::CustomerKind::Company,
            CustomerKind::Insurer => pb::CustomerKind::Insurer,
            CustomerKind::Leasing => pb::CustomerKind::Leasing,
        };
        Self {
            id: customer.id,
            kind: kind.into(),
            name: customer.name,
            first_name: customer.first_name,
            vat_number: customer.vat_number,
            street: customer.street,
            house_number: customer.house_number,
            r#box: customer.r#box,
            postal_code: customer.postal_code,
            city: customer.city,
            country: customer.country,
            language: customer.language,
            email: customer.email,
            phone: customer.phone,
            iban: customer.iban,
            bic: customer.bic,
            payment_term_days: customer.payment_term.days,
            payment_term_end_of_month: customer.payment_term.end_of_month,
            blocked: customer.blocked,
            updated_at: customer.updated_at,
        }
    }
}

impl From<GlAccount> for pb::GlAccount {
    fn from(account: GlAccount) -> Self {
        Self {
            number: account.number,
            description_nl: account.description_nl,
            description_fr: account.description_fr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_filter_before_any_query() {
        let wire = pb::InvoiceFilter {
            location_name: "Bodyshop A".into(),
            date_from: "2025-01-01".into(),
            date_to: String::new(),
            journal_codes: vec!["700".into(), "700".into(), "JVCA2".into()],
            ..Default::default()
        };
        let filter = InvoiceFilter::try_from(wire).unwrap();
        assert_eq!(filter.date_from, NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(filter.date_to, None);
        assert_eq!(
            filter.journal_codes,
            vec!["700".to_owned(), "JVCA2".to_owned()]
        );

        let bad_date = pb::InvoiceFilter {
            date_to: "31-12-2025".into(),
            ..Default::default()
        };
        let error = InvoiceFilter::try_from(bad_date).unwrap_err();
        assert_eq!(
            error.to_string(),
            "date_to is not a date (YYYY-MM-DD): \"31-12-2025\""
        );

        let reversed = pb::InvoiceFilter {
            number_from: Some(10),
            number_to: Some(5),
            ..Default::default()
        };
        assert!(InvoiceFilter::try_from(reversed).is_err());
    }
}
