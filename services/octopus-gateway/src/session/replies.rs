//! Reading Octopus's answers to session and dossier calls: tokens and refusals.

use reqwest::StatusCode;

use crate::error::GatewayError;
use crate::http::{Reply, refusal_detail};

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
pub fn token_field(body: &str, name: &str) -> Option<String> {
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
    fn server_errors_are_unavailability_and_the_rest_refusals() {
        let reply = |status: u16, body: &str| Reply {
            status: StatusCode::from_u16(status).unwrap(),
            body: body.to_owned(),
            retry_after: None,
        };
        let error = answer_error("GET /x", &reply(502, "<html>"), StatusCode::BAD_GATEWAY);
        assert!(matches!(error, GatewayError::OctopusUnavailable { .. }));
        let error = answer_error(
            "GET /x",
            &reply(400, r#"{"errorCode":-5,"errorMessage":"Bad"}"#),
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(
            error.to_string(),
            "Octopus refused GET /x with HTTP 400: Bad [errorCode -5]"
        );
    }
}
