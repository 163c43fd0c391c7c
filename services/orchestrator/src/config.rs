//! The orchestrator's settings: where it listens, its ledger database and its four peers.

use serde::Deserialize;

/// Settings of the orchestrator service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub listen: String,
    /// The ledger of runs and items (SQLite embedded; PostgreSQL in a later issue).
    pub database_url: String,
    pub peers: Peers,
    /// How long a dossier lease lasts without renewal: how soon a crashed run's dossier frees up.
    pub lease_ms: u64,
    /// How often to look for unfinished runs of dead processes and resume them.
    pub resume_interval_ms: u64,
}

/// Addresses of the services the orchestrator calls.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peers {
    pub config_service: String,
    pub planmanager_reader: String,
    pub journal_mapper: String,
    /// One address, or a comma-separated list of gateway replicas to balance calls across.
    pub octopus_gateway: String,
}

impl Settings {
    /// Defaults from `config/default.toml`, then `ORCHESTRATOR_CONFIG`, then `ORCHESTRATOR__*`.
    pub fn load() -> Result<Self, ox_kit::SettingsError> {
        ox_kit::load_settings("ORCHESTRATOR", include_str!("../config/default.toml"))
    }
}
