//! Builders that map the field cases' neutral model onto the contract's types, and `spawn_app`.

use ox_journal_mapper::domain::{Profile, Snapshot};
use ox_journal_mapper::{Application, Settings};
use ox_proto::config::v1::{ExportProfile, RoundingPolicy, VatMapping};
use ox_proto::gateway::v1::{
    Booking, Bookyear, DossierSnapshot, OctopusJournal, Period, RelationRef, VatCode,
};
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::mapping::v1::journal_mapper_client::JournalMapperClient;
use ox_proto::planmanager::v1::{Invoice, InvoiceKind, InvoiceLine, VatRegime};
use rust_decimal::Decimal;
use tonic::transport::Channel;

pub const DOSSIER: i32 = 1111;

/// An export profile of dossier 1111: overrides, (rate, regime, code) mappings, revenue 700000.
pub fn profile_proto(
    overrides: &[(&str, &str)],
    mappings: &[(&str, &str, &str)],
    rounding: RoundingPolicy,
) -> ExportProfile {
    ExportProfile {
        tenant_id: "garage-demo".into(),
        location_name: "Bodyshop A".into(),
        dossier_id: DOSSIER,
        journal_overrides: overrides
            .iter()
            .map(|(code, key)| ((*code).to_owned(), (*key).to_owned()))
            .collect(),
        vat_mappings: mappings
            .iter()
            .map(|(rate, regime, code)| VatMapping {
                rate: (*rate).into(),
                regime: (*regime).into(),
                octopus_code: (*code).into(),
            })
            .collect(),
        default_revenue_account: 700000,
        default_receivable_account: 400000,
        rounding_policy: rounding as i32,
        field_limits: None,
    }
}

pub fn profile(
    overrides: &[(&str, &str)],
    mappings: &[(&str, &str, &str)],
    rounding: RoundingPolicy,
) -> Profile {
    Profile::from_proto(&profile_proto(overrides, mappings, rounding)).unwrap()
}

/// A bookyear with monthly periods numbered from `first_nr` (Octopus's numbers, not the calendar's).
pub fn bookyear(id: i32, description: &str, start: &str, months: u32, first_nr: i32) -> Bookyear {
    let start_date = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap();
    let periods: Vec<Period> = (0..months)
        .map(|offset| {
            let first = start_date
                .checked_add_months(chrono::Months::new(offset))
                .unwrap();
            Period {
                nr: first_nr + i32::try_from(offset).unwrap(),
                start_date: first.to_string(),
                end_date: ox_domain::dates::end_of_month(first).to_string(),
            }
        })
        .collect();
    Bookyear {
        id,
        description: description.into(),
        start_date: start.into(),
        end_date: periods.last().unwrap().end_date.clone(),
        closed: false,
        periods,
    }
}

/// Bookyear "2025" (id 3), periods 202501..202512.
pub fn bookyear_2025() -> Bookyear {
    bookyear(3, "2025", "2025-01-01", 12, 202501)
}

/// A sales-booking journal (type V, insertion type 1).
pub fn sales_journal(bookyear_id: i32, key: &str) -> OctopusJournal {
    OctopusJournal {
        bookyear_id,
        journal_key: key.into(),
        name: format!("Verkoop {key}"),
        journal_type: "V".into(),
        insertion_type: 1,
        ..Default::default()
    }
}

pub fn vat_code(code: &str, kind: i32) -> VatCode {
    VatCode {
        code: code.into(),
        description: format!("code {code}"),
        r#type: kind,
        base_percentage: String::new(),
    }
}

pub fn snapshot_proto(
    bookyears: Vec<Bookyear>,
    journals: Vec<OctopusJournal>,
    vat_codes: Vec<VatCode>,
) -> DossierSnapshot {
    DossierSnapshot {
        dossier_id: DOSSIER,
        bookyears,
        journals,
        vat_codes,
        accounts: vec![],
    }
}

pub fn snapshot(
    bookyears: Vec<Bookyear>,
    journals: Vec<OctopusJournal>,
    vat_codes: Vec<VatCode>,
) -> Snapshot {
    Snapshot::from_proto(&snapshot_proto(bookyears, journals, vat_codes), 0).unwrap()
}

