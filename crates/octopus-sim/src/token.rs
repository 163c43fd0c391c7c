//! Authentication and dossier tokens: JWT-shaped strings (base64url header, payload with `exp`,
//! random signature) that the simulator remembers with their kind and expiry.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};

/// How long a token stays valid by default: 10 minutes, for both kinds (see
/// `SimState::set_token_ttl`).
pub const TOKEN_LIFETIME: Duration = Duration::minutes(10);

/// What a token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// From `POST /authentication`; opens `/dossiers` and `GET /authentication`.
    Auth { user: String },
    /// From `POST /dossiers`; opens `/dossiers/{dossierId}/...` of that one dossier.
    Dossier {
        user: String,
        dossier_id: i32,
        locale_id: i32,
    },
}

/// A minted token as the simulator remembers it.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub(crate) kind: TokenKind,
    pub(crate) expires_at: DateTime<Utc>,
}

/// Returns a new JWT-shaped token for `kind`, issued at `now`, and what to remember about it.
pub(crate) fn mint(kind: TokenKind, now: DateTime<Utc>, ttl: Duration) -> (String, TokenInfo) {
    let expires_at = now + ttl;
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT"});
    let mut payload = serde_json::json!({
        "iss": "octopus-sim",
        "iat": now.timestamp(),
        "exp": expires_at.timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    match &kind {
        TokenKind::Auth { user } => {
            payload["sub"] = user.as_str().into();
            payload["typ"] = "authentication".into();
        }
        TokenKind::Dossier {
            user,
            dossier_id,
            locale_id,
        } => {
            payload["sub"] = user.as_str().into();
            payload["typ"] = "dossier".into();
            payload["dossierId"] = (*dossier_id).into();
            payload["localeId"] = (*locale_id).into();
        }
    }
    let mut signature = uuid::Uuid::new_v4().as_bytes().to_vec();
    signature.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    let token = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    );
    (token, TokenInfo { kind, expires_at })
}

/// Reads the payload of a JWT-shaped token (no signature check): for tests and debugging.
pub fn decode_payload(token: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_three_parts_and_carry_exp_ten_minutes_ahead() {
        let now = Utc::now();
        let kind = TokenKind::Dossier {
            user: "u".into(),
            dossier_id: 7,
            locale_id: 3,
        };
        let (token, info) = mint(kind, now, TOKEN_LIFETIME);
        assert_eq!(token.split('.').count(), 3);
        let payload = decode_payload(&token).unwrap();
        assert_eq!(
            payload["exp"].as_i64(),
            Some((now + TOKEN_LIFETIME).timestamp())
        );
        assert_eq!(payload["dossierId"].as_i64(), Some(7));
        assert_eq!(info.expires_at, now + TOKEN_LIFETIME);
    }

    #[test]
    fn two_tokens_differ() {
        let now = Utc::now();
        let (a, _) = mint(TokenKind::Auth { user: "u".into() }, now, TOKEN_LIFETIME);
        let (b, _) = mint(TokenKind::Auth { user: "u".into() }, now, TOKEN_LIFETIME);
        assert_ne!(a, b);
    }
}
