//! The happy path: every final Bodyshop A invoice is booked once, with the right journal, number,
//! period, amount and lines, after exactly one relation per debtor; a re-run books nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr as _;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use sqlx::Row as _;

use octopus_export::provision::DEMO_DOSSIER;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::helpers::{self, TestDir};

struct PmInvoice {
    id: i64,
    code: String,
    number: i64,
    date: String,
    customer_id: i64,
    credit_note: bool,
    total_excl: Decimal,
    /// (gl account, rate, regime) → summed base.
    groups: BTreeMap<(i64, String, String), Decimal>,
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn json_dec(value: &Value) -> Decimal {
    // Octopus amounts are JSON numbers; arbitrary precision keeps their exact text.
    dec(&value.to_string())
}

async fn bodyshop_a_invoices(dir: &TestDir) -> Vec<PmInvoice> {
    let pool = helpers::planmanager(dir).await;
    let rows = sqlx::query(
        "SELECT i.id, j.code, i.number, i.date, i.customer_id, i.kind, i.total_excl
         FROM invoices i JOIN journals j ON j.id = i.journal_id JOIN locations l ON l.id = j.location_id
         WHERE l.name = 'Bodyshop A' AND i.status = 'final' AND j.kind IN ('sale', 'sale_credit')
         ORDER BY j.code, i.number",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut invoices = Vec::new();
    for row in rows {
        let id: i64 = row.get(0);
        let lines = sqlx::query(
            "SELECT gl_account, vat_rate, vat_regime, amount_excl FROM invoice_lines WHERE invoice_id = ?",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut groups = BTreeMap::new();
        for line in lines {
            let rate = dec(&line.get::<String, _>(1)).normalize().to_string();
            let key = (line.get::<i64, _>(0), rate, line.get::<String, _>(2));
            *groups.entry(key).or_insert(Decimal::ZERO) += dec(&line.get::<String, _>(3));
        }
        invoices.push(PmInvoice {
            id,
            code: row.get(1),
            number: row.get(2),
            date: row.get(3),
            customer_id: row.get(4),
            credit_note: row.get::<String, _>(5) == "credit_note",
            total_excl: dec(&row.get::<String, _>(6)),
            groups,
        });
    }
    pool.close().await;
    invoices
}

/// The booking Octopus must hold under the default rounding policy: VAT once per rate on the base.
fn expected_amount(invoice: &PmInvoice) -> Decimal {
    let mut base_per_rate: BTreeMap<&str, Decimal> = BTreeMap::new();
    for ((_, rate, _), base) in &invoice.groups {
        *base_per_rate.entry(rate.as_str()).or_default() += *base;
    }
    let total: Decimal = base_per_rate
        .iter()
        .map(|(rate, base)| {
            let vat = (*base * dec(rate) / Decimal::from(100))
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            *base + vat
        })
        .sum();
    if invoice.credit_note { -total } else { total }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_every_bodyshop_a_invoice_once_through_all_five_services() {
    let dir = TestDir::new("export");
    let (stack, provisioned) = helpers::start(&dir, 120).await;
    let invoices = bodyshop_a_invoices(&dir).await;
    assert!(
        invoices.len() >= 40,
        "the sample has Bodyshop A invoices: {}",
        invoices.len()
    );
    assert!(
        invoices.iter().any(|i| i.credit_note),
        "the sample has credit notes"
    );

    // Every service answers grpc.health.v1 on its own port.
    for addr in [
        &stack.addresses.orchestrator,
        &stack.addresses.config_service,
        &stack.addresses.planmanager_reader,
        &stack.addresses.journal_mapper,
        &stack.addresses.octopus_gateway,
    ] {
        let mut health = HealthClient::new(ox_kit::channel(addr).unwrap());
        let answer = health
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(answer.status, ServingStatus::Serving as i32, "{addr}");
    }

    let report = helpers::export(&stack, &[]).await;
    assert_eq!(
        report.status,
        "completed",
        "{:#?}",
        report
            .items
            .iter()
            .filter(|i| i.status != "booked" && i.status != "exported")
            .collect::<Vec<_>>()
    );
    assert_eq!(report.invoices.booked as usize, invoices.len());
    let debtors: BTreeSet<i64> = invoices.iter().map(|i| i.customer_id).collect();
    assert_eq!(report.customers.exported as usize, debtors.len());
    assert_eq!(
        report
            .octopus_calls
            .get("POST /dossiers/{dossierId}/buysellbookings")
            .copied(),
        Some(invoices.len() as u32)
    );

    let state = stack.sim.dump(DEMO_DOSSIER);
    let relations = state["relations"].as_array().unwrap();
    let external_ids: Vec<i64> = relations
        .iter()
        .map(|r| {
            r["relationIdentificationServiceData"]["externalRelationId"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(external_ids.len(), debtors.len(), "one relation per debtor");
    assert_eq!(
        external_ids.iter().copied().collect::<BTreeSet<_>>(),
        debtors
    );

    let bookings = state["buySellBookings"].as_array().unwrap();
    assert_eq!(bookings.len(), invoices.len(), "one booking per invoice");
    for invoice in &invoices {
        let key = &provisioned.journal_keys[&invoice.code];
        let booking = bookings
            .iter()
            .find(|b| {
                b["journalKey"] == key.as_str()
                    && b["documentSequenceNr"].as_i64() == Some(invoice.number)
            })
            .unwrap_or_else(|| panic!("no booking for {} {}", invoice.code, invoice.number));
        let period = format!("{}{}", &invoice.date[..4], &invoice.date[5..7]);
        assert_eq!(
            booking["bookyearPeriodeNr"].to_string(),
            period,
            "invoice {}",
            invoice.id
        );
        assert_eq!(booking["documentDate"], invoice.date.as_str());
        assert_eq!(
            booking["relationIdentificationServiceData"]["externalRelationId"].as_i64(),
            Some(invoice.customer_id)
        );
        let lines = booking["bookingLines"].as_array().unwrap();
        let base: Decimal = lines.iter().map(|l| json_dec(&l["baseAmount"])).sum();
        let vat: Decimal = lines.iter().map(|l| json_dec(&l["vatAmount"])).sum();
        let amount = json_dec(&booking["amount"]);
        assert_eq!(base, invoice.total_excl, "invoice {} base", invoice.id);
        assert_eq!(
            amount.abs(),
            base + vat,
            "invoice {} balances (I4)",
            invoice.id
        );
        assert_eq!(
            amount,
            expected_amount(invoice),
            "invoice {} amount",
            invoice.id
        );
        assert_eq!(
            lines.len(),
            invoice.groups.len(),
            "invoice {} lines per (account, VAT code)",
            invoice.id
        );
        for line in lines {
            assert!(
                json_dec(&line["baseAmount"]) >= Decimal::ZERO,
                "credit-note lines stay positive"
            );
        }
    }

    // A second run books nothing and reports every invoice as already booked.
    let again = helpers::export(&stack, &[]).await;
    assert_eq!(again.status, "completed");
    assert_eq!(again.invoices.booked, 0);
    assert_eq!(again.invoices.already_booked as usize, invoices.len());
    assert_eq!(again.customers.unchanged as usize, debtors.len());
    assert!(
        !again
            .octopus_calls
            .contains_key("POST /dossiers/{dossierId}/buysellbookings")
    );
    assert!(
        !again
            .octopus_calls
            .contains_key("PUT /dossiers/{dossierId}/relations")
    );
    assert_eq!(
        stack.sim.dump(DEMO_DOSSIER)["buySellBookings"]
            .as_array()
            .unwrap()
            .len(),
        invoices.len()
    );

    stack.stop().await.unwrap();
}

/// Every Octopus call of a run, except bookings and relation writes and look-ups, per endpoint.
fn overhead(report: &ox_orchestrator::report::RunReport) -> BTreeMap<String, u32> {
    report
        .octopus_calls
        .iter()
        .filter(|(endpoint, _)| {
            !matches!(
                endpoint.as_str(),
                "POST /dossiers/{dossierId}/buysellbookings"
                    | "PUT /dossiers/{dossierId}/relations"
                    | "GET /dossiers/{dossierId}/relations"
            )
        })
        .map(|(endpoint, count)| (endpoint.clone(), *count))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn octopus_calls_are_the_minimum_whatever_the_number_of_invoices() {
    let mut overheads = Vec::new();
    for invoices in [40, 200] {
        let dir = TestDir::new(&format!("calls-{invoices}"));
        let (stack, provisioned) = helpers::start(&dir, invoices).await;
        let total = provisioned.invoices_per_location["Bodyshop A"];
        let report = helpers::export(&stack, &[]).await;
        assert_eq!(report.status, "completed");
        // One booking POST per invoice and one relation PUT per new customer, nothing more.
        assert_eq!(
            report.octopus_calls["POST /dossiers/{dossierId}/buysellbookings"] as usize,
            total
        );
        assert_eq!(
            report.octopus_calls["PUT /dossiers/{dossierId}/relations"],
            report.customers.exported
        );
        // New customers with a VAT number are looked up by it once (two spellings), to link a
        // relation the accountant made instead of duplicating it (field case 3).
        let searches = report
            .octopus_calls
            .get("GET /dossiers/{dossierId}/relations")
            .copied()
            .unwrap_or(0);
        assert!(searches <= 2 * report.customers.exported, "{searches}");
        overheads.push(overhead(&report));
        stack.stop().await.unwrap();
    }
    // Sessions and reference data cost the same for 40 as for 200 invoices.
    assert_eq!(overheads[0], overheads[1]);
    assert!(
        overheads[0].values().sum::<u32>() <= 8,
        "{:?}",
        overheads[0]
    );
}
