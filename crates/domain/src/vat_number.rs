//! Belgian enterprise (VAT) numbers: the mod-97 check and the `BE0xxx.xxx.xxx` form Octopus wants.

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

/// Formats ten Belgian digits as `BE0xxx.xxx.xxx`.
pub fn format_belgian(digits: &str) -> String {
    format!("BE{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..10])
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
    }
}
