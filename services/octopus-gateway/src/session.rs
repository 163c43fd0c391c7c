//! Octopus sessions per (tenant, dossier), shared by all replicas through the store: login,
//! dossier connect, reuse for 9 minutes, renew once on a 401, and never retry a login Octopus
//! rejected until the credentials change. One replica opens a session while the others wait
//! for its token, so connects (150 a day per dossier) are spent once per 9 minutes of work.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::calls::Calls;
use crate::clock::Clock;
use crate::credentials::{CredentialSource, Credentials};
use crate::error::GatewayError;
use crate::http::{Endpoint, HttpCall, OctopusHttp, Reply, Transport, is_transient};
use crate::retry::Backoff;
use crate::store::{Store, StoredSession};

mod login;
mod replies;

pub use replies::answer_error;

/// Both tokens live 10 minutes; reuse them for 9 so none expires in flight.
pub const SESSION_REUSE: Duration = Duration::from_secs(9 * 60);

/// How often a replica waiting for another's login looks at the store.
const CLAIM_POLL: Duration = Duration::from_millis(20);

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
    issued_at_ms: i64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("issued_at_ms", &self.issued_at_ms)
            .finish_non_exhaustive()
    }
}

impl From<StoredSession> for Session {
    fn from(stored: StoredSession) -> Self {
        Self {
            base_url: stored.base_url,
            dossier_token: stored.dossier_token,
            issued_at_ms: stored.issued_at_ms,
        }
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Session>>>;

/// Octopus on behalf of many tenants' dossiers: owns the HTTP client and the sessions.
#[derive(Debug)]
pub struct OctopusClient {
    http: OctopusHttp,
    credentials: CredentialSource,
    store: Store,
    clock: Clock,
    retry: Backoff,
    /// How long a replica may hold the claim to open a session.
    claim: Duration,
    slots: std::sync::Mutex<HashMap<DossierKey, Slot>>,
    /// tenant → fingerprint of the credentials Octopus rejected (per replica).
    rejected: std::sync::Mutex<HashMap<String, u64>>,
    fingerprints: RandomState,
}

impl OctopusClient {
    /// A client with no sessions yet. `request_timeout` bounds how long others wait for a
    /// replica that is logging in.
    pub fn new(
        http: OctopusHttp,
        credentials: CredentialSource,
        store: Store,
        clock: Clock,
        retry: Backoff,
        request_timeout: Duration,
    ) -> Self {
        Self {
            http,
            credentials,
            store,
            clock,
            retry,
            claim: request_timeout
                .saturating_mul(2)
                .saturating_add(Duration::from_secs(5)),
            slots: std::sync::Mutex::default(),
            rejected: std::sync::Mutex::default(),
            fingerprints: RandomState::new(),
        }
    }

    /// The HTTP client (and through it the quotas).
    pub fn http(&self) -> &OctopusHttp {
        &self.http
    }

    /// The retry policy for transient failures.
    pub fn retry(&self) -> Backoff {
        self.retry
    }

    /// Sends `call` with the dossier's token, logging in first if needed. On a 401 it renews
    /// the session once and replays; a second 401 is an error. The inner result is the target
    /// call's own outcome: an answer, or no answer (the caller decides if that is uncertain).
    /// An outer error means the call was not made, or its session could not be had.
    pub async fn dossier_call(
        &self,
        key: &DossierKey,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
        let endpoint = call.endpoint.template();
        let session = self.session(key, calls).await?;
        let first = self.send_with(&session, call.clone(), calls).await?;
        if !is_unauthorized(&first) {
            return Ok(first);
        }
        tracing::info!(
            dossier_id = key.dossier_id,
            endpoint,
            "dossier token refused, renewing the session once"
        );
        self.invalidate(key, &session).await?;
        let session = self.session(key, calls).await?;
        let second = self.send_with(&session, call, calls).await?;
        if is_unauthorized(&second) {
            self.invalidate(key, &session).await?;
            return Err(GatewayError::TokenRejected {
                dossier_id: key.dossier_id,
                endpoint,
            });
        }
        Ok(second)
    }

    /// Like [`Self::dossier_call`], retrying transient outcomes (no answer, 5xx, 429) with
    /// backoff. Only for calls that are safe to repeat: reads and keyed upserts.
    pub async fn dossier_call_retrying(
        &self,
        key: &DossierKey,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
        let mut attempt = 1;
        loop {
            let outcome = self.dossier_call(key, call.clone(), calls).await?;
            let hint = outcome.as_ref().ok().and_then(|reply| reply.retry_after);
            if !is_transient(&outcome)
                || attempt >= self.retry.attempts
                || self.retry.too_long(hint)
            {
                return Ok(outcome);
            }
            tracing::info!(
                dossier_id = key.dossier_id,
                endpoint = call.endpoint.template(),
                attempt,
                "transient octopus failure, retrying"
            );
            self.retry.wait(attempt, hint).await;
            attempt += 1;
        }
    }

    /// Reads a JSON list; 404 means an empty list, as Octopus answers "none found" with 404.
    /// Transient failures are retried; a 429 that persists becomes a deferral.
    pub async fn get_list<T: DeserializeOwned>(
        &self,
        key: &DossierKey,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Vec<T>, GatewayError> {
        let endpoint = call.endpoint;
        let outcome = self.dossier_call_retrying(key, call, calls).await?;
        let reply = self.answer_or_unavailable(endpoint, key.dossier_id, outcome)?;
        match reply.status {
            StatusCode::NOT_FOUND => Ok(Vec::new()),
            status if status.is_success() => {
                if reply.body.trim().is_empty() {
                    return Ok(Vec::new());
                }
                serde_json::from_str(&reply.body).map_err(|error| GatewayError::UnreadableReply {
                    endpoint: endpoint.template(),
                    detail: error.to_string(),
                })
            }
            status => Err(answer_error(endpoint.template(), &reply, status)),
        }
    }

    /// The answer of a call whose retries are spent: no answer is unavailability, a 429 a
    /// deferral; anything else is handed back.
    pub fn answer_or_unavailable(
        &self,
        endpoint: Endpoint,
        dossier_id: i32,
        outcome: Result<Reply, Transport>,
    ) -> Result<Reply, GatewayError> {
        let attempts = self.retry.attempts;
        match outcome {
            Err(transport) => Err(GatewayError::OctopusUnavailable {
                endpoint: endpoint.template(),
                cause: format!("{} (tried {attempts} times)", transport.cause),
            }),
            Ok(reply) if reply.status == StatusCode::TOO_MANY_REQUESTS => {
                let quotas = self.http.quotas();
                Err(GatewayError::Deferred(quotas.refused_by_octopus(
                    endpoint,
                    dossier_id,
                    reply.retry_after,
                )))
            }
            Ok(reply) => Ok(reply),
        }
    }

    async fn send_with(
        &self,
        session: &Session,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
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

    fn fresh(&self, issued_at_ms: i64) -> bool {
        let reuse_ms = i64::try_from(SESSION_REUSE.as_millis()).unwrap_or(i64::MAX);
        let age = self.clock.now_ms().saturating_sub(issued_at_ms);
        (0..reuse_ms).contains(&age)
    }

    /// A live session for `key`: this replica's, another replica's from the store, or a new
    /// one. While another replica opens one, this one waits for it (bounded).
    async fn session(&self, key: &DossierKey, calls: &mut Calls) -> Result<Session, GatewayError> {
        let slot = self.slot(key);
        // Held across the login so concurrent requests for one dossier share a single login.
        let mut guard = slot.lock().await;
        if let Some(session) = guard.as_ref()
            && self.fresh(session.issued_at_ms)
        {
            return Ok(session.clone());
        }
        *guard = None;
        let (tenant, dossier_id) = (key.tenant_id.as_str(), key.dossier_id);
        let waiting_since = tokio::time::Instant::now();
        // Resolved once, when first needed: to vet a stored session or to log in.
        let mut credentials: Option<Credentials> = None;
        loop {
            if let Some(stored) = self.store.load_session(tenant, dossier_id).await?
                && self.fresh(stored.issued_at_ms)
            {
                let current = match credentials.take() {
                    Some(current) => current,
                    None => self.credentials.resolve(tenant).await?,
                };
                if stored.base_url == current.base_url {
                    let session = Session::from(stored);
                    *guard = Some(session.clone());
                    return Ok(session);
                }
                // Opened against another Octopus address (the tenant's changed): replace it.
                self.store
                    .invalidate_session(tenant, dossier_id, &stored.dossier_token)
                    .await?;
                credentials = Some(current);
                continue;
            }
            let now_ms = self.clock.now_ms();
            let reuse_ms = i64::try_from(SESSION_REUSE.as_millis()).unwrap_or(i64::MAX);
            let claim_ms = i64::try_from(self.claim.as_millis()).unwrap_or(i64::MAX);
            let claimed = self
                .store
                .claim_session(
                    tenant,
                    dossier_id,
                    now_ms.saturating_add(claim_ms),
                    now_ms.saturating_sub(reuse_ms),
                    now_ms,
                )
                .await?;
            // A replica that died holding the claim must not block the dossier for good.
            if claimed || waiting_since.elapsed() >= self.claim {
                let current = match credentials.take() {
                    Some(current) => current,
                    None => self.credentials.resolve(tenant).await?,
                };
                let session = self.open(key, current, calls).await;
                return match session {
                    Ok(session) => {
                        let stored = StoredSession {
                            base_url: session.base_url.clone(),
                            dossier_token: session.dossier_token.clone(),
                            issued_at_ms: session.issued_at_ms,
                        };
                        self.store.save_session(tenant, dossier_id, &stored).await?;
                        *guard = Some(session.clone());
                        Ok(session)
                    }
                    Err(error) => {
                        self.store.release_session_claim(tenant, dossier_id).await?;
                        Err(error)
                    }
                };
            }
            tokio::time::sleep(CLAIM_POLL).await;
        }
    }

    /// Drops `key`'s session if it is still the one that got the 401, here and in the store.
    async fn invalidate(&self, key: &DossierKey, refused: &Session) -> Result<(), GatewayError> {
        let slot = self.slot(key);
        let mut guard = slot.lock().await;
        if guard
            .as_ref()
            .is_some_and(|session| session.dossier_token == refused.dossier_token)
        {
            *guard = None;
        }
        self.store
            .invalidate_session(&key.tenant_id, key.dossier_id, &refused.dossier_token)
            .await?;
        Ok(())
    }
}

fn is_unauthorized(outcome: &Result<Reply, Transport>) -> bool {
    matches!(outcome, Ok(reply) if reply.status == StatusCode::UNAUTHORIZED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_debug_hides_the_token() {
        let session = Session {
            base_url: "http://octopus".into(),
            dossier_token: "eyJsecret".into(),
            issued_at_ms: 1,
        };
        assert!(!format!("{session:?}").contains("eyJsecret"));
    }
}
