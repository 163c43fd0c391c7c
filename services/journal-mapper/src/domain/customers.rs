//! `MapCustomers`: a PlanManager customer becomes an Octopus relation identified by its external
//! relation id (the PlanManager customer id), with a checked VAT number and VAT type, ISO country,
//! invoice language and payment term; over-long values are cut and kept whole in the remarks.

use ox_domain::vat_number::{VatNumber, VatNumberError, compact, parse_vat_number};
use ox_proto::gateway::v1::{Relation, RelationRef};
use ox_proto::mapping::v1::MappedCustomer;
use ox_proto::planmanager::v1::{Customer, CustomerKind};

use crate::domain::customer_rules::{expiration, resolve_country, vat_type_of};
use crate::domain::profile::FieldLimits;
use crate::domain::relation_fields::{cut, fact_language, payload_hash, street_and_nr};

/// Why a customer cannot become a relation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error(
        "customer {id} cannot be stored in Octopus: its id must be between 1 and 2147483647 to serve \
         as the external relation id"
    )]
    IdOutOfRange { id: i64 },
    #[error("customer {id} has no name")]
    NoName { id: i64 },
    #[error(
        "customer {id} has an unknown country {country:?}: use an ISO code (BE, NL, FR, …) or the \
         country's name in Dutch, French, English or German"
    )]
    UnknownCountry { id: i64, country: String },
    #[error("Belgian VAT checksum invalid for customer {id}: {number}")]
    BelgianChecksum { id: i64, number: String },
    #[error("the VAT number of customer {id} is invalid: {reason}")]
    InvalidVat { id: i64, reason: VatNumberError },
}

/// A customer's relation, its payload hash and what was changed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedRelation {
    pub relation: Relation,
    pub payload_hash: String,
    pub warnings: Vec<String>,
}

/// Maps customers in request order; a bad customer gets an error, the others carry on.
pub fn map_customers(limits: &FieldLimits, customers: &[Customer]) -> Vec<MappedCustomer> {
    customers
        .iter()
        .map(|customer| match map_customer(limits, customer) {
            Ok(mapped) => MappedCustomer {
                customer_id: customer.id,
                relation: Some(mapped.relation),
                payload_hash: mapped.payload_hash,
                error: String::new(),
                warnings: mapped.warnings,
            },
            Err(error) => MappedCustomer {
                customer_id: customer.id,
                error: error.to_string(),
                ..Default::default()
            },
        })
        .collect()
}

