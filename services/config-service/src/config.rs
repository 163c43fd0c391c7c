//! Settings of config-service: built-in defaults, an optional file, then `CONFIG_SERVICE__*`.

use crate::crypto::MasterKey;
use crate::error::ConfigError;
use crate::secret::Secret;

/// The environment prefix (`CONFIG_SERVICE__LISTEN`, `CONFIG_SERVICE_CONFIG=<file>`).
pub const ENV_PREFIX: &str = "CONFIG_SERVICE";

/// Everything config-service needs to start.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// gRPC listen address; port 0 picks a free port.
    pub listen: String,
    /// The config database, e.g. `sqlite://config.sqlite?mode=rwc` or `sqlite::memory:`.
    pub database_url: String,
    /// Base64 of the 32-byte master key; redacted in `Debug`.
    pub master_key: Option<Secret>,
    /// A file holding the base64 master key (for mounted secrets).
    pub master_key_file: Option<String>,
    /// Id stored beside every ciphertext, so keys can rotate later.
    pub master_key_id: String,
}

impl Settings {
    /// Defaults from config/default.toml, then the file named by `CONFIG_SERVICE_CONFIG`, then
    /// `CONFIG_SERVICE__KEY` environment variables.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings(ENV_PREFIX, include_str!("../config/default.toml"))
    }

    /// Reads and checks the master key from `master_key` or `master_key_file`.
    pub fn master_key(&self) -> Result<MasterKey, ConfigError> {
        let encoded = match (&self.master_key, &self.master_key_file) {
            (Some(_), Some(_)) => return Err(ConfigError::MasterKeyAmbiguous),
            (None, None) => return Err(ConfigError::MasterKeyMissing),
            (Some(key), None) => key.clone(),
            (None, Some(path)) => {
                std::fs::read_to_string(path)
                    .map(Secret::from)
                    .map_err(|source| ConfigError::MasterKeyFile {
                        path: path.clone(),
                        source,
                    })?
            }
        };
        MasterKey::from_base64(&self.master_key_id, encoded.expose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    fn settings(master_key: Option<&str>, master_key_file: Option<String>) -> Settings {
        Settings {
            listen: "127.0.0.1:0".into(),
            database_url: "sqlite::memory:".into(),
            master_key: master_key.map(Secret::new),
            master_key_file,
            master_key_id: "k1".into(),
        }
    }

    #[test]
    fn defaults_parse_and_need_no_key_to_load() {
        let parsed: Settings = ox_kit::load_settings(
            "CONFIG_SERVICE_UNIT_TEST_UNUSED",
            include_str!("../config/default.toml"),
        )
        .unwrap();
        assert_eq!(parsed.listen, "127.0.0.1:50051");
        assert_eq!(parsed.database_url, "sqlite://config.sqlite?mode=rwc");
        assert_eq!(parsed.master_key_id, "k1");
        assert!(parsed.master_key.is_none());
    }

    #[test]
    fn debug_redacts_the_master_key() {
        let printed = format!("{:?}", settings(Some(KEY_B64), None));
        assert!(!printed.contains(KEY_B64));
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn missing_key_is_a_clear_error() {
        let error = settings(None, None).master_key().unwrap_err();
        assert_eq!(
            error.to_string(),
            "CONFIG_SERVICE__MASTER_KEY is not set and no master_key_file is configured"
        );
    }

    #[test]
    fn key_is_read_from_a_file_and_a_missing_file_is_named() {
        let path = std::env::temp_dir().join(format!(
            "ox-config-key-{}-{:?}.b64",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, format!("{KEY_B64}\n")).unwrap();
        let key = settings(None, Some(path.display().to_string()))
            .master_key()
            .unwrap();
        assert_eq!(key.id(), "k1");
        std::fs::remove_file(&path).unwrap();

        let error = settings(None, Some(path.display().to_string()))
            .master_key()
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("cannot read master key file "),
            "{message}"
        );
        assert!(message.contains(&path.display().to_string()), "{message}");
    }

    #[test]
    fn both_key_and_file_is_refused() {
        let error = settings(Some(KEY_B64), Some("/nonexistent".into()))
            .master_key()
            .unwrap_err();
        assert!(matches!(error, ConfigError::MasterKeyAmbiguous));
    }
}
