//! Party names compared the way a person reads them: case, accents, punctuation, word order and
//! legal forms (NV, BV, SA, GmbH, …) do not matter, so `Ilse Voorbeeld` is `VOORBEELD, ilse` and
//! `Leasing Fictief NV` is `LEASING FICTIEF`. Only to flag possible duplicates for a person
//! (field case 2), never to merge or link relations on its own.

use crate::country;

/// Legal forms left out of a name's key (after dots are removed: `N.V.` → `nv`).
const LEGAL_FORMS: &[&str] = &[
    "nv", "sa", "bv", "bvba", "sprl", "srl", "cv", "cvba", "scrl", "sc", "vof", "snc", "commv",
    "gcv", "scs", "vzw", "asbl", "gmbh", "ag", "kg", "ltd", "llc", "inc", "sarl", "sas", "eurl",
    "bvpa",
];

/// The key two names are compared by: lower-case words without accents or legal forms, sorted.
/// Pass a person's first name and surname together (`"Ilse Voorbeeld"`).
pub fn name_key(name: &str) -> String {
    let folded = country::fold(&name.replace('.', ""));
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !LEGAL_FORMS.contains(word))
        .collect();
    words.sort_unstable();
    words.join(" ")
}

/// Whether two names name the same party by [`name_key`]; names with no words never match.
pub fn same_party_name(a: &str, b: &str) -> bool {
    let key = name_key(a);
    !key.is_empty() && key == name_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_in_another_order_case_or_legal_form() {
        assert!(same_party_name("Ilse Voorbeeld", "Voorbeeld Ilse"));
        assert!(same_party_name("Ilse Voorbeeld", "VOORBEELD, ilse"));
        assert!(same_party_name("Leasing Fictief NV", "LEASING FICTIEF"));
        assert!(same_party_name(
            "Carrosserie Élégance N.V.",
            "carrosserie elegance"
        ));
        assert!(same_party_name(
            "Garage De Smet-Peeters",
            "garage de smet peeters"
        ));
        assert_eq!(name_key("Leasing Fictief NV"), "fictief leasing");
    }

    #[test]
    fn keeps_different_names_apart_and_ignores_empty_ones() {
        assert!(!same_party_name("Garage Demo", "Garage Demo 2"));
        assert!(!same_party_name("Ilse Voorbeeld", "Ilse Voorbeelden"));
        assert!(!same_party_name("NV", "BV"));
        assert!(!same_party_name("", ""));
    }
}
