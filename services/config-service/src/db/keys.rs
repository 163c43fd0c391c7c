//! The key checks: one known plaintext sealed under each master key id, to recognise a key.

use super::{Db, on_pool};
use crate::crypto::Sealed;
use crate::error::ConfigError;

impl Db {
    /// The key check stored for `key_id`, if the key has been used with this database.
    pub async fn key_check(&self, key_id: &str) -> Result<Option<Sealed>, ConfigError> {
        let found: Option<(Vec<u8>, Vec<u8>)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT check_ciphertext, check_nonce FROM master_key_checks WHERE key_id = $1",
            )
            .bind(key_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(found.map(|(ciphertext, nonce)| Sealed { ciphertext, nonce }))
    }

    /// Stores the key check of `key_id` unless one is already there (another process may have
    /// stored it first; the caller reads it back).
    pub async fn insert_key_check(&self, key_id: &str, check: &Sealed) -> Result<(), ConfigError> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO master_key_checks (key_id, check_ciphertext, check_nonce) \
                 VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
            )
            .bind(key_id)
            .bind(&check.ciphertext)
            .bind(&check.nonce)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
