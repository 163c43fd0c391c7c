//! Logging in, connecting to a dossier and checking the `Token` / `dossierToken` headers,
//! including Octopus's failed-login counting (with a lock-out the simulator chose).

use axum::http::StatusCode;
use chrono::Duration;

use crate::error::{ApiError, ErrorCode};
use crate::state::Inner;
use crate::token::{TokenInfo, TokenKind, mint};
use crate::wire::{DossierOut, Key};

/// Failed logins in a row after which a user is locked out (default; see `SimState::set_lockout`).
pub const LOCKOUT_THRESHOLD: u32 = 5;
/// How long a lock-out lasts on the simulator clock (default).
pub const LOCKOUT_DURATION: Duration = Duration::minutes(15);

fn invalid_token(detail: &str) -> ApiError {
    ApiError::coded(ErrorCode::InvalidToken, detail)
}

fn empty_token(header: &str) -> ApiError {
    ApiError::coded(
        ErrorCode::EmptyAccessToken,
        format!("No {header} header presented"),
    )
}

impl Inner {
    /// `POST /authentication`: returns a new authentication token.
    pub(crate) fn login(
        &mut self,
        user: &str,
        password: &str,
        uuid: &str,
        ip: &str,
    ) -> Result<String, ApiError> {
        let now = self.clock.now();
        let failed = || {
            let info = format!(
                "Incrementing failed login attempt count for user {user}, IP address {ip}. "
            );
            ApiError::technical(StatusCode::UNAUTHORIZED, info)
        };
        let Some(record) = self.users.get_mut(user) else {
            return Err(failed());
        };
        if record.locked_until.is_some_and(|until| now < until) {
            let info = format!("User {user} is locked after too many failed login attempts. ");
            return Err(ApiError::technical(StatusCode::UNAUTHORIZED, info));
        }
        if record.password != password || record.software_house_uuid != uuid {
            record.failed_attempts += 1;
            let lockout = self.lockout;
            if lockout.threshold > 0 && record.failed_attempts >= lockout.threshold {
                record.locked_until = Some(now + lockout.duration);
                record.failed_attempts = 0;
            }
            return Err(failed());
        }
        record.failed_attempts = 0;
        record.locked_until = None;
        let (token, info) = mint(
            TokenKind::Auth {
                user: user.to_owned(),
            },
            now,
            self.token_ttl,
        );
        Ok(self.remember(token, info))
    }

    /// Checks a `Token` header and returns the user it belongs to.
    pub(crate) fn auth_user(&self, token: Option<&str>) -> Result<String, ApiError> {
        let token = token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| empty_token("Token"))?;
        let info = self
            .tokens
            .get(token)
            .ok_or_else(|| invalid_token("Unknown token"))?;
        if self.clock.now() >= info.expires_at {
            return Err(invalid_token("Token expired"));
        }
        match &info.kind {
            TokenKind::Auth { user } => Ok(user.clone()),
            TokenKind::Dossier { .. } => Err(invalid_token(
                "A dossier token is not an authentication token",
            )),
        }
    }

    /// Checks a `dossierToken` header for a call on `dossier_id`.
    pub(crate) fn check_dossier_token(
        &self,
        token: Option<&str>,
        dossier_id: i32,
    ) -> Result<(), ApiError> {
        let token = token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| empty_token("dossierToken"))?;
        let info = self
            .tokens
            .get(token)
            .ok_or_else(|| invalid_token("Unknown token"))?;
        if self.clock.now() >= info.expires_at {
            return Err(invalid_token("Token expired"));
        }
        match &info.kind {
            TokenKind::Dossier {
                dossier_id: own, ..
            } if *own == dossier_id => Ok(()),
            TokenKind::Dossier {
                dossier_id: own, ..
            } => Err(invalid_token(&format!(
                "Dossier token of dossier {own} presented for dossier {dossier_id}"
            ))),
            TokenKind::Auth { .. } => Err(invalid_token(
                "An authentication token is not a dossier token",
            )),
        }
    }

    /// `GET /dossiers`: the dossiers the user may open.
    pub(crate) fn dossiers_of(&self, user: &str) -> Vec<DossierOut> {
        let allowed = self
            .users
            .get(user)
            .map(|u| u.dossier_ids.as_slice())
            .unwrap_or_default();
        self.dossiers
            .values()
            .filter(|d| allowed.contains(&d.id))
            .map(|d| DossierOut {
                dossier_key: Key { id: d.id },
                dossier_description: d.name.clone(),
            })
            .collect()
    }

    /// `POST /dossiers`: returns a new dossier token.
    pub(crate) fn connect(
        &mut self,
        user: &str,
        dossier_id: i32,
        locale_id: i32,
    ) -> Result<String, ApiError> {
        let dossier = self.dossiers.get(&dossier_id).ok_or_else(|| {
            ApiError::coded(
                ErrorCode::DossierNotFound,
                format!("Dossier {dossier_id} not found"),
            )
        })?;
        let allowed = self
            .users
            .get(user)
            .is_some_and(|u| u.dossier_ids.contains(&dossier_id));
        if !allowed || dossier.disabled {
            let info = format!("User {user} may not open dossier {dossier_id}");
            return Err(ApiError::coded(ErrorCode::DossierUnauthorized, info));
        }
        let kind = TokenKind::Dossier {
            user: user.to_owned(),
            dossier_id,
            locale_id,
        };
        let (token, info) = mint(kind, self.clock.now(), self.token_ttl);
        Ok(self.remember(token, info))
    }

    /// Stores a new token and forgets tokens expired for more than a day (until then they
    /// answer "Token expired" rather than "Unknown token").
    fn remember(&mut self, token: String, info: TokenInfo) -> String {
        let horizon = self.clock.now() - Duration::days(1);
        if self.tokens.len() > 1024 {
            self.tokens.retain(|_, t| t.expires_at > horizon);
        }
        self.tokens.insert(token.clone(), info);
        token
    }
}
