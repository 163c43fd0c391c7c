//! Countries: names in Dutch, French, English and German (and ISO-2 codes) to ISO-2, EU membership,
//! and the VAT prefix of a country (Greece uses `EL`).

/// Every ISO 3166-1 alpha-2 code (plus XK, widely used for Kosovo).
const ISO2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO \
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE \
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT \
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU \
LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR \
NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG \
VI VN VU WF WS XK YE YT ZA ZM ZW";

/// The 27 member states of the European Union.
const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Names (lower case, without accents, hyphens as spaces) and common abbreviations per country.
const NAMES: &[(&str, &[&str])] = &[
    (
        "BE",
        &["belgie", "belgique", "belgium", "belgien", "b", "bel"],
    ),
    (
        "NL",
        &[
            "nederland",
            "pays bas",
            "netherlands",
            "the netherlands",
            "niederlande",
            "holland",
            "nld",
        ],
    ),
    ("FR", &["frankrijk", "france", "frankreich", "f", "fra"]),
    (
        "DE",
        &[
            "duitsland",
            "allemagne",
            "germany",
            "deutschland",
            "d",
            "deu",
        ],
    ),
    ("LU", &["luxemburg", "luxembourg", "l", "lux"]),
    (
        "GB",
        &[
            "verenigd koninkrijk",
            "royaume uni",
            "united kingdom",
            "vereinigtes konigreich",
            "groot brittannie",
            "grande bretagne",
            "great britain",
            "grossbritannien",
            "uk",
            "gbr",
            "england",
            "engeland",
            "angleterre",
        ],
    ),
    ("IT", &["italie", "italy", "italien", "i"]),
    ("ES", &["spanje", "espagne", "spain", "spanien", "e"]),
    ("PT", &["portugal", "p"]),
    (
        "AT",
        &[
            "oostenrijk",
            "autriche",
            "austria",
            "osterreich",
            "oesterreich",
            "a",
        ],
    ),
    ("CH", &["zwitserland", "suisse", "switzerland", "schweiz"]),
    ("PL", &["polen", "pologne", "poland"]),
    ("DK", &["denemarken", "danemark", "denmark", "daenemark"]),
    ("SE", &["zweden", "suede", "sweden", "schweden"]),
    ("FI", &["finland", "finlande", "finnland"]),
    ("NO", &["noorwegen", "norvege", "norway", "norwegen"]),
    ("IE", &["ierland", "irlande", "ireland", "irland", "irl"]),
    (
        "CZ",
        &[
            "tsjechie",
            "republique tcheque",
            "tchequie",
            "czech republic",
            "czechia",
            "tschechien",
        ],
    ),
    ("SK", &["slowakije", "slovaquie", "slovakia", "slowakei"]),
    ("HU", &["hongarije", "hongrie", "hungary", "ungarn"]),
    ("RO", &["roemenie", "roumanie", "romania", "rumanien"]),
    ("BG", &["bulgarije", "bulgarie", "bulgaria", "bulgarien"]),
    (
        "GR",
        &["griekenland", "grece", "greece", "griechenland", "el"],
    ),
    ("HR", &["kroatie", "croatie", "croatia", "kroatien"]),
    ("SI", &["slovenie", "slovenia", "slowenien"]),
    ("LT", &["litouwen", "lituanie", "lithuania", "litauen"]),
    ("LV", &["letland", "lettonie", "latvia", "lettland"]),
    ("EE", &["estland", "estonie", "estonia"]),
    ("CY", &["cyprus", "chypre", "zypern"]),
    ("MT", &["malta", "malte"]),
    (
        "US",
        &[
            "verenigde staten",
            "etats unis",
            "united states",
            "usa",
            "vereinigte staaten",
        ],
    ),
    ("TR", &["turkije", "turquie", "turkey", "turkei", "turkiye"]),
    ("MA", &["marokko", "maroc", "morocco"]),
];

/// Returns the ISO-2 code of a country given by ISO-2 code or by its Dutch, French, English or
/// German name (case and accents do not matter); `None` when the country is not recognised.
pub fn iso2_from_name(input: &str) -> Option<&'static str> {
    let key = fold(input);
    if key.is_empty() {
        return None;
    }
    // Names first: "EL" (Greece's VAT prefix) and vehicle codes are not ISO-2 codes themselves.
    for (iso, names) in NAMES {
        if names.contains(&key.as_str()) {
            return Some(iso);
        }
    }
    let upper = key.to_ascii_uppercase();
    ISO2.split(' ').find(|code| *code == upper)
}

/// Whether an ISO-2 code is a member state of the European Union.
pub fn is_eu_member(iso2: &str) -> bool {
    EU.contains(&iso2)
}

/// The VAT number prefix of an ISO-2 country: the code itself, except `EL` for Greece.
pub fn vat_prefix(iso2: &str) -> &str {
    if iso2 == "GR" { "EL" } else { iso2 }
}

/// The ISO-2 country of an EU VAT prefix (`EL` → `GR`); `None` for a prefix that is not an EU one.
pub fn country_of_eu_vat_prefix(prefix: &str) -> Option<&'static str> {
    let iso = if prefix == "EL" { "GR" } else { prefix };
    EU.iter().copied().find(|code| *code == iso)
}

/// Lower-cases, strips accents, turns separators into single spaces.
pub(crate) fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().chars().flat_map(char::to_lowercase) {
        let base = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            '-' | '.' | '_' | '\'' => " ",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(base);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_names_in_four_languages_and_iso_codes() {
        for name in [
            "België", "Belgique", "Belgium", "Belgien", "BE", "be", " belgie ",
        ] {
            assert_eq!(iso2_from_name(name), Some("BE"), "{name}");
        }
        for name in ["Nederland", "Pays-Bas", "Netherlands", "Niederlande", "NL"] {
            assert_eq!(iso2_from_name(name), Some("NL"), "{name}");
        }
        for name in ["Frankrijk", "France", "Frankreich"] {
            assert_eq!(iso2_from_name(name), Some("FR"), "{name}");
        }
        for name in ["Duitsland", "Allemagne", "Germany", "Deutschland"] {
            assert_eq!(iso2_from_name(name), Some("DE"), "{name}");
        }
        assert_eq!(iso2_from_name("Luxemburg"), Some("LU"));
        assert_eq!(iso2_from_name("Österreich"), Some("AT"));
        assert_eq!(iso2_from_name("jp"), Some("JP"));
    }

    #[test]
    fn rejects_unknown_countries() {
        assert_eq!(iso2_from_name("Atlantis"), None);
        assert_eq!(iso2_from_name("XX"), None);
        assert_eq!(iso2_from_name(""), None);
    }

    #[test]
    fn knows_the_eu_and_the_greek_vat_prefix() {
        assert!(is_eu_member("NL"));
        assert!(!is_eu_member("CH"));
        assert!(!is_eu_member("GB"));
        assert_eq!(vat_prefix("GR"), "EL");
        assert_eq!(country_of_eu_vat_prefix("EL"), Some("GR"));
        assert_eq!(country_of_eu_vat_prefix("CH"), None);
    }
}
