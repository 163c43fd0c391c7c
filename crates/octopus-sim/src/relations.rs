//! Relations of a dossier: the search of `GET /relations` (OR over the criteria, active and
//! inactive) and the upsert of `PUT /relations` (merge on relationKey or externalRelationId).

use chrono::{DateTime, Utc};

use crate::error::{ApiError, ErrorCode};
use crate::store::{Dossier, StoredRelation};
use crate::wire::{Key, RelationData, RelationIdentification};

/// Currencies the simulated dossiers know.
pub(crate) const KNOWN_CURRENCIES: [&str; 8] =
    ["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN"];

/// The search criteria of `GET /relations`; all empty means "every active relation".
#[derive(Debug, Clone, Default)]
pub(crate) struct RelationQuery {
    pub(crate) relation_id: Option<i32>,
    pub(crate) ext_relation_id: Option<i32>,
    pub(crate) name: Option<String>,
    pub(crate) vat_nr: Option<String>,
}

impl RelationQuery {
    pub(crate) fn is_search(&self) -> bool {
        self.relation_id.is_some()
            || self.ext_relation_id.is_some()
            || self.name.is_some()
            || self.vat_nr.is_some()
    }
}

/// The outcome of an upsert.
#[derive(Debug, Clone)]
pub(crate) enum Upserted {
    /// A new relation, as stored (answered with 201 and this body).
    Created(Box<RelationData>),
    /// An existing relation was merged (answered with 204).
    Updated,
}

pub(crate) fn relation_key(r: &RelationData) -> i32 {
    let ident = r.relation_identification_service_data.as_ref();
    ident.and_then(|i| i.relation_key).map_or(0, |k| k.id)
}

pub(crate) fn external_id(r: &RelationData) -> i32 {
    let ident = r.relation_identification_service_data.as_ref();
    ident.and_then(|i| i.external_relation_id).unwrap_or(0)
}

fn same_text(a: Option<&String>, b: &str) -> bool {
    a.is_some_and(|a| a.trim().eq_ignore_ascii_case(b.trim()))
}

/// Returns the matching relations in key order. Name and VAT number compare whole values,
/// ignoring case and surrounding blanks (no partial matches).
pub(crate) fn search(dossier: &Dossier, query: &RelationQuery) -> Vec<RelationData> {
    let matches = |r: &RelationData| {
        if !query.is_search() {
            return r.active != Some(false);
        }
        query.relation_id == Some(relation_key(r))
            || query.ext_relation_id == Some(external_id(r))
            || query
                .name
                .as_deref()
                .is_some_and(|n| same_text(r.name.as_ref(), n))
            || query
                .vat_nr
                .as_deref()
                .is_some_and(|v| same_text(r.vat_nr.as_ref(), v))
    };
    dossier
        .relations
        .values()
        .map(|r| &r.data)
        .filter(|r| matches(r))
        .cloned()
        .collect()
}

/// Returns relations changed at or after `since`, in key order.
pub(crate) fn modified(dossier: &Dossier, since: DateTime<Utc>) -> Vec<RelationData> {
    dossier
        .relations
        .values()
        .filter(|r| r.modified_at >= since)
        .map(|r| r.data.clone())
        .collect()
}

/// Returns whether `vat_nr` is `BE0xxx.xxx.xxx` / `BE1xxx.xxx.xxx` with a valid mod-97 check.
pub(crate) fn valid_belgian_vat(vat_nr: &str) -> bool {
    let b = vat_nr.as_bytes();
    let shape = b.len() == 14
        && &b[..2] == b"BE"
        && (b[2] == b'0' || b[2] == b'1')
        && b[6] == b'.'
        && b[10] == b'.'
        && [2..6, 7..10, 11..14]
            .iter()
            .all(|r| b[r.clone()].iter().all(u8::is_ascii_digit));
    if !shape {
        return false;
    }
    let digits: String = vat_nr[2..].chars().filter(char::is_ascii_digit).collect();
    let (Ok(base), Ok(check)) = (digits[..8].parse::<u64>(), digits[8..].parse::<u64>()) else {
        return false;
    };
    97 - base % 97 == check
}

fn in_range(value: Option<i32>, allowed: &[i32]) -> bool {
    value.is_none_or(|v| allowed.contains(&v))
}

