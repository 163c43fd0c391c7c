//! The journal mapper's settings: only where to listen, since it does no I/O of its own.

/// Settings of the journal mapper.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The gRPC listen address, e.g. `127.0.0.1:50053` (port 0 picks a free port).
    pub listen: String,
}

impl Settings {
    /// Defaults from config/default.toml, then the file named by `JOURNAL_MAPPER_CONFIG`, then
    /// `JOURNAL_MAPPER__KEY` environment variables.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings("JOURNAL_MAPPER", include_str!("../config/default.toml"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_the_mapper_port() {
        let settings: Settings = ox_kit::load_settings(
            "JOURNAL_MAPPER_TEST_UNSET",
            include_str!("../config/default.toml"),
        )
        .unwrap();
        assert_eq!(settings.listen, "127.0.0.1:50053");
    }
}
