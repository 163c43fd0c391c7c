//! Property tests over generated customers: the same customer always gives the same relation and
//! payload hash (whatever PlanManager-only fields change), a changed name changes the hash, and
//! over-long values are cut on character boundaries with the full value kept in the remarks.

use ox_journal_mapper::api;
use ox_journal_mapper::domain::relation_fields::street_and_nr;
use ox_journal_mapper::domain::{FieldLimits, map_customer};
use ox_proto::config::v1::{self as config, RoundingPolicy};
use ox_proto::mapping::v1::MapCustomersRequest;
use ox_proto::planmanager::v1::Customer;
use proptest::prelude::*;
use prost::Message as _;

use crate::helpers::profile_proto;

const CASES: u32 = 1024;

/// Text as customers type it: plain, accented, other scripts and emoji, padded, long.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::string::string_regex(&format!("[A-Za-z0-9 .'-]{{0,{max}}}")).unwrap(),
        2 => proptest::string::string_regex(&format!("[a-zA-ZÀ-ÿ ŒœŠšŽžĳ'-]{{0,{max}}}")).unwrap(),
        2 => proptest::string::string_regex(&format!("\\PC{{0,{max}}}")).unwrap(),
        1 => proptest::string::string_regex(&format!("[ \t]{{0,2}}[가-힣😀-🙏ß]{{1,{max}}}[ ]{{0,2}}")).unwrap(),
    ]
}

fn vat_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just("BE 0412.345.614".to_owned()),
        1 => Just("0498765486".to_owned()),
        1 => Just("NL271828183B01".to_owned()),
        1 => Just("BE0412345615".to_owned()),
        1 => "\\PC{0,16}",
    ]
}

fn country() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["BE", "België", "Belgique", "NL", "Nederland", "France", "DE", "CH", "US", ""])
            .prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

fn customer() -> impl Strategy<Value = Customer> {
    (
        (
            prop_oneof![9 => 1i64..=i64::from(i32::MAX), 1 => any::<i64>()],
            0i32..=4,
        ),
        (text(70), text(20), vat_number(), country()),
        (text(50), text(6), text(4), text(10), text(40), text(70)),
        (
            prop::sample::select(vec!["nl", "fr", "en", "de", "it", ""]),
            text(15),
            -30i32..=120,
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, kind),
                (name, first_name, vat, country),
                (street, number, bus, postal, city, email),
                (language, phone, days, eom),
            )| Customer {
                id,
                kind,
                name,
                first_name,
                vat_number: vat,
                street,
                house_number: number,
                r#box: bus,
                postal_code: postal,
                city,
                country,
                language: language.to_owned(),
                email,
                phone,
                payment_term_days: days,
                payment_term_end_of_month: eom,
                ..Default::default()
            },
        )
}

fn limits() -> impl Strategy<Value = Option<config::FieldLimits>> {
    prop::option::of((0u32..=60, 0u32..=60, 0u32..=40, 0u32..=70).prop_map(
        |(name, street_and_nr, city, email)| config::FieldLimits {
            name,
            street_and_nr,
            city,
            email,
        },
    ))
}

fn request(limits: Option<config::FieldLimits>, customers: Vec<Customer>) -> MapCustomersRequest {
    let mut profile = profile_proto(&[], &[], RoundingPolicy::OctopusTotal);
    profile.field_limits = limits;
    MapCustomersRequest {
        profile: Some(profile),
        customers,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn the_same_customer_always_gives_the_same_relation_and_hash(
        customer in customer(),
        limits in limits(),
        touched in "\\PC{0,20}",
        blocked in any::<bool>(),
    ) {
        let first = api::map_customers(&request(limits, vec![customer.clone()])).unwrap();
        // PlanManager's own bookkeeping fields are not part of the relation.
        let again = Customer { updated_at: touched, blocked, ..customer.clone() };
        let second = api::map_customers(&request(limits, vec![again, customer])).unwrap();
        prop_assert_eq!(first.customers[0].encode_to_vec(), second.customers[0].encode_to_vec());
        prop_assert_eq!(&second.customers[0], &second.customers[1]);
        let mapped = &first.customers[0];
        if mapped.error.is_empty() {
            prop_assert_eq!(mapped.payload_hash.len(), 64);
            prop_assert!(mapped.payload_hash.chars().all(|c| c.is_ascii_hexdigit()));
        } else {
            prop_assert!(mapped.relation.is_none() && mapped.payload_hash.is_empty());
        }
    }

    #[test]
    fn a_different_name_gives_a_different_hash(customer in customer(), other in text(70)) {
        let limits = FieldLimits::default();
        let renamed = Customer { name: other.clone(), ..customer.clone() };
        if let (Ok(a), Ok(b)) = (map_customer(&limits, &customer), map_customer(&limits, &renamed))
            && customer.name.trim() != other.trim()
        {
            prop_assert_ne!(a.payload_hash, b.payload_hash);
        }
    }

    #[test]
    fn cut_values_keep_character_boundaries_and_their_full_value_in_the_remarks(
        customer in customer(),
        limits in limits(),
    ) {
        let mut profile = profile_proto(&[], &[], RoundingPolicy::OctopusTotal);
        profile.field_limits = limits;
        let limits = ox_journal_mapper::domain::Profile::from_proto(&profile).unwrap().field_limits;
        let Ok(mapped) = map_customer(&limits, &customer) else { return Ok(()) };
        let relation = &mapped.relation;
        let fields = [
            ("name", customer.name.trim().to_owned(), &relation.name, limits.name),
            (
                "street",
                street_and_nr(&customer.street, &customer.house_number, &customer.r#box),
                &relation.street_and_nr,
                limits.street_and_nr,
            ),
            ("city", customer.city.trim().to_owned(), &relation.city, limits.city),
            ("email", customer.email.trim().to_owned(), &relation.email, limits.email),
        ];
        let mut remarks = Vec::new();
        for (label, full, sent, limit) in fields {
            if limit > 0 && full.chars().count() > limit {
                prop_assert!(sent.chars().count() <= limit, "{} {:?} over {}", label, sent, limit);
                prop_assert!(full.starts_with(sent.as_str()), "{} {:?} is not a prefix of {:?}", label, sent, full);
                prop_assert!(!sent.is_empty());
                remarks.push(format!("{label}: {full}"));
            } else {
                prop_assert_eq!(sent, &full, "{}", label);
            }
        }
        prop_assert_eq!(&relation.remarks, &remarks.join("\n"));
        prop_assert_eq!(mapped.warnings.iter().filter(|w| w.contains("kept whole in the remarks")).count(), remarks.len());
    }
}
