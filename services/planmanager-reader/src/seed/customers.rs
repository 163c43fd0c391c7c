//! Sample customers: Belgian private persons (Dutch, French and German names), Belgian companies
//! with valid VAT numbers, a few EU companies, and the insurers and leasing companies that pay
//! most body-shop repairs. Ids 1–8 are insurers, 9–13 leasing, 14–19 EU companies.

use super::data::{self, TERM_15, TERM_30, TERM_30_EOM, TERM_60, TERM_CASH};
use super::ids;
use super::rng::Rng;

/// Who a customer is, as far as invoicing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Person,
    BelgianCompany,
    EuCompany,
    Insurer,
    Leasing,
}

/// One `customers` row plus what invoices need to know about it.
pub(crate) struct SeedCustomer {
    pub id: i64,
    pub class: Class,
    pub name: String,
    pub first_name: Option<String>,
    pub vat_number: Option<String>,
    pub street: String,
    pub house_number: String,
    pub r#box: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub language: &'static str,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub payment_term_id: i64,
    pub updated_at: String,
}

impl SeedCustomer {
    /// The `kind` column.
    pub(crate) fn kind(&self) -> &'static str {
        match self.class {
            Class::Person => "person",
            Class::BelgianCompany | Class::EuCompany => "company",
            Class::Insurer => "insurer",
            Class::Leasing => "leasing",
        }
    }
}

/// Ids of the first customer of each fixed group.
pub(crate) const FIRST_LEASING: i64 = 1 + data::INSURERS.len() as i64;
pub(crate) const FIRST_OTHER: i64 =
    FIRST_LEASING + data::LEASING.len() as i64 + data::EU_COMPANIES.len() as i64;

/// How many customers a sample of `invoices` invoices gets.
pub(crate) fn customer_count(invoices: u32) -> i64 {
    (i64::from(invoices) / 6).clamp(40, 150_000)
}

