//! Octopus sessions per (tenant, dossier): login, dossier connect, reuse for 9 minutes, renew
//! once on a 401, and never retry a login Octopus rejected until the credentials change.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::calls::Calls;
use crate::credentials::{CredentialSource, Credentials};
use crate::error::GatewayError;
use crate::http::{Endpoint, HttpCall, OctopusHttp, Reply, Transport, refusal_detail};

/// Both tokens live 10 minutes; reuse them for 9 so none expires in flight.
pub const SESSION_REUSE: Duration = Duration::from_secs(9 * 60);

/// `localeId=3`: Octopus writes its error messages in English.
const LOCALE_ENGLISH: i32 = 3;

/// Which tenant's dossier a call is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierKey {
    pub tenant_id: String,
    pub dossier_id: i32,
}

#[derive(Clone)]
struct Session {
    base_url: String,
    dossier_token: String,
    issued: Instant,
    generation: u64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("issued", &self.issued)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Session>>>;

/// Octopus on behalf of many tenants' dossiers: owns the HTTP client and the sessions.
#[derive(Debug)]
pub struct OctopusClient {
    http: OctopusHttp,
    credentials: CredentialSource,
    slots: std::sync::Mutex<HashMap<DossierKey, Slot>>,
    /// tenant → fingerprint of the credentials Octopus rejected.
    rejected: std::sync::Mutex<HashMap<String, u64>>,
    fingerprints: RandomState,
    generation: AtomicU64,
}

impl OctopusClient {
    /// A client with no sessions yet.
    pub fn new(http: OctopusHttp, credentials: CredentialSource) -> Self {
        Self {
            http,
            credentials,
            slots: std::sync::Mutex::default(),
            rejected: std::sync::Mutex::default(),
            fingerprints: RandomState::new(),
            generation: AtomicU64::new(0),
        }
    }

    /// Sends `call` with the dossier's token, logging in first if needed. On a 401 it renews
    /// the session once and replays; a second 401 is an error. The inner result is the target
    /// call's own outcome: an answer, or no answer (the caller decides if that is uncertain).
    pub async fn dossier_call(
        &self,
        key: &DossierKey,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
        let endpoint = call.endpoint.template();
        let session = self.session(key, calls).await?;
        let first = self.send_with(&session, call.clone(), calls).await;
        if !is_unauthorized(&first) {
            return Ok(first);
        }
        tracing::info!(
            dossier_id = key.dossier_id,
            endpoint,
            "dossier token refused, renewing the session once"
        );
        self.invalidate(key, session.generation).await;
        let session = self.session(key, calls).await?;
        let second = self.send_with(&session, call, calls).await;
        if is_unauthorized(&second) {
            self.invalidate(key, session.generation).await;
            return Err(GatewayError::TokenRejected {
                dossier_id: key.dossier_id,
                endpoint,
            });
        }
        Ok(second)
    }

