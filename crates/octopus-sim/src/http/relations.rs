//! Handlers for `GET /dossiers/{dossierId}/relations` (all active, or a search) and
//! `PUT /dossiers/{dossierId}/relations` (upsert).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{empty, int, list_or_404, open_dossier, required};
use crate::clock::{from_brussels, parse_timestamp};
use crate::error::ApiError;
use crate::relations::{
    RelationQuery, Upserted, modified as modified_since, search as find_relations,
    upsert as upsert_relation,
};
use crate::state::SimState;
use crate::wire::RelationData;

/// Reads the search criteria; a criterion sent empty is a 400 (the middleware already
/// refused unknown parameters).
fn parse_query(query: &HashMap<String, String>) -> Result<RelationQuery, ApiError> {
    if query.values().any(|v| v.trim().is_empty()) {
        return Err(ApiError::invalid_parameters());
    }
    let number = |name: &str| query.get(name).map(|v| int(v)).transpose();
    Ok(RelationQuery {
        relation_id: number("relationId")?,
        ext_relation_id: number("extRelationId")?,
        name: query.get("name").cloned(),
        vat_nr: query.get("vatNr").cloned(),
    })
}

/// `GET /dossiers/{dossierId}/relations[?relationId=&extRelationId=&name=&vatNr=]`.
pub(super) async fn search(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw).and_then(|id| Ok((id, parse_query(&query)?)));
    match result {
        Ok((id, query)) => list_or_404(
            find_relations(&inner.dossiers[&id], &query),
            "No relations found",
        ),
        Err(error) => error.into_response(),
    }
}

/// `PUT /dossiers/{dossierId}/relations`: 201 with the new relation, or 204 after a merge.
pub(super) async fn upsert(
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
    let Ok(relation) = serde_json::from_slice::<RelationData>(&body) else {
        return ApiError::invalid_parameters().into_response();
    };
    let now = inner.clock.now();
    let dossier = inner
        .dossiers
        .get_mut(&id)
        .expect("open_dossier checked the dossier exists");
    match upsert_relation(dossier, relation, now) {
        Ok(Upserted::Created(created)) => {
            (StatusCode::CREATED, axum::Json(created)).into_response()
        }
        Ok(Upserted::Updated) => empty(StatusCode::NO_CONTENT),
        Err(error) => error.into_response(),
    }
}

/// `GET /dossiers/{dossierId}/relations/modified?modifiedTimeStamp=`: `{modified[], deleted[]}`
/// (nothing is ever deleted); 404 when nothing changed.
pub(super) async fn modified(
    State(state): State<SimState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let result = open_dossier(&inner, &headers, &raw).and_then(|id| {
        let since = parse_timestamp(required(&query, "modifiedTimeStamp")?)
            .ok_or_else(ApiError::invalid_parameters)?;
        Ok(modified_since(&inner.dossiers[&id], from_brussels(since)))
    });
    match result {
        Ok(relations) if relations.is_empty() => {
            ApiError::not_found("No modified relations found").into_response()
        }
        Ok(relations) => {
            axum::Json(serde_json::json!({ "modified": relations, "deleted": [] })).into_response()
        }
        Err(error) => error.into_response(),
    }
}