/// Letters only, no accents, lower case: "D'Hondt" → "dhondt", "Weiß" → "weiss".
fn mailbox(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ï' | 'î' => out.push('i'),
            'ô' | 'ö' => out.push('o'),
            'ü' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ß' => out.push_str("ss"),
            'œ' => out.push_str("oe"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

fn country_as_typed(rng: &mut Rng, language: &str) -> String {
    let written = match language {
        "fr" => "Belgique",
        "de" => "Belgien",
        _ => "België",
    };
    match rng.weighted(&[75, 15, 10]) {
        0 => written.to_owned(),
        1 => "BE".to_owned(),
        _ => "Belgium".to_owned(),
    }
}

fn updated_at(rng: &mut Rng) -> String {
    format!(
        "2024-{:02}-{:02} {:02}:{:02}:00",
        rng.between(1, 12),
        rng.between(1, 28),
        rng.between(8, 18),
        rng.between(0, 59)
    )
}

fn street_for(rng: &mut Rng, language: &str) -> String {
    let streets = match language {
        "fr" => data::STREETS_FR,
        "de" => data::STREETS_DE,
        _ => data::STREETS_NL,
    };
    (*rng.pick(streets)).to_owned()
}

/// A customer in Belgium with the given class and name; address and contact details at random.
fn belgian(
    rng: &mut Rng,
    id: i64,
    class: Class,
    name: String,
    language: Option<&'static str>,
) -> SeedCustomer {
    let (postal_code, city, region_language) = *rng.pick(data::PLACES);
    let language = language.unwrap_or(region_language);
    let company = class != Class::Person;
    let bic = ["GEBABEBB", "KREDBEBB", "BBRUBEBB", "GKCCBEBB"];
    SeedCustomer {
        id,
        class,
        name,
        first_name: None,
        vat_number: company.then(|| ids::belgian_vat_as_typed(rng)),
        street: street_for(rng, language),
        house_number: rng.between(1, 250).to_string(),
        r#box: rng
            .chance(120)
            .then(|| format!("bus {}", rng.between(1, 12))),
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
        country: country_as_typed(rng, language),
        language,
        email: None,
        phone: rng.chance(700).then(|| {
            format!(
                "+32 4{} {:02} {:02} {:02}",
                rng.between(70, 99),
                rng.below(100),
                rng.below(100),
                rng.below(100)
            )
        }),
        iban: company.then(|| ids::belgian_iban(rng)),
        bic: company.then(|| (*rng.pick(&bic)).to_owned()),
        payment_term_id: TERM_30,
        updated_at: updated_at(rng),
    }
}

fn person(rng: &mut Rng, id: i64) -> SeedCustomer {
    let (postal_code, city, language) = *rng.pick(data::PLACES);
    let (first_names, last_names) = match language {
        "fr" => (data::FIRST_NAMES_FR, data::LAST_NAMES_FR),
        "de" => (data::FIRST_NAMES_DE, data::LAST_NAMES_DE),
        _ => (data::FIRST_NAMES_NL, data::LAST_NAMES_NL),
    };
    let first = *rng.pick(first_names);
    let last = *rng.pick(last_names);
    let mut customer = belgian(rng, id, Class::Person, last.to_owned(), Some(language));
    customer.postal_code = postal_code.to_owned();
    customer.city = city.to_owned();
    customer.first_name = Some(first.to_owned());
    customer.email = rng
        .chance(600)
        .then(|| format!("{}.{}{}@example.invalid", mailbox(first), mailbox(last), id));
    customer.payment_term_id = if rng.chance(700) { TERM_CASH } else { TERM_15 };
    customer
}

fn belgian_company(rng: &mut Rng, id: i64) -> SeedCustomer {
    let french = rng.chance(400);
    let (trade_nl, trade_fr) = *rng.pick(data::TRADES);
    let name = if french {
        let suffix = *rng.pick(&["SRL", "SA", "SC"]);
        format!("{trade_fr} {} {suffix}", rng.pick(data::LAST_NAMES_FR))
    } else {
        let suffix = *rng.pick(&["BV", "NV", "CommV"]);
        format!("{trade_nl} {} {suffix}", rng.pick(data::LAST_NAMES_NL))
    };
    let mut customer = belgian(
        rng,
        id,
        Class::BelgianCompany,
        name,
        Some(if french { "fr" } else { "nl" }),
    );
    customer.email = Some(format!("boekhouding{id}@example.invalid"));
    customer.payment_term_id = if rng.chance(500) {
        TERM_30
    } else {
        TERM_30_EOM
    };
    customer
}

fn eu_company(rng: &mut Rng, id: i64, index: usize) -> SeedCustomer {
    let company = &data::EU_COMPANIES[index % data::EU_COMPANIES.len()];
    let vat_number = match company.iso {
        "NL" => ids::dutch_vat(rng),
        "FR" => ids::french_vat(rng),
        _ => ids::german_vat(rng),
    };
    SeedCustomer {
        id,
        class: Class::EuCompany,
        name: company.name.to_owned(),
        first_name: None,
        vat_number: Some(vat_number),
        street: company.street.to_owned(),
        house_number: company.number.to_owned(),
        r#box: None,
        postal_code: company.postal_code.to_owned(),
        city: company.city.to_owned(),
        country: company.country.to_owned(),
        language: company.language,
        email: Some(format!("invoices{id}@example.invalid")),
        phone: None,
        iban: None,
        bic: None,
        payment_term_id: TERM_30_EOM,
        updated_at: updated_at(rng),
    }
}

/// Generates `count` customers with ids 1..=count (at least the fixed groups).
pub(crate) fn generate(rng: &mut Rng, count: i64) -> Vec<SeedCustomer> {
    let mut customers = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for (name, language) in data::INSURERS {
        let id = customers.len() as i64 + 1;
        let mut insurer = belgian(rng, id, Class::Insurer, (*name).to_owned(), Some(language));
        insurer.payment_term_id = TERM_60;
        insurer.email = Some(format!("schade{id}@example.invalid"));
        customers.push(insurer);
    }
    for (name, language) in data::LEASING {
        let id = customers.len() as i64 + 1;
        let mut leasing = belgian(rng, id, Class::Leasing, (*name).to_owned(), Some(language));
        leasing.payment_term_id = TERM_30_EOM;
        customers.push(leasing);
    }
    for index in 0..data::EU_COMPANIES.len() {
        let id = customers.len() as i64 + 1;
        customers.push(eu_company(rng, id, index));
    }
    while (customers.len() as i64) < count {
        let id = customers.len() as i64 + 1;
        let customer = match rng.weighted(&[72, 26, 2]) {
            0 => person(rng, id),
            1 => belgian_company(rng, id),
            _ => {
                let index = rng.below(data::EU_COMPANIES.len() as u64) as usize;
                eu_company(rng, id, index)
            }
        };
        customers.push(customer);
    }
    customers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_groups_come_first_and_mailboxes_are_ascii() {
        let customers = generate(&mut Rng::new(1), 40);
        assert_eq!(customers.len(), 40);
        assert!(customers[..8].iter().all(|c| c.class == Class::Insurer));
        assert_eq!(customers[FIRST_LEASING as usize - 1].class, Class::Leasing);
        assert_eq!(customers[FIRST_OTHER as usize - 2].class, Class::EuCompany);
        assert_eq!(mailbox("D'Hondt"), "dhondt");
        assert_eq!(mailbox("Weiß Zoë"), "weisszoe");
        for customer in &customers {
            assert!(
                customer
                    .email
                    .as_deref()
                    .is_none_or(|email| email.is_ascii())
            );
            let has_vat = customer.vat_number.is_some();
            assert_eq!(
                has_vat,
                customer.class != Class::Person,
                "{}",
                customer.name
            );
        }
    }
}
