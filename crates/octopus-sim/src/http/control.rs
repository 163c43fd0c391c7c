//! The control API under `/_sim`, for tests and benchmarks: fixtures, state, call counts and
//! the clock (here), behaviour and faults (`control_faults.rs`). It is not counted, capped,
//! delayed or faulted. Errors are `{"error": "..."}` with 400 or 404.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::control_faults;
use crate::TIMESTAMP_FORMAT;
use crate::clock::to_brussels;
use crate::state::{SimError, SimState};

/// Returns the control routes (nested under `/_sim`).
pub(super) fn router(state: SimState) -> Router {
    Router::new()
        .route("/state", get(full_state))
        .route("/dossiers/{dossierId}", get(dossier))
        .route("/fixtures", post(fixtures))
        .route("/calls", get(calls).delete(reset_calls))
        .route("/clock", get(clock).put(set_clock))
        .route("/clock/advance", post(advance_clock))
        .route(
            "/latency",
            get(control_faults::latency).put(control_faults::set_latency),
        )
        .route(
            "/token-ttl",
            get(control_faults::token_ttl).put(control_faults::set_token_ttl),
        )
        .route("/tokens/expire", post(control_faults::expire_tokens))
        .route("/lockout", put(control_faults::set_lockout))
        .route("/seed", put(control_faults::set_seed))
        .route(
            "/daily-caps",
            get(control_faults::caps).put(control_faults::set_caps),
        )
        .route(
            "/faults",
            get(control_faults::faults)
                .post(control_faults::add_faults)
                .delete(control_faults::clear_faults),
        )
        .route(
            "/dossiers/{dossierId}/disabled",
            put(control_faults::set_disabled),
        )
        .route(
            "/dossiers/{dossierId}/journals/{bookyearId}/{journalKey}/lock",
            put(control_faults::lock_journal),
        )
        .route(
            "/dossiers/{dossierId}/journals/{bookyearId}/{journalKey}/last-booked-document-nr",
            put(control_faults::set_last_number),
        )
        .with_state(state)
}

/// A control error: `{"error": message}`.
pub(super) fn control_error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    let body = serde_json::json!({ "error": message.to_string() });
    (status, axum::Json(body)).into_response()
}

/// Maps a setup error to 404 (unknown dossier or journal) or 400.
pub(super) fn sim_error(error: &SimError) -> Response {
    let status = match error {
        SimError::UnknownDossier(_) | SimError::UnknownJournal { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    control_error(status, error)
}

/// A control body that does not parse: answered 400 saying why.
pub(super) struct BadBody(String);

impl IntoResponse for BadBody {
    fn into_response(self) -> Response {
        control_error(StatusCode::BAD_REQUEST, format!("invalid body: {}", self.0))
    }
}

/// Parses a JSON body.
pub(super) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, BadBody> {
    serde_json::from_slice(body).map_err(|e| BadBody(e.to_string()))
}

/// `GET /_sim/state[?dossierId=N]`: clock, call counts, caps, faults and every dossier's
/// relations, bookings, journals and attachments.
async fn full_state(
    State(state): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let ids = match query.get("dossierId") {
        Some(id) => match id.parse::<i32>() {
            Ok(id) if state.has_dossier(id) => vec![id],
            Ok(id) => return sim_error(&SimError::UnknownDossier(id)),
            Err(_) => return control_error(StatusCode::BAD_REQUEST, "dossierId must be a number"),
        },
        None => state.dossier_ids(),
    };
    let dossiers: Vec<serde_json::Value> = ids.into_iter().map(|id| state.dump(id)).collect();
    axum::Json(serde_json::json!({
        "clock": clock_json(&state),
        "callCounts": state.call_counts(),
        "dailyCaps": state.daily_caps(),
        "faults": state.fault_rules(),
        "dossiers": dossiers,
    }))
    .into_response()
}

/// `GET /_sim/dossiers/{id}`: one dossier as `SimState::dump` gives it.
async fn dossier(State(state): State<SimState>, Path(id): Path<i32>) -> Response {
    if !state.has_dossier(id) {
        return sim_error(&SimError::UnknownDossier(id));
    }
    axum::Json(state.dump(id)).into_response()
}

/// `POST /_sim/fixtures`: loads a fixture (format in the README).
async fn fixtures(State(state): State<SimState>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    match state.load_fixture_json(&text) {
        Ok(summary) => (StatusCode::CREATED, axum::Json(summary)).into_response(),
        Err(error) => sim_error(&error),
    }
}

/// `GET /_sim/calls`.
async fn calls(State(state): State<SimState>) -> Response {
    axum::Json(state.call_counts()).into_response()
}

/// `DELETE /_sim/calls`.
async fn reset_calls(State(state): State<SimState>) -> StatusCode {
    state.reset_call_counts();
    StatusCode::NO_CONTENT
}

fn clock_json(state: &SimState) -> serde_json::Value {
    let now = state.now();
    serde_json::json!({
        "now": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "brussels": to_brussels(now).format(TIMESTAMP_FORMAT).to_string(),
        "frozen": state.clock_frozen(),
    })
}

/// `GET /_sim/clock`: `{"now": RFC 3339 UTC, "brussels": "yyyy-MM-dd HH:mm:ss.SSS", "frozen"}`.
async fn clock(State(state): State<SimState>) -> Response {
    axum::Json(clock_json(&state)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetClock {
    now: DateTime<Utc>,
    #[serde(default)]
    frozen: bool,
}

/// `PUT /_sim/clock` `{"now": "2025-03-15T09:00:00Z", "frozen": true}`.
async fn set_clock(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<SetClock>(&body) {
        Ok(set) => {
            state.set_clock(set.now, set.frozen);
            axum::Json(clock_json(&state)).into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    millis: u64,
}

/// `POST /_sim/clock/advance` `{"seconds": 600}` (and/or `"millis"`).
async fn advance_clock(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<Advance>(&body) {
        Ok(by) => {
            let by = std::time::Duration::from_secs(by.seconds)
                + std::time::Duration::from_millis(by.millis);
            state.advance_clock(by);
            axum::Json(clock_json(&state)).into_response()
        }
        Err(bad) => bad.into_response(),
    }
}
