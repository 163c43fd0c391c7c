//! Typed settings of the reader (env prefix `PLANMANAGER_READER`).

use crate::error::redact_url;

/// Where to listen and which PlanManager database to read.
#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// gRPC listen address, e.g. "127.0.0.1:50052" (port 0 picks a free port).
    pub listen: String,
    /// PlanManager's database, e.g. "sqlite://planmanager.sqlite" or
    /// "mysql://pm:…@db:3306/planmanager" (MariaDB); may hold credentials.
    pub database_url: String,
}

impl Settings {
    /// Defaults from config/default.toml, then the file named by `PLANMANAGER_READER_CONFIG`,
    /// then `PLANMANAGER_READER__KEY` environment variables.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings("PLANMANAGER_READER", include_str!("../config/default.toml"))
    }
}

// By hand so a database password in the URL never reaches a log line.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_debug_hides_passwords() {
        let defaults: Settings = toml_defaults();
        assert_eq!(defaults.listen, "127.0.0.1:50052");
        assert_eq!(defaults.database_url, "sqlite://planmanager.sqlite");
        let secret = Settings {
            listen: defaults.listen,
            database_url: "mysql://pm:hunter2@db/planmanager".into(),
        };
        assert!(!format!("{secret:?}").contains("hunter2"));
    }

    fn toml_defaults() -> Settings {
        // Without PLANMANAGER_READER* variables set this is exactly `Settings::load()`.
        ox_kit::load_settings(
            "PLANMANAGER_READER_UNIT_TEST",
            include_str!("../config/default.toml"),
        )
        .unwrap()
    }
}
