//! A minimal fake Octopus REST API (axum) with the behaviour the gateway relies on: tokens,
//! 401s, 404-as-empty, the -13/-14 booking rules, and injectable faults on the booking POST.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

mod writes;

use writes::{modified, post_booking, upsert_relation};

pub const BASE: &str = "/octopus-rest-api/v1";
pub const SOFTWARE_HOUSE: &str = "00000000-0000-0000-0000-00000000beef";
pub const USER: &str = "integration@example";
pub const PASSWORD: &str = "s3cret-pw";
/// Part of every token the fake issues, so tests can look for tokens in logs.
pub const TOKEN_MARK: &str = "tk9Zq";
/// The dossier the fake refuses with 404 on connect.
pub const MISSING_DOSSIER: i32 = 404;

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// What the next booking POST does instead of (or beside) the normal rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    StoreThen500,
    Fail500,
    StoreThenHang,
    HtmlBadGateway,
    /// Stores the booking, then drops the connection without an answer.
    StoreThenReset,
    /// Drops the connection without storing (the request never reached Octopus's logic).
    Reset,
}

#[derive(Debug)]
pub struct Journal {
    pub bookyear: i32,
    pub key: String,
    pub last: i32,
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub bookyear: i32,
    pub journal: String,
    pub nr: i32,
    pub amount: Value,
    pub comment: String,
}

#[derive(Debug)]
pub struct FakeState {
    pub requests: Vec<Recorded>,
    pub auth_tokens: HashSet<String>,
    pub dossier_tokens: HashSet<String>,
    pub issued: u32,
    pub refuse_all_dossier_tokens: bool,
    pub journals: Vec<Journal>,
    pub bookings: Vec<Stored>,
    pub fault: Fault,
    /// How many booking POSTs still meet a locked journal (403).
    pub locked_posts: u32,
    pub relations: Vec<Value>,
    pub next_relation_key: i32,
}

#[derive(Debug)]
pub struct FakeOctopus {
    pub state: Mutex<FakeState>,
    pub addr: SocketAddr,
}

impl FakeOctopus {
    /// Starts the fake on 127.0.0.1:0 with bookyear 1 (closed) and 2 (open, V1 at 5 with
    /// booking 5 "INV-5" of 121.00, V2 empty).
    pub async fn start() -> Arc<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = FakeState {
            requests: Vec::new(),
            auth_tokens: HashSet::new(),
            dossier_tokens: HashSet::new(),
            issued: 0,
            refuse_all_dossier_tokens: false,
            journals: vec![
                Journal {
                    bookyear: 1,
                    key: "V1".into(),
                    last: 80,
                },
                Journal {
                    bookyear: 2,
                    key: "V1".into(),
                    last: 5,
                },
                Journal {
                    bookyear: 2,
                    key: "V2".into(),
                    last: 0,
                },
            ],
            bookings: vec![Stored {
                bookyear: 2,
                journal: "V1".into(),
                nr: 5,
                amount: serde_json::from_str("121.00").unwrap(),
                comment: "INV-5".into(),
            }],
            fault: Fault::None,
            locked_posts: 0,
            relations: Vec::new(),
            next_relation_key: 28,
        };
        let fake = Arc::new(Self {
            state: Mutex::new(state),
            addr,
        });
        let router = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        fake
    }

    /// The REST base URL the config-service hands out.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE}", self.addr)
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut FakeState) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// How many requests matched `method` and a path ending in `suffix`.
    pub fn count(&self, method: &str, suffix: &str) -> usize {
        self.with(|state| {
            state
                .requests
                .iter()
                .filter(|request| request.method == method && request.path.ends_with(suffix))
                .count()
        })
    }

    pub fn requests(&self, method: &str, suffix: &str) -> Vec<Recorded> {
        self.with(|state| {
            state
                .requests
                .iter()
                .filter(|request| request.method == method && request.path.ends_with(suffix))
                .cloned()
                .collect()
        })
    }

    /// Makes every dossier token issued so far invalid (as if it expired).
    pub fn expire_tokens(&self) {
        self.with(|state| state.dossier_tokens.clear());
    }
}

fn reply(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, code: Option<i32>, message: &str, info: &str) -> Response {
    let mut body = json!({ "technicalInfo": info });
    if let Some(code) = code {
        body["errorCode"] = json!(code);
        body["errorMessage"] = json!(message);
    }
    reply(status, body)
}

async fn handle(
    State(fake): State<Arc<FakeOctopus>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let query: HashMap<String, String> = Query::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let headers: HashMap<String, String> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let path = uri
        .path()
        .strip_prefix(BASE)
        .unwrap_or(uri.path())
        .to_owned();
    fake.with(|state| {
        state.requests.push(Recorded {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
            headers: headers.clone(),
            body: body.clone(),
        })
    });
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["authentication"]) => login(&fake, &headers, &body),
        ("POST", ["dossiers"]) => connect(&fake, &headers, &query),
        (_, ["dossiers", _dossier, rest @ ..]) => {
            let token = headers.get("dossiertoken").cloned().unwrap_or_default();
            let valid = fake.with(|state| {
                !state.refuse_all_dossier_tokens && state.dossier_tokens.contains(&token)
            });
            if !valid {
                return error(
                    StatusCode::UNAUTHORIZED,
                    Some(-79),
                    "Empty access token",
                    "",
                );
            }
            dossier_call(&fake, method.as_str(), rest, &query, &body).await
        }
        _ => error(StatusCode::NOT_FOUND, None, "", "no such path"),
    }
}