/// Dossier 1111 in 2025: journals V1 and V2, sales codes 21, 06, 00, 44 and purchase code D21.
pub fn dossier_2025() -> Snapshot {
    snapshot(
        vec![bookyear_2025()],
        vec![sales_journal(3, "V1"), sales_journal(3, "V2")],
        vec![
            vat_code("21", 2),
            vat_code("06", 2),
            vat_code("00", 2),
            vat_code("44", 2),
            vat_code("D21", 1),
        ],
    )
}

/// Σ(base + VAT) of the lines == |amount|, recomputed from the strings that go on the wire.
pub fn assert_balanced(booking: &Booking) {
    let lines: Decimal = booking
        .lines
        .iter()
        .map(|l| {
            l.base_amount.parse::<Decimal>().unwrap() + l.vat_amount.parse::<Decimal>().unwrap()
        })
        .sum();
    assert_eq!(
        lines,
        booking.amount.parse::<Decimal>().unwrap().abs(),
        "{booking:?}"
    );
    for line in &booking.lines {
        for value in [&line.base_amount, &line.vat_amount] {
            assert_eq!(
                value.split('.').nth(1).map(str::len),
                Some(2),
                "two decimals: {value}"
            );
        }
    }
}

/// A line `{net, vat_rate, vat}` of the neutral model; `vat` is what PlanManager printed.
pub fn line(seq: i32, net: &str, rate: &str, vat: &str, regime: VatRegime, gl: i32) -> InvoiceLine {
    InvoiceLine {
        seq,
        description: format!("line {seq}"),
        quantity: "1".into(),
        unit_price: net.into(),
        discount_pct: "0".into(),
        amount_excl: net.into(),
        vat_rate: rate.into(),
        vat_amount: vat.into(),
        vat_regime: regime as i32,
        gl_account: gl,
    }
}

/// An invoice of the neutral model: `F-2025-0101` becomes number 101 in PlanManager journal `code`.
pub fn invoice(
    code: &str,
    number: i64,
    date: &str,
    kind: InvoiceKind,
    lines: Vec<InvoiceLine>,
    totals: (&str, &str, &str),
) -> Invoice {
    Invoice {
        id: number + 10_000,
        journal_id: 1,
        journal_code: code.into(),
        number,
        date: date.into(),
        customer_id: 1001,
        kind: kind as i32,
        currency: "EUR".into(),
        total_excl: totals.0.into(),
        total_vat: totals.1.into(),
        total_incl: totals.2.into(),
        lines,
        ..Default::default()
    }
}

/// The invoice with its debtor's relation (external id = customer id) and VAT data.
pub fn to_map(invoice: Invoice, vat_nr: &str, country: &str) -> InvoiceToMap {
    let external_relation_id = i32::try_from(invoice.customer_id).unwrap();
    InvoiceToMap {
        invoice: Some(invoice),
        relation: Some(RelationRef {
            relation_key: 0,
            external_relation_id,
        }),
        customer_vat_nr: vat_nr.into(),
        customer_country: country.into(),
    }
}

/// A running mapper on 127.0.0.1:0 with a client; dropping `stop` shuts it down.
pub struct TestApp {
    pub client: JournalMapperClient<Channel>,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub server: tokio::task::JoinHandle<Result<(), ox_journal_mapper::MapperError>>,
}

pub async fn spawn_app() -> TestApp {
    let app = Application::build(Settings {
        listen: "127.0.0.1:0".into(),
    })
    .await
    .unwrap();
    let addr = app.local_addr();
    assert_ne!(addr.port(), 0);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = JournalMapperClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    TestApp {
        client,
        stop,
        server,
    }
}

/// Whether a line's base and VAT may leave for Octopus together: never of opposite signs, and no
/// VAT on a zero base.
pub fn signs_fit(base: Decimal, vat: Decimal) -> bool {
    let sign = |value: Decimal| value.cmp(&Decimal::ZERO) as i8;
    sign(base) * sign(vat) >= 0 && (!base.is_zero() || vat.is_zero())
}
