//! Arbitrary values for the gRPC property tests: decimal strings, dates, enum values and words,
//! each well-formed most of the time and garbage now and then, and the export profile and dossier
//! snapshot built from them (mostly sane, sometimes fuzzed, now and then absent).

use ox_proto::config::v1::{ExportProfile, FieldLimits, VatMapping};
use ox_proto::gateway::v1::{Bookyear, DossierSnapshot, OctopusJournal, Period, VatCode};
use proptest::prelude::*;

/// Any text at all, now and then.
pub fn garbage() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("NaN".to_owned()),
        Just("1e30".to_owned()),
        Just("9".repeat(40)),
        Just("79228162514264337593543950335".to_owned()),
        Just("-0.0000000000000000000000000001".to_owned()),
        Just("-0".to_owned()),
        Just("2025-02-30".to_owned()),
        "\\PC{0,300}",
    ]
    .boxed()
}

/// A decimal string, now and then something else.
pub fn number() -> BoxedStrategy<String> {
    prop_oneof![
        40 => (-1_000_000i64..10_000_000, 0u32..4).prop_map(|(m, s)| rust_decimal::Decimal::new(m, s).to_string()),
        10 => prop::sample::select(vec!["0", "6", "12", "21", "21.00", "100"]).prop_map(str::to_owned),
        1 => garbage(),
    ]
    .boxed()
}

/// A VAT rate, now and then something else.
pub fn rate() -> BoxedStrategy<String> {
    prop_oneof![
        20 => prop::sample::select(vec!["0", "6", "12", "21", "21.00"]).prop_map(str::to_owned),
        1 => number(),
    ]
    .boxed()
}

/// A VAT regime of the config, now and then something else.
pub fn regime() -> BoxedStrategy<String> {
    prop_oneof![
        20 => prop::sample::select(vec!["", "standard", "reverse_charge_be", "intra_eu", "export", "exempt"])
            .prop_map(str::to_owned),
        1 => word(),
    ]
    .boxed()
}

