//! Small pieces of a relation: the street line, the invoice language, cutting over-long values on
//! character boundaries, and the stable payload hash.

use ox_proto::gateway::v1::Relation;
use sha2::{Digest as _, Sha256};

/// `street number bus box`, leaving out the parts that are empty.
pub fn street_and_nr(street: &str, number: &str, box_nr: &str) -> String {
    let mut line = [street.trim(), number.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let box_nr = box_nr.trim();
    if !box_nr.is_empty() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str("bus ");
        line.push_str(box_nr);
    }
    line
}

/// Octopus's `factLanguage` of a PlanManager language (0 NL, 1 FR, 2 EN, 3 DE), or `None` when the
/// language is not one of these. Accepts "nl", "NL", "nl-BE", "fr_BE".
pub fn fact_language(language: &str) -> Option<i32> {
    let code: String = language.trim().chars().take(2).collect();
    match code.to_ascii_lowercase().as_str() {
        "nl" => Some(0),
        "fr" => Some(1),
        "en" => Some(2),
        "de" => Some(3),
        _ => None,
    }
}

/// Cuts `value` to `limit` characters (0 = no limit); `None` when it already fits.
pub fn cut(value: &str, limit: usize) -> Option<String> {
    if limit == 0 || value.chars().count() <= limit {
        return None;
    }
    Some(
        value
            .chars()
            .take(limit)
            .collect::<String>()
            .trim_end()
            .to_owned(),
    )
}

/// Hex SHA-256 of the relation's canonical JSON: the same relation always gives the same hash.
pub fn payload_hash(relation: &Relation) -> String {
    let id = relation.id.unwrap_or_default();
    let canonical = Canonical {
        version: 1,
        relation_key: id.relation_key,
        external_relation_id: id.external_relation_id,
        name: &relation.name,
        first_name: &relation.first_name,
        client: relation.client,
        supplier: relation.supplier,
        street_and_nr: &relation.street_and_nr,
        postal_code: &relation.postal_code,
        city: &relation.city,
        country: &relation.country,
        vat_nr: &relation.vat_nr,
        vat_type: relation.vat_type,
        fact_language: relation.fact_language,
        email: &relation.email,
        telephone: &relation.telephone,
        iban_account_nr: &relation.iban_account_nr,
        bic_code: &relation.bic_code,
        remarks: &relation.remarks,
        currency_code: &relation.currency_code,
        default_booking_account_client: relation.default_booking_account_client,
        expiration_days: relation.expiration_days,
        expiration_type: relation.expiration_type,
        active: relation.active,
    };
    let json = serde_json::to_vec(&canonical)
        .expect("a struct of strings, integers and booleans always serialises");
    Sha256::digest(&json)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Every relation field in a fixed order; `version` changes when the mapping changes on purpose.
#[derive(serde::Serialize)]
struct Canonical<'a> {
    version: u32,
    relation_key: i32,
    external_relation_id: i32,
    name: &'a str,
    first_name: &'a str,
    client: bool,
    supplier: bool,
    street_and_nr: &'a str,
    postal_code: &'a str,
    city: &'a str,
    country: &'a str,
    vat_nr: &'a str,
    vat_type: i32,
    fact_language: i32,
    email: &'a str,
    telephone: &'a str,
    iban_account_nr: &'a str,
    bic_code: &'a str,
    remarks: &'a str,
    currency_code: &'a str,
    default_booking_account_client: i32,
    expiration_days: i32,
    expiration_type: i32,
    active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_street_line_from_its_parts() {
        assert_eq!(street_and_nr("Proefstraat", "7", ""), "Proefstraat 7");
        assert_eq!(
            street_and_nr(" Kerkstraat ", "12", "3"),
            "Kerkstraat 12 bus 3"
        );
        assert_eq!(street_and_nr("", "", "B"), "bus B");
        assert_eq!(street_and_nr("", "", ""), "");
    }

    #[test]
    fn maps_languages_to_fact_language() {
        assert_eq!(fact_language("nl"), Some(0));
        assert_eq!(fact_language("FR"), Some(1));
        assert_eq!(fact_language("en"), Some(2));
        assert_eq!(fact_language("de-BE"), Some(3));
        assert_eq!(fact_language("it"), None);
        assert_eq!(fact_language(""), None);
    }

    #[test]
    fn cuts_on_character_boundaries() {
        assert_eq!(cut("Garage Demo", 40), None);
        assert_eq!(cut("Garage Demo", 0), None);
        assert_eq!(cut("Élégance Carrosserie", 8).as_deref(), Some("Élégance"));
        assert_eq!(cut("ÉÉÉÉ", 2).as_deref(), Some("ÉÉ"));
        assert_eq!(cut("ab cd", 3).as_deref(), Some("ab"));
    }

    #[test]
    fn hashes_the_same_relation_the_same_way() {
        let relation = Relation {
            name: "Voorbeeld".into(),
            vat_type: 7,
            ..Default::default()
        };
        let hash = payload_hash(&relation);
        assert_eq!(hash.len(), 64);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash, payload_hash(&relation.clone()));
        let changed = Relation {
            vat_type: 1,
            ..relation
        };
        assert_ne!(hash, payload_hash(&changed));
    }
}
