//! Field cases 5, 16, 18, 19 and 20 (the mapper's part of a run): bookings are a pure function of
//! their input, so a retry, a replay after a token renewal, a rerun after a fix or a reconciliation
//! sees exactly the booking that was (or would have been) sent. Retrying, renewing, counting quota
//! and ledger state belong to the orchestrator and the gateway.

use ox_journal_mapper::api;
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::gateway::v1::{Booking, RelationRef};
use ox_proto::mapping::v1::{InvoiceToMap, MapCustomersRequest, MapInvoicesRequest, MappedInvoice};
use ox_proto::planmanager::v1::{Customer, CustomerKind, InvoiceKind, VatRegime};
use prost::Message as _;

use crate::helpers::*;

const STD: VatRegime = VatRegime::Standard;

fn map_with(mappings: &[(&str, &str, &str)], items: Vec<InvoiceToMap>) -> Vec<MappedInvoice> {
    api::map_invoices(&MapInvoicesRequest {
        profile: Some(profile_proto(&[], mappings, RoundingPolicy::OctopusTotal)),
        snapshot: Some(snapshot_proto(
            vec![bookyear_2025()],
            vec![sales_journal(3, "V1")],
            vec![vat_code("21", 2), vat_code("06", 2)],
        )),
        invoices: items,
    })
    .unwrap()
    .invoices
}

fn map(items: Vec<InvoiceToMap>) -> Vec<MappedInvoice> {
    map_with(&[("21", "", "21")], items)
}

/// A 21 % invoice of `net` in journal V1 for `customer`.
fn simple(number: i64, date: &str, customer: i64, net: &str) -> InvoiceToMap {
    let net_value: rust_decimal::Decimal = net.parse().unwrap();
    let vat = ox_domain::money::round_cents(net_value * rust_decimal::Decimal::new(21, 2));
    let (vat, gross) = (vat.to_string(), (net_value + vat).to_string());
    let mut invoice = invoice(
        "V1",
        number,
        date,
        InvoiceKind::Invoice,
        vec![line(1, net, "21", &vat, STD, 0)],
        (net, &vat, &gross),
    );
    invoice.customer_id = customer;
    to_map(invoice, "", "BE")
}

fn booking(mapped: &MappedInvoice) -> &Booking {
    assert_eq!(mapped.error, "", "invoice {}", mapped.invoice_id);
    mapped.booking.as_ref().unwrap()
}

#[test]
fn field_case_05_maps_the_same_document_again_once_the_relation_is_recreated() {
    let mut first = simple(107, "2025-03-03", 3003, "200.00");
    first.relation = Some(RelationRef {
        relation_key: 88,
        external_relation_id: 3003,
    });
    let mut retry = first.clone();
    retry.relation = Some(RelationRef {
        relation_key: 91,
        external_relation_id: 3003,
    });
    let mapped = map(vec![first, retry]);
    let (before, after) = (booking(&mapped[0]), booking(&mapped[1]));
    assert_eq!(
        (before.document_sequence_nr, before.amount.as_str()),
        (107, "242.00")
    );
    assert_eq!(
        Booking {
            relation: before.relation,
            ..after.clone()
        },
        *before,
        "only the relation differs: the retry books the same document number, once"
    );
    assert_eq!(after.relation.unwrap().relation_key, 91);
    assert_eq!(before.relation.unwrap().external_relation_id, 3003);

    // The customer could not be (re)created: the invoice is held and names its customer.
    let mut blocked = simple(107, "2025-03-03", 3003, "200.00");
    blocked.relation = None;
    let mapped = map(vec![blocked]);
    assert!(mapped[0].booking.is_none());
    assert_eq!(
        mapped[0].error,
        "customer 3003 has no Octopus relation yet: export the customer first"
    );
}

