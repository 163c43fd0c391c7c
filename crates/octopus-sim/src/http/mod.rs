//! The HTTP face of the simulator: the Octopus routes under `/octopus-rest-api/v1`, the control
//! API under `/_sim`, and a middleware that counts every Octopus call per endpoint and applies
//! daily caps, latency, unknown-parameter checks and faults.

mod auth;
mod bookings;
mod control;
mod control_faults;
mod reads;
mod relations;
mod server;
mod sync;

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use server::SimServer;

use crate::endpoints::Endpoint;
use crate::error::{ApiError, ErrorCode};
use crate::faults::Fault;
use crate::net::PeerInfo;
use crate::state::{Inner, SimState};

/// Path prefix of every endpoint, as on `https://service.inaras.be/octopus-rest-api/v1`.
pub const PREFIX: &str = "/octopus-rest-api/v1";

/// Path prefix of the control API.
pub const CONTROL_PREFIX: &str = "/_sim";

/// Largest request body accepted (base64 attachments make bookings big).
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The caller's address, for the failed-login message (`None` outside a `SimServer`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddr(pub(crate) Option<std::net::SocketAddr>);

/// Turns true when the `SimServer` serving the call starts shutting down.
#[derive(Debug, Clone)]
pub(crate) struct ServerStopping(pub(crate) tokio::sync::watch::Receiver<bool>);

/// Set on a booking write hit by a `lock-journal` fault: lock its journal this long first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockJournalFault(pub(crate) Duration);

/// Returns the router of the whole API and the control API, bound to `state`.
pub fn router(state: SimState) -> Router {
    let api = Router::new()
        .route("/authentication", get(auth::whoami).post(auth::login))
        .route("/dossiers", get(auth::list_dossiers).post(auth::connect))
        .route("/dossiers/{dossierId}/bookyears", get(reads::bookyears))
        .route(
            "/dossiers/{dossierId}/bookyears/{bookyearId}/journals",
            get(reads::journals),
        )
        .route(
            "/dossiers/{dossierId}/journals/modified",
            get(sync::journals),
        )
        .route("/dossiers/{dossierId}/vatcodes", get(reads::vat_codes))
        .route(
            "/dossiers/{dossierId}/accounts",
            get(reads::accounts).put(reads::put_account),
        )
        .route(
            "/dossiers/{dossierId}/accounts/modified",
            get(sync::accounts),
        )
        .route(
            "/dossiers/{dossierId}/relations",
            get(relations::search).put(relations::upsert),
        )
        .route(
            "/dossiers/{dossierId}/relations/modified",
            get(relations::modified),
        )
        .route(
            "/dossiers/{dossierId}/buysellbookings",
            get(bookings::get_one)
                .post(bookings::post)
                .put(bookings::put),
        )
        .route(
            "/dossiers/{dossierId}/buysellbookings/modified",
            get(bookings::modified),
        )
        .route("/about/version", get(reads::version))
        .route("/error", get(reads::error_sample))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    Router::new()
        .nest(PREFIX, api)
        .nest(CONTROL_PREFIX, control::router(state))
}

/// Reads the dossier id of `/dossiers/{id}/...`; inside the nested router the prefix is gone.
fn dossier_id_in(path: &str) -> Option<i32> {
    let path = path.strip_prefix(PREFIX).unwrap_or(path);
    let rest = path.strip_prefix("/dossiers/")?;
    rest.split('/').next()?.parse().ok()
}

fn query_pairs(query: Option<&str>) -> impl Iterator<Item = (&str, &str)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

fn has_search_parameter(query: Option<&str>) -> bool {
    query_pairs(query)
        .any(|(name, _)| matches!(name, "relationId" | "extRelationId" | "name" | "vatNr"))
}

/// The dossier a call is about: from the path, or connect's `dossierId` parameter.
fn dossier_of(endpoint: Endpoint, request: &Request) -> Option<i32> {
    if endpoint == Endpoint::Connect {
        return query_pairs(request.uri().query())
            .find(|(name, _)| *name == "dossierId")
            .and_then(|(_, value)| value.parse().ok());
    }
    dossier_id_in(request.uri().path())
}

/// A 502/503/504 as a proxy in front of Octopus sends it (HTML), or another status, empty.
fn fault_response(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if matches!(status.as_u16(), 502..=504) {
        let page = format!(
            "<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center>\
             <hr><center>nginx</center></body></html>"
        );
        return (status, [(header::CONTENT_TYPE, "text/html")], page).into_response();
    }
    ApiError::empty(status).into_response()
}

/// Handles the call: 400 for a query parameter the endpoint does not know, else the handler.
async fn handle(endpoint: Endpoint, request: Request, next: Next) -> Response {
    let allowed = endpoint.query_parameters();
    let bad = query_pairs(request.uri().query()).any(|(name, _)| !allowed.contains(&name));
    if bad {
        return ApiError::invalid_parameters().into_response();
    }
    next.run(request).await
}

