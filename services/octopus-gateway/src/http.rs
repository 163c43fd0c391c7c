//! The one HTTP client to Octopus: endpoint templates, reserving a call against its daily cap,
//! sending it inside an `octopus.http` span (method, path template, status, Octopus error code,
//! dossier id; never headers or bodies), and lenient reading of Octopus's error bodies. Knows
//! nothing about sessions.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument as _;

use crate::calls::Calls;
use crate::error::GatewayError;
use crate::quota::Quotas;

mod error_body;

pub use error_body::{ErrorBody, refusal_detail};

/// An Octopus endpoint the gateway calls, named by its "METHOD /path/template".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Authentication,
    Connect,
    Bookyears,
    Journals { bookyear_id: i32 },
    VatCodes,
    Accounts,
    RelationsGet,
    RelationsPut,
    BookingsPost,
    BookingsModified,
    AccountsPut,
}

impl Endpoint {
    /// The template the call is counted under.
    pub fn template(self) -> &'static str {
        match self {
            Endpoint::Authentication => "POST /authentication",
            Endpoint::Connect => "POST /dossiers",
            Endpoint::Bookyears => "GET /dossiers/{dossierId}/bookyears",
            Endpoint::Journals { .. } => {
                "GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals"
            }
            Endpoint::VatCodes => "GET /dossiers/{dossierId}/vatcodes",
            Endpoint::Accounts => "GET /dossiers/{dossierId}/accounts",
            Endpoint::RelationsGet => "GET /dossiers/{dossierId}/relations",
            Endpoint::RelationsPut => "PUT /dossiers/{dossierId}/relations",
            Endpoint::BookingsPost => "POST /dossiers/{dossierId}/buysellbookings",
            Endpoint::BookingsModified => "GET /dossiers/{dossierId}/buysellbookings/modified",
            Endpoint::AccountsPut => "PUT /dossiers/{dossierId}/accounts",
        }
    }

    /// The path template alone, e.g. `/dossiers/{dossierId}/buysellbookings`.
    pub fn path_template(self) -> &'static str {
        let template = self.template();
        template.split_once(' ').map_or(template, |(_, path)| path)
    }

    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            Endpoint::Authentication | Endpoint::Connect | Endpoint::BookingsPost => Method::POST,
            Endpoint::RelationsPut | Endpoint::AccountsPut => Method::PUT,
            _ => Method::GET,
        }
    }

    fn path(self, dossier_id: i32) -> String {
        let dossier = format!("/dossiers/{dossier_id}");
        match self {
            Endpoint::Authentication => "/authentication".to_owned(),
            Endpoint::Connect => "/dossiers".to_owned(),
            Endpoint::Bookyears => format!("{dossier}/bookyears"),
            Endpoint::Journals { bookyear_id } => {
                format!("{dossier}/bookyears/{bookyear_id}/journals")
            }
            Endpoint::VatCodes => format!("{dossier}/vatcodes"),
            Endpoint::Accounts | Endpoint::AccountsPut => format!("{dossier}/accounts"),
            Endpoint::RelationsGet | Endpoint::RelationsPut => format!("{dossier}/relations"),
            Endpoint::BookingsPost => format!("{dossier}/buysellbookings"),
            Endpoint::BookingsModified => format!("{dossier}/buysellbookings/modified"),
        }
    }
}

