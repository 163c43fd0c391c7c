//! The rules of a relation that depend on more than one customer field: the country (given, from
//! the VAT number, or Belgium), the Octopus VAT type and the payment term.

use ox_domain::country;
use ox_domain::vat_number::{VatNumber, compact};
use ox_proto::planmanager::v1::Customer;

use crate::domain::customers::CustomerError;

/// Octopus VAT types (relation `vatType`).
pub mod vat_type {
    pub const BE_LIABLE: i32 = 1;
    pub const EU_LIABLE: i32 = 4;
    pub const NON_EU_LIABLE: i32 = 6;
    pub const PRIVATE_BE: i32 = 7;
    pub const PRIVATE_EU: i32 = 8;
    pub const PRIVATE_NON_EU: i32 = 9;
    pub const NOT_LIABLE: i32 = 10;
}

/// The customer's ISO-2 country; without one, the VAT number's country, else Belgium (with a warning).
pub fn resolve_country(
    customer: &Customer,
    warnings: &mut Vec<String>,
) -> Result<&'static str, CustomerError> {
    let id = customer.id;
    let given = customer.country.trim();
    if !given.is_empty() {
        return country::iso2_from_name(given).ok_or_else(|| CustomerError::UnknownCountry {
            id,
            country: given.to_owned(),
        });
    }
    let vat = compact(&customer.vat_number);
    let from_vat = vat
        .get(..2)
        .filter(|prefix| vat.len() > 2 && prefix.bytes().all(|b| b.is_ascii_uppercase()))
        .and_then(|prefix| {
            country::country_of_eu_vat_prefix(prefix).or_else(|| country::iso2_from_name(prefix))
        });
    match from_vat {
        Some(iso) => {
            warnings.push(format!(
                "customer {id} has no country; {iso} is taken from the VAT number"
            ));
            Ok(iso)
        }
        None => {
            warnings.push(format!(
                "customer {id} has no country; Belgium (BE) is assumed"
            ));
            Ok("BE")
        }
    }
}

pub fn vat_type_of(vat: Option<&VatNumber>, is_person: bool, country: &str) -> i32 {
    match vat {
        // A VAT number makes the debtor VAT-liable, even a self-employed person.
        Some(vat) if vat.is_belgian() => vat_type::BE_LIABLE,
        Some(vat) if vat.is_eu() => vat_type::EU_LIABLE,
        Some(_) => vat_type::NON_EU_LIABLE,
        None if !is_person => vat_type::NOT_LIABLE,
        None if country == "BE" => vat_type::PRIVATE_BE,
        None if country::is_eu_member(country) => vat_type::PRIVATE_EU,
        None => vat_type::PRIVATE_NON_EU,
    }
}

/// Octopus's (expirationDays, expirationType): 1 end of month, 2 after the invoice date, (0, 0)
/// to leave Octopus's default when PlanManager has no term.
pub fn expiration(customer: &Customer, warnings: &mut Vec<String>) -> (i32, i32) {
    let mut days = customer.payment_term_days;
    if days < 0 {
        warnings.push(format!(
            "customer {}: payment term of {days} days ignored (negative)",
            customer.id
        ));
        days = 0;
    }
    match (days, customer.payment_term_end_of_month) {
        (_, true) => (days, 1),
        (0, false) => (0, 0),
        (days, false) => (days, 2),
    }
}

#[cfg(test)]
mod tests {
    use ox_domain::vat_number::parse_vat_number;
    use ox_proto::planmanager::v1::CustomerKind;

    use super::*;
    use crate::domain::customers::map_customer;
    use crate::domain::profile::FieldLimits;

    fn customer(id: i64, kind: CustomerKind, name: &str, vat: &str, country: &str) -> Customer {
        Customer {
            id,
            kind: kind as i32,
            name: name.into(),
            vat_number: vat.into(),
            country: country.into(),
            ..Default::default()
        }
    }

    fn map(customer: &Customer) -> Result<crate::domain::MappedRelation, CustomerError> {
        map_customer(&FieldLimits::default(), customer)
    }

