//! Octopus's `ErrorResult` read leniently: any subset of errorCode, errorMessage and
//! technicalInfo, or no JSON at all (HTML from a proxy, an empty 500).

use super::Reply;

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
}
