//! Comparing VAT numbers written differently: `BE 0412.345.614`, `be0412345614` and `0412345614`
//! (of a Belgian party) are one number. Octopus returns VAT numbers formatted; PlanManager stores
//! them as typed. Used to recognise an existing relation, never to merge one on its own.

use crate::country;
use crate::vat_number::{compact, parse_vat_number};

/// The form in which VAT numbers are compared: upper case, country prefix, no separators
/// (`BE0412345614`); `None` when `raw` holds no VAT number at all.
///
/// `country` (an ISO-2 code or a country name in Dutch, French, English or German) supplies the
/// prefix of a number written without one. A number that passes [`parse_vat_number`] gets its
/// canonical form (the old nine-digit Belgian form gains its leading 0, Greece's `GR` becomes
/// `EL`); one that does not is compared as written, compacted, with the country's prefix added to
/// a bare number, so that the same typo on both sides still matches.
pub fn match_key(raw: &str, country: Option<&str>) -> Option<String> {
    let iso = country.and_then(country::iso2_from_name);
    match parse_vat_number(raw, iso) {
        Ok(Some(number)) => Some(number.compact().to_owned()),
        Ok(None) => None,
        Err(_) => {
            let compacted = compact(raw);
            let bare = compacted.starts_with(|c: char| c.is_ascii_digit());
            Some(match iso {
                Some(iso) if bare => format!("{}{compacted}", country::vat_prefix(iso)),
                _ => compacted,
            })
        }
    }
}

/// Whether two VAT numbers are the same once normalised (field case 3: `BE 0412.345.614` and
/// `be0412345614`). Both must carry their country prefix; for a number that may lack it, compare
/// [`match_key`]s built with each party's country instead. Two empty numbers are not the same.
pub fn same_vat_number(a: &str, b: &str) -> bool {
    match (match_key(a, None), match_key(b, None)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_field_case_3_numbers() {
        assert!(same_vat_number("BE 0412.345.614", "be0412345614"));
        assert_eq!(
            match_key("BE 0412.345.614", None).as_deref(),
            Some("BE0412345614")
        );
        assert!(same_vat_number("BE412345614", "BE0412.345.614"));
        assert!(!same_vat_number("BE0412345614", "BE0498765486"));
    }

    #[test]
    fn uses_the_country_for_bare_numbers() {
        assert_eq!(
            match_key("0412.345.614", Some("België")).as_deref(),
            Some("BE0412345614")
        );
        assert_eq!(
            match_key("0412.345.614", Some("BE")),
            match_key("be0412345614", Some("NL"))
        );
        assert!(!same_vat_number("0412.345.614", "BE0412345614"));
        assert_eq!(
            match_key("271828183B01", Some("NL")).as_deref(),
            Some("NL271828183B01")
        );
        assert_eq!(
            match_key("GR123456789", None),
            match_key("el 123 456 789", None)
        );
    }

    #[test]
    fn compares_invalid_numbers_as_written_and_ignores_empty_ones() {
        assert_eq!(
            match_key("be 0412.345.615", None).as_deref(),
            Some("BE0412345615")
        );
        assert_eq!(
            match_key("0412345615", Some("BE")).as_deref(),
            Some("BE0412345615")
        );
        assert_eq!(match_key(" . ", Some("BE")), None);
        assert!(!same_vat_number("", ""));
        assert!(!same_vat_number("BE0412345614", ""));
    }
}
