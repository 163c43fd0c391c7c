//! Opening a dossier session: resolve the tenant's credentials, log in, connect the dossier.
//! A login Octopus rejected is remembered and never retried with the same credentials, as
//! Octopus counts failed logins.

use std::hash::BuildHasher as _;

use reqwest::StatusCode;

use super::replies::{answer_error, token_field};
use super::{DossierKey, LOCALE_ENGLISH, OctopusClient, Session};
use crate::calls::Calls;
use crate::credentials::Credentials;
use crate::error::GatewayError;
use crate::http::{Endpoint, HttpCall, Reply, Transport, is_transient};

impl OctopusClient {
    /// Logs in and connects the dossier.
    pub(super) async fn open(
        &self,
        key: &DossierKey,
        credentials: Credentials,
        calls: &mut Calls,
    ) -> Result<Session, GatewayError> {
        let fingerprint = self.fingerprints.hash_one(&credentials);
        if self.rejected_fingerprint(&key.tenant_id) == Some(fingerprint) {
            return Err(GatewayError::CredentialsRejected {
                dossier_id: key.dossier_id,
            });
        }
        let issued_at_ms = self.clock.now_ms();
        let token = self.login(&credentials, key, fingerprint, calls).await?;
        let dossier_token = self
            .connect(&credentials.base_url, &token, key.dossier_id, calls)
            .await?;
        tracing::info!(dossier_id = key.dossier_id, "octopus session opened");
        Ok(Session {
            base_url: credentials.base_url,
            dossier_token,
            issued_at_ms,
        })
    }

    fn rejected_fingerprint(&self, tenant_id: &str) -> Option<u64> {
        let rejected = self
            .rejected
            .lock()
            .expect("the rejection map is never poisoned");
        rejected.get(tenant_id).copied()
    }

    fn remember_rejection(&self, tenant_id: &str, fingerprint: Option<u64>) {
        let mut rejected = self
            .rejected
            .lock()
            .expect("the rejection map is never poisoned");
        match fingerprint {
            Some(fingerprint) => rejected.insert(tenant_id.to_owned(), fingerprint),
            None => rejected.remove(tenant_id),
        };
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
        let outcome = self
            .send_retrying(&credentials.base_url, call, calls)
            .await?;
        let reply = self.answer_or_unavailable(endpoint, key.dossier_id, outcome)?;
        match reply.status {
            status if status.is_success() => {
                self.remember_rejection(&key.tenant_id, None);
                token_field(&reply.body, "token").ok_or(GatewayError::UnreadableReply {
                    endpoint: endpoint.template(),
                    detail: "no token in the login answer".to_owned(),
                })
            }
            StatusCode::UNAUTHORIZED => {
                // Octopus counts failed logins: remember, so these credentials are not tried again.
                self.remember_rejection(&key.tenant_id, Some(fingerprint));
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
        let outcome = self.send_retrying(base_url, call, calls).await?;
        let reply = self.answer_or_unavailable(endpoint, dossier_id, outcome)?;
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

    /// Sends a session call (login, connect), retrying transient outcomes.
    pub(super) async fn send_retrying(
        &self,
        base_url: &str,
        call: HttpCall,
        calls: &mut Calls,
    ) -> Result<Result<Reply, Transport>, GatewayError> {
        let mut attempt = 1;
        loop {
            let outcome = self.http.send(base_url, call.clone(), calls).await?;
            let hint = outcome.as_ref().ok().and_then(|reply| reply.retry_after);
            if !is_transient(&outcome)
                || attempt >= self.retry.attempts
                || self.retry.too_long(hint)
            {
                return Ok(outcome);
            }
            self.retry.wait(attempt, hint).await;
            attempt += 1;
        }
    }
}
