//! Generated invoices for the property tests: any mix of lines at 0, 6, 12 and 21 % with fitting
//! regimes, discounts and negative lines, several GL accounts, amounts with two or three decimals,
//! PlanManager's per-line printed VAT, invoices and credit notes (stored positive or negative),
//! for a Belgian company, a Dutch company or a private person, under every rounding policy.

use ox_domain::money::round_cents;
use ox_proto::config::v1::{ExportProfile, RoundingPolicy};
use ox_proto::gateway::v1::DossierSnapshot;
use ox_proto::mapping::v1::InvoiceToMap;
use ox_proto::planmanager::v1::{InvoiceKind, InvoiceLine, VatRegime};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::helpers::*;

/// (rate, regime, Octopus code) of the generated dossier's VAT mapping.
pub const MAPPINGS: [(&str, &str, &str); 7] = [
    ("21", "standard", "21"),
    ("12", "standard", "12"),
    ("6", "standard", "06"),
    ("0", "exempt", "00"),
    ("0", "intra_eu", "44"),
    ("0", "export", "EX"),
    ("0", "reverse_charge_be", "MC"),
];

/// GL accounts of the lines; 0 falls back to the profile's 700000.
pub const ACCOUNTS: [i32; 6] = [0, 700000, 700100, 704000, 705000, 740000];

/// The rate of an Octopus code of [`MAPPINGS`].
pub fn rate_of(code: &str) -> Decimal {
    MAPPINGS
        .iter()
        .find(|(_, _, c)| *c == code)
        .map(|(rate, _, _)| rate.parse().unwrap())
        .unwrap()
}

/// The debtor, which decides which 0 % regimes fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Debtor {
    BelgianCompany,
    DutchCompany,
    Person,
}

/// One generated line before it becomes a proto line.
#[derive(Debug, Clone)]
pub struct GenLine {
    pub base: Decimal,
    pub rate: Decimal,
    pub regime: VatRegime,
    pub account: i32,
    /// PlanManager's printed VAT (per line, rounded, maybe a cent off); `None` when absent.
    pub printed: Option<Decimal>,
}

/// A generated request item with what it was generated from.
#[derive(Debug, Clone)]
pub struct Case {
    pub profile: ExportProfile,
    pub snapshot: DossierSnapshot,
    pub item: InvoiceToMap,
    pub lines: Vec<GenLine>,
    pub credit_note: bool,
    /// A credit note whose amounts PlanManager stored negative.
    pub stored_negative: bool,
    pub rounding: RoundingPolicy,
}

/// A line amount; `tiny` invoices have only amounts of a few cents either way, where rounding per
/// code and per line disagree most and a spread cent could flip a line's sign.
fn base(tiny: bool) -> impl Strategy<Value = Decimal> {
    let cents = if tiny {
        (-9i64..=9).boxed()
    } else {
        prop_oneof![
            6 => 1i64..1_000_000,
            2 => -100_000i64..=-1,
            1 => 0i64..100,
        ]
        .boxed()
    };
    (cents, 0u8..5, 0i64..10).prop_map(|(cents, style, mill)| {
        if style == 0 {
            // Three decimals, as a unit price times a quantity with a discount can leave.
            Decimal::new(cents * 10 + mill, 3)
        } else {
            Decimal::new(cents, 2)
        }
    })
}

fn line(debtor: Debtor, tiny: bool) -> impl Strategy<Value = GenLine> {
    let zero_regimes = match debtor {
        Debtor::BelgianCompany => vec![
            VatRegime::Exempt,
            VatRegime::Export,
            VatRegime::ReverseChargeBe,
        ],
        Debtor::DutchCompany => vec![VatRegime::Exempt, VatRegime::Export, VatRegime::IntraEu],
        Debtor::Person => vec![VatRegime::Exempt, VatRegime::Export],
    };
    (
        0usize..4,
        prop::sample::select(zero_regimes),
        any::<bool>(),
        base(tiny),
        prop::sample::select(ACCOUNTS.to_vec()),
        -1i64..=1,
        0u8..12,
    )
        .prop_map(
            move |(rate_index, zero_regime, unspecified, base, account, noise, printed)| {
                let rate = Decimal::from([0, 6, 12, 21][rate_index]);
                let regime = match (rate.is_zero(), unspecified) {
                    (true, _) => zero_regime,
                    (false, true) => VatRegime::Unspecified,
                    (false, false) => VatRegime::Standard,
                };
                let exact = round_cents(base * rate / Decimal::ONE_HUNDRED);
                let noise = if rate.is_zero() {
                    Decimal::ZERO
                } else {
                    Decimal::new(noise, 2)
                };
                GenLine {
                    base,
                    rate,
                    regime,
                    account,
                    printed: (printed > 0).then_some(exact + noise),
                }
            },
        )
}

