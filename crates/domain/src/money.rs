//! Money is `rust_decimal::Decimal` everywhere and a decimal string on the wire.

use std::str::FromStr as _;

use rust_decimal::{Decimal, RoundingStrategy};

/// A wire amount that is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is not a decimal amount: {value:?}")]
pub struct MoneyError {
    pub field: &'static str,
    pub value: String,
}

/// Parses a decimal string from the wire; `field` names it in the error.
pub fn parse_amount(field: &'static str, value: &str) -> Result<Decimal, MoneyError> {
    Decimal::from_str(value.trim()).map_err(|_| MoneyError {
        field,
        value: value.to_owned(),
    })
}

/// Rounds to the cent, half away from zero, and keeps exactly two decimals.
pub fn round_cents(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    // -0.004 (or a negated zero) rounds to a negative zero, which would print as "-0.00".
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// Formats an amount for the wire: rounded to the cent, exactly two decimals (`"36.30"`).
pub fn format_cents(value: Decimal) -> String {
    round_cents(value).to_string()
}

/// Formats a difference with an explicit sign and two decimals (`"+0.01"`, `"-0.02"`, `"0.00"`).
pub fn format_signed_cents(value: Decimal) -> String {
    let rounded = round_cents(value);
    if rounded > Decimal::ZERO {
        format!("+{rounded}")
    } else {
        rounded.to_string()
    }
}

/// Formats a percentage without trailing zeros (`"21.00"` → `"21"`, `"5.50"` → `"5.5"`).
pub fn format_percent(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_to_two_decimals() {
        assert_eq!(round_cents(Decimal::new(6305, 3)).to_string(), "6.31");
        assert_eq!(round_cents(Decimal::new(-6305, 3)).to_string(), "-6.31");
        assert_eq!(round_cents(Decimal::from(100)).to_string(), "100.00");
    }

    #[test]
    fn never_writes_a_negative_zero() {
        assert_eq!(format_cents(-Decimal::ZERO), "0.00");
        assert_eq!(format_cents(Decimal::new(-4, 3)), "0.00");
        assert_eq!(format_cents(-(Decimal::ONE - Decimal::ONE)), "0.00");
        assert_eq!(format_signed_cents(Decimal::new(-4, 3)), "0.00");
        assert!(!round_cents(-Decimal::ZERO).is_sign_negative());
    }

    #[test]
    fn rejects_text_that_is_not_a_number() {
        let error = parse_amount("total_incl", "12,50").unwrap_err();
        assert_eq!(
            error.to_string(),
            "total_incl is not a decimal amount: \"12,50\""
        );
        assert_eq!(parse_amount("x", " 12.50 ").unwrap(), Decimal::new(1250, 2));
    }

    #[test]
    fn formats_cents_signs_and_percentages() {
        assert_eq!(format_cents(Decimal::new(363, 1)), "36.30");
        assert_eq!(format_signed_cents(Decimal::new(1, 2)), "+0.01");
        assert_eq!(format_signed_cents(Decimal::new(-2, 2)), "-0.02");
        assert_eq!(format_signed_cents(Decimal::ZERO), "0.00");
        assert_eq!(format_percent(Decimal::new(2100, 2)), "21");
        assert_eq!(format_percent(Decimal::new(550, 2)), "5.5");
    }
}
