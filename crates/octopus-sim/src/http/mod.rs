//! The HTTP face of the simulator: routes under `/octopus-rest-api/v1`, a middleware that counts
//! calls per endpoint template and applies daily caps, latency and faults, and `SimServer`.

mod auth;
mod bookings;
mod reads;
mod relations;

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::error::{ApiError, ErrorCode};
use crate::state::{Fault, Inner, SimState};

/// Path prefix of every endpoint, as on `https://service.inaras.be/octopus-rest-api/v1`.
pub const PREFIX: &str = "/octopus-rest-api/v1";

/// Largest request body accepted (base64 attachments make bookings big).
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Returns the router of the whole API, bound to `state`.
pub fn router(state: SimState) -> Router {
    let api = Router::new()
        .route("/authentication", get(auth::whoami).post(auth::login))
        .route("/dossiers", get(auth::list_dossiers).post(auth::connect))
        .route("/dossiers/{dossierId}/bookyears", get(reads::bookyears))
        .route(
            "/dossiers/{dossierId}/bookyears/{bookyearId}/journals",
            get(reads::journals),
        )
        .route("/dossiers/{dossierId}/vatcodes", get(reads::vat_codes))
        .route(
            "/dossiers/{dossierId}/accounts",
            get(reads::accounts).put(reads::put_account),
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
            get(bookings::get_one).post(bookings::post),
        )
        .route(
            "/dossiers/{dossierId}/buysellbookings/modified",
            get(bookings::modified),
        )
        .route("/about/version", get(reads::version))
        .route("/error", get(reads::error_sample))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    Router::new().nest(PREFIX, api)
}

fn dossier_id_in(path: &str) -> Option<i32> {
    let rest = path.strip_prefix(PREFIX)?.strip_prefix("/dossiers/")?;
    rest.split('/').next()?.parse().ok()
}

fn has_search_parameter(query: Option<&str>) -> bool {
    query.unwrap_or_default().split('&').any(|pair| {
        let name = pair.split('=').next().unwrap_or_default();
        matches!(name, "relationId" | "extRelationId" | "name" | "vatNr")
    })
}

fn fault_response(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if matches!(status.as_u16(), 502..=504) {
        let page = format!(
            "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
        );
        return (status, [(header::CONTENT_TYPE, "text/html")], page).into_response();
    }
    ApiError::empty(status).into_response()
}

async fn track(
    State(state): State<SimState>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let template = matched
        .as_str()
        .strip_prefix(PREFIX)
        .unwrap_or(matched.as_str());
    let endpoint = format!("{} {template}", request.method());
    let dossier_id = dossier_id_in(request.uri().path());
    let search = template == "/dossiers/{dossierId}/relations"
        && request.method() == axum::http::Method::GET
        && has_search_parameter(request.uri().query());
    let plan = state.begin_call(&endpoint, dossier_id, search);
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    let response = match (plan.rejected, plan.fault) {
        (Some(error), _) => error.into_response(),
        (None, None) => next.run(request).await,
        (None, Some(Fault::Status(status))) => fault_response(status),
        (None, Some(Fault::StatusAfterCommit(status))) => {
            drop(next.run(request).await);
            fault_response(status)
        }
        (None, Some(Fault::DelayAfterCommit(delay))) => {
            let response = next.run(request).await;
            tokio::time::sleep(delay).await;
            response
        }
    };
    tracing::info!(endpoint = %endpoint, status = response.status().as_u16(), "octopus call");
    response
}

/// Returns a header's value as text.
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

/// The simulator listening on a TCP port.
#[derive(Debug)]
pub struct SimServer {
    listener: TcpListener,
    addr: SocketAddr,
    state: SimState,
}

impl SimServer {
    /// Binds `addr` (e.g. `127.0.0.1:0`) for `state`.
    pub async fn bind(addr: &str, state: SimState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        Ok(Self {
            listener,
            addr,
            state,
        })
    }

    /// Returns the bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the API base URL, e.g. `http://127.0.0.1:40123/octopus-rest-api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// Returns the state this server serves.
    pub fn state(&self) -> &SimState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes in-flight calls.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }
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
        assert_eq!(dossier_id_in("/octopus-rest-api/v1/dossiers"), None);
        assert!(has_search_parameter(Some("extRelationId=5")));
        assert!(!has_search_parameter(Some("foo=1")));
        assert!(!has_search_parameter(None));
    }
}