fn debtor() -> impl Strategy<Value = Debtor> {
    prop::sample::select(vec![
        Debtor::BelgianCompany,
        Debtor::DutchCompany,
        Debtor::Person,
    ])
}

/// A generated invoice or credit note with its profile and snapshot.
pub fn case() -> impl Strategy<Value = Case> {
    (debtor(), 0u8..4).prop_flat_map(|(debtor, tiny)| {
        (
            prop::collection::vec(line(debtor, tiny == 0), 1..=8),
            (0u8..4, any::<bool>(), any::<bool>()),
            (1i64..1_000_000, 0u64..365, 0u8..4, 0i64..100_000),
            prop::sample::select(vec![
                RoundingPolicy::Unspecified,
                RoundingPolicy::OctopusTotal,
                RoundingPolicy::Document,
            ]),
        )
            .prop_map(
                move |(
                    lines,
                    (kind, stored_negative, journal),
                    (number, day, totals, credited),
                    rounding,
                )| {
                    build(
                        debtor,
                        lines,
                        kind == 0,
                        stored_negative,
                        journal,
                        number,
                        day,
                        totals,
                        credited,
                        rounding,
                    )
                },
            )
    })
}

#[allow(clippy::too_many_arguments)]
fn build(
    debtor: Debtor,
    lines: Vec<GenLine>,
    credit_note: bool,
    stored_negative: bool,
    second_journal: bool,
    number: i64,
    day: u64,
    totals: u8,
    credited: i64,
    rounding: RoundingPolicy,
) -> Case {
    let stored_negative = credit_note && stored_negative;
    let sign = if stored_negative {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    let proto_lines: Vec<InvoiceLine> = lines
        .iter()
        .zip(1..)
        .map(|(l, seq)| InvoiceLine {
            seq,
            description: format!("line {seq}"),
            quantity: "1".into(),
            unit_price: (l.base * sign).to_string(),
            discount_pct: "0".into(),
            amount_excl: (l.base * sign).to_string(),
            vat_rate: l.rate.to_string(),
            vat_amount: l
                .printed
                .map(|p| (p * sign).to_string())
                .unwrap_or_default(),
            vat_regime: l.regime as i32,
            gl_account: l.account,
        })
        .collect();
    let base: Decimal = lines.iter().map(|l| l.base).sum::<Decimal>() * sign;
    let vat: Decimal = lines.iter().filter_map(|l| l.printed).sum::<Decimal>() * sign;
    let total = |value: Decimal| {
        if totals == 0 {
            String::new()
        } else {
            round_cents(value).to_string()
        }
    };
    let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(day);
    let kind = if credit_note {
        InvoiceKind::CreditNote
    } else {
        InvoiceKind::Invoice
    };
    let mut invoice = invoice(
        if second_journal { "V2" } else { "V1" },
        number,
        &date.to_string(),
        kind,
        proto_lines,
        (&total(base), &total(vat), &total(base + vat)),
    );
    invoice.credited_invoice_id = if credit_note { credited } else { 0 };
    let (vat_nr, country) = match debtor {
        Debtor::BelgianCompany => ("BE0412.345.614", "BE"),
        Debtor::DutchCompany => ("NL161803398B01", "NL"),
        Debtor::Person => ("", "BE"),
    };
    Case {
        profile: profile_proto(&[], &MAPPINGS, rounding),
        snapshot: snapshot_proto(
            vec![bookyear_2025()],
            vec![sales_journal(3, "V1"), sales_journal(3, "V2")],
            MAPPINGS
                .iter()
                .map(|(_, _, code)| vat_code(code, 2))
                .collect(),
        ),
        item: to_map(invoice, vat_nr, country),
        lines,
        credit_note,
        stored_negative,
        rounding,
    }
}
