//! VAT numbers: normalisation, the Belgian mod-97 check and the `BE0xxx.xxx.xxx` form Octopus wants,
//! and the format of the other EU countries' numbers.

use crate::{country, vat_formats};

/// Returns the two check digits that make `first8` (the first eight digits) a valid Belgian number.
pub fn belgian_check_digits(first8: u32) -> u32 {
    97 - (first8 % 97)
}

/// Whether ten digits form a valid Belgian enterprise number (leading 0 or 1, mod-97 check).
pub fn is_valid_belgian_digits(digits: &str) -> bool {
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if !digits.starts_with('0') && !digits.starts_with('1') {
        return false;
    }
    let (Ok(first8), Ok(check)) = (digits[..8].parse::<u32>(), digits[8..].parse::<u32>()) else {
        return false;
    };
    belgian_check_digits(first8) == check
}

/// Formats ten Belgian digits as `BE0xxx.xxx.xxx`; anything else comes back as `BE` + the input.
pub fn format_belgian(digits: &str) -> String {
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return format!("BE{digits}");
    }
    format!("BE{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..10])
}

/// Upper-cases and strips spaces, dots, dashes, slashes and underscores: `be 0412.345-614` → `BE0412345614`.
pub fn compact(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/' | '_'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// A checked VAT number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatNumber {
    country: String,
    compact: String,
}

impl VatNumber {
    /// The ISO-2 country that issued it (`GR` for an `EL` number).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The number without separators, prefix included when it has one: `BE0412345614`.
    pub fn compact(&self) -> &str {
        &self.compact
    }

    /// Whether it is a Belgian number.
    pub fn is_belgian(&self) -> bool {
        self.country == "BE"
    }

    /// Whether an EU member state issued it (Belgium included).
    pub fn is_eu(&self) -> bool {
        country::is_eu_member(&self.country)
    }

    /// The form Octopus wants: `BE0xxx.xxx.xxx` for Belgium, the compact form otherwise.
    pub fn to_octopus(&self) -> String {
        if self.is_belgian() {
            format_belgian(&self.compact[2..])
        } else {
            self.compact.clone()
        }
    }
}

/// Why a VAT number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatNumberError {
    /// Ten well-formed Belgian digits whose mod-97 check fails.
    #[error("Belgian VAT checksum invalid: {number}")]
    BelgianChecksum { number: String },
    /// Not BE + 10 digits starting with 0 or 1 (or 9 digits, the old form).
    #[error("{number} is not a Belgian VAT number (BE + 10 digits starting with 0 or 1)")]
    BelgianFormat { number: String },
    /// An EU number whose shape does not fit its country.
    #[error("{number} is not a valid {prefix} VAT number (expected {prefix} + {expected})")]
    EuFormat {
        number: String,
        prefix: String,
        expected: String,
    },
    /// Digits only, and no country to tell whose number it is.
    #[error("{number} has no country prefix and the customer has no country")]
    NoCountry { number: String },
}

/// Normalises and checks a VAT number; `Ok(None)` when it is empty.
///
/// `country_iso2` is the customer's country; it supplies the prefix of a number given without one
/// (`0412.345.614` in Belgium → `BE0412345614`). Belgian numbers get the mod-97 check, other EU
/// numbers a format check per country; numbers from outside the EU are kept as given (compacted).
pub fn parse_vat_number(
    raw: &str,
    country_iso2: Option<&str>,
) -> Result<Option<VatNumber>, VatNumberError> {
    let compacted = compact(raw);
    if compacted.is_empty() {
        return Ok(None);
    }
    let has_prefix = compacted.len() >= 2
        && compacted.is_char_boundary(2)
        && compacted[..2].bytes().all(|b| b.is_ascii_uppercase());
    let (prefix, body) = if has_prefix {
        let prefix = match &compacted[..2] {
            "GR" => "EL",
            other => other,
        };
        (prefix.to_owned(), compacted[2..].to_owned())
    } else {
        let Some(iso) = country_iso2 else {
            return Err(VatNumberError::NoCountry { number: compacted });
        };
        (country::vat_prefix(iso).to_owned(), compacted.clone())
    };
    if prefix == "BE" {
        return parse_belgian(&body).map(Some);
    }
    let Some(country) = country::country_of_eu_vat_prefix(&prefix) else {
        // Outside the EU: no format we can check; keep what the customer gave.
        let country = match country::iso2_from_name(&prefix) {
            Some(iso) if has_prefix => iso.to_owned(),
            _ => country_iso2.unwrap_or_default().to_owned(),
        };
        return Ok(Some(VatNumber {
            country,
            compact: compacted,
        }));
    };
    let patterns = vat_formats::eu_patterns(&prefix).unwrap_or_default();
    if !patterns
        .iter()
        .any(|pattern| vat_formats::matches(&body, pattern))
    {
        let expected = patterns
            .iter()
            .map(|pattern| vat_formats::describe(pattern))
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(VatNumberError::EuFormat {
            number: format!("{prefix}{body}"),
            prefix,
            expected,
        });
    }
    Ok(Some(VatNumber {
        country: country.to_owned(),
        compact: format!("{prefix}{body}"),
    }))
}