#[test]
fn field_case_16_a_batch_of_120_maps_the_same_when_one_call_is_replayed() {
    let batch: Vec<InvoiceToMap> = (1..=120)
        .map(|number| simple(number, "2025-04-15", 1001, &format!("{number}.37")))
        .collect();
    let mapped = map(batch.clone());
    assert_eq!(mapped.len(), 120);
    let numbers: Vec<i32> = mapped
        .iter()
        .map(|m| booking(m).document_sequence_nr)
        .collect();
    assert_eq!(numbers, (1..=120).collect::<Vec<i32>>(), "in request order");
    // After a token renewal the gateway replays only invoice 57; mapping it alone gives the same bytes.
    let replay = map(vec![batch[56].clone()]);
    assert_eq!(replay[0].encode_to_vec(), mapped[56].encode_to_vec());
}

#[test]
fn field_case_18_ten_invoices_of_four_customers_need_four_relation_payloads() {
    let customer = |id: i64| Customer {
        id,
        kind: CustomerKind::Person as i32,
        name: format!("Klant {id}"),
        country: "BE".into(),
        ..Default::default()
    };
    let debtors: Vec<Customer> = [1, 2, 3, 4, 1, 2, 1, 3, 4, 1].map(customer).to_vec();
    let mapped = api::map_customers(&MapCustomersRequest {
        profile: Some(profile_proto(&[], &[], RoundingPolicy::OctopusTotal)),
        customers: debtors,
    })
    .unwrap()
    .customers;
    let mut hashes: Vec<&str> = mapped.iter().map(|m| m.payload_hash.as_str()).collect();
    assert_eq!(mapped[0], mapped[4], "a repeated debtor maps identically");
    hashes.sort_unstable();
    hashes.dedup();
    assert_eq!(
        hashes.len(),
        4,
        "at most four relation calls, none when all are stored"
    );

    let invoices: Vec<InvoiceToMap> = (1..=10)
        .map(|n| {
            simple(
                300 + n,
                "2025-04-15",
                [1, 2, 3, 4][(n % 4) as usize],
                "100.00",
            )
        })
        .collect();
    assert!(map(invoices).iter().all(|m| m.error.is_empty()));
}

#[test]
fn field_case_19_one_failing_invoice_neither_stops_the_others_nor_changes_them() {
    let run = |with_six: bool| {
        let mut third = simple(203, "2025-04-15", 1001, "100.00");
        let invoice = third.invoice.as_mut().unwrap();
        invoice.lines.push(line(2, "50.00", "6", "3.00", STD, 0));
        invoice.total_excl = "150.00".into();
        invoice.total_incl = "174.00".into();
        let items = vec![
            simple(201, "2025-04-15", 1001, "100.00"),
            simple(202, "2025-04-15", 1001, "200.00"),
            third,
            simple(204, "2025-04-15", 1001, "400.00"),
        ];
        if with_six {
            map_with(&[("21", "", "21"), ("6", "", "06")], items)
        } else {
            map_with(&[("21", "", "21")], items)
        }
    };
    let first = run(false);
    assert_eq!(
        first[2].error,
        "VAT rate 6 % has no valid Octopus VAT code: the dossier's VAT mapping has no entry for it"
    );
    for index in [0, 1, 3] {
        booking(&first[index]);
    }
    // The VAT mapping is fixed between the runs: 0203 maps, the others map byte for byte the same.
    let second = run(true);
    assert_eq!(booking(&second[2]).amount, "174.00");
    for index in [0, 1, 3] {
        assert_eq!(second[index], first[index]);
    }
}

#[test]
fn field_case_20_the_booking_names_its_document_for_reconciliation() {
    let item = simple(42, "2025-04-10", 1001, "500.00");
    let mapped = map(vec![item.clone(), item]);
    let booking = booking(&mapped[0]);
    assert_eq!(
        (
            booking.journal_key.as_str(),
            booking.bookyear_id,
            booking.document_sequence_nr
        ),
        ("V1", 3, 42)
    );
    assert_eq!(
        (booking.comment.as_str(), booking.amount.as_str()),
        ("V1/42", "605.00")
    );
    assert_eq!(
        mapped[0], mapped[1],
        "a retry would compare with exactly this booking"
    );
}
