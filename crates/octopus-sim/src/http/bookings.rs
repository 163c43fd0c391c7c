//! Handlers for `POST /dossiers/{dossierId}/buysellbookings` and the two booking reads.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{empty, int, list_or_404, open_dossier, required};
use crate::bookings::{BookingChecks, find, insert, modified as modified_since};
use crate::clock::{from_brussels, parse_timestamp};
use crate::error::ApiError;
use crate::state::SimState;
use crate::wire::BookingRequest;

/// `POST /dossiers/{dossierId}/buysellbookings`: 201 with no body. Malformed JSON or a wrong
/// type or date format is a 500 with no body, as the spec says.
pub(super) async fn post(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let mut inner = state.lock();
    let id = match open_dossier(&inner, &headers, &raw) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let request = match serde_json::from_slice::<BookingRequest>(&body) {
        Ok(request) => request,
        Err(error) => {
            tracing::debug!(error = %error, "booking body does not parse");
            return ApiError::empty(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
    };
    let checks = BookingChecks {
        accounts: !inner.skip_account_check,
    };
    let now = inner.clock.now();
    let dossier = inner
        .dossiers
        .get_mut(&id)
        .expect("open_dossier checked the dossier exists");
    match insert(dossier, request, checks, now) {
        Ok(()) => empty(StatusCode::CREATED),
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
    match result {
        Ok(Some(booking)) => axum::Json(booking).into_response(),
        Ok(None) => ApiError::not_found("Booking not found").into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/buysellbookings/modified?bookyearId=&journalKey=&modifiedTimeStamp=`;
/// the timestamp is Europe/Brussels wall-clock time.
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
    match result {
        Ok(bookings) => list_or_404(bookings, "No bookings found"),
        Err(error) => error.into_response(),
    }
}
