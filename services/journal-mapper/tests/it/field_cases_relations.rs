//! Field cases 2, 3 and 4 (the mapper's part of relation identity): one customer always gives one
//! identical relation and payload hash, VAT numbers compare normalised, a change changes the hash.
//! The orchestrator stores the relation key, compares hashes and links or flags relations.

use ox_domain::names::same_party_name;
use ox_domain::vat_match::{match_key, same_vat_number};
use ox_journal_mapper::api;
use ox_proto::config::v1::RoundingPolicy;
use ox_proto::mapping::v1::{MapCustomersRequest, MappedCustomer};
use ox_proto::planmanager::v1::{Customer, CustomerKind};

use crate::helpers::profile_proto;

fn map(customers: Vec<Customer>) -> Vec<MappedCustomer> {
    api::map_customers(&MapCustomersRequest {
        profile: Some(profile_proto(&[], &[], RoundingPolicy::OctopusTotal)),
        customers,
    })
    .unwrap()
    .customers
}

/// C-1001 of field cases 2 and 4, as exported first.
fn ilse() -> Customer {
    Customer {
        id: 1001,
        kind: CustomerKind::Person as i32,
        name: "Voorbeeld".into(),
        first_name: "Ilse".into(),
        email: "ilse.voorbeeld@example.invalid".into(),
        street: "Proefstraat".into(),
        house_number: "7".into(),
        postal_code: "9000".into(),
        city: "Gent".into(),
        country: "BE".into(),
        language: "nl".into(),
        updated_at: "2025-02-01 10:00:00".into(),
        ..Default::default()
    }
}

#[test]
fn field_case_02_the_same_customer_gives_one_identical_relation_on_every_run() {
    // Run 1 maps C-1001 for F-2025-0103; run 2 for F-2025-0104, here twice in one request.
    let run_1 = map(vec![ilse()]);
    let run_2 = map(vec![ilse(), ilse()]);
    let relation = run_1[0].relation.clone().unwrap();
    assert_eq!(relation.vat_type, 7);
    let id = relation.id.unwrap();
    assert_eq!(
        (id.external_relation_id, id.relation_key),
        (1001, 0),
        "identity is the PlanManager id; the key comes from the orchestrator's mapping"
    );
    for again in &run_2 {
        assert_eq!(again, &run_1[0], "one identical relation and payload hash");
    }
    assert_eq!(run_1[0].payload_hash.len(), 64);

    // Identity never comes from the name or the e-mail: a namesake is another relation.
    let namesake = Customer { id: 1077, ..ilse() };
    let other = &map(vec![namesake])[0];
    assert_eq!(
        other
            .relation
            .as_ref()
            .unwrap()
            .id
            .unwrap()
            .external_relation_id,
        1077
    );
    assert_ne!(other.payload_hash, run_1[0].payload_hash);

    // Octopus's own "Ilse Voorbeeld" (externalRelationId 0) is only a possible duplicate to report.
    let ours = format!("{} {}", relation.first_name, relation.name);
    assert!(same_party_name("Ilse Voorbeeld", &ours));
}

#[test]
fn field_case_03_recognises_the_accountants_relation_by_its_normalised_vat_number() {
    let ours = Customer {
        id: 2002,
        kind: CustomerKind::Leasing as i32,
        name: "LEASING FICTIEF".into(),
        vat_number: "be0412345614".into(),
        street: "Fictieflaan".into(),
        house_number: "1".into(),
        postal_code: "1000".into(),
        city: "Brussel".into(),
        country: "BE".into(),
        ..Default::default()
    };
    let mapped = &map(vec![ours])[0];
    let relation = mapped.relation.as_ref().unwrap();
    assert_eq!(
        (relation.vat_nr.as_str(), relation.vat_type),
        ("BE0412.345.614", 1)
    );
    assert_eq!(relation.id.unwrap().external_relation_id, 2002);

    // Octopus relation 57 holds "BE 0412.345.614": the same number once normalised.
    assert!(same_vat_number("BE 0412.345.614", "be0412345614"));
    assert!(same_vat_number("BE 0412.345.614", &relation.vat_nr));
    let key = match_key(&relation.vat_nr, Some(&relation.country)).unwrap();
    assert_eq!(key, "BE0412345614");
    assert!(same_party_name("Leasing Fictief NV", &relation.name));

    // Two Octopus relations with the same number (one without prefix) are both found: ambiguous.
    let octopus = [
        ("BE 0412.345.614", "BE"),
        ("0412345614", "België"),
        ("BE0498.765.486", "BE"),
    ];
    let matches = octopus
        .iter()
        .filter(|(vat, country)| match_key(vat, Some(country)).as_deref() == Some(&key))
        .count();
    assert_eq!(matches, 2);
}

#[test]
fn field_case_04_a_changed_customer_changes_the_payload_hash_and_vat_type() {
    let before = ilse();
    let after = Customer {
        kind: CustomerKind::Company as i32,
        name: "Voorbeeld Carwash".into(),
        first_name: String::new(),
        vat_number: "BE0498765486".into(),
        street: "Nieuwlaan".into(),
        house_number: "3".into(),
        postal_code: "2000".into(),
        city: "Antwerpen".into(),
        updated_at: "2025-06-01 09:00:00".into(),
        ..ilse()
    };
    let mapped = map(vec![before.clone(), after]);
    let (old, new) = (&mapped[0], &mapped[1]);
    let (old_relation, new_relation) = (
        old.relation.as_ref().unwrap(),
        new.relation.as_ref().unwrap(),
    );
    assert_eq!((old_relation.vat_type, new_relation.vat_type), (7, 1));
    assert_eq!(
        old_relation.id, new_relation.id,
        "the same relation is updated, not a new one created"
    );
    assert_ne!(old.payload_hash, new.payload_hash);
    assert_eq!(
        (
            new_relation.vat_nr.as_str(),
            new_relation.street_and_nr.as_str(),
            new_relation.city.as_str()
        ),
        ("BE0498.765.486", "Nieuwlaan 3", "Antwerpen")
    );
    assert_eq!(new_relation.first_name, "", "a company has no first name");

    // Unchanged (only PlanManager's own timestamp moved): the same hash, so no relation call.
    let touched = Customer {
        updated_at: "2025-06-02 08:00:00".into(),
        ..before
    };
    assert_eq!(map(vec![touched])[0].payload_hash, old.payload_hash);
}