/// Holds a call this long, or until the server shuts down.
async fn hang(stopping: Option<ServerStopping>, duration: Duration) {
    let Some(ServerStopping(mut stopping)) = stopping else {
        tokio::time::sleep(duration).await;
        return;
    };
    tokio::select! {
        () = tokio::time::sleep(duration) => {}
        _ = stopping.wait_for(|stopping| *stopping) => {}
    }
}

/// Closes the caller's connection without an answer; without a `SimServer` (no kill switch)
/// a 502 page stands in.
fn drop_connection(peer: Option<&PeerInfo>) -> Response {
    match peer {
        Some(peer) => {
            peer.drop_connection();
            ApiError::empty(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }
        None => {
            tracing::warn!("drop fault outside SimServer: answering 502 instead");
            fault_response(502)
        }
    }
}

async fn track(
    State(state): State<SimState>,
    matched: MatchedPath,
    mut request: Request,
    next: Next,
) -> Response {
    let template = matched
        .as_str()
        .strip_prefix(PREFIX)
        .unwrap_or(matched.as_str());
    let Some(endpoint) = Endpoint::from_route(request.method(), template) else {
        return next.run(request).await;
    };
    let dossier_id = dossier_of(endpoint, &request);
    let search = endpoint == Endpoint::Relations && has_search_parameter(request.uri().query());
    let plan = state.begin_call(endpoint, dossier_id, search);
    let stopping = request.extensions().get::<ServerStopping>().cloned();
    let peer = request
        .extensions()
        .get::<ConnectInfo<PeerInfo>>()
        .map(|info| info.0.clone());
    request
        .extensions_mut()
        .insert(ClientAddr(peer.as_ref().map(|p| p.addr)));
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    let response = match (plan.rejected, plan.fault) {
        (Some(error), _) => error.into_response(),
        (None, None | Some(Fault::ExpireTokens)) => handle(endpoint, request, next).await,
        (None, Some(Fault::LockJournal(duration))) => {
            request.extensions_mut().insert(LockJournalFault(duration));
            handle(endpoint, request, next).await
        }
        (None, Some(Fault::Status(status))) => fault_response(status),
        (None, Some(Fault::StatusAfterCommit(status))) => {
            drop(handle(endpoint, request, next).await);
            fault_response(status)
        }
        (None, Some(Fault::DelayAfterCommit(delay))) => {
            let response = handle(endpoint, request, next).await;
            hang(stopping, delay).await;
            response
        }
        (None, Some(Fault::Timeout(delay))) => {
            hang(stopping, delay).await;
            fault_response(504)
        }
        (None, Some(Fault::Drop)) => drop_connection(peer.as_ref()),
        (None, Some(Fault::DropAfterCommit)) => {
            drop(handle(endpoint, request, next).await);
            drop_connection(peer.as_ref())
        }
    };
    tracing::debug!(
        endpoint = endpoint.alias(),
        status = response.status().as_u16(),
        "octopus call"
    );
    response
}

/// Returns a header's value as text (names are case-insensitive).
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Parses an int32 path or query value; anything else is a 400.
fn int(value: &str) -> Result<i32, ApiError> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid_parameters())
}

/// Returns a required query parameter.
fn required<'a>(query: &'a HashMap<String, String>, name: &str) -> Result<&'a str, ApiError> {
    query
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(ApiError::invalid_parameters)
}

/// Checks the `dossierToken` of a call on `/dossiers/{raw_id}/...` and returns the dossier id.
fn open_dossier(inner: &Inner, headers: &HeaderMap, raw_id: &str) -> Result<i32, ApiError> {
    let id = int(raw_id)?;
    inner.check_dossier_token(header(headers, "dossierToken"), id)?;
    if !inner.dossiers.contains_key(&id) {
        return Err(ApiError::coded(
            ErrorCode::DossierNotFound,
            format!("Dossier {id} not found"),
        ));
    }
    Ok(id)
}

/// Answers 200 with a JSON array, or 404 with `message` when it is empty.
fn list_or_404<T: serde::Serialize>(items: Vec<T>, message: &str) -> Response {
    if items.is_empty() {
        return ApiError::not_found(message).into_response();
    }
    axum::Json(items).into_response()
}

/// An empty-bodied response with this status.
fn empty(status: StatusCode) -> Response {
    (status, Body::empty()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dossier_id_and_search_parameters_are_read_from_the_uri() {
        assert_eq!(
            dossier_id_in("/octopus-rest-api/v1/dossiers/49555/relations"),
            Some(49555)
        );
        assert_eq!(dossier_id_in("/dossiers/7/vatcodes"), Some(7));
        assert_eq!(dossier_id_in("/octopus-rest-api/v1/dossiers"), None);
        assert!(has_search_parameter(Some("extRelationId=5")));
        assert!(!has_search_parameter(Some("foo=1")));
        assert!(!has_search_parameter(None));
        let pairs: Vec<_> = query_pairs(Some("a=1&b&c=")).collect();
        assert_eq!(pairs, [("a", "1"), ("b", ""), ("c", "")]);
    }
}
