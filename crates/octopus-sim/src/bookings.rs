//! Buy/sell bookings: the checks of `POST /buysellbookings` in Octopus's order (journal, period,
//! document number, relation, VAT codes, accounts, amounts), storing, and the two read queries.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::{ApiError, ErrorCode};
use crate::relations::{KNOWN_CURRENCIES, external_id};
use crate::store::{Dossier, StoredAttachment, StoredBooking};
use crate::wire::{BookingData, BookingRequest, Key, RelationData, RelationIdentification};

/// Switches for checks whose real behaviour is unknown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BookingChecks {
    /// Refuse lines whose `accountKey` is not an account of the bookyear.
    pub(crate) accounts: bool,
}

/// The fields every booking must carry, once they are known to be present.
struct Required<'a> {
    bookyear_id: i32,
    journal_key: &'a str,
    sequence_nr: i32,
    period: i32,
    amount: Decimal,
    currency: &'a str,
    exchange_rate: Decimal,
    relation_key: Option<i32>,
    external_id: Option<i32>,
    lines: Vec<(i32, Decimal, &'a str, Decimal)>,
}

fn required(data: &BookingData) -> Option<Required<'_>> {
    let ident = data.relation_identification_service_data.as_ref()?;
    let relation_key = ident.relation_key.map(|k| k.id).filter(|&id| id != 0);
    let external_id = ident.external_relation_id.filter(|&e| e != 0);
    if relation_key.is_none() && external_id.is_none() {
        return None;
    }
    data.document_date?;
    data.expiry_date?;
    let lines = data.booking_lines.as_ref().filter(|l| !l.is_empty())?;
    let lines = lines
        .iter()
        .map(|l| {
            Some((
                l.account_key?,
                l.base_amount?,
                l.vat_code_key.as_deref()?,
                l.vat_amount?,
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Required {
        bookyear_id: data.bookyear_key?.id,
        journal_key: data.journal_key.as_deref().filter(|k| !k.is_empty())?,
        sequence_nr: data.document_sequence_nr?,
        period: data.bookyear_periode_nr?,
        amount: data.amount?,
        currency: data.currency_code.as_deref().filter(|c| !c.is_empty())?,
        exchange_rate: data.exchange_rate?,
        relation_key,
        external_id,
        lines,
    })
}

fn decoded_attachments(request: &BookingRequest) -> Option<Vec<(String, usize)>> {
    let engine = base64::engine::general_purpose::STANDARD;
    request
        .attachments
        .iter()
        .flatten()
        .map(|a| {
            let name = a.file_name.as_deref().filter(|n| !n.trim().is_empty())?;
            let size = engine.decode(a.file_data.as_deref()?.trim()).ok()?.len();
            Some((name.to_owned(), size))
        })
        .collect()
}

fn fail(code: ErrorCode, dossier_id: i32, detail: impl std::fmt::Display) -> ApiError {
    ApiError::coded(
        code,
        format!("Unable to insert booking in dossier {dossier_id}.  {detail}"),
    )
}

/// Finds the one relation named by key and/or external id (both must agree).
fn resolve_relation<'a>(d: &'a Dossier, req: &Required<'_>) -> Result<&'a RelationData, ApiError> {
    let unknown = |detail: String| fail(ErrorCode::UnknownRelation, d.id, detail);
    let by_key = match req.relation_key {
        Some(k) => Some(
            d.relations
                .get(&k)
                .map(|r| &r.data)
                .ok_or_else(|| unknown(format!("Unknown relation key {k}")))?,
        ),
        None => None,
    };
    let by_ext = match req.external_id {
        Some(e) => Some(
            d.relations
                .values()
                .map(|r| &r.data)
                .find(|r| external_id(r) == e)
                .ok_or_else(|| unknown(format!("Unknown external relation id {e}")))?,
        ),
        None => None,
    };
    match (by_key, by_ext) {
        (Some(a), Some(b)) if !std::ptr::eq(a, b) => Err(unknown(format!(
            "Relation key {} and external relation id {} name different relations",
            req.relation_key.unwrap_or(0),
            req.external_id.unwrap_or(0)
        ))),
        (Some(r), _) | (None, Some(r)) => Ok(r),
        (None, None) => Err(ApiError::invalid_parameters()),
    }
}

fn too_precise(value: Decimal) -> bool {
    value.normalize().scale() > 2
}

/// Validates a booking POST and stores it, bumping the journal's `lastBookedDocumentNr`.
pub(crate) fn insert(
    d: &mut Dossier,
    request: BookingRequest,
    checks: BookingChecks,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let data = request
        .buy_sell_booking_service_data
        .as_ref()
        .ok_or_else(ApiError::invalid_parameters)?;
    let req = required(data).ok_or_else(ApiError::invalid_parameters)?;
    let attachments = decoded_attachments(&request).ok_or_else(ApiError::invalid_parameters)?;
    let id = d.id;

    let bookyear = d.bookyear(req.bookyear_id).ok_or_else(|| {
        fail(
            ErrorCode::UnknownBookyear,
            id,
            format!("Unknown bookyear {}", req.bookyear_id),
        )
    })?;
    let journal = d.journal(req.bookyear_id, req.journal_key).ok_or_else(|| {
        let detail = format!(
            "Unknown journal {} in bookyear {}",
            req.journal_key, req.bookyear_id
        );
        fail(ErrorCode::UnknownJournal, id, detail)
    })?;
    let sales = journal.key.starts_with('V');
    if !(sales && journal.insertion_type == 1 || journal.key.starts_with('A')) {
        let detail = format!(
            "Journal {} (insertionType {}) does not take buy/sell bookings",
            journal.key, journal.insertion_type
        );
        return Err(fail(ErrorCode::WrongJournalType, id, detail));
    }
    if journal.closed || d.journal_locked(req.bookyear_id, req.journal_key) {
        let detail = format!("Journal {} is closed or in use", journal.key);
        return Err(fail(ErrorCode::JournalClosedOrLocked, id, detail));
    }
    if bookyear.closed {
        return Err(fail(
            ErrorCode::BookyearClosed,
            id,
            format!("Bookyear {} is closed", bookyear.id),
        ));
    }
    if !bookyear.periods.iter().any(|p| p.nr == req.period) {
        return Err(fail(
            ErrorCode::BookyearPeriodUnknown,
            id,
            "Bookyear period unknown",
        ));
    }
    if req.period <= journal.closed_period {
        let detail = format!(
            "Period {} is not after closed period {}",
            req.period, journal.closed_period
        );
        return Err(fail(ErrorCode::PeriodClosed, id, detail));
    }
    if req.period <= journal.protected_period {
        let detail = format!(
            "Period {} is not after protected period {}",
            req.period, journal.protected_period
        );
        return Err(fail(ErrorCode::PeriodProtected, id, detail));
    }
    let last = journal.last_booked_document_nr;
    if req.sequence_nr != last + 1 {
        let detail = format!(
            "Illegal document seq Nr.  Last Document = {last}.  New Document = {}. ",
            req.sequence_nr
        );
        return Err(fail(ErrorCode::IllegalDocumentSequence, id, detail));
    }
    let eur_rate_wrong = req.currency == "EUR" && req.exchange_rate != Decimal::ONE;
    if !KNOWN_CURRENCIES.contains(&req.currency)
        || eur_rate_wrong
        || req.exchange_rate <= Decimal::ZERO
    {
        let detail = format!(
            "Currency {} with exchange rate {}",
            req.currency, req.exchange_rate
        );
        return Err(fail(ErrorCode::UnknownCurrency, id, detail));
    }

    let relation = resolve_relation(d, &req)?;
    let relation_ref = RelationIdentification {
        relation_key: relation
            .relation_identification_service_data
            .as_ref()
            .and_then(|i| i.relation_key),
        external_relation_id: Some(external_id(relation)),
    };
    let relation_no = relation_ref.relation_key.map_or(0, |k| k.id);
    if relation.active == Some(false) {
        return Err(fail(
            ErrorCode::RelationInactive,
            id,
            format!("Relation {relation_no} is not active"),
        ));
    }
    let has_role = if sales {
        relation.client == Some(true)
    } else {
        relation.supplier == Some(true)
    };
    if !has_role {
        let role = if sales { "client" } else { "supplier" };
        return Err(fail(
            ErrorCode::RelationWrongRole,
            id,
            format!("Relation {relation_no} is not a {role}"),
        ));
    }

    for &(account, _, vat_code, _) in &req.lines {
        let Some(code) = d.vat_code(vat_code) else {
            return Err(fail(
                ErrorCode::UnknownVatCode,
                id,
                format!("Unknown VAT code {vat_code}"),
            ));
        };
        let allowed: &[i32] = if sales { &[2, 4] } else { &[1, 3] };
        if !allowed.contains(&code.vat_type) {
            let detail = format!(
                "VAT code {vat_code} (type {}) not allowed in journal {}",
                code.vat_type, req.journal_key
            );
            return Err(fail(ErrorCode::VatCodeWrongType, id, detail));
        }
        if checks.accounts && !d.has_account(req.bookyear_id, account) {
            let detail = format!("Unknown account {account} in bookyear {}", req.bookyear_id);
            return Err(fail(ErrorCode::UnknownAccount, id, detail));
        }
    }
    let amounts = req.lines.iter().flat_map(|&(_, base, _, vat)| [base, vat]);
    if too_precise(req.amount) || amounts.clone().any(too_precise) {
        return Err(fail(
            ErrorCode::TooManyDecimals,
            id,
            "An amount has more than 2 decimals",
        ));
    }
    let sum: Decimal = amounts.sum();
    let expected = if req.amount < Decimal::ZERO {
        -sum
    } else {
        sum
    };
    if req.amount != expected {
        let detail = format!(
            "Amount {} does not equal the sum of the lines {sum}",
            req.amount
        );
        return Err(fail(ErrorCode::AmountMismatch, id, detail));
    }

    let (bookyear_id, journal_key, sequence_nr) =
        (req.bookyear_id, req.journal_key.to_owned(), req.sequence_nr);
    let mut stored = data.clone();
    stored.bookyear_key = Some(Key { id: bookyear_id });
    stored.relation_identification_service_data = Some(relation_ref);
    if let Some(journal) = d.journal_mut(bookyear_id, &journal_key) {
        journal.last_booked_document_nr = sequence_nr;
    }
    for (file_name, size_bytes) in attachments {
        d.attachments.push(StoredAttachment {
            bookyear_id,
            journal_key: journal_key.clone(),
            document_sequence_nr: sequence_nr,
            file_name,
            size_bytes,
        });
    }
    d.bookings.push(StoredBooking {
        bookyear_id,
        journal_key,
        document_sequence_nr: sequence_nr,
        data: stored,
        modified_at: now,
    });
    Ok(())
}

/// Returns the booking with this key.
pub(crate) fn find(
    d: &Dossier,
    bookyear_id: i32,
    journal_key: &str,
    sequence_nr: i32,
) -> Option<BookingData> {
    d.bookings
        .iter()
        .find(|b| {
            b.bookyear_id == bookyear_id
                && b.journal_key == journal_key
                && b.document_sequence_nr == sequence_nr
        })
        .map(|b| b.data.clone())
}

/// Returns bookings changed at or after `since`, in one bookyear (or all with -1) and
/// optionally one journal.
pub(crate) fn modified(
    d: &Dossier,
    bookyear_id: i32,
    journal_key: Option<&str>,
    since: DateTime<Utc>,
) -> Vec<BookingData> {
    d.bookings
        .iter()
        .filter(|b| bookyear_id == -1 || b.bookyear_id == bookyear_id)
        .filter(|b| journal_key.is_none_or(|k| b.journal_key == k))
        .filter(|b| b.modified_at >= since)
        .map(|b| b.data.clone())
        .collect()
}
