//! Settings of config-service: built-in defaults, an optional file, then `CONFIG_SERVICE__*`.
//!
//! Master keys: `master_key` (or `master_key_file`) with `master_key_id` is the current key, which
//! seals every new secret. `previous_keys` lists older keys that still open what they sealed:
//!
//! ```toml
//! master_key_id = "k2"
//! master_key_file = "/run/secrets/config-k2"
//! [[previous_keys]]
//! id = "k1"
//! key_file = "/run/secrets/config-k1"   # or: key = "<base64 of 32 bytes>"
//! ```
//!
//! or in the environment `CONFIG_SERVICE__PREVIOUS_KEYS='[{id="k1", key="<base64>"}]'`.
//! Rotation: make the new key current and the old one previous, restart every replica, run
//! `config-service rotate-key`, then drop the old key from `previous_keys`.

use crate::crypto::{KeyRing, MasterKey};
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
    /// Older master keys, kept only to open what they sealed until `rotate-key` has run.
    #[serde(default)]
    pub previous_keys: Vec<PreviousKey>,
}

/// A master key kept after a rotation to open the ciphertexts it sealed.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousKey {
    /// The key id its ciphertexts carry.
    pub id: String,
    /// Base64 of the 32-byte key; redacted in `Debug`.
    #[serde(default)]
    pub key: Option<Secret>,
    /// A file holding the base64 key.
    #[serde(default)]
    pub key_file: Option<String>,
}

impl Settings {
    /// Defaults from config/default.toml, then the file named by `CONFIG_SERVICE_CONFIG`, then
    /// `CONFIG_SERVICE__KEY` environment variables.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings(ENV_PREFIX, include_str!("../config/default.toml"))
    }

    /// Settings for an embedded config-service (the CLI's demo stack): one master key, no
    /// previous keys.
    pub fn embedded(
        listen: impl Into<String>,
        database_url: impl Into<String>,
        master_key_id: impl Into<String>,
        master_key: Secret,
    ) -> Self {
        Self {
            listen: listen.into(),
            database_url: database_url.into(),
            master_key: Some(master_key),
            master_key_file: None,
            master_key_id: master_key_id.into(),
            previous_keys: Vec::new(),
        }
    }

    /// Reads and checks the current master key from `master_key` or `master_key_file`.
    pub fn master_key(&self) -> Result<MasterKey, ConfigError> {
        let encoded = match (&self.master_key, &self.master_key_file) {
            (Some(_), Some(_)) => return Err(ConfigError::MasterKeyAmbiguous),
            (None, None) => return Err(ConfigError::MasterKeyMissing),
            (Some(key), None) => key.clone(),
            (None, Some(path)) => read_key_file(path)?,
        };
        MasterKey::from_base64(&self.master_key_id, encoded.expose())
    }

    /// Reads and checks every master key: the current one and `previous_keys`.
    pub fn key_ring(&self) -> Result<KeyRing, ConfigError> {
        let current = self.master_key()?;
        let previous = self
            .previous_keys
            .iter()
            .map(PreviousKey::load)
            .collect::<Result<Vec<_>, _>>()?;
        KeyRing::new(current, previous)
    }
}

impl PreviousKey {
    fn load(&self) -> Result<MasterKey, ConfigError> {
        let encoded = match (&self.key, &self.key_file) {
            (Some(key), None) => key.clone(),
            (None, Some(path)) => read_key_file(path)?,
            _ => {
                return Err(ConfigError::PreviousKeySource {
                    id: self.id.clone(),
                });
            }
        };
        MasterKey::from_base64(&self.id, encoded.expose())
    }
}

fn read_key_file(path: &str) -> Result<Secret, ConfigError> {
    std::fs::read_to_string(path)
        .map(Secret::from)
        .map_err(|source| ConfigError::MasterKeyFile {
            path: path.to_owned(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    const KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    fn settings(master_key: Option<&str>, master_key_file: Option<String>) -> Settings {
        Settings {
            master_key: master_key.map(Secret::new),
            master_key_file,
            ..Settings::embedded("127.0.0.1:0", "sqlite::memory:", "k1", Secret::new(""))
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
        assert!(parsed.previous_keys.is_empty());
    }

    #[test]
    fn previous_keys_parse_from_toml_and_join_the_ring() {
        let toml = format!(
            "listen = \"127.0.0.1:0\"\ndatabase_url = \"sqlite::memory:\"\n\
             master_key_id = \"k2\"\nmaster_key = \"{KEY_B64}\"\n\
             [[previous_keys]]\nid = \"k1\"\nkey = \"{}\"\n",
            STANDARD.encode([9u8; 32])
        );
        let parsed: Settings =
            ox_kit::load_settings("CONFIG_SERVICE_UNIT_TEST_UNUSED", &toml).unwrap();
        let printed = format!("{parsed:?}");
        assert!(!printed.contains(&STANDARD.encode([9u8; 32])), "{printed}");
        let ring = parsed.key_ring().unwrap();
        assert_eq!(ring.current().id(), "k2");
        assert!(ring.get("k1").is_some());
    }

    #[test]
    fn a_previous_key_needs_exactly_one_source_and_its_own_id() {
        let mut both = settings(Some(KEY_B64), None);
        both.previous_keys = vec![PreviousKey {
            id: "k0".into(),
            key: Some(Secret::new(KEY_B64)),
            key_file: Some("/nonexistent".into()),
        }];
        assert_eq!(
            both.key_ring().unwrap_err().to_string(),
            "previous key \"k0\" needs exactly one of `key` and `key_file`"
        );
        let mut twice = settings(Some(KEY_B64), None);
        twice.previous_keys = vec![PreviousKey {
            id: "k1".into(),
            key: Some(Secret::new(KEY_B64)),
            key_file: None,
        }];
        assert!(matches!(
            twice.key_ring().unwrap_err(),
            ConfigError::MasterKeyIdTwice(id) if id == "k1"
        ));
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
