//! Typed settings: compiled-in defaults, then an optional TOML file, then environment variables.
//!
//! The file is named by `<PREFIX>_CONFIG` (e.g. `ORCHESTRATOR_CONFIG=/etc/ox/orchestrator.toml`);
//! variables are `<PREFIX>__SECTION__KEY` (e.g. `ORCHESTRATOR__PEERS__GATEWAY=http://gw:50054`).

use figment::Figment;
use figment::providers::{Env, Format as _, Toml};
use serde::de::DeserializeOwned;

/// Why settings could not be loaded (a typo, a wrong type, an unreadable file).
pub type SettingsError = Box<figment::Error>;

/// Loads settings for the service whose environment prefix is `prefix` (upper case, no `__`).
pub fn load_settings<T: DeserializeOwned>(
    prefix: &str,
    defaults_toml: &str,
) -> Result<T, SettingsError> {
    let mut figment = Figment::new().merge(Toml::string(defaults_toml));
    if let Ok(path) = std::env::var(format!("{prefix}_CONFIG")) {
        figment = figment.merge(Toml::file_exact(path));
    }
    figment
        .merge(Env::prefixed(&format!("{prefix}__")).split("__"))
        .extract()
        .map_err(Box::new)
}
