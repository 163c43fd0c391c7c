//! Sample invoices and credit notes: lines priced like a body shop's, VAT rounded per line as
//! PlanManager prints it, totals that are the sums of the lines, due dates from payment terms.

use std::collections::VecDeque;

use chrono::{Datelike as _, Days, NaiveDate};
use ox_domain::money::round_cents;
use rust_decimal::Decimal;

use super::customers::{Class, FIRST_LEASING, FIRST_OTHER, SeedCustomer};
use super::data::{self, ITEM_SIX_PERCENT, ITEMS, Item, Unit};
use super::ids;
use super::rng::Rng;

/// One `invoice_lines` row.
#[derive(Clone)]
pub(crate) struct SeedLine {
    pub seq: i64,
    pub description: &'static str,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_pct: Decimal,
    pub amount_excl: Decimal,
    pub vat_rate: Decimal,
    pub vat_amount: Decimal,
    pub vat_regime: &'static str,
    pub gl_account: i64,
}

/// One `invoices` row with its lines.
#[derive(Clone)]
pub(crate) struct SeedInvoice {
    pub id: i64,
    pub journal_id: i64,
    /// `None` for drafts: PlanManager numbers an invoice when it becomes final.
    pub number: Option<i64>,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub customer_id: i64,
    pub credit_note: bool,
    pub credited_invoice_id: Option<i64>,
    pub total_excl: Decimal,
    pub total_vat: Decimal,
    pub total_incl: Decimal,
    pub structured_reference: Option<String>,
    pub file_reference: String,
    pub plate: Option<String>,
    pub draft: bool,
    pub lines: Vec<SeedLine>,
}

/// Recent invoices of one journal that a credit note may credit.
const CREDIT_WINDOW: usize = 20;

/// Makes invoices one after the other; ids are given out in creation order.
pub(crate) struct InvoiceMaker<'a> {
    rng: &'a mut Rng,
    customers: &'a [SeedCustomer],
    next_id: i64,
    /// Per journal slot: invoices that may still be credited.
    recent: Vec<VecDeque<SeedInvoice>>,
}

/// The last day of `date`'s month.
fn end_of_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.pred_opt())
        .expect("the first of a month in the sample's years exists and has a day before it")
}

fn term_of(payment_term_id: i64) -> (u64, bool) {
    data::PAYMENT_TERMS
        .iter()
        .find(|(id, ..)| *id == payment_term_id)
        .map(|(_, _, days, eom)| (days.unsigned_abs(), *eom))
        .unwrap_or((0, false))
}

fn totals(lines: &[SeedLine]) -> (Decimal, Decimal, Decimal) {
    let excl: Decimal = lines.iter().map(|line| line.amount_excl).sum();
    let vat: Decimal = lines.iter().map(|line| line.vat_amount).sum();
    (excl, vat, excl + vat)
}

impl<'a> InvoiceMaker<'a> {
    pub(crate) fn new(
        rng: &'a mut Rng,
        customers: &'a [SeedCustomer],
        journal_slots: usize,
    ) -> Self {
        Self {
            rng,
            customers,
            next_id: 1,
            recent: vec![VecDeque::new(); journal_slots],
        }
    }

