//! Handlers for `/authentication` (login, whoami) and `/dossiers` (list, connect).

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{ClientAddr, header, int, list_or_404, required};
use crate::error::ApiError;
use crate::state::SimState;

#[derive(Deserialize)]
struct Credentials {
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// `POST /authentication`.
pub(super) async fn login(
    State(state): State<SimState>,
    Extension(ClientAddr(addr)): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let credentials: Credentials = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(_) => return ApiError::invalid_parameters().into_response(),
    };
    let (Some(user), Some(password)) = (credentials.user, credentials.password) else {
        return ApiError::invalid_parameters().into_response();
    };
    let uuid = header(&headers, "softwareHouseUuid").unwrap_or_default();
    let ip = addr.map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    let result = state.lock().login(&user, &password, uuid, &ip);
    match result {
        Ok(token) => axum::Json(serde_json::json!({ "token": token })).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /authentication`: the token object of a valid `Token`.
pub(super) async fn whoami(State(state): State<SimState>, headers: HeaderMap) -> Response {
    let token = header(&headers, "Token");
    match state.lock().auth_user(token) {
        Ok(_) => {
            axum::Json(serde_json::json!({ "token": token.unwrap_or_default() })).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers`.
pub(super) async fn list_dossiers(State(state): State<SimState>, headers: HeaderMap) -> Response {
    let inner = state.lock();
    match inner.auth_user(header(&headers, "Token")) {
        Ok(user) => list_or_404(inner.dossiers_of(&user), "No dossiers found"),
        Err(error) => error.into_response(),
    }
}

/// `POST /dossiers?dossierId=&localeId=`.
pub(super) async fn connect(
    State(state): State<SimState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = state.lock();
    let result = inner.auth_user(header(&headers, "Token")).and_then(|user| {
        let dossier_id = int(required(&query, "dossierId")?)?;
        let locale_id = query
            .get("localeId")
            .map(|l| int(l))
            .transpose()?
            .unwrap_or(0);
        if !(0..=4).contains(&locale_id) {
            return Err(ApiError::invalid_parameters());
        }
        inner.connect(&user, dossier_id, locale_id)
    });
    match result {
        Ok(token) => axum::Json(serde_json::json!({ "Dossiertoken": token })).into_response(),
        Err(error) => error.into_response(),
    }
}
