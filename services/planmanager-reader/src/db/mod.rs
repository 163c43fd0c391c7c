//! Access to PlanManager's database on SQLite or MariaDB (chosen by the URL scheme): opening it,
//! the schema migrations (for the sample and tests only, never run by the service), and the
//! reading and flag-writing queries.

pub mod backend;
pub mod catalog;
pub(crate) mod cell;
pub mod customers;
pub mod exports;
pub mod invoices;
pub mod sql;

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::migrate::{MigrateDatabase as _, Migrator};
use sqlx::mysql::{MySql, MySqlConnectOptions, MySqlPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{ConnectOptions, Executor as _};

pub use backend::{Backend, Pool};

use crate::error::{ReaderError, redact_url};

/// Most connections the service opens; each running stream holds one.
const MAX_CONNECTIONS: u32 = 8;

/// The schema of `migrations/sqlite/`.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");
/// The schema of `migrations/mysql/` (MariaDB / MySQL).
pub static MYSQL_MIGRATOR: Migrator = sqlx::migrate!("migrations/mysql");

fn open_error(database_url: &str) -> impl Fn(sqlx::Error) -> ReaderError + '_ {
    move |error| ReaderError::Open {
        target: redact_url(database_url),
        reason: error.to_string(),
    }
}

// sqlx's own statement log is off: it would log a stream's whole duration, paced by the gRPC
// client, as a "slow statement" with its SQL at WARN; the reader's tracing spans cover queries.
fn sqlite_options(database_url: &str) -> Result<SqliteConnectOptions, ReaderError> {
    // Another scheme (postgres://, http://) is not a SQLite file with an odd name.
    if let Some((scheme, _)) = database_url.split_once("://")
        && !scheme.eq_ignore_ascii_case("sqlite")
    {
        return Err(ReaderError::Open {
            target: redact_url(database_url),
            reason: format!(
                "unsupported database scheme {scheme:?}: PlanManager's database is read from sqlite://FILE or mysql://USER@HOST:PORT/DATABASE (MariaDB)"
            ),
        });
    }
    SqliteConnectOptions::from_str(database_url)
        .map(ConnectOptions::disable_statement_logging)
        .map_err(open_error(database_url))
}

fn mysql_options(database_url: &str) -> Result<MySqlConnectOptions, ReaderError> {
    MySqlConnectOptions::from_str(database_url)
        .map(ConnectOptions::disable_statement_logging)
        .map_err(open_error(database_url))
}

/// A MariaDB pool whose connections run the dialect's session setup.
async fn mysql_pool(database_url: &str, max_connections: u32) -> Result<Pool, ReaderError> {
    let setup = sql::MYSQL.session_setup;
    MySqlPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(move |connection, _meta| {
            Box::pin(async move {
                if let Some(setup) = setup {
                    connection.execute(setup).await?;
                }
                Ok(())
            })
        })
        .connect_with(mysql_options(database_url)?)
        .await
        .map(Pool::MySql)
        .map_err(open_error(database_url))
}

/// Opens PlanManager's existing database for the service; never creates or migrates it.
pub async fn connect(database_url: &str) -> Result<Pool, ReaderError> {
    match Backend::of_url(database_url) {
        Backend::Sqlite => {
            let options = sqlite_options(database_url)?
                .create_if_missing(false)
                .busy_timeout(Duration::from_secs(10));
            SqlitePoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .connect_with(options)
                .await
                .map(Pool::Sqlite)
                .map_err(open_error(database_url))
        }
        Backend::MySql => mysql_pool(database_url, MAX_CONNECTIONS).await,
    }
}

/// Opens a database for the sample generator or a test, creating it if missing: the SQLite file
/// (in WAL mode, so the service can read while someone writes), or the MariaDB database (the
/// server must be running and the user allowed to create databases).
pub(crate) async fn connect_for_writing(
    database_url: &str,
    max_connections: u32,
) -> Result<Pool, ReaderError> {
    match Backend::of_url(database_url) {
        Backend::Sqlite => {
            let options = sqlite_options(database_url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10));
            SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options)
                .await
                .map(Pool::Sqlite)
                .map_err(open_error(database_url))
        }
        Backend::MySql => {
            create_mysql_database(database_url).await?;
            mysql_pool(database_url, max_connections).await
        }
    }
}

/// Creates the MariaDB database named in the URL unless it exists (the tables set their own
/// character set and collation).
async fn create_mysql_database(database_url: &str) -> Result<(), ReaderError> {
    let open = open_error(database_url);
    if mysql_options(database_url)?.get_database().is_none() {
        return Err(ReaderError::Open {
            target: redact_url(database_url),
            reason: "the URL names no database (mysql://user@host:3306/DATABASE)".into(),
        });
    }
    if !MySql::database_exists(database_url).await.map_err(&open)? {
        MySql::create_database(database_url).await.map_err(&open)?;
    }
    Ok(())
}

/// Runs the schema migrations of `pool`'s backend.
pub(crate) async fn run_migrations(pool: &Pool) -> Result<(), ReaderError> {
    match pool {
        Pool::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
        Pool::MySql(pool) => MYSQL_MIGRATOR.run(pool).await?,
    }
    Ok(())
}

/// Creates the PlanManager schema in `database_url`, creating the SQLite file or the MariaDB
/// database if missing.
///
/// For the sample generator and tests only: the service reads PlanManager's own database and
/// must never change its schema.
pub async fn migrate(database_url: &str) -> Result<(), ReaderError> {
    let pool = connect_for_writing(database_url, 1).await?;
    let outcome = run_migrations(&pool).await;
    pool.close().await;
    outcome
}
