//! The one HTTP client to Octopus: endpoint templates, sending and counting a call, and lenient
//! reading of Octopus's error bodies. Knows nothing about sessions.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::calls::Calls;
use crate::error::GatewayError;

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
        }
    }

    fn method(self) -> Method {
        match self {
            Endpoint::Authentication | Endpoint::Connect | Endpoint::BookingsPost => Method::POST,
            Endpoint::RelationsPut => Method::PUT,
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
            Endpoint::Accounts => format!("{dossier}/accounts"),
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
}

/// No answer: the call could not be completed (connect failure, timeout, reset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    pub cause: String,
}

/// The shared HTTP client, built once with explicit timeouts.
#[derive(Debug, Clone)]
pub struct OctopusHttp {
    client: reqwest::Client,
    request_timeout: Duration,
}

impl OctopusHttp {
    /// Builds the client; no cookies (the REST API is stateless), explicit timeouts.
    pub fn new(request_timeout: Duration, connect_timeout: Duration) -> Result<Self, GatewayError> {
        let client = reqwest::Client::builder()
            .timeout(request_timeout)
            .connect_timeout(connect_timeout)
            .user_agent(concat!("ox-octopus-gateway/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| GatewayError::HttpClient(error.to_string()))?;
        Ok(Self {
            client,
            request_timeout,
        })
    }

    /// Sends `call` to the Octopus at `base_url`, counting it in `calls` whatever happens.
    pub async fn send(
        &self,
        base_url: &str,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Reply, Transport> {
        let endpoint = call.endpoint;
        let url = build_url(base_url, &call).map_err(|cause| Transport { cause })?;
        let mut request = self.client.request(endpoint.method(), url);
        for (name, value) in &call.headers {
            let mut value = HeaderValue::from_str(value).map_err(|_| Transport {
                cause: format!("header {name} holds characters HTTP cannot carry"),
            })?;
            value.set_sensitive(true);
            // from_bytes folds "softwareHouseUuid" to lower case; HTTP header names are case-blind.
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Transport {
                cause: format!("{name} is not a valid header name"),
            })?;
            request = request.header(name, value);
        }
        if let Some(body) = call.body {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }
        calls.record(endpoint.template());
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status();
                match response.text().await {
                    Ok(body) => Ok(Reply { status, body }),
                    Err(error) => Err(self.transport(&error)),
                }
            }
            Err(error) => Err(self.transport(&error)),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Ok(reply) => tracing::debug!(
                endpoint = endpoint.template(),
                dossier_id = call.dossier_id,
                http.status = reply.status.as_u16(),
                elapsed_ms,
                "octopus call"
            ),
            Err(transport) => tracing::warn!(
                endpoint = endpoint.template(),
                dossier_id = call.dossier_id,
                cause = %transport.cause,
                elapsed_ms,
                "octopus call got no answer"
            ),
        }
        outcome
    }

    fn transport(&self, error: &reqwest::Error) -> Transport {
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
            let kind = if error.is_connect() {
                "cannot connect"
            } else {
                "connection lost"
            };
            format!("{kind}: {}", chain.last().map_or("", String::as_str))
        };
        Transport { cause }
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

/// Octopus's `ErrorResult`, any subset of its three fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub error_code: Option<i32>,
    pub error_message: Option<String>,
    pub technical_info: Option<String>,
}

impl ErrorBody {
    /// Reads an error body; `None` when it is not a JSON object (HTML from a proxy, empty).
    pub fn parse(body: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
        let object = value.as_object()?;
        let text = |key: &str| {
            object
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        let error_code = object.get("errorCode").and_then(|code| match code {
            serde_json::Value::Number(number) => number.as_i64(),
            serde_json::Value::String(text) => text.trim().parse().ok(),
            _ => None,
        });
        Some(Self {
            error_code: error_code.and_then(|code| i32::try_from(code).ok()),
            error_message: text("errorMessage"),
            technical_info: text("technicalInfo"),
        })
    }

    /// Octopus's own words: the message, then the technical info, whichever exist.
    pub fn describe(&self) -> String {
        match (&self.error_message, &self.technical_info) {
            (Some(message), Some(info)) => format!("{message} ({info})"),
            (Some(text), None) | (None, Some(text)) => text.clone(),
            (None, None) => "no details given".to_owned(),
        }
    }
}

/// Describes a refused answer for an error message: Octopus's words, or the status alone.
pub fn refusal_detail(reply: &Reply) -> String {
    match ErrorBody::parse(&reply.body) {
        Some(body) => match body.error_code {
            Some(code) => format!("{} [errorCode {code}]", body.describe()),
            None => body.describe(),
        },
        None => "no JSON error body".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_error_body() {
        let body = ErrorBody::parse(
            r#"{"errorCode": -13, "errorMessage": "Het document nummer is ongeldig.",
               "technicalInfo": "Illegal document seq Nr.  Last Document = 6.  New Document = 1. "}"#,
        )
        .unwrap();
        assert_eq!(body.error_code, Some(-13));
        assert_eq!(
            body.technical_info.as_deref(),
            Some("Illegal document seq Nr.  Last Document = 6.  New Document = 1.")
        );
        assert!(
            body.describe()
                .starts_with("Het document nummer is ongeldig. (Illegal")
        );
    }

    #[test]
    fn parses_partial_and_odd_error_bodies() {
        let only_info =
            ErrorBody::parse(r#"{"technicalInfo":"Invalid or missing parameters passed"}"#)
                .unwrap();
        assert_eq!(only_info.error_code, None);
        assert_eq!(only_info.describe(), "Invalid or missing parameters passed");
        let string_code = ErrorBody::parse(r#"{"errorCode":"-14"}"#).unwrap();
        assert_eq!(string_code.error_code, Some(-14));
        assert_eq!(string_code.describe(), "no details given");
        assert_eq!(
            ErrorBody::parse("<html><body>502 Bad Gateway</body></html>"),
            None
        );
        assert_eq!(ErrorBody::parse(""), None);
        assert_eq!(ErrorBody::parse("[1,2]"), None);
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
