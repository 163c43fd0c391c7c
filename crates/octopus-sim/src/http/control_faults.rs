//! Control API handlers that change how the simulator behaves: latency, token lifetime, token
//! expiry, lock-out, seed, daily caps, fault rules, and desktop-side changes to a dossier
//! (disabled, journal locked, journal counter).

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::control::{control_error, json_body, sim_error};
use crate::faults::parse_fault_spec;
use crate::state::SimState;

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn latency_json(state: &SimState) -> serde_json::Value {
    let (fixed, jitter) = state.latency();
    serde_json::json!({ "fixedMs": millis(fixed), "jitterMs": millis(jitter) })
}

/// `GET /_sim/latency`: `{"fixedMs", "jitterMs"}`.
pub(super) async fn latency(State(state): State<SimState>) -> Response {
    axum::Json(latency_json(&state)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Latency {
    fixed_ms: u64,
    #[serde(default)]
    jitter_ms: u64,
}

/// `PUT /_sim/latency` `{"fixedMs": 20, "jitterMs": 10}`.
pub(super) async fn set_latency(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<Latency>(&body) {
        Ok(l) => {
            state.set_latency(
                Duration::from_millis(l.fixed_ms),
                Duration::from_millis(l.jitter_ms),
            );
            axum::Json(latency_json(&state)).into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

/// `GET /_sim/token-ttl`: `{"seconds"}`.
pub(super) async fn token_ttl(State(state): State<SimState>) -> Response {
    axum::Json(serde_json::json!({ "seconds": state.token_ttl().as_secs() })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seconds {
    seconds: u64,
}

/// `PUT /_sim/token-ttl` `{"seconds": 60}`: lifetime of tokens issued from now on.
pub(super) async fn set_token_ttl(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<Seconds>(&body) {
        Ok(s) => {
            state.set_token_ttl(Duration::from_secs(s.seconds));
            axum::Json(serde_json::json!({ "seconds": s.seconds })).into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

/// `POST /_sim/tokens/expire`: every token issued so far is expired.
pub(super) async fn expire_tokens(State(state): State<SimState>) -> StatusCode {
    state.expire_tokens();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lockout {
    threshold: u32,
    seconds: u64,
}

/// `PUT /_sim/lockout` `{"threshold": 3, "seconds": 900}` (threshold 0 never locks).
pub(super) async fn set_lockout(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<Lockout>(&body) {
        Ok(l) => {
            state.set_lockout(l.threshold, Duration::from_secs(l.seconds));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    seed: u64,
}

/// `PUT /_sim/seed` `{"seed": 42}`: replays jitter and probabilistic faults.
pub(super) async fn set_seed(State(state): State<SimState>, body: Bytes) -> Response {
    match json_body::<Seed>(&body) {
        Ok(s) => {
            state.set_seed(s.seed);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

/// `GET /_sim/daily-caps`: `{"enabled", "caps": {alias: cap or null}}`.
pub(super) async fn caps(State(state): State<SimState>) -> Response {
    axum::Json(state.daily_caps()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetCaps {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    caps: BTreeMap<String, Option<u64>>,
}

/// `PUT /_sim/daily-caps` `{"enabled": true, "caps": {"bookings": 50, "vatcodes": null}}`.
pub(super) async fn set_caps(State(state): State<SimState>, body: Bytes) -> Response {
    let set = match json_body::<SetCaps>(&body) {
        Ok(set) => set,
        Err(bad) => return bad.into_response(),
    };
    for (name, cap) in &set.caps {
        if let Err(error) = state.set_daily_cap(name, *cap) {
            return sim_error(&error);
        }
    }
    if let Some(enabled) = set.enabled {
        state.set_daily_caps(enabled);
    }
    axum::Json(state.daily_caps()).into_response()
}

/// `GET /_sim/faults`: `[{"rule", "seen", "fired"}]`.
pub(super) async fn faults(State(state): State<SimState>) -> Response {
    axum::Json(state.fault_rules()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    spec: String,
}

/// `POST /_sim/faults` `{"spec": "bookings:commit-drop@p=0.1"}`: adds rules, answers them all.
pub(super) async fn add_faults(State(state): State<SimState>, body: Bytes) -> Response {
    let spec = match json_body::<Spec>(&body) {
        Ok(spec) => spec,
        Err(bad) => return bad.into_response(),
    };
    match parse_fault_spec(&spec.spec) {
        Ok(rules) => {
            state.add_fault_rules(rules);
            (StatusCode::CREATED, axum::Json(state.fault_rules())).into_response()
        }
        Err(error) => sim_error(&error),
    }
}

/// `DELETE /_sim/faults`: removes every rule and queued fault.
pub(super) async fn clear_faults(State(state): State<SimState>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Disabled {
    disabled: bool,
}

/// `PUT /_sim/dossiers/{id}/disabled` `{"disabled": true}`.
pub(super) async fn set_disabled(
    State(state): State<SimState>,
    Path(id): Path<i32>,
    body: Bytes,
) -> Response {
    let set = match json_body::<Disabled>(&body) {
        Ok(set) => set,
        Err(bad) => return bad.into_response(),
    };
    match state.set_dossier_disabled(id, set.disabled) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => sim_error(&error),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lock {
    locked: bool,
    #[serde(default)]
    seconds: Option<u64>,
}

/// `PUT /_sim/dossiers/{id}/journals/{bookyearId}/{key}/lock` `{"locked": true[, "seconds": 60]}`:
/// a desktop user opens (for a while, on the simulator clock) or releases the journal.
pub(super) async fn lock_journal(
    State(state): State<SimState>,
    Path((id, bookyear, key)): Path<(i32, i32, String)>,
    body: Bytes,
) -> Response {
    let lock = match json_body::<Lock>(&body) {
        Ok(lock) => lock,
        Err(bad) => return bad.into_response(),
    };
    let outcome = match (lock.locked, lock.seconds) {
        (true, Some(seconds)) => {
            state.lock_journal_for(id, bookyear, &key, Duration::from_secs(seconds))
        }
        (locked, None) => state.set_journal_locked(id, bookyear, &key, locked),
        (false, Some(_)) => {
            return control_error(
                StatusCode::BAD_REQUEST,
                "seconds only goes with locked: true",
            );
        }
    };
    match outcome {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => sim_error(&error),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LastNumber {
    nr: i32,
}

/// `PUT /_sim/dossiers/{id}/journals/{bookyearId}/{key}/last-booked-document-nr` `{"nr": 57}`:
/// someone booked in the desktop app.
pub(super) async fn set_last_number(
    State(state): State<SimState>,
    Path((id, bookyear, key)): Path<(i32, i32, String)>,
    body: Bytes,
) -> Response {
    let set = match json_body::<LastNumber>(&body) {
        Ok(set) => set,
        Err(bad) => return bad.into_response(),
    };
    match state.set_last_booked_document_nr(id, bookyear, &key, set.nr) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => sim_error(&error),
    }
}