    #[test]
    fn types_vat_numbers_and_persons() {
        let vat = |raw: &str, country: &str| parse_vat_number(raw, Some(country)).unwrap();
        let be = vat("BE0412345614", "BE");
        let nl = vat("NL271828183B01", "NL");
        let ch = vat("CHE123456789", "CH");
        assert_eq!(vat_type_of(be.as_ref(), false, "BE"), 1);
        assert_eq!(
            vat_type_of(be.as_ref(), true, "BE"),
            1,
            "a person with a VAT number is liable"
        );
        assert_eq!(vat_type_of(nl.as_ref(), false, "BE"), 4);
        assert_eq!(vat_type_of(ch.as_ref(), false, "CH"), 6);
        assert_eq!(vat_type_of(None, true, "BE"), 7);
        assert_eq!(vat_type_of(None, true, "DE"), 8);
        assert_eq!(vat_type_of(None, true, "CH"), 9);
        assert_eq!(vat_type_of(None, false, "BE"), 10);
        assert_eq!(vat_type_of(None, false, "US"), 10);
    }

    #[test]
    fn derives_the_vat_type_from_kind_country_and_vat_number() {
        let cases = [
            (
                customer(1, CustomerKind::Company, "Garage", "0412.345.614", "BE"),
                1,
                "BE0412.345.614",
            ),
            (
                customer(
                    2,
                    CustomerKind::Leasing,
                    "Lease",
                    "NL271828183B01",
                    "Nederland",
                ),
                4,
                "NL271828183B01",
            ),
            (
                customer(3, CustomerKind::Company, "AG", "CHE-123.456.789", "Schweiz"),
                6,
                "CHE123456789",
            ),
            (
                customer(4, CustomerKind::Insurer, "Verzekeraar", "", "BE"),
                10,
                "",
            ),
            (
                customer(5, CustomerKind::Person, "Dupont", "", "France"),
                8,
                "",
            ),
            (customer(6, CustomerKind::Person, "Smith", "", "US"), 9, ""),
            (
                customer(
                    7,
                    CustomerKind::Person,
                    "Zelfstandige",
                    "BE0498765486",
                    "BE",
                ),
                1,
                "BE0498.765.486",
            ),
            (
                customer(8, CustomerKind::Unspecified, "Onbekend", "", "BE"),
                7,
                "",
            ),
            (
                customer(9, CustomerKind::Company, "GmbH", "123456789", "Deutschland"),
                4,
                "DE123456789",
            ),
        ];
        for (input, vat_type, vat_nr) in cases {
            let relation = map(&input).unwrap().relation;
            assert_eq!(
                (relation.vat_type, relation.vat_nr.as_str()),
                (vat_type, vat_nr),
                "{}",
                input.name
            );
        }
    }

    #[test]
    fn assumes_a_country_when_none_is_given() {
        let mapped = map(&customer(
            15,
            CustomerKind::Company,
            "BV",
            "NL271828183B01",
            "",
        ))
        .unwrap();
        assert_eq!(
            (mapped.relation.country.as_str(), mapped.relation.vat_type),
            ("NL", 4)
        );
        assert_eq!(
            mapped.warnings,
            ["customer 15 has no country; NL is taken from the VAT number"]
        );
        let mapped = map(&customer(16, CustomerKind::Person, "Peeters", "", "")).unwrap();
        assert_eq!(
            (mapped.relation.country.as_str(), mapped.relation.vat_type),
            ("BE", 7)
        );
        assert_eq!(mapped.warnings.len(), 1);
    }

    #[test]
    fn maps_payment_terms_to_expiration() {
        let mut c = customer(18, CustomerKind::Person, "A", "", "BE");
        c.payment_term_days = 30;
        assert_eq!(map(&c).unwrap().relation.expiration_type, 2);
        c.payment_term_end_of_month = true;
        let relation = map(&c).unwrap().relation;
        assert_eq!(
            (relation.expiration_days, relation.expiration_type),
            (30, 1)
        );
    }

    #[test]
    fn resolves_countries_by_name_and_refuses_unknown_ones() {
        let mut warnings = Vec::new();
        let c = customer(1, CustomerKind::Person, "A", "", "Pays-Bas");
        assert_eq!(resolve_country(&c, &mut warnings).unwrap(), "NL");
        let c = customer(2, CustomerKind::Person, "A", "", "Narnia");
        assert!(matches!(
            resolve_country(&c, &mut warnings),
            Err(CustomerError::UnknownCountry { id: 2, .. })
        ));
        assert!(warnings.is_empty());
        let mut c = customer(3, CustomerKind::Person, "A", "", "BE");
        c.payment_term_days = -5;
        assert_eq!(expiration(&c, &mut warnings), (0, 0));
        assert_eq!(warnings.len(), 1);
    }
}
