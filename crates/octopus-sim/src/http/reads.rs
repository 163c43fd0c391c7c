//! Handlers for reference data (bookyears, journals, VAT codes, accounts), account upserts,
//! `/about/version` and `/error`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::{empty, int, list_or_404, open_dossier, required};
use crate::error::{ApiError, ErrorCode, ErrorResult};
use crate::state::SimState;
use crate::store::account_id;
use crate::wire::AccountData;

/// The version `GET /about/version` reports (the API version the simulator follows).
pub const API_VERSION: &str = "51.9.17";

/// `GET /dossiers/{dossierId}/bookyears`.
pub(super) async fn bookyears(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Response {
    let inner = state.lock();
    match open_dossier(&inner, &headers, &raw) {
        Ok(id) => list_or_404(inner.dossiers[&id].bookyears_out(), "No bookyears found"),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals`.
pub(super) async fn journals(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path((raw, bookyear)): Path<(String, String)>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw).and_then(|id| Ok((id, int(&bookyear)?)));
    match result {
        Ok((id, bookyear_id)) => list_or_404(
            inner.dossiers[&id].journals_out(Some(bookyear_id)),
            "No journals found",
        ),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/vatcodes`.
pub(super) async fn vat_codes(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Response {
    let inner = state.lock();
    match open_dossier(&inner, &headers, &raw) {
        Ok(id) => list_or_404(inner.dossiers[&id].vat_codes_out(), "No VAT codes found"),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/accounts?bookyearId=`.
pub(super) async fn accounts(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw)
        .and_then(|id| Ok((id, int(required(&query, "bookyearId")?)?)));
    match result {
        Ok((id, bookyear_id)) => list_or_404(
            inner.dossiers[&id].accounts_out(bookyear_id),
            "No accounts found",
        ),
        Err(error) => error.into_response(),
    }
}

/// `PUT /dossiers/{dossierId}/accounts`: 201 created or 204 updated, no body.
pub(super) async fn put_account(
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
    let Ok(account) = serde_json::from_slice::<AccountData>(&body) else {
        return ApiError::invalid_parameters().into_response();
    };
    let (bookyear_id, number) = account_id(&account);
    if bookyear_id <= 0 || number <= 0 {
        return ApiError::invalid_parameters().into_response();
    }
    let now = inner.clock.now();
    let dossier = inner
        .dossiers
        .get_mut(&id)
        .expect("open_dossier checked the dossier exists");
    if dossier.bookyear(bookyear_id).is_none() {
        let info =
            format!("Unable to update account in dossier {id}.  Unknown bookyear {bookyear_id}");
        return ApiError::coded(ErrorCode::UnknownBookyear, info).into_response();
    }
    match dossier
        .accounts
        .iter_mut()
        .find(|a| account_id(a) == (bookyear_id, number))
    {
        Some(existing) => {
            let mut description = existing.description.clone().unwrap_or_default();
            if let Some(new) = account.description {
                description.nl = new.nl.or(description.nl);
                description.fr = new.fr.or(description.fr);
                description.en = new.en.or(description.en);
                description.de = new.de.or(description.de);
            }
            existing.description = Some(description);
            existing.vat_recup_percentage = account
                .vat_recup_percentage
                .or(existing.vat_recup_percentage);
            existing.fisc_recup_percentage = account
                .fisc_recup_percentage
                .or(existing.fisc_recup_percentage);
            existing.fisc_professional_percentage = account
                .fisc_professional_percentage
                .or(existing.fisc_professional_percentage);
            dossier.touch_account(bookyear_id, number, now);
            empty(StatusCode::NO_CONTENT)
        }
        None => {
            let hundred = Some(rust_decimal::Decimal::ONE_HUNDRED);
            let created = AccountData {
                cost_centre_type: Some(0),
                vat_recup_percentage: account.vat_recup_percentage.or(hundred),
                fisc_recup_percentage: account.fisc_recup_percentage.or(hundred),
                fisc_professional_percentage: account.fisc_professional_percentage.or(hundred),
                ..account
            };
            dossier.accounts.push(created);
            dossier.touch_account(bookyear_id, number, now);
            empty(StatusCode::CREATED)
        }
    }
}

/// `GET /about/version`: text/plain.
pub(super) async fn version() -> Response {
    ([(CONTENT_TYPE, "text/plain")], API_VERSION).into_response()
}

/// `GET /error?errorCode=`: a sample `ErrorResult` for a code the simulator uses.
pub(super) async fn error_sample(Query(query): Query<HashMap<String, String>>) -> Response {
    let code = match required(&query, "errorCode").and_then(int) {
        Ok(code) => code,
        Err(error) => return error.into_response(),
    };
    match ErrorCode::from_code(code) {
        Some(known) => axum::Json(ErrorResult {
            error_code: Some(known.code()),
            error_message: Some(known.message().to_owned()),
            technical_info: None,
        })
        .into_response(),
        None => ApiError::not_found("Error code not found").into_response(),
    }
}
