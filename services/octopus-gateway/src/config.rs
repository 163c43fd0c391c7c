//! The gateway's settings: where it listens, where config-service is, and Octopus HTTP timeouts.

use std::time::Duration;

/// Settings of the octopus-gateway (env prefix `OCTOPUS_GATEWAY`).
#[derive(Debug, Clone, serde::Deserialize)]
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
    }
}
