//! Checksum-valid identifiers for the sample: Belgian, Dutch, French and German VAT numbers,
//! Belgian IBANs, structured payment references (OGM) and number plates. All fictitious.

use ox_domain::vat_number::belgian_check_digits;

use super::rng::Rng;

/// Ten valid Belgian enterprise-number digits ("0" + 7 random digits + mod-97 check).
pub(crate) fn belgian_vat_digits(rng: &mut Rng) -> String {
    let first8 = rng.between(2_000_000, 9_999_999) as u32;
    format!("{first8:08}{:02}", belgian_check_digits(first8))
}

/// A Belgian VAT number written the ways people type it in PlanManager.
pub(crate) fn belgian_vat_as_typed(rng: &mut Rng) -> String {
    let d = belgian_vat_digits(rng);
    match rng.weighted(&[60, 20, 10, 10]) {
        0 => format!("BE{}.{}.{}", &d[..4], &d[4..7], &d[7..]),
        1 => format!("BE {} {} {}", &d[..4], &d[4..7], &d[7..]),
        2 => format!("{}.{}.{}", &d[..4], &d[4..7], &d[7..]),
        _ => format!("BE{d}"),
    }
}

/// A Dutch VAT number in the classic form with a mod-11 checked nine-digit base ("NL…B01").
pub(crate) fn dutch_vat(rng: &mut Rng) -> String {
    loop {
        let digits: Vec<u32> = (0..8).map(|_| rng.below(10) as u32).collect();
        let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let check = sum % 11;
        if check < 10 {
            let base: String = digits.iter().map(u32::to_string).collect();
            return format!("NL{base}{check}B01");
        }
    }
}

/// Appends the Luhn check digit to `digits`.
fn with_luhn(digits: &str) -> String {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, byte)| {
            let d = u32::from(byte - b'0');
            // Positions are counted after the check digit is appended, so even ones double here.
            if i % 2 == 0 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// A French VAT number: key (12 + 3 × (SIREN mod 97)) mod 97, then a Luhn-valid SIREN.
pub(crate) fn french_vat(rng: &mut Rng) -> String {
    let siren = with_luhn(&format!("{:08}", rng.between(10_000_000, 99_999_999)));
    let key = (12 + 3 * (siren.parse::<u64>().expect("nine digits") % 97)) % 97;
    format!("FR{key:02}{siren}")
}

/// A German VAT number: eight digits and an ISO 7064 MOD 11,10 check digit.
pub(crate) fn german_vat(rng: &mut Rng) -> String {
    let base = format!("{:08}", rng.between(10_000_000, 99_999_999));
    format!("DE{base}{}", german_check_digit(&base))
}

/// ISO 7064 MOD 11,10 over eight digits.
fn german_check_digit(base: &str) -> u32 {
    let mut product = 10;
    for byte in base.bytes() {
        let mut sum = (u32::from(byte - b'0') + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    (11 - product) % 10
}

fn mod97(digits: &str) -> u64 {
    digits
        .bytes()
        .fold(0, |rest, byte| (rest * 10 + u64::from(byte - b'0')) % 97)
}

/// A Belgian IBAN with a valid account check and IBAN check, grouped by four as people write it.
pub(crate) fn belgian_iban(rng: &mut Rng) -> String {
    let account = format!("{:010}", rng.between(1_000_000_000, 9_999_999_999));
    let check = match mod97(&account) {
        0 => 97,
        rest => rest,
    };
    let bban = format!("{account}{check:02}");
    let iban_check = 98 - mod97(&format!("{bban}111400"));
    let iban = format!("BE{iban_check:02}{bban}");
    let groups: Vec<&str> = (0..iban.len())
        .step_by(4)
        .map(|i| &iban[i..(i + 4).min(iban.len())])
        .collect();
    groups.join(" ")
}

/// A Belgian structured reference (OGM) `+++ddd/dddd/ddddd+++` for a ten-digit base.
pub(crate) fn structured_reference(base: u64) -> String {
    let base = base % 10_000_000_000;
    let check = match base % 97 {
        0 => 97,
        rest => rest,
    };
    let digits = format!("{base:010}{check:02}");
    format!("+++{}/{}/{}+++", &digits[..3], &digits[3..7], &digits[7..])
}

/// A Belgian number plate such as `1-ABC-123`.
pub(crate) fn plate(rng: &mut Rng) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTVWXYZ";
    let letters: String = (0..3).map(|_| char::from(*rng.pick(LETTERS))).collect();
    format!("{}-{letters}-{:03}", rng.between(1, 2), rng.between(1, 999))
}

#[cfg(test)]
mod tests {
    use ox_domain::vat_number::is_valid_belgian_digits;

    use super::*;

    fn nl_valid(vat: &str) -> bool {
        let d: Vec<u32> = vat[2..11].bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = d[..8].iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        sum % 11 == d[8] && vat.ends_with("B01")
    }

    #[test]
    fn known_numbers_pass_the_same_rules() {
        // Published example numbers: NL004495445B01, FR40303265045, DE136695976, BE68539007547034.
        assert!(nl_valid("NL004495445B01"));
        assert_eq!(with_luhn("30326504"), "303265045");
        assert_eq!(german_check_digit("13669597"), 6);
        assert_eq!(mod97("539007547034111400"), 98 - 68);
        assert_eq!(structured_reference(1_234_567_890), "+++123/4567/89002+++");
    }

    #[test]
    fn generated_numbers_are_valid() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            assert!(is_valid_belgian_digits(&belgian_vat_digits(&mut rng)));
            assert!(nl_valid(&dutch_vat(&mut rng)));
            let fr = french_vat(&mut rng);
            let siren: u64 = fr[4..].parse().unwrap();
            assert_eq!(
                fr[2..4].parse::<u64>().unwrap(),
                (12 + 3 * (siren % 97)) % 97
            );
            let de = german_vat(&mut rng);
            assert_eq!(
                de[10..].parse::<u32>().unwrap(),
                german_check_digit(&de[2..10])
            );
            let iban: String = belgian_iban(&mut rng).split(' ').collect();
            let rearranged = format!("{}111400", &iban[4..]);
            assert_eq!(mod97(&rearranged), 98 - iban[2..4].parse::<u64>().unwrap());
        }
    }
}
