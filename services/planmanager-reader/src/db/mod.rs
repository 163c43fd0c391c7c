//! Access to PlanManager's database: opening it, the schema migrations (for the sample and tests
//! only, never run by the service), and the reading and flag-writing queries.

pub mod catalog;
mod cell;
pub mod customers;
pub mod exports;
pub mod invoices;
pub mod sql;

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::SqlSafeStr as _;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::error::{ReaderError, redact_url};

/// Most connections the service opens; each running stream holds one.
const MAX_CONNECTIONS: u32 = 8;

/// The embedded SQLite migrations of `migrations/sqlite/`.
///
/// Built by hand instead of `sqlx::migrate!`: that macro needs sqlx's `macros`/`derive` feature,
/// which the workspace does not enable. Version and checksum are the ones `migrate!` would use.
pub fn migrator() -> Migrator {
    Migrator::with_migrations(vec![Migration::new(
        1,
        "planmanager schema".into(),
        MigrationType::Simple,
        include_str!("../../migrations/sqlite/0001_planmanager_schema.sql").into_sql_str(),
        false,
    )])
}

fn options(database_url: &str) -> Result<SqliteConnectOptions, ReaderError> {
    SqliteConnectOptions::from_str(database_url).map_err(|error| ReaderError::Open {
        target: redact_url(database_url),
        reason: error.to_string(),
    })
}

/// Opens PlanManager's existing database for the service; never creates or migrates it.
pub async fn connect(database_url: &str) -> Result<SqlitePool, ReaderError> {
    let options = options(database_url)?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|error| ReaderError::Open {
            target: redact_url(database_url),
            reason: error.to_string(),
        })
}

/// Opens (creating the file if missing) a database for the sample generator or a test, in WAL
/// mode so the service can read while someone writes.
pub(crate) async fn connect_for_writing(
    database_url: &str,
    max_connections: u32,
) -> Result<SqlitePool, ReaderError> {
    let options = options(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .connect_with(options)
        .await
        .map_err(|error| ReaderError::Open {
            target: redact_url(database_url),
            reason: error.to_string(),
        })
}

/// Creates the PlanManager schema in `database_url` (creating the SQLite file if missing).
///
/// For the sample generator and tests only: the service reads PlanManager's own database and
/// must never change its schema.
pub async fn migrate(database_url: &str) -> Result<(), ReaderError> {
    let pool = connect_for_writing(database_url, 1).await?;
    let outcome = migrator().run(&pool).await;
    pool.close().await;
    Ok(outcome?)
}
