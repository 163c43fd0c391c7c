//! The config database behind one small type; all SQL of the service lives under `db/`.
//!
//! Two backends with the same logical schema: SQLite (embedded) and PostgreSQL (production),
//! chosen from the URL scheme. Every statement is written once with `$N` placeholders, which
//! sqlx binds on SQLite too; [`on_pool!`] compiles each method body once per backend.

mod credentials;
mod edits;
mod keys;
mod tenants;

use std::future::Future;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, Postgres};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
};

pub use credentials::{SealedCredentials, StoredCredentials};

use crate::error::ConfigError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool on the config database.
#[derive(Debug, Clone)]
pub struct Db {
    pool: Pool,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool of whichever backend `$db` has. The body is
/// compiled once per backend, so its queries, binds and row types must suit both.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match &$db.pool {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
}
use on_pool;

/// A write transaction that holds its locks from the start: `BEGIN IMMEDIATE` on SQLite (so a
/// read inside cannot deadlock with another writer upgrading its lock), `BEGIN` on PostgreSQL
/// (where writers lock rows as they touch them).
trait BeginWrite {
    type Database: sqlx::Database;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Postgres>, sqlx::Error>> + Send
    {
        self.begin()
    }
}

impl Db {
    /// Opens the database at `url`: `sqlite://config.sqlite?mode=rwc`, `sqlite::memory:` or
    /// `postgres://user@host:5432/config` (`postgresql://` too).
    pub async fn connect(url: &str) -> Result<Self, ConfigError> {
        let connect_error = |source| ConfigError::Connect {
            url: redact_url(url),
            source,
        };
        let url = url.trim();
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(connect_sqlite(url).await.map_err(connect_error)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Pool::Postgres(pool)
        } else {
            return Err(ConfigError::UnsupportedDatabaseUrl(redact_url(url)));
        };
        Ok(Self { pool })
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), ConfigError> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

async fn connect_sqlite(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let mut options = SqliteConnectOptions::from_str(url)?
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !in_memory {
        // Readers do not wait for a writer, and a writer for readers.
        options = options.journal_mode(SqliteJournalMode::Wal);
    }
    SqlitePoolOptions::new()
        .max_connections(4)
        // An in-memory database lives only as long as one of its connections does.
        .idle_timeout(None)
        .max_lifetime(None)
        .min_connections(1)
        .connect_with(options)
        .await
}

/// Hides a password in `scheme://user:password@host/...` URLs and in `?password=` queries.
pub(crate) fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_credentials, host)) => format!("{scheme}://[redacted]@{host}"),
            None => base.to_owned(),
        },
        None => base.to_owned(),
    };
    match query {
        Some(query) if query.to_ascii_lowercase().contains("password") => {
            format!("{base}?[redacted]")
        }
        Some(query) => format!("{base}?{query}"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrations_apply_twice_on_memory() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        assert_eq!(db.backend(), Backend::Sqlite);
        db.migrate().await.unwrap();
        db.migrate().await.unwrap();
        let Pool::Sqlite(pool) = &db.pool else {
            panic!("a sqlite URL opens SQLite");
        };
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(
            tables,
            [
                "credentials",
                "journal_overrides",
                "master_key_checks",
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
            redact_url("postgres://ox:p@ss@db:5432/config"),
            "postgres://[redacted]@db:5432/config"
        );
        assert_eq!(
            redact_url("postgres://db/config?user=ox&password=pw"),
            "postgres://db/config?[redacted]"
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

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_without_its_password() {
        let error = Db::connect("mysql://ox:hunter2@db/config")
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("unsupported database URL mysql://[redacted]@db/config"));
        assert!(!message.contains("hunter2"));
    }
}
