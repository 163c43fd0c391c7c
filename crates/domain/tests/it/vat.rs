//! VAT numbers: any text is either refused with a reason or normalised to a checked number; the
//! same Belgian number in any notation gives one match key (field cases 3 and 9).

use ox_domain::vat_match::{match_key, same_vat_number};
use ox_domain::vat_number::{belgian_check_digits, is_valid_belgian_digits, parse_vat_number};
use proptest::prelude::*;

/// Ten valid Belgian digits: a leading 0 or 1, seven digits, then the mod-97 check.
fn belgian_digits() -> impl Strategy<Value = String> {
    (0u32..=1, 0u32..10_000_000).prop_filter_map("check digits", |(lead, rest)| {
        let first8 = lead * 10_000_000 + rest;
        let check = belgian_check_digits(first8);
        (first8 > 0 && check < 100).then(|| format!("{first8:08}{check:02}"))
    })
}

/// A Belgian number written the ways people write it.
fn notation(digits: &str, style: u8) -> String {
    let dotted = format!("{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..]);
    match style % 6 {
        0 => format!("BE{digits}"),
        1 => format!("be {dotted}"),
        2 => format!("BE {dotted}"),
        3 => format!("Be-{digits}"),
        4 => dotted,
        _ => format!(" be{digits} "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parses_any_text_without_panicking(raw in any::<String>(), country in "[A-Z]{0,3}") {
        let country = (!country.is_empty()).then_some(country.as_str());
        if let Ok(Some(number)) = parse_vat_number(&raw, country) {
            prop_assert!(!number.compact().contains(|c: char| c.is_whitespace() || ".-/_".contains(c)));
            if number.is_belgian() {
                prop_assert!(is_valid_belgian_digits(&number.compact()[2..]));
                prop_assert_eq!(number.to_octopus().len(), 14);
            }
            let again = parse_vat_number(number.compact(), country).unwrap().unwrap();
            prop_assert_eq!(again.compact(), number.compact());
        }
        let _ = match_key(&raw, country);
    }

    #[test]
    fn one_belgian_number_in_any_notation_has_one_key(
        digits in belgian_digits(),
        a in 0u8..6,
        b in 0u8..6,
    ) {
        let (left, right) = (notation(&digits, a), notation(&digits, b));
        let key = format!("BE{digits}");
        prop_assert_eq!(match_key(&left, Some("BE")), Some(key.clone()));
        prop_assert_eq!(match_key(&right, Some("Belgique")), Some(key));
        if left.trim().to_uppercase().starts_with("BE") && right.trim().to_uppercase().starts_with("BE") {
            prop_assert!(same_vat_number(&left, &right));
        }
        let number = parse_vat_number(&left, Some("BE")).unwrap().unwrap();
        prop_assert_eq!(number.to_octopus(), format!("BE{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..]));
    }

    #[test]
    fn a_wrong_check_digit_is_refused(digits in belgian_digits(), bump in 1u32..97) {
        let first8: u32 = digits[..8].parse().unwrap();
        let check = (belgian_check_digits(first8) + bump) % 100;
        let wrong = format!("BE{first8:08}{check:02}");
        prop_assert!(parse_vat_number(&wrong, Some("BE")).is_err(), "{}", wrong);
    }
}