    /// Reads a JSON list; 404 means an empty list, as Octopus answers "none found" with 404.
    pub async fn get_list<T: DeserializeOwned>(
        &self,
        key: &DossierKey,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Vec<T>, GatewayError> {
        let endpoint = call.endpoint.template();
        let reply = self
            .dossier_call(key, call, calls)
            .await?
            .map_err(|transport| GatewayError::OctopusUnavailable {
                endpoint,
                cause: transport.cause,
            })?;
        match reply.status {
            StatusCode::NOT_FOUND => Ok(Vec::new()),
            status if status.is_success() => {
                if reply.body.trim().is_empty() {
                    return Ok(Vec::new());
                }
                serde_json::from_str(&reply.body).map_err(|error| GatewayError::UnreadableReply {
                    endpoint,
                    detail: error.to_string(),
                })
            }
            status => Err(answer_error(endpoint, &reply, status)),
        }
    }

    async fn send_with(
        &self,
        session: &Session,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Reply, Transport> {
        let call = call.header("dossierToken", &session.dossier_token);
        self.http.send(&session.base_url, call, calls).await
    }

    fn slot(&self, key: &DossierKey) -> Slot {
        let mut slots = self
            .slots
            .lock()
            .expect("the session map is never poisoned");
        slots.entry(key.clone()).or_default().clone()
    }

    /// A live session for `key`, logging in and connecting when there is none.
    async fn session(&self, key: &DossierKey, calls: &mut Calls) -> Result<Session, GatewayError> {
        let slot = self.slot(key);
        // Held across the login so concurrent requests for one dossier share a single login.
        let mut guard = slot.lock().await;
        if let Some(session) = guard.as_ref()
            && session.issued.elapsed() < SESSION_REUSE
        {
            return Ok(session.clone());
        }
        *guard = None;
        let credentials = self.credentials.resolve(&key.tenant_id).await?;
        let fingerprint = self.fingerprints.hash_one(&credentials);
        if self.rejected_fingerprint(&key.tenant_id) == Some(fingerprint) {
            return Err(GatewayError::CredentialsRejected {
                dossier_id: key.dossier_id,
            });
        }
        let issued = Instant::now();
        let token = self.login(&credentials, key, fingerprint, calls).await?;
        let dossier_token = self
            .connect(&credentials.base_url, &token, key.dossier_id, calls)
            .await?;
        let session = Session {
            base_url: credentials.base_url,
            dossier_token,
            issued,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
        };
        *guard = Some(session.clone());
        tracing::info!(dossier_id = key.dossier_id, "octopus session opened");
        Ok(session)
    }

    /// Drops `key`'s session if it is still the one that got the 401.
    async fn invalidate(&self, key: &DossierKey, generation: u64) {
        let slot = self.slot(key);
        let mut guard = slot.lock().await;
        if guard
            .as_ref()
            .is_some_and(|session| session.generation == generation)
        {
            *guard = None;
        }
    }

    fn rejected_fingerprint(&self, tenant_id: &str) -> Option<u64> {
        let rejected = self
            .rejected
            .lock()
            .expect("the rejection map is never poisoned");
        rejected.get(tenant_id).copied()
    }

    async fn login(
        &self,
        credentials: &Credentials,
        key: &DossierKey,
        fingerprint: u64,
        calls: &mut Calls,
    ) -> Result<String, GatewayError> {
        let endpoint = Endpoint::Authentication;
        let body =
            serde_json::json!({ "user": credentials.user, "password": credentials.password });
        let call = HttpCall::new(endpoint, key.dossier_id)
            .header("softwareHouseUuid", &credentials.software_house_uuid)
            .json(body.to_string());
        let reply = self
            .http
            .send(&credentials.base_url, call, calls)
            .await
            .map_err(|transport| GatewayError::OctopusUnavailable {
                endpoint: endpoint.template(),
                cause: transport.cause,
            })?;
        let mut rejected = self
            .rejected
            .lock()
            .expect("the rejection map is never poisoned");
        match reply.status {
            status if status.is_success() => {
                rejected.remove(&key.tenant_id);
                token_field(&reply.body, "token").ok_or(GatewayError::UnreadableReply {
                    endpoint: endpoint.template(),
                    detail: "no token in the login answer".to_owned(),
                })
            }
            StatusCode::UNAUTHORIZED => {
                // Octopus counts failed logins: remember, so these credentials are not tried again.
                rejected.insert(key.tenant_id.clone(), fingerprint);
                tracing::warn!(
                    dossier_id = key.dossier_id,
                    "octopus rejected the credentials; not retrying until they change"
                );
                Err(GatewayError::CredentialsRejected {
                    dossier_id: key.dossier_id,
                })
            }
            // The login's error text can name the user; keep only the status.
            status if status.is_server_error() => Err(GatewayError::OctopusUnavailable {
                endpoint: endpoint.template(),
                cause: format!("HTTP {}", status.as_u16()),
            }),
            status => Err(GatewayError::OctopusRefused {
                endpoint: endpoint.template(),
                status: status.as_u16(),
                detail: "the login was refused".to_owned(),
            }),
        }
    }

    async fn connect(
        &self,
        base_url: &str,
        token: &str,
        dossier_id: i32,
        calls: &mut Calls,
    ) -> Result<String, GatewayError> {
        let endpoint = Endpoint::Connect;
        let call = HttpCall::new(endpoint, dossier_id)
            .query("dossierId", dossier_id)
            .query("localeId", LOCALE_ENGLISH)
            .header("Token", token);
        let reply = self
            .http
            .send(base_url, call, calls)
            .await
            .map_err(|transport| GatewayError::OctopusUnavailable {
                endpoint: endpoint.template(),
                cause: transport.cause,
            })?;
        match reply.status {
            status if status.is_success() => {
                token_field(&reply.body, "dossiertoken").ok_or(GatewayError::UnreadableReply {
                    endpoint: endpoint.template(),
                    detail: "no Dossiertoken in the connect answer".to_owned(),
                })
            }
            StatusCode::UNAUTHORIZED => Err(GatewayError::TokenRejected {
                dossier_id,
                endpoint: endpoint.template(),
            }),
            StatusCode::FORBIDDEN => Err(GatewayError::DossierForbidden { dossier_id }),
            StatusCode::NOT_FOUND => Err(GatewayError::DossierNotFound { dossier_id }),
            status => Err(answer_error(endpoint.template(), &reply, status)),
        }
    }
}

fn is_unauthorized(outcome: &Result<Reply, Transport>) -> bool {
    matches!(outcome, Ok(reply) if reply.status == StatusCode::UNAUTHORIZED)
}

/// The error for an answer that is neither success nor handled: 5xx is unavailability, the rest
/// a refusal in Octopus's words.
pub fn answer_error(endpoint: &'static str, reply: &Reply, status: StatusCode) -> GatewayError {
    if status.is_server_error() {
        GatewayError::OctopusUnavailable {
            endpoint,
            cause: format!("HTTP {}", status.as_u16()),
        }
    } else {
        GatewayError::OctopusRefused {
            endpoint,
            status: status.as_u16(),
            detail: refusal_detail(reply),
        }
    }
}

/// A non-empty string field of a JSON object, its name compared case-blind
/// (Octopus spells `Dossiertoken`; some clients see `dossiertoken`).
fn token_field(body: &str, name: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| value.as_str())
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tokens_in_either_spelling() {
        assert_eq!(
            token_field(r#"{"Dossiertoken":"abc"}"#, "dossiertoken").as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_field(r#"{"dossiertoken":"abc"}"#, "dossiertoken").as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_field(r#"{"token":"t"}"#, "token").as_deref(),
            Some("t")
        );
        assert_eq!(token_field(r#"{"token":""}"#, "token"), None);
        assert_eq!(token_field("<html>", "token"), None);
    }

    #[test]
    fn session_debug_hides_the_token() {
        let session = Session {
            base_url: "http://octopus".into(),
            dossier_token: "eyJsecret".into(),
            issued: Instant::now(),
            generation: 1,
        };
        assert!(!format!("{session:?}").contains("eyJsecret"));
    }
}