/// Maps one customer to an Octopus relation.
pub fn map_customer(
    limits: &FieldLimits,
    customer: &Customer,
) -> Result<MappedRelation, CustomerError> {
    let id = customer.id;
    let external_id = i32::try_from(id)
        .ok()
        .filter(|external| *external > 0)
        .ok_or(CustomerError::IdOutOfRange { id })?;
    let name = customer.name.trim();
    if name.is_empty() {
        return Err(CustomerError::NoName { id });
    }
    let mut warnings = Vec::new();
    let country = resolve_country(customer, &mut warnings)?;
    // Text without a single digit ("n.v.t.", "geen", "-") says there is no VAT number; it is
    // not a malformed one, and sending it would only make Octopus refuse the relation.
    let raw_vat = if customer.vat_number.chars().any(|c| c.is_ascii_digit()) {
        customer.vat_number.as_str()
    } else {
        if !customer.vat_number.trim().is_empty() {
            warnings.push(format!(
                "customer {id}: VAT number field {:?} holds no number; sent without a VAT number",
                customer.vat_number.trim()
            ));
        }
        ""
    };
    let vat = parse_vat_number(raw_vat, Some(country)).map_err(|reason| match reason {
        VatNumberError::BelgianChecksum { number } => CustomerError::BelgianChecksum { id, number },
        reason => CustomerError::InvalidVat { id, reason },
    })?;
    if let Some(vat) = &vat
        && vat.country() != country
    {
        warnings.push(format!(
            "customer {id}: VAT number {} is from {} while the address is in {country}",
            vat.compact(),
            vat.country()
        ));
    }
    let kind = CustomerKind::try_from(customer.kind).unwrap_or(CustomerKind::Unspecified);
    // An unspecified kind with a VAT number is a business; without one, a private person.
    let is_person = match kind {
        CustomerKind::Person => true,
        CustomerKind::Company | CustomerKind::Insurer | CustomerKind::Leasing => false,
        CustomerKind::Unspecified => vat.is_none(),
    };
    let first_name = if is_person {
        customer.first_name.trim()
    } else {
        ""
    };

    let fact_language = fact_language(&customer.language).unwrap_or_else(|| {
        let language = customer.language.trim();
        if language.is_empty() {
            0
        } else {
            warnings.push(format!(
                "customer {id}: language {language:?} is not one Octopus invoices in (nl, fr, en, de); \
                 English is used"
            ));
            2
        }
    });
    let (expiration_days, expiration_type) = expiration(customer, &mut warnings);

    let mut remarks = Vec::new();
    let mut limited = |label: &str, value: String, limit: usize| -> String {
        match cut(&value, limit) {
            Some(short) => {
                warnings.push(format!(
                    "customer {id}: {label} has {} characters and Octopus keeps {limit}; it is cut to \
                     {short:?} and kept whole in the remarks",
                    value.chars().count()
                ));
                remarks.push(format!("{label}: {value}"));
                short
            }
            None => value,
        }
    };
    let name = limited("name", name.to_owned(), limits.name);
    let street = street_and_nr(&customer.street, &customer.house_number, &customer.r#box);
    let street_and_nr = limited("street", street, limits.street_and_nr);
    let city = limited("city", customer.city.trim().to_owned(), limits.city);
    let email = limited("email", customer.email.trim().to_owned(), limits.email);

    let relation = Relation {
        id: Some(RelationRef {
            relation_key: 0,
            external_relation_id: external_id,
        }),
        name,
        first_name: first_name.to_owned(),
        client: true,
        supplier: false,
        street_and_nr,
        postal_code: customer.postal_code.trim().to_owned(),
        city,
        country: country.to_owned(),
        vat_nr: vat.as_ref().map(VatNumber::to_octopus).unwrap_or_default(),
        vat_type: vat_type_of(vat.as_ref(), is_person, country),
        fact_language,
        email,
        telephone: customer.phone.trim().to_owned(),
        iban_account_nr: compact(&customer.iban),
        bic_code: customer.bic.trim().to_uppercase(),
        remarks: remarks.join("\n"),
        currency_code: "EUR".to_owned(),
        default_booking_account_client: 0,
        expiration_days,
        expiration_type,
        active: true,
    };
    let payload_hash = payload_hash(&relation);
    Ok(MappedRelation {
        relation,
        payload_hash,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn map(customer: &Customer) -> Result<MappedRelation, CustomerError> {
        map_customer(&FieldLimits::default(), customer)
    }

    #[test]
    fn a_vat_field_without_digits_means_no_vat_number() {
        let company = customer(
            4005,
            CustomerKind::Company,
            "Carrosserie Nvt",
            "n.v.t.",
            "BE",
        );
        let mapped = map(&company).unwrap();
        assert_eq!(mapped.relation.vat_nr, "");
        assert_eq!(mapped.relation.vat_type, 10, "a company without VAT number");
        assert!(
            mapped
                .warnings
                .iter()
                .any(|w| w.contains("\"n.v.t.\" holds no number")),
            "{:?}",
            mapped.warnings
        );
    }

    #[test]
    fn maps_a_private_person_with_address_and_language() {
        let person = Customer {
            first_name: "Ilse".into(),
            street: "Proefstraat".into(),
            house_number: "7".into(),
            r#box: "2".into(),
            postal_code: "9000".into(),
            city: "Gent".into(),
            language: "fr".into(),
            email: " ilse.voorbeeld@example.invalid ".into(),
            ..customer(1001, CustomerKind::Person, " Voorbeeld ", "", "België")
        };
        let mapped = map(&person).unwrap();
        let relation = &mapped.relation;
        assert_eq!(
            relation.id,
            Some(RelationRef {
                relation_key: 0,
                external_relation_id: 1001
            })
        );
        assert_eq!(
            (relation.name.as_str(), relation.first_name.as_str()),
            ("Voorbeeld", "Ilse")
        );
        assert_eq!(relation.street_and_nr, "Proefstraat 7 bus 2");
        assert_eq!((relation.country.as_str(), relation.vat_type), ("BE", 7));
        assert_eq!(relation.fact_language, 1);
        assert_eq!(relation.email, "ilse.voorbeeld@example.invalid");
        assert!(relation.client && !relation.supplier && relation.active);
        assert_eq!(relation.currency_code, "EUR");
        assert_eq!(
            (relation.vat_nr.as_str(), relation.telephone.as_str()),
            ("", "")
        );
        assert_eq!((relation.expiration_days, relation.expiration_type), (0, 0));
        assert!(mapped.warnings.is_empty(), "{:?}", mapped.warnings);
    }

    #[test]
    fn keeps_the_first_name_of_persons_only() {
        let mut insurer = customer(10, CustomerKind::Insurer, "Verzekering NV", "", "BE");
        insurer.first_name = "Jan".into();
        assert_eq!(map(&insurer).unwrap().relation.first_name, "");
    }

    #[test]
    fn refuses_bad_ids_names_countries_and_vat_numbers() {
        let error = |c: Customer| map(&c).unwrap_err().to_string();
        assert!(
            error(customer(0, CustomerKind::Person, "A", "", "BE"))
                .contains("between 1 and 2147483647")
        );
        assert!(matches!(
            map(&customer(
                i64::from(i32::MAX) + 1,
                CustomerKind::Person,
                "A",
                "",
                "BE"
            )),
            Err(CustomerError::IdOutOfRange { .. })
        ));
        assert_eq!(
            error(customer(11, CustomerKind::Company, "  ", "", "BE")),
            "customer 11 has no name"
        );
        assert!(
            error(customer(12, CustomerKind::Company, "A", "", "Atlantis"))
                .starts_with("customer 12 has an unknown country \"Atlantis\"")
        );
        assert_eq!(
            error(customer(
                13,
                CustomerKind::Company,
                "A",
                "BE0412345615",
                "BE"
            )),
            "Belgian VAT checksum invalid for customer 13: BE0412345615"
        );
        assert_eq!(
            error(customer(14, CustomerKind::Company, "A", "FR123", "FR")),
            "the VAT number of customer 14 is invalid: FR123 is not a valid FR VAT number \
             (expected FR + 2 letters or digits, 9 digits)"
        );
    }

    #[test]
    fn warns_about_unknown_languages_and_foreign_vat_numbers() {
        let mut c = customer(17, CustomerKind::Company, "BV", "NL271828183B01", "BE");
        c.language = "it".into();
        let mapped = map(&c).unwrap();
        assert_eq!(mapped.relation.fact_language, 2);
        assert_eq!(mapped.warnings.len(), 2, "{:?}", mapped.warnings);
        assert!(mapped.warnings[0].contains("is from NL while the address is in BE"));
    }

    #[test]
    fn cuts_long_values_and_keeps_them_in_the_remarks() {
        let mut c = customer(
            19,
            CustomerKind::Company,
            "Carrosserie Élégance et Fils — Réparations Générales",
            "",
            "BE",
        );
        c.city = "Sint-Pieters-Leeuw".into();
        let mapped = map(&c).unwrap();
        assert_eq!(mapped.relation.name.chars().count(), 40);
        assert!(
            mapped
                .relation
                .name
                .starts_with("Carrosserie Élégance et Fils — Réparati")
        );
        assert_eq!(
            mapped.relation.remarks,
            "name: Carrosserie Élégance et Fils — Réparations Générales"
        );
        assert_eq!(mapped.warnings.len(), 1);
        assert!(
            mapped.warnings[0]
                .starts_with("customer 19: name has 52 characters and Octopus keeps 40")
        );
        let unlimited = FieldLimits {
            name: 0,
            ..FieldLimits::default()
        };
        let mapped = map_customer(&unlimited, &c).unwrap();
        assert_eq!(mapped.relation.remarks, "");
        let tight = FieldLimits {
            city: 4,
            ..FieldLimits::default()
        };
        assert_eq!(map_customer(&tight, &c).unwrap().relation.city, "Sint");
    }

    #[test]
    fn hashes_the_same_customer_the_same_way_and_changes_with_it() {
        let before = customer(1001, CustomerKind::Person, "Voorbeeld", "", "BE");
        let first = map(&before).unwrap().payload_hash;
        assert_eq!(first, map(&before.clone()).unwrap().payload_hash);
        let after = customer(
            1001,
            CustomerKind::Company,
            "Voorbeeld Carwash",
            "BE0498765486",
            "BE",
        );
        let changed = map(&after).unwrap();
        assert_eq!(changed.relation.vat_type, 1);
        assert_ne!(first, changed.payload_hash);
    }

    #[test]
    fn reports_errors_per_customer_in_request_order() {
        let mapped = map_customers(
            &FieldLimits::default(),
            &[
                customer(1, CustomerKind::Person, "", "", "BE"),
                customer(2, CustomerKind::Person, "B", "", "BE"),
            ],
        );
        assert_eq!(mapped.len(), 2);
        assert_eq!(
            (mapped[0].customer_id, mapped[0].error.as_str()),
            (1, "customer 1 has no name")
        );
        assert!(mapped[0].relation.is_none() && mapped[0].payload_hash.is_empty());
        assert_eq!((mapped[1].customer_id, mapped[1].error.as_str()), (2, ""));
        assert_eq!(mapped[1].payload_hash.len(), 64);
    }
}
