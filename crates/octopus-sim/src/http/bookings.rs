//! Handlers for `POST`/`PUT /dossiers/{dossierId}/buysellbookings` and the two booking reads.
//! Bodies are parsed and attachments decoded before the state lock is taken; the checks and the
//! write then happen under it, in one piece.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{LockJournalFault, empty, int, list_or_404, open_dossier, required};
use crate::bookings::{
    BookingChecks, decoded_attachments, find, insert, modified as modified_since, update,
};
use crate::clock::{from_brussels, parse_timestamp};
use crate::error::ApiError;
use crate::state::{Inner, SimState};
use crate::wire::{BookingData, BookingRequest};

/// The 500 with no body that the spec promises for "Invalid elements in the passed object".
fn unreadable(error: &serde_json::Error) -> Response {
    tracing::debug!(%error, "booking body does not parse");
    ApiError::empty(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// Applies a `lock-journal` fault to the journal the booking names.
fn apply_lock_fault(
    inner: &mut Inner,
    id: i32,
    data: Option<&BookingData>,
    fault: Option<LockJournalFault>,
) {
    let (Some(LockJournalFault(duration)), Some(data)) = (fault, data) else {
        return;
    };
    let (Some(bookyear), Some(journal)) = (data.bookyear_key, data.journal_key.as_deref()) else {
        return;
    };
    let now = inner.clock.now();
    if let Some(dossier) = inner.dossiers.get_mut(&id)
        && dossier.journal(bookyear.id, journal).is_some()
    {
        dossier.lock_journal_until(bookyear.id, journal, now, duration);
    }
}

/// `POST /dossiers/{dossierId}/buysellbookings`: 201 with no body. Malformed JSON or a wrong
/// type or date format is a 500 with no body, as the spec says.
pub(super) async fn post(
    State(state): State<SimState>,
    lock_fault: Option<axum::Extension<LockJournalFault>>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = serde_json::from_slice::<BookingRequest>(&body);
    let attachments = parsed.as_ref().ok().and_then(decoded_attachments);
    let mut inner = state.lock();
    let id = match open_dossier(&inner, &headers, &raw) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let request = match parsed {
        Ok(request) => request,
        Err(error) => return unreadable(&error),
    };
    let data = request.buy_sell_booking_service_data;
    apply_lock_fault(&mut inner, id, data.as_ref(), lock_fault.map(|e| e.0));
    let checks = BookingChecks {
        accounts: !inner.skip_account_check,
    };
    let now = inner.clock.now();
    let dossier = inner
        .dossiers
        .get_mut(&id)
        .expect("open_dossier checked the dossier exists");
    match insert(dossier, data, attachments, checks, now) {
        Ok(()) => empty(StatusCode::CREATED),
        Err(error) => error.into_response(),
    }
}

/// `PUT /dossiers/{dossierId}/buysellbookings` with a bare `BuySellBookingServiceData`: 204.
pub(super) async fn put(
    State(state): State<SimState>,
    lock_fault: Option<axum::Extension<LockJournalFault>>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let parsed = serde_json::from_slice::<BookingData>(&body);
    let mut inner = state.lock();
    let id = match open_dossier(&inner, &headers, &raw) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let data = match parsed {
        Ok(data) => data,
        Err(error) => return unreadable(&error),
    };
    apply_lock_fault(&mut inner, id, Some(&data), lock_fault.map(|e| e.0));
    let checks = BookingChecks {
        accounts: !inner.skip_account_check,
    };
    let now = inner.clock.now();
    let dossier = inner
        .dossiers
        .get_mut(&id)
        .expect("open_dossier checked the dossier exists");
    match update(dossier, data, checks, now) {
        Ok(()) => empty(StatusCode::NO_CONTENT),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/buysellbookings?bookyearId=&journalKey=&documentSeqNr=`.
pub(super) async fn get_one(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw).and_then(|id| {
        let bookyear_id = int(required(&query, "bookyearId")?)?;
        let journal_key = required(&query, "journalKey")?;
        let sequence_nr = int(required(&query, "documentSeqNr")?)?;
        Ok(find(
            &inner.dossiers[&id],
            bookyear_id,
            journal_key,
            sequence_nr,
        ))
    });
    drop(inner);
    match result {
        Ok(Some(booking)) => axum::Json(booking).into_response(),
        Ok(None) => ApiError::not_found("Booking not found").into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/buysellbookings/modified?bookyearId=&journalKey=&modifiedTimeStamp=`;
/// the timestamp is Europe/Brussels wall-clock time. A plain array, or 404 when empty.
pub(super) async fn modified(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw).and_then(|id| {
        let bookyear_id = int(required(&query, "bookyearId")?)?;
        let since = parse_timestamp(required(&query, "modifiedTimeStamp")?)
            .ok_or_else(ApiError::invalid_parameters)?;
        let journal_key = query
            .get("journalKey")
            .map(String::as_str)
            .filter(|k| !k.is_empty());
        Ok(modified_since(
            &inner.dossiers[&id],
            bookyear_id,
            journal_key,
            from_brussels(since),
        ))
    });
    drop(inner);
    match result {
        Ok(bookings) => list_or_404(bookings, "No bookings found"),
        Err(error) => error.into_response(),
    }
}
