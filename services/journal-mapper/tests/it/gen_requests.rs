//! Arbitrary requests for the gRPC property tests: every message of the contract with arbitrary
//! strings and numbers, biased towards well-formed values so that requests also get past the
//! contract check and into the mapping rules. Each field is garbage now and then, never always.

use ox_proto::gateway::v1::RelationRef;
use ox_proto::mapping::v1::{
    InvoiceToMap, JournalUse, MapCustomersRequest, MapInvoicesRequest, ValidateJournalsRequest,
};
use ox_proto::planmanager::v1::{Customer, Invoice, InvoiceLine, Journal};
use proptest::prelude::*;

use crate::gen_context::{date, enumeration, garbage, number, profile, rate, snapshot, word};

fn journal() -> BoxedStrategy<Journal> {
    (
        any::<i64>(),
        word(),
        word(),
        word(),
        enumeration(5),
        any::<i64>(),
    )
        .prop_map(
            |(id, code, name, location_name, kind, last_number)| Journal {
                id,
                code,
                name,
                location_name,
                kind,
                last_number,
            },
        )
        .boxed()
}

pub fn validate_journals() -> BoxedStrategy<ValidateJournalsRequest> {
    let journal_use = (
        prop_oneof![20 => journal().prop_map(Some), 1 => Just(None)],
        prop::collection::vec(date(), 0..4),
    )
        .prop_map(|(journal, dates)| JournalUse { journal, dates });
    (
        profile(),
        snapshot(),
        prop::collection::vec(journal_use, 0..4),
    )
        .prop_map(|(profile, snapshot, journals)| ValidateJournalsRequest {
            profile,
            snapshot,
            journals,
        })
        .boxed()
}

fn customer() -> BoxedStrategy<Customer> {
    (
        (
            prop_oneof![10 => 1i64..5000, 1 => any::<i64>()],
            enumeration(4),
            word(),
            word(),
            word(),
        ),
        (word(), word(), word(), word(), word(), word(), word()),
        (
            word(),
            word(),
            word(),
            word(),
            any::<i32>(),
            any::<bool>(),
            any::<bool>(),
            garbage(),
        ),
    )
        .prop_map(
            |(
                (id, kind, name, first_name, vat_number),
                (street, house_number, r#box, postal_code, city, country, language),
                (email, phone, iban, bic, days, eom, blocked, updated_at),
            )| Customer {
                id,
                kind,
                name,
                first_name,
                vat_number,
                street,
                house_number,
                r#box,
                postal_code,
                city,
                country,
                language,
                email,
                phone,
                iban,
                bic,
                payment_term_days: days,
                payment_term_end_of_month: eom,
                blocked,
                updated_at,
            },
        )
        .boxed()
}

pub fn map_customers() -> BoxedStrategy<MapCustomersRequest> {
    (profile(), prop::collection::vec(customer(), 0..4))
        .prop_map(|(profile, customers)| MapCustomersRequest { profile, customers })
        .boxed()
}

fn line() -> BoxedStrategy<InvoiceLine> {
    (
        any::<i32>(),
        word(),
        (number(), number(), number(), number()),
        (
            // Mostly a rate with a regime that fits it, as PlanManager writes them.
            prop_oneof![
                10 => prop::sample::select(vec![("21", 1), ("6", 1), ("12", 0), ("0", 5)])
                    .prop_map(|(rate, regime)| (rate.to_owned(), regime)),
                1 => (rate(), enumeration(5)),
            ],
            prop_oneof![3 => Just(String::new()), 1 => number()],
            prop_oneof![10 => Just(0), 10 => Just(700000), 1 => any::<i32>()],
        ),
    )
        .prop_map(
            |(
                seq,
                description,
                (quantity, unit_price, discount_pct, amount_excl),
                ((vat_rate, vat_regime), vat_amount, gl_account),
            )| InvoiceLine {
                seq,
                description,
                quantity,
                unit_price,
                discount_pct,
                amount_excl,
                vat_rate,
                vat_amount,
                vat_regime,
                gl_account,
            },
        )
        .boxed()
}

/// A document total: mostly absent (a random one would rarely match the random lines).
fn total() -> BoxedStrategy<String> {
    prop_oneof![4 => Just(String::new()), 1 => number()].boxed()
}

fn invoice() -> BoxedStrategy<Invoice> {
    (
        (
            any::<i64>(),
            any::<i64>(),
            prop_oneof![10 => prop::sample::select(vec!["V1", "V2", "700"]).prop_map(str::to_owned), 1 => word()],
            prop_oneof![10 => 1i64..100_000, 1 => any::<i64>()],
            prop_oneof![10 => (1u32..=12, 1u32..=28).prop_map(|(m, d)| format!("2025-{m:02}-{d:02}")), 1 => date()],
        ),
        (
            prop_oneof![3 => Just(String::new()), 1 => date()],
            prop_oneof![10 => Just(1001i64), 1 => any::<i64>()],
            prop_oneof![10 => 1..=2, 1 => enumeration(2)],
            prop_oneof![10 => Just(0i64), 1 => any::<i64>()],
        ),
        (prop_oneof![5 => Just("EUR".to_owned()), 1 => word()], total(), total(), total(), word()),
        (prop_oneof![10 => prop::collection::vec(line(), 1..5), 1 => Just(vec![])], -10i32..100, any::<bool>()),
    )
        .prop_map(|((id, journal_id, journal_code, number, date), (due_date, customer_id, kind, credited_invoice_id), (currency, total_excl, total_vat, total_incl, structured_reference), (lines, payment_term_days, payment_term_end_of_month))| Invoice {
            id, journal_id, journal_code, number, date, due_date, customer_id, kind, credited_invoice_id, currency,
            total_excl, total_vat, total_incl, structured_reference, lines, payment_term_days, payment_term_end_of_month,
            ..Default::default()
        })
        .boxed()
}

pub fn map_invoices() -> BoxedStrategy<MapInvoicesRequest> {
    let relation = (
        any::<i32>(),
        prop_oneof![10 => Just(1001), 1 => any::<i32>()],
    )
        .prop_map(|(relation_key, external_relation_id)| RelationRef {
            relation_key,
            external_relation_id,
        });
    let item = (
        prop_oneof![20 => invoice().prop_map(Some), 1 => Just(None)],
        prop_oneof![10 => relation.prop_map(Some), 1 => Just(None)],
        word(),
        word(),
    )
        .prop_map(
            |(invoice, relation, customer_vat_nr, customer_country)| InvoiceToMap {
                invoice,
                relation,
                customer_vat_nr,
                customer_country,
            },
        );
    (profile(), snapshot(), prop::collection::vec(item, 0..4))
        .prop_map(|(profile, snapshot, invoices)| MapInvoicesRequest {
            profile,
            snapshot,
            invoices,
        })
        .boxed()
}
