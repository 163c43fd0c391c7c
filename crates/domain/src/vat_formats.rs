//! The shape of each EU country's VAT number after its prefix, as tiny patterns (no regex):
//! `#` a digit, `@` a letter, `*` a letter or digit, `?` a letter, digit, `+` or `*`; any other
//! character stands for itself.

/// The accepted patterns of the part after the prefix, per EU VAT prefix (`BE` has its own rules).
const PATTERNS: &[(&str, &[&str])] = &[
    ("AT", &["U########"]),
    ("BG", &["#########", "##########"]),
    ("CY", &["########@"]),
    ("CZ", &["########", "#########", "##########"]),
    ("DE", &["#########"]),
    ("DK", &["########"]),
    ("EE", &["#########"]),
    ("EL", &["#########"]),
    ("ES", &["*#######*"]),
    ("FI", &["########"]),
    ("FR", &["**#########"]),
    ("HR", &["###########"]),
    ("HU", &["########"]),
    ("IE", &["#######@", "#?#####@", "#######@@"]),
    ("IT", &["###########"]),
    ("LT", &["#########", "############"]),
    ("LU", &["########"]),
    ("LV", &["###########"]),
    ("MT", &["########"]),
    ("NL", &["#########B##"]),
    ("PL", &["##########"]),
    ("PT", &["#########"]),
    (
        "RO",
        &[
            "##",
            "###",
            "####",
            "#####",
            "######",
            "#######",
            "########",
            "#########",
            "##########",
        ],
    ),
    ("SE", &["############"]),
    ("SI", &["########"]),
    ("SK", &["##########"]),
];

/// The patterns for an EU VAT prefix other than `BE`; `None` when the prefix is not one.
pub fn eu_patterns(prefix: &str) -> Option<&'static [&'static str]> {
    PATTERNS
        .iter()
        .find(|(code, _)| *code == prefix)
        .map(|(_, patterns)| *patterns)
}

/// Whether `body` (upper case, no separators) matches `pattern` exactly.
pub fn matches(body: &str, pattern: &str) -> bool {
    if body.chars().count() != pattern.chars().count() {
        return false;
    }
    body.chars().zip(pattern.chars()).all(|(c, p)| match p {
        '#' => c.is_ascii_digit(),
        '@' => c.is_ascii_uppercase(),
        '*' => c.is_ascii_digit() || c.is_ascii_uppercase(),
        '?' => c.is_ascii_digit() || c.is_ascii_uppercase() || c == '+' || c == '*',
        literal => c == literal,
    })
}

/// Describes a pattern in words, e.g. `#########B##` → "9 digits, B, 2 digits".
pub fn describe(pattern: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut run = 1;
        while i + run < chars.len() && chars[i + run] == c {
            run += 1;
        }
        let (one, many) = match c {
            '#' => ("digit", "digits"),
            '@' => ("letter", "letters"),
            '*' => ("letter or digit", "letters or digits"),
            '?' => ("letter, digit, + or *", "letters, digits, + or *"),
            _ => ("", ""),
        };
        if one.is_empty() {
            parts.push(c.to_string().repeat(run));
        } else if run == 1 {
            parts.push(format!("1 {one}"));
        } else {
            parts.push(format!("{run} {many}"));
        }
        i += run;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_dutch_and_french_shapes() {
        let nl = eu_patterns("NL").unwrap();
        assert!(nl.iter().any(|p| matches("271828183B01", p)));
        assert!(!nl.iter().any(|p| matches("27182818B01", p)));
        assert!(!nl.iter().any(|p| matches("271828183X01", p)));
        let fr = eu_patterns("FR").unwrap();
        assert!(fr.iter().any(|p| matches("AB123456789", p)));
        assert!(fr.iter().any(|p| matches("12123456789", p)));
        assert!(!fr.iter().any(|p| matches("A123456789", p)));
    }

    #[test]
    fn matches_german_luxembourg_and_irish_shapes() {
        assert!(matches("123456789", eu_patterns("DE").unwrap()[0]));
        assert!(!matches("12345678", eu_patterns("DE").unwrap()[0]));
        assert!(matches("12345678", eu_patterns("LU").unwrap()[0]));
        let ie = eu_patterns("IE").unwrap();
        assert!(ie.iter().any(|p| matches("1234567T", p)));
        assert!(ie.iter().any(|p| matches("1+23456T", p)));
        assert!(ie.iter().any(|p| matches("1234567WA", p)));
        assert!(!ie.iter().any(|p| matches("12345678", p)));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(!matches("12345678É", "########@"));
    }

    #[test]
    fn describes_patterns_in_words() {
        assert_eq!(describe("#########B##"), "9 digits, B, 2 digits");
        assert_eq!(describe("U########"), "U, 8 digits");
        assert_eq!(describe("**#########"), "2 letters or digits, 9 digits");
        assert_eq!(eu_patterns("BE"), None);
        assert_eq!(eu_patterns("CH"), None);
    }
}
