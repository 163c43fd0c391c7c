//! Rounding to the cent: half away from zero, symmetric, two decimals, never a negative zero.

use ox_domain::money::{format_cents, parse_amount, round_cents};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Decimals with up to 6 decimals, both signs, up to a billion.
fn decimal() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000_000_000i64..=1_000_000_000_000_000, 0u32..=6)
        .prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rounds_to_the_nearest_cent_half_away_from_zero(value in decimal()) {
        let rounded = round_cents(value);
        prop_assert_eq!(rounded.scale(), 2);
        prop_assert!((rounded - value).abs() <= Decimal::new(5, 3));
        prop_assert_eq!(round_cents(-value), -rounded);
        let text = format_cents(value);
        prop_assert!(!text.starts_with("-0.00"), "{}", text);
        prop_assert_eq!(text.split('.').nth(1).map(str::len), Some(2));
        prop_assert_eq!(parse_amount("x", &text).unwrap(), rounded);
    }

    #[test]
    fn parsing_any_text_never_panics(text in any::<String>()) {
        let _ = parse_amount("field", &text);
    }
}
