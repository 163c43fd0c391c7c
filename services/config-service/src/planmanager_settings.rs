//! PlanManager-style `KEY=value` settings files, as operators keep a customer's accounting
//! settings (`ACCOUNTING_USERNAME`, `ACCOUNTING_PASSWORD`, ...); `octopus-export config import`
//! reads them.
//!
//! Format: one `KEY=value` per line; blank lines and lines starting with `#` are skipped; keys
//! are case-insensitive; an `export ` prefix and one pair of quotes around the value are
//! dropped. Accepted keys are [`ACCEPTED_KEYS`]; any other key is collected in
//! [`PlanManagerSettings::unknown`] for the caller to report. Errors name the line and the key,
//! never a value that could be a secret.

use crate::error::ConfigError;
use crate::secret::Secret;

/// The keys a settings file may set, for messages.
pub const ACCEPTED_KEYS: &str = "ACCOUNTING_USERNAME, ACCOUNTING_PASSWORD, \
     ACCOUNTING_SOFTWARE_HOUSE_UUID (or ACCOUNTING_SOFTWARE_HOUSE_ID), ACCOUNTING_DOSSIER_ID (or \
     ACCOUNTING_DOSSIER), ACCOUNTING_BASE_URL";

/// What a settings file sets; secrets are [`Secret`]s, so `Debug` never shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanManagerSettings {
    /// `ACCOUNTING_USERNAME`.
    pub user: Option<Secret>,
    /// `ACCOUNTING_PASSWORD`.
    pub password: Option<Secret>,
    /// `ACCOUNTING_SOFTWARE_HOUSE_UUID` or `ACCOUNTING_SOFTWARE_HOUSE_ID`.
    pub software_house_uuid: Option<Secret>,
    /// `ACCOUNTING_DOSSIER_ID` or `ACCOUNTING_DOSSIER`: a positive Octopus dossier id.
    pub dossier_id: Option<i32>,
    /// `ACCOUNTING_BASE_URL`: the Octopus REST base URL.
    pub octopus_base_url: Option<String>,
    /// Keys not accepted, with their line numbers (1-based), upper-cased.
    pub unknown: Vec<(usize, String)>,
}

