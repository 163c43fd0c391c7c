//! The config database behind one small type; all SQL of the service lives under `db/`.
//!
//! SQLite today (runtime queries, no compile-time macros); a PostgreSQL backend can slot in
//! behind the same methods.

mod credentials;
mod tenants;

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::SqlSafeStr as _;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use credentials::{SealedCredentials, StoredCredentials};

use crate::error::ConfigError;

/// The SQLite schema, embedded at compile time. Version 1, description "init", as
/// `sqlx::migrate!("migrations/sqlite")` would name `0001_init.sql` (same checksum too).
const SQLITE_0001_INIT: &str = include_str!("../../migrations/sqlite/0001_init.sql");

/// A pool on the config database.
#[derive(Debug, Clone)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens the database at `url` (e.g. `sqlite://config.sqlite?mode=rwc`, `sqlite::memory:`).
    pub async fn connect(url: &str) -> Result<Self, ConfigError> {
        let connect_error = |source| ConfigError::Connect {
            url: redact_url(url),
            source,
        };
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(connect_error)?
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            // Readers do not wait for a writer, and a writer for readers.
            options = options.journal_mode(SqliteJournalMode::Wal);
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // An in-memory database lives only as long as one of its connections does.
            .idle_timeout(None)
            .max_lifetime(None)
            .min_connections(1)
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        Ok(Self { pool })
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), ConfigError> {
        migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn migrator() -> Migrator {
    Migrator::with_migrations(vec![Migration::new(
        1,
        "init".into(),
        MigrationType::Simple,
        SQLITE_0001_INIT.into_sql_str(),
        false,
    )])
}

/// Hides a password in `scheme://user:password@host/...` URLs.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((_credentials, host)) => format!("{scheme}://[redacted]@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrations_apply_twice_on_memory() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        db.migrate().await.unwrap();
        db.migrate().await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            tables,
            [
                "credentials",
                "journal_overrides",
                "tenant_locations",
                "tenants",
                "vat_mappings"
            ]
        );
    }

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://ox:pw@db:5432/config"),
            "postgres://[redacted]@db:5432/config"
        );
        assert_eq!(
            redact_url("sqlite://config.sqlite?mode=rwc"),
            "sqlite://config.sqlite?mode=rwc"
        );
    }

    #[tokio::test]
    async fn unopenable_database_is_a_clear_error() {
        let error = Db::connect("sqlite:///nonexistent-dir-ox/config.sqlite")
            .await
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot open the config database sqlite:///nonexistent-dir-ox/")
        );
    }
}