fn valid_country(value: Option<&String>) -> bool {
    value.is_none_or(|c| {
        c.trim().is_empty() || (c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
    })
}

/// Checks the fields of a PUT body on their own (types are already checked by parsing).
fn check_body(body: &RelationData) -> Result<(), ApiError> {
    let ident = body
        .relation_identification_service_data
        .as_ref()
        .ok_or_else(ApiError::invalid_parameters)?;
    let currency = body
        .currency_code
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let key_ok = ident.relation_key.is_none_or(|k| k.id >= 0);
    let fields_ok = key_ok
        && ident.external_relation_id.is_none_or(|e| e >= 0)
        && in_range(body.vat_type, &[0, 1, 4, 6, 7, 8, 9, 10])
        && in_range(body.fact_language, &[0, 1, 2, 3])
        && in_range(body.expiration_type, &[1, 2])
        && body.expiration_days.is_none_or(|d| (0..=365).contains(&d))
        && body.corporation_type.is_none_or(|c| (0..=26).contains(&c))
        && body
            .supplier_payment_method
            .is_none_or(|m| (0..=13).contains(&m))
        && body
            .invoice_delivery_method
            .is_none_or(|m| (0..=3).contains(&m))
        && valid_country(body.country.as_ref())
        && valid_country(body.delivery_country.as_ref());
    if currency.is_empty() || !fields_ok {
        return Err(ApiError::invalid_parameters());
    }
    let vat_nr = body.vat_nr.as_deref().map(str::trim).unwrap_or_default();
    if vat_nr.to_ascii_uppercase().starts_with("BE") && !valid_belgian_vat(vat_nr) {
        return Err(ApiError::coded(
            ErrorCode::InvalidVatNumber,
            format!("Invalid Belgian VAT number {vat_nr}"),
        ));
    }
    if !KNOWN_CURRENCIES.contains(&currency) {
        return Err(ApiError::coded(
            ErrorCode::UnknownCurrency,
            format!("Unknown currency code {currency}"),
        ));
    }
    Ok(())
}

/// Checks the relation as it would be stored (a VAT number's format is checked only when sent).
fn check_result(r: &RelationData) -> Result<(), ApiError> {
    let named = r.name.as_deref().is_some_and(|n| !n.trim().is_empty());
    let has_role = r.client == Some(true) || r.supplier == Some(true);
    if !named || !has_role {
        return Err(ApiError::invalid_parameters());
    }
    let vat_nr = r.vat_nr.as_deref().map(str::trim).unwrap_or_default();
    if matches!(r.vat_type, Some(1 | 4 | 6)) && vat_nr.is_empty() {
        let info = "A VAT-liable relation (vatType 1, 4 or 6) needs a VAT number";
        return Err(ApiError::coded(ErrorCode::InvalidVatNumber, info));
    }
    Ok(())
}

fn with_create_defaults(mut r: RelationData) -> RelationData {
    let text = |v: &mut Option<String>| {
        v.get_or_insert_with(String::new);
    };
    r.active.get_or_insert(true);
    r.client.get_or_insert(false);
    r.supplier.get_or_insert(false);
    r.corporation_type.get_or_insert(0);
    r.default_booking_account_client.get_or_insert(0);
    r.default_booking_account_supplier.get_or_insert(0);
    r.expiration_days.get_or_insert(30);
    r.expiration_type.get_or_insert(2);
    r.fact_language.get_or_insert(0);
    r.financial_discount.get_or_insert(false);
    r.sdd_active.get_or_insert(false);
    r.sdd_mandate_type.get_or_insert(0);
    r.sdd_seqtype.get_or_insert(0);
    r.supplier_payment_method.get_or_insert(0);
    r.vat_type.get_or_insert(0);
    text(&mut r.fax);
    text(&mut r.mobile);
    text(&mut r.telephone);
    text(&mut r.url);
    text(&mut r.vat_nr);
    r
}

fn blank_country_as_octopus(r: &mut RelationData) {
    // Octopus stores an empty country as two spaces and returns it that way.
    if r.country.as_deref().is_none_or(|c| c.trim().is_empty()) {
        r.country = Some("  ".to_owned());
    }
}

/// Creates or merges the relation of a `PUT /relations` body.
pub(crate) fn upsert(
    dossier: &mut Dossier,
    body: RelationData,
    now: DateTime<Utc>,
) -> Result<Upserted, ApiError> {
    check_body(&body)?;
    let ident = body
        .relation_identification_service_data
        .clone()
        .unwrap_or_default();
    let key = ident
        .relation_key
        .map(|k| k.id)
        .filter(|id| dossier.relations.contains_key(id));
    let ext = ident.external_relation_id.filter(|&e| e != 0);
    let owner_of_ext = ext.and_then(|e| {
        dossier
            .relations
            .values()
            .find(|r| external_id(&r.data) == e)
    });
    let owner_of_ext = owner_of_ext.map(|r| relation_key(&r.data));
    if let (Some(k), Some(owner)) = (key, owner_of_ext)
        && k != owner
    {
        let info = format!(
            "External relation id {} already belongs to relation {owner}",
            ext.unwrap_or(0)
        );
        return Err(ApiError::coded(ErrorCode::ExternalRelationIdInUse, info));
    }
    match key.or(owner_of_ext) {
        Some(target) => {
            let stored = dossier
                .relations
                .get(&target)
                .map(|r| r.data.clone())
                .unwrap_or_default();
            let mut merged = stored;
            let mut patch = body;
            patch.relation_identification_service_data = None;
            merged.merge_from(patch);
            if let Some(e) = ext {
                merged.relation_identification_service_data = Some(RelationIdentification {
                    relation_key: Some(Key { id: target }),
                    external_relation_id: Some(e),
                });
            }
            if merged.country.is_some() {
                blank_country_as_octopus(&mut merged);
            }
            check_result(&merged)?;
            dossier.relations.insert(
                target,
                StoredRelation {
                    data: merged,
                    modified_at: now,
                },
            );
            Ok(Upserted::Updated)
        }
        None => {
            let new_key = dossier.next_relation_key();
            let mut created = with_create_defaults(body);
            created.relation_identification_service_data = Some(RelationIdentification {
                relation_key: Some(Key { id: new_key }),
                external_relation_id: Some(ext.unwrap_or(0)),
            });
            blank_country_as_octopus(&mut created);
            check_result(&created)?;
            dossier.relations.insert(
                new_key,
                StoredRelation {
                    data: created.clone(),
                    modified_at: now,
                },
            );
            Ok(Upserted::Created(Box::new(created)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_vat_numbers_need_the_dotted_form_and_a_valid_check() {
        assert!(valid_belgian_vat("BE0412.345.614"));
        assert!(!valid_belgian_vat("BE0412.345.615"));
        assert!(!valid_belgian_vat("BE0412345614"));
        assert!(!valid_belgian_vat("BE 0412.345.614"));
    }
}
