//! The one error type of config-service, and its single translation to `tonic::Status`.
//!
//! Messages name tenants, locations, fields and key ids, never a secret or a SQL statement.

use tonic::Status;

/// Everything that can go wrong in config-service, at startup or serving a call.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("CONFIG_SERVICE__MASTER_KEY is not set and no master_key_file is configured")]
    MasterKeyMissing,
    #[error(
        "both CONFIG_SERVICE__MASTER_KEY and CONFIG_SERVICE__MASTER_KEY_FILE are set; configure only one"
    )]
    MasterKeyAmbiguous,
    #[error("cannot read master key file {path}: {source}")]
    MasterKeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error("master key must be 32 bytes, base64-encoded; got {0} bytes")]
    MasterKeyLength(usize),
    #[error("master key must be 32 bytes, base64-encoded; it is not valid base64")]
    MasterKeyEncoding,
    #[error(
        "master_key_id {0:?} is invalid: use 1 to 64 characters from A-Z, a-z, 0-9, '_', '-' and '.'"
    )]
    MasterKeyId(String),
    #[error(
        "master key id {0:?} is configured twice; every key in master_key_id and previous_keys needs its own id"
    )]
    MasterKeyIdTwice(String),
    #[error("previous key {id:?} needs exactly one of `key` and `key_file`")]
    PreviousKeySource { id: String },
    #[error(
        "master key {key_id} is wrong: the config database was sealed under another key with that id \
         (a key id must always name the same key; give a new key a new id)"
    )]
    MasterKeyWrong { key_id: String },
    #[error(
        "credentials of {tenants} tenant(s) are sealed under master key {key_id}, which is not \
         configured: add it to previous_keys (run `config-service rotate-key` before removing it)"
    )]
    MasterKeyNotConfigured { key_id: String, tenants: i64 },
    #[error(
        "unsupported database URL {0}: use sqlite://FILE?mode=rwc, sqlite::memory: or postgres://..."
    )]
    UnsupportedDatabaseUrl(String),
    #[error("cannot open the config database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot migrate the config database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Server(#[from] ox_kit::KitError),
    #[error("{field}: {reason}")]
    InvalidArgument { field: String, reason: String },
    #[error("tenant {0} is not configured")]
    TenantNotFound(String),
    #[error("location '{location}' of tenant {tenant_id} has no Octopus dossier configured")]
    LocationNotFound { tenant_id: String, location: String },
    #[error(
        "tenant {tenant_id} has no journal override for '{planmanager_code}' at location '{location}'"
    )]
    JournalOverrideNotFound {
        tenant_id: String,
        location: String,
        planmanager_code: String,
    },
    #[error("tenant {tenant_id} has no VAT mapping for {rate}% with regime {regime}")]
    VatMappingNotFound {
        tenant_id: String,
        rate: String,
        regime: String,
    },
    #[error("no Octopus credentials set for tenant {0}")]
    CredentialsNotSet(String),
    #[error(
        "credentials of tenant {tenant_id} cannot be decrypted with master key {key_id} (wrong key?)"
    )]
    CredentialsUndecryptable { tenant_id: String, key_id: String },
    #[error(
        "credentials of tenant {tenant_id} are encrypted with master key {stored_key_id}, which is not configured (the current master key is {configured_key_id})"
    )]
    MasterKeyMismatch {
        tenant_id: String,
        stored_key_id: String,
        configured_key_id: String,
    },
    #[error(
        "the credentials of tenant {tenant_id} changed {attempts} times while being re-encrypted; run rotate-key again"
    )]
    RotationContended { tenant_id: String, attempts: usize },
    #[error("encrypting the credentials failed")]
    Encryption,
    #[error("stored configuration is inconsistent: {0}")]
    Corrupt(String),
    #[error("config database call failed: {0}")]
    Database(#[from] sqlx::Error),
}

impl ConfigError {
    /// An `INVALID_ARGUMENT` naming the offending field.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl From<ConfigError> for Status {
    fn from(error: ConfigError) -> Self {
        match &error {
            ConfigError::InvalidArgument { .. } => Status::invalid_argument(error.to_string()),
            ConfigError::TenantNotFound(_)
            | ConfigError::LocationNotFound { .. }
            | ConfigError::JournalOverrideNotFound { .. }
            | ConfigError::VatMappingNotFound { .. }
            | ConfigError::CredentialsNotSet(_) => Status::not_found(error.to_string()),
            ConfigError::CredentialsUndecryptable { .. }
            | ConfigError::MasterKeyMismatch { .. } => {
                tracing::error!(error = %error, "stored credentials cannot be opened");
                Status::failed_precondition(error.to_string())
            }
            _ => {
                tracing::error!(error = %error, "config-service call failed");
                Status::internal("internal error in config-service")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internals_are_hidden_from_clients() {
        let status = Status::from(ConfigError::Corrupt("rate \"x\" in vat_mappings".into()));
        assert_eq!(status.code(), tonic::Code::Internal);
        assert!(!status.message().contains("vat_mappings"));
    }

    #[test]
    fn wrong_key_is_a_failed_precondition_naming_tenant_and_key() {
        let status = Status::from(ConfigError::CredentialsUndecryptable {
            tenant_id: "acme".into(),
            key_id: "k1".into(),
        });
        assert_eq!(status.code(), tonic::Code::FailedPrecondition);
        assert_eq!(
            status.message(),
            "credentials of tenant acme cannot be decrypted with master key k1 (wrong key?)"
        );
    }
}