impl PlanManagerSettings {
    /// Parses a settings file.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let mut settings = Self::default();
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let number = index + 1;
            let line_error =
                |reason: String| ConfigError::invalid(format!("line {number}"), reason);
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let Some((key, value)) = line.split_once('=') else {
                return Err(line_error("expected KEY=value".into()));
            };
            let key = key.trim().to_ascii_uppercase();
            let value = unquote(value.trim());
            if let Some((_, first)) = seen.iter().find(|(seen_key, _)| *seen_key == key) {
                return Err(line_error(format!(
                    "{key} is set twice (first on line {first})"
                )));
            }
            seen.push((key.clone(), number));
            let slot = match key.as_str() {
                "ACCOUNTING_USERNAME" => &mut settings.user,
                "ACCOUNTING_PASSWORD" => &mut settings.password,
                "ACCOUNTING_SOFTWARE_HOUSE_UUID" | "ACCOUNTING_SOFTWARE_HOUSE_ID" => {
                    &mut settings.software_house_uuid
                }
                "ACCOUNTING_DOSSIER_ID" | "ACCOUNTING_DOSSIER" | "ACCOUNTING_BASE_URL" => {
                    if value.is_empty() {
                        return Err(line_error(format!("{key} has no value")));
                    }
                    settings.set_public(&key, value).map_err(line_error)?;
                    continue;
                }
                _ => {
                    settings.unknown.push((number, key));
                    continue;
                }
            };
            if value.is_empty() {
                return Err(line_error(format!("{key} has no value")));
            }
            if slot.is_some() {
                return Err(line_error(format!(
                    "{key} repeats another name for the same setting"
                )));
            }
            *slot = Some(Secret::new(value));
        }
        Ok(settings)
    }

    /// The settings that are not secrets (their values may appear in messages).
    fn set_public(&mut self, key: &str, value: &str) -> Result<(), String> {
        if key == "ACCOUNTING_BASE_URL" {
            self.octopus_base_url = Some(value.to_owned());
            return Ok(());
        }
        let dossier = value
            .parse::<i32>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| {
                format!(
                    "{key} must be a positive whole number (an Octopus dossier id); got {value:?}"
                )
            })?;
        if self.dossier_id.replace(dossier).is_some() {
            return Err(format!("{key} repeats another name for the same setting"));
        }
        Ok(())
    }

    /// Checks that the file makes sense as a whole: user and password come together, the
    /// software house id only with them, and something is set at all.
    pub fn check(&self) -> Result<(), ConfigError> {
        match (&self.user, &self.password) {
            (Some(_), None) => {
                return Err(ConfigError::invalid(
                    "ACCOUNTING_USERNAME",
                    "is set without ACCOUNTING_PASSWORD",
                ));
            }
            (None, Some(_)) => {
                return Err(ConfigError::invalid(
                    "ACCOUNTING_PASSWORD",
                    "is set without ACCOUNTING_USERNAME",
                ));
            }
            _ => {}
        }
        if self.software_house_uuid.is_some() && self.user.is_none() {
            return Err(ConfigError::invalid(
                "ACCOUNTING_SOFTWARE_HOUSE_UUID",
                "is stored with the credentials: give ACCOUNTING_USERNAME and ACCOUNTING_PASSWORD too",
            ));
        }
        if self.user.is_none() && self.dossier_id.is_none() && self.octopus_base_url.is_none() {
            return Err(ConfigError::invalid(
                "settings",
                format!("none of {ACCEPTED_KEYS} is set"),
            ));
        }
        Ok(())
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_with_comments_quotes_aliases_and_crlf() {
        let text = "\u{feff}# PlanManager export\n\
                    ACCOUNTING_USERNAME=boekhouding@janssens.be\n\
                    \n\
                    export ACCOUNTING_PASSWORD=\"p#ss=word \"\r\n\
                    accounting_software_house_id = 6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab\n\
                    ACCOUNTING_DOSSIER=1111\n\
                    ACCOUNTING_BASE_URL='http://127.0.0.1:9/v1'\n";
        let settings = PlanManagerSettings::parse(text).unwrap();
        let expose = |secret: &Option<Secret>| secret.as_ref().map(|s| s.expose().to_owned());
        assert_eq!(
            expose(&settings.user).as_deref(),
            Some("boekhouding@janssens.be")
        );
        assert_eq!(expose(&settings.password).as_deref(), Some("p#ss=word "));
        assert_eq!(
            expose(&settings.software_house_uuid).as_deref(),
            Some("6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab")
        );
        assert_eq!(settings.dossier_id, Some(1111));
        assert_eq!(
            settings.octopus_base_url.as_deref(),
            Some("http://127.0.0.1:9/v1")
        );
        assert!(settings.unknown.is_empty());
        settings.check().unwrap();
        let printed = format!("{settings:?}");
        assert!(!printed.contains("p#ss") && !printed.contains("boekhouding"));
    }

    #[test]
    fn unknown_keys_are_collected_with_their_line() {
        let settings =
            PlanManagerSettings::parse("ACCOUNTING_USERNAME=u\nACCOUNTING_PASWORD=x\nCOMPANY=y\n")
                .unwrap();
        assert_eq!(
            settings.unknown,
            [
                (2, "ACCOUNTING_PASWORD".to_owned()),
                (3, "COMPANY".to_owned())
            ]
        );
        assert_eq!(
            settings.check().unwrap_err().to_string(),
            "ACCOUNTING_USERNAME: is set without ACCOUNTING_PASSWORD"
        );
    }

    #[test]
    fn bad_lines_name_the_line_and_never_the_secret() {
        let cases = [
            (
                "ACCOUNTING_PASSWORD hunter2\n",
                "line 1: expected KEY=value",
            ),
            (
                "ACCOUNTING_PASSWORD=hunter2\nACCOUNTING_PASSWORD=hunter2\n",
                "line 2: ACCOUNTING_PASSWORD is set twice (first on line 1)",
            ),
            (
                "ACCOUNTING_SOFTWARE_HOUSE_UUID=a\nACCOUNTING_SOFTWARE_HOUSE_ID=b\n",
                "line 2: ACCOUNTING_SOFTWARE_HOUSE_ID repeats another name for the same setting",
            ),
            (
                "ACCOUNTING_DOSSIER_ID=1\nACCOUNTING_DOSSIER=2\n",
                "line 2: ACCOUNTING_DOSSIER repeats another name for the same setting",
            ),
            (
                "ACCOUNTING_PASSWORD=\n",
                "line 1: ACCOUNTING_PASSWORD has no value",
            ),
            (
                "ACCOUNTING_DOSSIER_ID=12a\n",
                "line 1: ACCOUNTING_DOSSIER_ID must be a positive whole number (an Octopus \
                 dossier id); got \"12a\"",
            ),
        ];
        for (text, expected) in cases {
            let error = PlanManagerSettings::parse(text).unwrap_err().to_string();
            assert_eq!(error, expected);
            assert!(!error.contains("hunter2"));
        }
    }

    #[test]
    fn a_file_must_make_sense_as_a_whole() {
        let check = |text: &str| {
            PlanManagerSettings::parse(text)
                .unwrap()
                .check()
                .map_err(|error| error.to_string())
        };
        assert_eq!(
            check("ACCOUNTING_PASSWORD=x\n").unwrap_err(),
            "ACCOUNTING_PASSWORD: is set without ACCOUNTING_USERNAME"
        );
        assert!(
            check("ACCOUNTING_SOFTWARE_HOUSE_UUID=x\n")
                .unwrap_err()
                .starts_with("ACCOUNTING_SOFTWARE_HOUSE_UUID: is stored with the credentials")
        );
        assert!(
            check("# nothing\n")
                .unwrap_err()
                .starts_with("settings: none of ACCOUNTING_USERNAME")
        );
        assert!(check("ACCOUNTING_DOSSIER_ID=7\n").is_ok());
    }
}