/// A `YYYY-MM-DD` date around 2025, now and then something else.
pub fn date() -> BoxedStrategy<String> {
    prop_oneof![
        40 => (2024i32..=2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => garbage(),
    ]
    .boxed()
}

/// An enum value, now and then an unknown one.
pub fn enumeration(known: i32) -> BoxedStrategy<i32> {
    prop_oneof![40 => 0..=known, 1 => any::<i32>()].boxed()
}

/// Free text (names, codes), now and then arbitrary.
pub fn word() -> BoxedStrategy<String> {
    prop_oneof![
        20 => prop::sample::select(vec!["V1", "V2", "700", "ICTM", "", "AAN CN", "21", "06", "standard", "intra_eu", "BE", "NL"])
            .prop_map(str::to_owned),
        1 => garbage(),
    ]
    .boxed()
}

pub fn small_id() -> BoxedStrategy<i32> {
    prop_oneof![20 => 0i32..5000, 1 => any::<i32>()].boxed()
}

/// A profile that passes the contract check (it may still map nothing), or a fuzzed one, or none.
pub fn profile() -> BoxedStrategy<Option<ExportProfile>> {
    let all = vec![
        ("21", "", "21"),
        ("6", "", "06"),
        ("12", "standard", "12"),
        ("0", "intra_eu", "44"),
        ("0", "exempt", "00"),
    ];
    let mappings = prop_oneof![3 => Just(all.clone()), 1 => prop::sample::subsequence(all, 0..=5)];
    let sane = (0u8..3, mappings).prop_map(|(rounding, mappings)| {
        let mut profile = crate::helpers::profile_proto(
            &[("700", "V1")],
            &mappings,
            ox_proto::config::v1::RoundingPolicy::Unspecified,
        );
        profile.rounding_policy = i32::from(rounding);
        profile
    });
    prop_oneof![12 => sane.prop_map(Some), 6 => fuzzed_profile().prop_map(Some), 1 => Just(None)]
        .boxed()
}

fn fuzzed_profile() -> BoxedStrategy<ExportProfile> {
    let mapping = (rate(), regime(), word()).prop_map(|(rate, regime, octopus_code)| VatMapping {
        rate,
        regime,
        octopus_code,
    });
    let profile = (
        (
            word(),
            word(),
            prop_oneof![20 => Just(1111), 1 => any::<i32>()],
        ),
        prop::collection::btree_map(word(), word(), 0..3),
        prop::collection::vec(mapping, 0..4),
        (small_id(), small_id(), enumeration(2)),
        prop::option::of((0u32..80, 0u32..80, 0u32..80, 0u32..80)),
    )
        .prop_map(
            |(
                (tenant_id, location_name, dossier_id),
                overrides,
                vat_mappings,
                (revenue, receivable, rounding),
                limits,
            )| ExportProfile {
                tenant_id,
                location_name,
                dossier_id,
                journal_overrides: overrides.into_iter().collect(),
                vat_mappings,
                default_revenue_account: revenue,
                default_receivable_account: receivable,
                rounding_policy: rounding,
                field_limits: limits.map(|(name, street_and_nr, city, email)| FieldLimits {
                    name,
                    street_and_nr,
                    city,
                    email,
                }),
            },
        );
    profile.boxed()
}

/// Dossier 1111 in 2025 with journals V1 and V2 and sales codes, a fuzzed snapshot, or none.
pub fn snapshot() -> BoxedStrategy<Option<DossierSnapshot>> {
    let sane = Just(crate::helpers::snapshot_proto(
        vec![crate::helpers::bookyear_2025()],
        vec![
            crate::helpers::sales_journal(3, "V1"),
            crate::helpers::sales_journal(3, "V2"),
        ],
        ["21", "06", "12", "44", "00"]
            .iter()
            .map(|code| crate::helpers::vat_code(code, 2))
            .collect(),
    ));
    prop_oneof![12 => sane.prop_map(Some), 6 => fuzzed_snapshot().prop_map(Some), 1 => Just(None)]
        .boxed()
}

fn fuzzed_snapshot() -> BoxedStrategy<DossierSnapshot> {
    let period = (any::<i32>(), date(), date()).prop_map(|(nr, start_date, end_date)| Period {
        nr,
        start_date,
        end_date,
    });
    let bookyear = (
        small_id(),
        word(),
        date(),
        date(),
        any::<bool>(),
        prop::collection::vec(period, 0..4),
    )
        .prop_map(
            |(id, description, start_date, end_date, closed, periods)| Bookyear {
                id,
                description,
                start_date,
                end_date,
                closed,
                periods,
            },
        );
    let journal = (
        small_id(),
        word(),
        word(),
        word(),
        any::<bool>(),
        (any::<i32>(), any::<i32>(), any::<i32>(), enumeration(5)),
    )
        .prop_map(
            |(
                bookyear_id,
                journal_key,
                name,
                journal_type,
                closed,
                (last, protected, closed_period, insertion),
            )| OctopusJournal {
                bookyear_id,
                journal_key,
                name,
                journal_type,
                closed,
                last_booked_document_nr: last,
                protected_period: protected,
                closed_period,
                insertion_type: insertion,
            },
        );
    let code = (
        word(),
        word(),
        enumeration(4),
        prop_oneof![5 => Just(String::new()), 1 => number()],
    )
        .prop_map(|(code, description, kind, base_percentage)| VatCode {
            code,
            description,
            r#type: kind,
            base_percentage,
        });
    let snapshot = (
        prop_oneof![10 => Just(0), 10 => Just(1111), 1 => any::<i32>()],
        prop::collection::vec(bookyear, 0..3),
        prop::collection::vec(journal, 0..4),
        prop::collection::vec(code, 0..4),
    )
        .prop_map(
            |(dossier_id, bookyears, journals, vat_codes)| DossierSnapshot {
                dossier_id,
                bookyears,
                journals,
                vat_codes,
                accounts: vec![],
            },
        );
    snapshot.boxed()
}
