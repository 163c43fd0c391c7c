//! Field cases 9 and 10 (customers): VAT numbers normalised and checked, VAT types derived.

use ox_domain::vat_number::compact;
use ox_journal_mapper::domain::{FieldLimits, map_customers};
use ox_proto::planmanager::v1::{Customer, CustomerKind};

fn customer(
    id: i64,
    name: &str,
    first_name: &str,
    is_company: bool,
    vat: &str,
    country: &str,
) -> Customer {
    Customer {
        id,
        kind: if is_company {
            CustomerKind::Company
        } else {
            CustomerKind::Person
        } as i32,
        name: name.into(),
        first_name: first_name.into(),
        vat_number: vat.into(),
        country: country.into(),
        language: "nl".into(),
        ..Default::default()
    }
}

#[test]
fn field_case_09_normalises_checks_and_types_vat_numbers() {
    let mapped = map_customers(
        &FieldLimits::default(),
        &[
            customer(4001, "Garage Demo", "", true, "0412.345.614", "BE"),
            customer(4002, "Carrosserie Test", "", true, "BE0412345615", "BE"),
            customer(4003, "Lease Demo BV", "", true, "NL271828183B01", "NL"),
            customer(4004, "Fictief", "Tom", false, "", "BE"),
        ],
    );
    let demo = mapped[0].relation.as_ref().unwrap();
    assert_eq!(compact(&demo.vat_nr), "BE0412345614");
    assert_eq!((demo.vat_nr.as_str(), demo.vat_type), ("BE0412.345.614", 1));

    assert_eq!(
        mapped[1].error,
        "Belgian VAT checksum invalid for customer 4002: BE0412345615"
    );
    assert!(mapped[1].relation.is_none(), "no relation, so no API call");

    let lease = mapped[2].relation.as_ref().unwrap();
    assert_eq!(
        (lease.vat_nr.as_str(), lease.vat_type),
        ("NL271828183B01", 4)
    );

    let person = mapped[3].relation.as_ref().unwrap();
    assert_eq!((person.vat_nr.as_str(), person.vat_type), ("", 7));
    assert_eq!(
        (person.name.as_str(), person.first_name.as_str()),
        ("Fictief", "Tom")
    );
    assert!(mapped.iter().all(|m| m.warnings.is_empty()));
}

#[test]
fn field_case_10_sends_the_dutch_lessor_as_intra_eu_vat_liable() {
    let mut lessor = customer(5001, "Lease Demo BV", "", true, "NL161803398B01", "NL");
    lessor.street = "Teststraat".into();
    lessor.house_number = "5".into();
    lessor.postal_code = "3511 AA".into();
    lessor.city = "Utrecht".into();
    let mapped = map_customers(&FieldLimits::default(), &[lessor]);
    let relation = mapped[0].relation.as_ref().unwrap();
    assert_eq!(relation.vat_type, 4);
    assert_eq!(
        (relation.vat_nr.as_str(), relation.country.as_str()),
        ("NL161803398B01", "NL")
    );
    assert_eq!(
        (
            relation.street_and_nr.as_str(),
            relation.postal_code.as_str()
        ),
        ("Teststraat 5", "3511 AA")
    );
    assert_eq!(relation.id.unwrap().external_relation_id, 5001);
}