    /// The debtor of a new invoice: insurers and leasing companies pay a large share of repairs.
    fn pick_customer(&mut self) -> &'a SeedCustomer {
        let customers = self.customers;
        let range = match self.rng.weighted(&[25, 7, 68]) {
            0 => 1..FIRST_LEASING,
            1 => FIRST_LEASING..FIRST_LEASING + data::LEASING.len() as i64,
            _ => FIRST_OTHER..customers.len() as i64 + 1,
        };
        let id = self.rng.between(range.start, range.end - 1);
        &customers[(id - 1) as usize]
    }

    fn line(
        &mut self,
        seq: i64,
        item: &Item,
        language: &str,
        rate: i64,
        regime: &'static str,
    ) -> SeedLine {
        let rng = &mut *self.rng;
        let quantity = match item.unit {
            Unit::Hours => Decimal::new(rng.between(2, 48) * 25, 2).normalize(),
            Unit::Pieces => Decimal::from(rng.between(1, 4)),
            Unit::Fixed => Decimal::ONE,
        };
        let unit_price = Decimal::new(rng.between(item.price.0, item.price.1), 2);
        let discount_pct = if rng.chance(820) {
            Decimal::ZERO
        } else {
            *rng.pick(&[
                Decimal::from(5),
                Decimal::from(10),
                Decimal::from(15),
                Decimal::new(25, 1),
            ])
        };
        let amount_excl = round_cents(
            quantity * unit_price * (Decimal::ONE - discount_pct / Decimal::ONE_HUNDRED),
        );
        let vat_rate = Decimal::from(rate);
        SeedLine {
            seq,
            description: if language == "fr" { item.fr } else { item.nl },
            quantity,
            unit_price,
            discount_pct,
            amount_excl,
            vat_rate,
            vat_amount: round_cents(amount_excl * vat_rate / Decimal::ONE_HUNDRED),
            vat_regime: regime,
            gl_account: item.gl_account,
        }
    }

    fn lines_for(&mut self, customer: &SeedCustomer) -> Vec<SeedLine> {
        // 0 % only ever with a regime that allows it.
        let regime = match customer.class {
            Class::EuCompany => "intra_eu",
            Class::BelgianCompany if self.rng.chance(120) => "reverse_charge_be",
            _ => "standard",
        };
        let count = self.rng.weighted(&[20, 30, 25, 15, 7, 3]) as i64 + 1;
        let weights: Vec<u64> = ITEMS.iter().map(|item| item.weight).collect();
        (1..=count)
            .map(|seq| {
                if regime == "standard" && self.rng.chance(40) {
                    return self.line(seq, &ITEM_SIX_PERCENT, customer.language, 6, regime);
                }
                let item = &ITEMS[self.rng.weighted(&weights)];
                let rate = if regime == "standard" { 21 } else { 0 };
                self.line(seq, item, customer.language, rate, regime)
            })
            .collect()
    }

    /// A new invoice (`number` `None` and `draft` for a draft) of journal `slot`.
    pub(crate) fn invoice(
        &mut self,
        slot: usize,
        journal_id: i64,
        number: Option<i64>,
        date: NaiveDate,
        draft: bool,
    ) -> SeedInvoice {
        let customer = self.pick_customer();
        let lines = self.lines_for(customer);
        let (total_excl, total_vat, total_incl) = totals(&lines);
        let (days, eom) = term_of(customer.payment_term_id);
        let due = date
            .checked_add_days(Days::new(days))
            .map(|due| if eom { end_of_month(due) } else { due });
        let id = self.take_id();
        let invoice = SeedInvoice {
            id,
            journal_id,
            number,
            date,
            due_date: due.filter(|_| !self.rng.chance(40)),
            customer_id: customer.id,
            credit_note: false,
            credited_invoice_id: None,
            total_excl,
            total_vat,
            total_incl,
            structured_reference: number.filter(|_| self.rng.chance(900)).map(|number| {
                ids::structured_reference((journal_id * 100_000_000 + number).unsigned_abs())
            }),
            file_reference: format!("DOS-2025-{id:07}"),
            plate: self.rng.chance(950).then(|| ids::plate(self.rng)),
            draft,
            lines,
        };
        if !draft {
            let recent = &mut self.recent[slot];
            if recent.len() == CREDIT_WINDOW {
                recent.pop_front();
            }
            recent.push_back(invoice.clone());
        }
        invoice
    }

    /// A credit note of journal `slot` for a recent invoice of that journal, if there is one:
    /// the whole invoice, or only its first line. Amounts stay positive, as PlanManager stores them.
    pub(crate) fn credit_note(
        &mut self,
        slot: usize,
        number: i64,
        date: NaiveDate,
    ) -> Option<SeedInvoice> {
        let recent = &self.recent[slot];
        if recent.is_empty() {
            return None;
        }
        let index = self.rng.below(recent.len() as u64) as usize;
        let credited = self.recent[slot].remove(index)?;
        let mut lines = credited.lines.clone();
        if self.rng.chance(500) {
            lines.truncate(1);
        }
        let (total_excl, total_vat, total_incl) = totals(&lines);
        Some(SeedInvoice {
            id: self.take_id(),
            journal_id: credited.journal_id,
            number: Some(number),
            date,
            due_date: Some(date),
            customer_id: credited.customer_id,
            credit_note: true,
            credited_invoice_id: Some(credited.id),
            total_excl,
            total_vat,
            total_incl,
            structured_reference: None,
            file_reference: credited.file_reference,
            plate: credited.plate,
            draft: false,
            lines,
        })
    }

    /// Whether the next numbered document should be a credit note (about 8 %).
    pub(crate) fn wants_credit_note(&mut self) -> bool {
        self.rng.chance(80)
    }

    fn take_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::super::customers;
    use super::*;

    #[test]
    fn lines_round_per_line_and_totals_add_up() {
        let mut rng = Rng::new(11);
        let people = customers::generate(&mut rng, 60);
        let mut maker = InvoiceMaker::new(&mut rng, &people, 1);
        let date = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        for number in 1..200 {
            let invoice = maker.invoice(0, 5, Some(number), date, false);
            let (excl, vat, incl) = totals(&invoice.lines);
            assert_eq!(
                (excl, vat, incl),
                (invoice.total_excl, invoice.total_vat, invoice.total_incl)
            );
            for line in &invoice.lines {
                let expected = round_cents(
                    line.quantity
                        * line.unit_price
                        * (Decimal::ONE - line.discount_pct / Decimal::ONE_HUNDRED),
                );
                assert_eq!(line.amount_excl, expected);
                assert!(line.vat_rate > Decimal::ZERO || line.vat_regime != "standard");
            }
        }
        let credit = maker.credit_note(0, 300, date).unwrap();
        assert!(credit.credit_note && credit.total_incl > Decimal::ZERO);
        assert_eq!(
            end_of_month(NaiveDate::from_ymd_opt(2025, 12, 5).unwrap()).to_string(),
            "2025-12-31"
        );
        assert_eq!(
            end_of_month(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).to_string(),
            "2026-02-28"
        );
    }
}