/// Checks the part after `BE`: 10 digits starting with 0 or 1, or 9 digits (the old form, gets a 0).
fn parse_belgian(body: &str) -> Result<VatNumber, VatNumberError> {
    let all_digits = !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit());
    let digits = match body.len() {
        9 if all_digits => format!("0{body}"),
        10 if all_digits && (body.starts_with('0') || body.starts_with('1')) => body.to_owned(),
        _ => {
            return Err(VatNumberError::BelgianFormat {
                number: format!("BE{body}"),
            });
        }
    };
    if !is_valid_belgian_digits(&digits) {
        return Err(VatNumberError::BelgianChecksum {
            number: format!("BE{digits}"),
        });
    }
    Ok(VatNumber {
        country: "BE".to_owned(),
        compact: format!("BE{digits}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_field_case_numbers() {
        assert!(is_valid_belgian_digits("0412345614"));
        assert!(!is_valid_belgian_digits("0412345615"));
        assert!(is_valid_belgian_digits("0498765486"));
        assert_eq!(format_belgian("0412345614"), "BE0412.345.614");
        assert_eq!(format_belgian("12"), "BE12");
    }

    fn parse(raw: &str, country: &str) -> Result<Option<VatNumber>, VatNumberError> {
        parse_vat_number(raw, Some(country))
    }

    #[test]
    fn normalises_belgian_numbers_in_any_notation() {
        for raw in [
            "0412.345.614",
            "be0412345614",
            "BE 0412 345 614",
            "412345614",
            "BE-0412/345.614",
        ] {
            let number = parse(raw, "BE").unwrap().unwrap();
            assert_eq!(number.compact(), "BE0412345614", "{raw}");
            assert_eq!(number.to_octopus(), "BE0412.345.614", "{raw}");
            assert!(number.is_belgian() && number.is_eu());
        }
    }

    #[test]
    fn refuses_a_bad_belgian_checksum_or_shape() {
        assert_eq!(
            parse("BE0412345615", "BE").unwrap_err().to_string(),
            "Belgian VAT checksum invalid: BE0412345615"
        );
        assert_eq!(
            parse("BE2412345614", "BE").unwrap_err(),
            VatNumberError::BelgianFormat {
                number: "BE2412345614".into()
            }
        );
        assert!(matches!(
            parse("BE04123", "NL"),
            Err(VatNumberError::BelgianFormat { .. })
        ));
    }

    #[test]
    fn checks_other_eu_numbers_by_their_format() {
        let nl = parse("NL271828183B01", "NL").unwrap().unwrap();
        assert_eq!(
            (nl.country(), nl.to_octopus().as_str()),
            ("NL", "NL271828183B01")
        );
        assert!(!nl.is_belgian() && nl.is_eu());
        let de = parse("123456789", "DE").unwrap().unwrap();
        assert_eq!(de.compact(), "DE123456789");
        let gr = parse("GR123456789", "GR").unwrap().unwrap();
        assert_eq!((gr.country(), gr.compact()), ("GR", "EL123456789"));
        assert_eq!(
            parse("NL27182818B01", "NL").unwrap_err().to_string(),
            "NL27182818B01 is not a valid NL VAT number (expected NL + 9 digits, B, 2 digits)"
        );
    }

    #[test]
    fn keeps_numbers_from_outside_the_eu_and_empty_ones() {
        let ch = parse("CHE-123.456.789 MWST", "CH").unwrap().unwrap();
        assert_eq!((ch.country(), ch.compact()), ("CH", "CHE123456789MWST"));
        assert!(!ch.is_eu());
        assert_eq!(parse(" .- ", "BE").unwrap(), None);
        assert!(matches!(
            parse_vat_number("0412345614", None),
            Err(VatNumberError::NoCountry { .. })
        ));
    }
}
