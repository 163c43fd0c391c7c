//! Handlers for the "modified since" reads of reference data: `GET /journals/modified`
//! (`{modifiedJournalServiceDataList[], deletedJournalList[]}`) and `GET /accounts/modified`
//! (`{modified[], deleted[]}`). Nothing is ever deleted; nothing changed is a 404.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::{open_dossier, required};
use crate::clock::{from_brussels, parse_timestamp};
use crate::error::ApiError;
use crate::state::{Inner, SimState};

/// Checks the token and reads `modifiedTimeStamp` (Europe/Brussels wall-clock time).
fn since(
    inner: &Inner,
    headers: &HeaderMap,
    raw: &str,
    query: &HashMap<String, String>,
) -> Result<(i32, DateTime<Utc>), ApiError> {
    let id = open_dossier(inner, headers, raw)?;
    let since = parse_timestamp(required(query, "modifiedTimeStamp")?)
        .ok_or_else(ApiError::invalid_parameters)?;
    Ok((id, from_brussels(since)))
}

/// `GET /dossiers/{dossierId}/journals/modified?modifiedTimeStamp=`.
pub(super) async fn journals(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = since(&inner, &headers, &raw, &query)
        .map(|(id, since)| inner.dossiers[&id].journals_modified(since));
    drop(inner);
    match result {
        Ok(journals) if journals.is_empty() => {
            ApiError::not_found("No modified journals found").into_response()
        }
        Ok(journals) => axum::Json(serde_json::json!({
            "modifiedJournalServiceDataList": journals,
            "deletedJournalList": [],
        }))
        .into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/accounts/modified?modifiedTimeStamp=`.
pub(super) async fn accounts(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = since(&inner, &headers, &raw, &query)
        .map(|(id, since)| inner.dossiers[&id].accounts_modified(since));
    drop(inner);
    match result {
        Ok(accounts) if accounts.is_empty() => {
            ApiError::not_found("No modified accounts found").into_response()
        }
        Ok(accounts) => {
            axum::Json(serde_json::json!({ "modified": accounts, "deleted": [] })).into_response()
        }
        Err(error) => error.into_response(),
    }
}