fn login(fake: &FakeOctopus, headers: &HashMap<String, String>, body: &str) -> Response {
    let credentials: Value = serde_json::from_str(body).unwrap_or_default();
    let good = headers.get("softwarehouseuuid").map(String::as_str) == Some(SOFTWARE_HOUSE)
        && credentials["user"] == USER
        && credentials["password"] == PASSWORD;
    if !good {
        let info = format!(
            "Incrementing failed login attempt count for user {}, IP address 127.0.0.1. ",
            credentials["user"]
        );
        return error(StatusCode::UNAUTHORIZED, None, "", &info);
    }
    let token = fake.with(|state| {
        state.issued += 1;
        let token = format!("auth-{}-{TOKEN_MARK}", state.issued);
        state.auth_tokens.insert(token.clone());
        token
    });
    reply(StatusCode::OK, json!({ "token": token }))
}

fn connect(
    fake: &FakeOctopus,
    headers: &HashMap<String, String>,
    query: &HashMap<String, String>,
) -> Response {
    let token = headers.get("token").cloned().unwrap_or_default();
    if !fake.with(|state| state.auth_tokens.contains(&token)) {
        return error(
            StatusCode::UNAUTHORIZED,
            None,
            "",
            "Invalid or expired token presented",
        );
    }
    if query.get("dossierId").map(String::as_str) == Some(&MISSING_DOSSIER.to_string()) {
        return error(StatusCode::NOT_FOUND, None, "", "Dossier not found");
    }
    let token = fake.with(|state| {
        state.issued += 1;
        let token = format!("dossier-{}-{TOKEN_MARK}", state.issued);
        state.dossier_tokens.insert(token.clone());
        token
    });
    reply(StatusCode::OK, json!({ "Dossiertoken": token }))
}

async fn dossier_call(
    fake: &FakeOctopus,
    method: &str,
    rest: &[&str],
    query: &HashMap<String, String>,
    body: &str,
) -> Response {
    match (method, rest) {
        ("GET", ["bookyears"]) => reply(StatusCode::OK, bookyears()),
        ("GET", ["bookyears", bookyear, "journals"]) => {
            let bookyear: i32 = bookyear.parse().unwrap_or_default();
            let journals: Vec<Value> = fake.with(|state| {
                state
                    .journals
                    .iter()
                    .filter(|journal| journal.bookyear == bookyear)
                    .map(|journal| json!({
                        "bookyearKey": {"id": bookyear}, "journalKey": journal.key, "name": "VERKOOP",
                        "closed": false, "lastBookedDocumentNr": journal.last, "protectedPeriod": 0,
                        "closedPeriod": 0, "insertionType": 1, "currencyCode": "EUR"
                    }))
                    .collect()
            });
            reply(StatusCode::OK, Value::Array(journals))
        }
        ("GET", ["vatcodes"]) => reply(
            StatusCode::OK,
            json!([
                {"code": "21", "description": "21 %", "type": 2, "basePercentage": 21.0},
                {"code": "00", "description": "0 %", "type": 4, "basePercentage": 0}
            ]),
        ),
        ("GET", ["accounts"]) => match query.get("bookyearId") {
            Some(bookyear) => reply(
                StatusCode::OK,
                json!([{"accountKey": {"bookyearKey": {"id": bookyear.parse::<i32>().unwrap_or_default()}, "id": 700000},
                        "description": {"description_NL": "Omzet", "description_FR": "Ventes"}}]),
            ),
            None => error(
                StatusCode::BAD_REQUEST,
                None,
                "",
                "Invalid or missing parameters passed",
            ),
        },
        ("GET", ["relations"]) => {
            let wanted = query.get("extRelationId").cloned().unwrap_or_default();
            let found: Vec<Value> = fake.with(|state| {
                state
                    .relations
                    .iter()
                    .filter(|relation| {
                        relation["relationIdentificationServiceData"]["externalRelationId"].as_i64()
                            == wanted.parse().ok()
                    })
                    .cloned()
                    .collect()
            });
            if found.is_empty() {
                error(StatusCode::NOT_FOUND, None, "", "No relations found")
            } else {
                reply(StatusCode::OK, Value::Array(found))
            }
        }
        ("PUT", ["relations"]) => upsert_relation(fake, body),
        ("POST", ["buysellbookings"]) => post_booking(fake, body).await,
        ("GET", ["buysellbookings", "modified"]) => modified(fake, query),
        _ => error(StatusCode::NOT_FOUND, None, "", "no such path"),
    }
}

fn bookyears() -> Value {
    let period = |nr: i32, start: &str, end: &str| json!({"bookyearPeriod": nr, "startDate": start, "endDate": end});
    json!([
        {"bookyearKey": {"id": 1}, "bookyearDescription": "2023", "startDate": "2023-01-01",
         "endDate": "2023-12-31", "closed": true, "periods": [period(202301, "2023-01-01", "2023-01-31")]},
        {"bookyearKey": {"id": 2}, "bookyearDescription": "2024", "startDate": "2024-01-01",
         "endDate": "2024-12-31", "closed": false,
         "periods": [period(202401, "2024-01-01", "2024-01-31"), period(202402, "2024-02-01", "2024-02-29"),
                     period(202403, "2024-03-01", "2024-03-31")]}
    ])
}