/// One HTTP request to Octopus, before it is sent. Debug shows neither headers nor body.
#[derive(Clone)]
pub struct HttpCall {
    pub endpoint: Endpoint,
    pub dossier_id: i32,
    pub query: Vec<(&'static str, String)>,
    pub headers: Vec<(&'static str, String)>,
    /// A JSON body; `None` sends no body.
    pub body: Option<String>,
}

impl std::fmt::Debug for HttpCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpCall")
            .field("endpoint", &self.endpoint.template())
            .field("dossier_id", &self.dossier_id)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl HttpCall {
    /// A call to `endpoint` of `dossier_id` with no query, headers or body yet.
    pub fn new(endpoint: Endpoint, dossier_id: i32) -> Self {
        Self {
            endpoint,
            dossier_id,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a header; its value is marked sensitive, so it never shows in Debug output.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: String) -> Self {
        self.body = Some(body);
        self
    }
}

/// What Octopus answered (any status).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    /// Octopus's `Retry-After`, in seconds, when it sent one.
    pub retry_after: Option<Duration>,
}

/// No answer: the call could not be completed (connect failure, timeout, reset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    pub cause: String,
    /// False when the connection was never made, so Octopus cannot have seen the request.
    pub sent: bool,
}

/// The shared HTTP client, built once with explicit timeouts; it reserves every call against
/// Octopus's daily caps before making it.
#[derive(Debug, Clone)]
pub struct OctopusHttp {
    client: reqwest::Client,
    request_timeout: Duration,
    quotas: Quotas,
}

impl OctopusHttp {
    /// Builds the client; no cookies (the REST API is stateless), explicit timeouts.
    pub fn new(
        request_timeout: Duration,
        connect_timeout: Duration,
        quotas: Quotas,
    ) -> Result<Self, GatewayError> {
        let client = reqwest::Client::builder()
            .timeout(request_timeout)
            .connect_timeout(connect_timeout)
            .user_agent(concat!("ox-octopus-gateway/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| GatewayError::HttpClient(error.to_string()))?;
        Ok(Self {
            client,
            request_timeout,
            quotas,
        })
    }

    /// The caps this client counts against.
    pub fn quotas(&self) -> &Quotas {
        &self.quotas
    }

    /// Reserves `call` against its daily cap, then sends it to the Octopus at `base_url`,
    /// counting it in `calls`. The outer error means the call was not made (cap reached, store
    /// down, bad URL); the inner result is what became of a call that was made.
    pub async fn send(
        &self,
        base_url: &str,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
        let endpoint = call.endpoint;
        let url = build_url(base_url, &call).map_err(|cause| GatewayError::OctopusUnavailable {
            endpoint: endpoint.template(),
            cause,
        })?;
        let mut request = self.client.request(endpoint.method(), url);
        for (name, value) in &call.headers {
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                GatewayError::InvalidArgument(format!(
                    "header {name} holds characters HTTP cannot carry"
                ))
            })?;
            value.set_sensitive(true);
            // from_bytes folds "softwareHouseUuid" to lower case; HTTP header names are case-blind.
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                GatewayError::InvalidArgument(format!("{name} is not a valid header name"))
            })?;
            request = request.header(name, value);
        }
        if let Some(body) = call.body {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }
        self.quotas.reserve(endpoint, call.dossier_id).await?;
        calls.record(endpoint.template());
        let span = tracing::info_span!(
            "octopus.http",
            method = endpoint.method().as_str(),
            path = endpoint.path_template(),
            dossier_id = call.dossier_id,
            status = tracing::field::Empty,
            octopus_error_code = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let outcome = self.exchange(request).instrument(span.clone()).await;
        let _entered = span.enter();
        match &outcome {
            Ok((reply, elapsed_ms)) => {
                span.record("status", reply.status.as_u16());
                span.record("elapsed_ms", elapsed_ms);
                if !reply.status.is_success()
                    && let Some(code) = ErrorBody::parse(&reply.body).and_then(|b| b.error_code)
                {
                    span.record("octopus_error_code", code);
                }
                tracing::debug!(http.status = reply.status.as_u16(), "octopus call");
            }
            Err(transport) => tracing::warn!(
                cause = %transport.cause,
                sent = transport.sent,
                "octopus call got no answer"
            ),
        }
        Ok(outcome.map(|(reply, _)| reply))
    }

    async fn exchange(&self, request: reqwest::RequestBuilder) -> Result<(Reply, u64), Transport> {
        let started = Instant::now();
        let response = request
            .send()
            .await
            .map_err(|error| self.transport(&error))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .text()
            .await
            .map_err(|error| self.transport(&error))?;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok((
            Reply {
                status,
                body,
                retry_after,
            },
            elapsed_ms,
        ))
    }

    fn transport(&self, error: &reqwest::Error) -> Transport {
        let sent = !error.is_connect();
        let cause = if error.is_timeout() {
            format!("no answer within {} ms", self.request_timeout.as_millis())
        } else {
            let mut chain = Vec::new();
            let mut source: Option<&dyn std::error::Error> = Some(error);
            while let Some(current) = source {
                chain.push(current.to_string());
                source = current.source();
            }
            // The innermost cause ("connection reset by peer") is the telling one.
            let kind = if sent {
                "connection lost"
            } else {
                "cannot connect"
            };
            format!("{kind}: {}", chain.last().map_or("", String::as_str))
        };
        Transport { cause, sent }
    }
}

/// Whether an outcome is worth another attempt: no answer, 5xx, or 429.
pub fn is_transient(outcome: &Result<Reply, Transport>) -> bool {
    match outcome {
        Err(_) => true,
        Ok(reply) => {
            reply.status.is_server_error() || reply.status == StatusCode::TOO_MANY_REQUESTS
        }
    }
}

fn build_url(base_url: &str, call: &HttpCall) -> Result<Url, String> {
    let raw = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        call.endpoint.path(call.dossier_id)
    );
    let mut url =
        Url::parse(&raw).map_err(|error| format!("invalid Octopus URL {raw}: {error}"))?;
    if !call.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &call.query {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_method_and_path_template() {
        let endpoint = Endpoint::Journals { bookyear_id: 3 };
        assert_eq!(endpoint.method(), Method::GET);
        assert_eq!(
            endpoint.path_template(),
            "/dossiers/{dossierId}/bookyears/{bookyearId}/journals"
        );
        assert_eq!(Endpoint::Connect.path_template(), "/dossiers");
    }

    #[test]
    fn builds_urls_with_encoded_queries() {
        let call = HttpCall::new(Endpoint::BookingsModified, 42)
            .query("journalKey", "V1")
            .query("modifiedTimeStamp", "1980-01-01 00:00:00.000");
        let url = build_url("http://127.0.0.1:9/octopus-rest-api/v1/", &call).unwrap();
        assert_eq!(
            url.path(),
            "/octopus-rest-api/v1/dossiers/42/buysellbookings/modified"
        );
        let pairs: Vec<_> = url.query_pairs().collect();
        assert_eq!(pairs[1].1, "1980-01-01 00:00:00.000");
        assert!(build_url("not a url", &call).is_err());
    }
}
