//! The store every replica shares: daily call counters (quota.rs), dossier sessions
//! (sessions.rs) and reference data read from Octopus (reference.rs). SQLite embedded,
//! PostgreSQL in production; one SQL text serves both where their dialects agree (sqlx binds
//! `$N` on SQLite too).

mod quota;
mod reference;
mod sessions;

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use reference::StoredReference;
pub use sessions::StoredSession;

use crate::config::redact_url;

/// Why the store failed; never carries bound values (tokens) or the database password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL {0:?}: use sqlite://file?mode=rwc or postgres://...")]
    UnsupportedUrl(String),
    /// The database refused or failed a statement.
    #[error("the gateway store failed: {0}")]
    Database(String),
    /// Migrations could not be applied.
    #[error("the gateway store's migrations failed: {0}")]
    Migration(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(error.to_string())
    }
}

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the shared store; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

/// Runs one statement on whichever backend the store has: `$sqlite` and `$postgres` are SQL
/// texts, `binds` their arguments, `$method` an `sqlx::query` executor (`execute`,
/// `fetch_optional`, `fetch_all`) and `|$row| $read` turns its result into a common value.
macro_rules! on_backend {
    ($store:expr, $sqlite:expr, $postgres:expr, [$($arg:expr),* $(,)?], $method:ident, |$out:ident| $read:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite(pool) => {
                let $out = sqlx::query($sqlite)$(.bind($arg))*.$method(pool).await?;
                $read
            }
            $crate::store::Backend::Postgres(pool) => {
                let $out = sqlx::query($postgres)$(.bind($arg))*.$method(pool).await?;
                $read
            }
        }
    };
}
pub(crate) use on_backend;

impl Store {
    /// Opens the store at `database_url` and applies its migrations.
    pub async fn open(database_url: &str) -> Result<Self, StoreError> {
        let url = database_url.trim();
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // WAL with NORMAL syncs at checkpoints only: a crash of the machine may lose
                // the last counts, never corrupt them.
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10));
            // Every connection to `sqlite::memory:` is its own database: keep exactly one.
            let max_connections = if url.contains(":memory:") { 1 } else { 4 };
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/sqlite")
                .run(&pool)
                .await
                .map_err(|error| StoreError::Migration(error.to_string()))?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|error| StoreError::Database(format!("{} ({error})", redact_url(url))))?;
            sqlx::migrate!("./migrations/postgres")
                .run(&pool)
                .await
                .map_err(|error| StoreError::Migration(error.to_string()))?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        Ok(Self { backend })
    }

    /// Which backend serves the store: "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool (waits for connections in use).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_other_databases_without_showing_the_password() {
        let error = Store::open("mysql://root:hunter2@db/gw").await.unwrap_err();
        assert!(matches!(error, StoreError::UnsupportedUrl(_)));
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[tokio::test]
    async fn opens_an_in_memory_sqlite_store() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(store.backend_name(), "sqlite");
    }
}
