//! The gateway's settings: where it listens, where config-service and the shared store are,
//! Octopus HTTP timeouts, retry policies and Octopus's daily caps.

use std::fmt;
use std::time::Duration;

/// Settings of the octopus-gateway (env prefix `OCTOPUS_GATEWAY`).
#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// gRPC listen address, e.g. `127.0.0.1:50054` (port 0 picks a free port).
    pub listen: String,
    /// Address of config-service, which resolves a tenant's Octopus credentials.
    pub config_service: String,
    /// Whole-request timeout of one Octopus HTTP call, in milliseconds.
    pub request_timeout_ms: u64,
    /// Connect timeout of one Octopus HTTP call, in milliseconds.
    pub connect_timeout_ms: u64,
    /// The store shared by all replicas: `sqlite://file?mode=rwc`, `sqlite::memory:` or
    /// `postgres://...`.
    pub database_url: String,
    /// Bookyears and journals are read again from Octopus after this many minutes.
    #[serde(default = "default_snapshot_refresh")]
    pub snapshot_refresh_minutes: u64,
    /// Retries of transient failures (no answer, 5xx, 429).
    #[serde(default)]
    pub retry: RetrySettings,
    /// Retries of a booking that meets a locked or closed journal (403).
    #[serde(default = "RetrySettings::locked_journal")]
    pub locked_journal: RetrySettings,
    /// Octopus's daily caps per dossier.
    #[serde(default)]
    pub caps: Caps,
}

/// A bounded exponential backoff: `attempts` in all, the n-th wait about
/// `min(max_delay, base_delay * 2^(n-1))`, jittered down by up to half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySettings {
    /// Attempts in all, the first included (1 = no retry).
    pub attempts: u32,
    /// Wait before the second attempt, in milliseconds.
    pub base_delay_ms: u64,
    /// Longest single wait, in milliseconds.
    pub max_delay_ms: u64,
}

impl Default for RetrySettings {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay_ms: 200,
            max_delay_ms: 5_000,
        }
    }
}

impl RetrySettings {
    /// The default for a locked journal: 4 attempts, 2 s, at most 30 s apart.
    pub fn locked_journal() -> Self {
        Self {
            attempts: 4,
            base_delay_ms: 2_000,
            max_delay_ms: 30_000,
        }
    }
}

/// Octopus's published daily caps ("Maximum allowed calls per day"), per dossier and
/// Europe/Brussels day. Login has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Caps {
    /// `POST /dossiers` (connect).
    pub connect: u32,
    /// `GET /dossiers/{dossierId}/bookyears`.
    pub bookyears: u32,
    /// `GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals`.
    pub journals: u32,
    /// `GET /dossiers/{dossierId}/vatcodes`.
    pub vat_codes: u32,
    /// `GET /dossiers/{dossierId}/accounts`.
    pub accounts: u32,
    /// `GET /dossiers/{dossierId}/relations` with search parameters.
    pub relations_search: u32,
    /// `PUT /dossiers/{dossierId}/relations`.
    pub relations_put: u32,
    /// `POST /dossiers/{dossierId}/buysellbookings`.
    pub bookings_post: u32,
    /// `GET /dossiers/{dossierId}/buysellbookings/modified`.
    pub bookings_modified: u32,
    /// `PUT /dossiers/{dossierId}/accounts`.
    pub accounts_put: u32,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            connect: 150,
            bookyears: 24,
            journals: 24,
            vat_codes: 2,
            accounts: 2,
            relations_search: 400,
            relations_put: 400,
            bookings_post: 400,
            bookings_modified: 48,
            accounts_put: 400,
        }
    }
}

fn default_snapshot_refresh() -> u64 {
    0
}

impl Settings {
    /// Defaults from config/default.toml, then the file named by OCTOPUS_GATEWAY_CONFIG, then
    /// OCTOPUS_GATEWAY__KEY env vars.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings("OCTOPUS_GATEWAY", include_str!("../config/default.toml"))
    }

    /// The whole-request timeout of one Octopus call.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }

    /// The connect timeout of one Octopus call.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }
}

/// Debug without the database password.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("config_service", &self.config_service)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("database_url", &redact_url(&self.database_url))
            .field("snapshot_refresh_minutes", &self.snapshot_refresh_minutes)
            .field("retry", &self.retry)
            .field("locked_journal", &self.locked_journal)
            .field("caps", &self.caps)
            .finish()
    }
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let settings: Settings = ox_kit::load_settings(
            "OCTOPUS_GATEWAY_TEST_ONLY",
            include_str!("../config/default.toml"),
        )
        .unwrap();
        assert_eq!(settings.listen, "127.0.0.1:50054");
        assert_eq!(settings.config_service, "http://127.0.0.1:50051");
        assert_eq!(settings.request_timeout(), Duration::from_secs(30));
        assert_eq!(settings.connect_timeout(), Duration::from_secs(5));
        assert_eq!(settings.database_url, "sqlite://gateway.sqlite?mode=rwc");
        assert_eq!(settings.caps, Caps::default());
        assert_eq!(settings.retry, RetrySettings::default());
        assert_eq!(settings.locked_journal, RetrySettings::locked_journal());
        assert_eq!(settings.snapshot_refresh_minutes, 0);
    }

    #[test]
    fn debug_hides_the_database_password() {
        let mut settings: Settings = ox_kit::load_settings(
            "OCTOPUS_GATEWAY_TEST_ONLY",
            include_str!("../config/default.toml"),
        )
        .unwrap();
        settings.database_url = "postgres://gw:pa55word@db:5432/gateway".into();
        let debug = format!("{settings:?}");
        assert!(!debug.contains("pa55word"), "{debug}");
        assert!(
            debug.contains("postgres://gw:***@db:5432/gateway"),
            "{debug}"
        );
        assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
    }
}
