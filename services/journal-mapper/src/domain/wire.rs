//! Reading the contract's decimal strings: a number, and within the range a body-shop document can
//! hold, so that no later sum or product can overflow. Shared by the request validation at the gRPC
//! edge and by the domain's own parsing.

use rust_decimal::Decimal;

/// The largest amount, either way, that the mapper accepts: a thousand billion.
pub const AMOUNT_LIMIT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Why a wire number was refused; the field and its value are named by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireProblem {
    NotANumber,
    OutOfRange,
    RateOutOfRange,
}

impl WireProblem {
    /// The problem in words, to follow the field's name: "is not a decimal number".
    pub fn describe(self) -> String {
        match self {
            Self::NotANumber => "is not a decimal number".to_owned(),
            Self::OutOfRange => format!("is out of range (at most {AMOUNT_LIMIT} either way)"),
            Self::RateOutOfRange => "is not a VAT rate between 0 and 100 %".to_owned(),
        }
    }
}

/// Parses an amount (or quantity, or percentage) and checks it lies within [`AMOUNT_LIMIT`].
pub fn read_amount(value: &str) -> Result<Decimal, WireProblem> {
    let trimmed = value.trim();
    let Ok(number) = trimmed.parse::<Decimal>() else {
        // A well-formed number that a Decimal cannot hold is too large, not "not a number".
        return Err(if looks_numeric(trimmed) {
            WireProblem::OutOfRange
        } else {
            WireProblem::NotANumber
        });
    };
    if number.abs() > AMOUNT_LIMIT {
        return Err(WireProblem::OutOfRange);
    }
    Ok(number)
}

/// Whether `text` is `[+-]digits[.digits][e[+-]digits]` with at least one digit before the exponent.
fn looks_numeric(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Parses a VAT rate in percent: a number from 0 to 100.
pub fn read_rate(value: &str) -> Result<Decimal, WireProblem> {
    let rate = read_amount(value).map_err(|problem| match problem {
        WireProblem::OutOfRange => WireProblem::RateOutOfRange,
        other => other,
    })?;
    if rate.is_sign_negative() && !rate.is_zero() || rate > Decimal::ONE_HUNDRED {
        return Err(WireProblem::RateOutOfRange);
    }
    Ok(rate)
}

/// A value as messages show it: quoted and escaped, cut after 60 characters.
pub fn shown(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        return format!("{value:?}");
    }
    let head: String = value.chars().take(MAX).collect();
    format!("{head:?}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_within_the_limit() {
        assert_eq!(AMOUNT_LIMIT.to_string(), "1000000000000");
        assert_eq!(read_amount(" 12.50 "), Ok(Decimal::new(1250, 2)));
        assert_eq!(read_amount("-1000000000000"), Ok(-AMOUNT_LIMIT));
        assert_eq!(read_amount("12,50"), Err(WireProblem::NotANumber));
        assert_eq!(read_amount(""), Err(WireProblem::NotANumber));
        assert_eq!(
            read_amount("1000000000000.01"),
            Err(WireProblem::OutOfRange)
        );
        assert_eq!(
            read_amount("79228162514264337593543950335"),
            Err(WireProblem::OutOfRange)
        );
        assert_eq!(
            read_amount("792281625142643375935439503350"),
            Err(WireProblem::OutOfRange)
        );
        assert_eq!(read_amount("-1e30"), Err(WireProblem::OutOfRange));
        assert_eq!(read_amount("1e"), Err(WireProblem::NotANumber));
        assert_eq!(read_amount("."), Err(WireProblem::NotANumber));
        assert_eq!(read_amount("1.2.3"), Err(WireProblem::NotANumber));
    }

    #[test]
    fn reads_rates_from_0_to_100() {
        assert_eq!(read_rate("21"), Ok(Decimal::from(21)));
        assert_eq!(read_rate("-0"), Ok(Decimal::ZERO));
        assert_eq!(read_rate("100"), Ok(Decimal::ONE_HUNDRED));
        assert_eq!(read_rate("100.01"), Err(WireProblem::RateOutOfRange));
        assert_eq!(read_rate("-6"), Err(WireProblem::RateOutOfRange));
        assert_eq!(read_rate("1e20"), Err(WireProblem::RateOutOfRange));
        assert_eq!(read_rate("21%"), Err(WireProblem::NotANumber));
    }

    #[test]
    fn shows_values_quoted_and_short() {
        assert_eq!(shown("12,50"), "\"12,50\"");
        assert_eq!(shown("a\nb"), "\"a\\nb\"");
        let long = "é".repeat(100);
        assert_eq!(shown(&long), format!("\"{}\"…", "é".repeat(60)));
    }
}
