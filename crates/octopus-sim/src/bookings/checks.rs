//! The rules a buy/sell booking must pass, in the order the simulator checks them: journal,
//! period, document number, currency, relation, lines (VAT code, account), decimals, signs and
//! the total. Each failure is an `ErrorResult` with the code listed in the crate README.

use rust_decimal::Decimal;

use crate::error::{ApiError, ErrorCode};
use crate::relations::{KNOWN_CURRENCIES, external_id};
use crate::store::Dossier;
use crate::wire::{BookingData, RelationData, RelationIdentification};

/// Switches for checks whose real behaviour is unknown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BookingChecks {
    /// Refuse lines whose `accountKey` is not an account of the bookyear.
    pub(crate) accounts: bool,
}

/// A booking POST creates the next document; a PUT changes an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Insert,
    Update,
}

/// The fields every booking must carry, once they are known to be present.
pub(crate) struct Required<'a> {
    pub(crate) bookyear_id: i32,
    pub(crate) journal_key: &'a str,
    pub(crate) sequence_nr: i32,
    period: i32,
    amount: Decimal,
    currency: &'a str,
    exchange_rate: Decimal,
    relation_key: Option<i32>,
    external_id: Option<i32>,
    lines: Vec<(i32, Decimal, &'a str, Decimal)>,
}

/// Returns the required fields, or `None` (400 "Invalid or missing parameters passed").
pub(crate) fn required(data: &BookingData) -> Option<Required<'_>> {
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

pub(crate) fn fail(code: ErrorCode, dossier_id: i32, detail: impl std::fmt::Display) -> ApiError {
    ApiError::coded(
        code,
        format!("Unable to insert booking in dossier {dossier_id}.  {detail}"),
    )
}

/// Finds the one relation named by key and/or external id (both must agree, and an external
/// id must name exactly one relation).
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
        Some(e) => {
            let mut matches = d
                .relations
                .values()
                .map(|r| &r.data)
                .filter(|r| external_id(r) == e);
            let first = matches
                .next()
                .ok_or_else(|| unknown(format!("Unknown external relation id {e}")))?;
            if matches.next().is_some() {
                return Err(unknown(format!(
                    "External relation id {e} names several relations"
                )));
            }
            Some(first)
        }
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

/// Checks the journal, the period and the document number.
fn check_journal_and_number(
    d: &Dossier,
    req: &Required<'_>,
    mode: Mode,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, ApiError> {
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
    if journal.closed || d.journal_locked(req.bookyear_id, req.journal_key, now) {
        let detail = format!("Journal {} is closed or open by another user", journal.key);
        return Err(fail(ErrorCode::JournalClosedOrLocked, id, detail));
    }
    if bookyear.closed {
        let detail = format!("Bookyear {} is closed", bookyear.id);
        return Err(fail(ErrorCode::BookyearClosed, id, detail));
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
    match mode {
        Mode::Insert if req.sequence_nr != last + 1 => {
            let detail = format!(
                "Illegal document seq Nr.  Last Document = {last}.  New Document = {}. ",
                req.sequence_nr
            );
            Err(fail(ErrorCode::IllegalDocumentSequence, id, detail))
        }
        Mode::Update
            if !d.bookings.iter().any(|b| {
                b.bookyear_id == req.bookyear_id
                    && b.journal_key == req.journal_key
                    && b.document_sequence_nr == req.sequence_nr
            }) =>
        {
            let detail = format!(
                "No booking {} in journal {} of bookyear {}",
                req.sequence_nr, req.journal_key, req.bookyear_id
            );
            Err(fail(ErrorCode::UnknownBooking, id, detail))
        }
        _ => Ok(sales),
    }
}

/// Checks the relation: known, active, and a client (sales) or supplier (purchases).
fn check_relation(
    d: &Dossier,
    req: &Required<'_>,
    sales: bool,
) -> Result<RelationIdentification, ApiError> {
    let id = d.id;
    let relation = resolve_relation(d, req)?;
    let relation_ref = RelationIdentification {
        relation_key: relation
            .relation_identification_service_data
            .as_ref()
            .and_then(|i| i.relation_key),
        external_relation_id: Some(external_id(relation)),
    };
    let relation_no = relation_ref.relation_key.map_or(0, |k| k.id);
    if relation.active == Some(false) {
        let detail = format!("Relation {relation_no} is not active");
        return Err(fail(ErrorCode::RelationInactive, id, detail));
    }
    let has_role = if sales {
        relation.client == Some(true)
    } else {
        relation.supplier == Some(true)
    };
    if !has_role {
        let role = if sales { "client" } else { "supplier" };
        let detail = format!("Relation {relation_no} is not a {role}");
        return Err(fail(ErrorCode::RelationWrongRole, id, detail));
    }
    Ok(relation_ref)
}

/// Checks the lines and the total: VAT codes, accounts, decimals, signs, Σ(base + VAT).
fn check_lines(
    d: &Dossier,
    req: &Required<'_>,
    sales: bool,
    checks: BookingChecks,
) -> Result<(), ApiError> {
    let id = d.id;
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
    for &(account, base, vat_code, vat) in &req.lines {
        if base.is_sign_negative() != vat.is_sign_negative() && !base.is_zero() && !vat.is_zero() {
            let detail = format!(
                "Line on account {account} with VAT code {vat_code}: base {base} and VAT {vat} have opposite signs"
            );
            return Err(fail(ErrorCode::OppositeSigns, id, detail));
        }
        if base < Decimal::ZERO || vat < Decimal::ZERO {
            let detail = format!(
                "Line on account {account} is negative (base {base}, VAT {vat}); lines stay positive, \
                 a negative amount makes a credit note"
            );
            return Err(fail(ErrorCode::NegativeLine, id, detail));
        }
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
    Ok(())
}

/// Runs every check and returns the relation the booking resolves to.
pub(crate) fn validate(
    d: &Dossier,
    req: &Required<'_>,
    mode: Mode,
    checks: BookingChecks,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RelationIdentification, ApiError> {
    let sales = check_journal_and_number(d, req, mode, now)?;
    let eur_rate_wrong = req.currency == "EUR" && req.exchange_rate != Decimal::ONE;
    if !KNOWN_CURRENCIES.contains(&req.currency)
        || eur_rate_wrong
        || req.exchange_rate <= Decimal::ZERO
    {
        let detail = format!(
            "Currency {} with exchange rate {}",
            req.currency, req.exchange_rate
        );
        return Err(fail(ErrorCode::UnknownCurrency, d.id, detail));
    }
    let relation = check_relation(d, req, sales)?;
    check_lines(d, req, sales, checks)?;
    Ok(relation)
}
