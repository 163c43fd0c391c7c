//! A fresh database per test on either backend: a temporary SQLite file, or a new PostgreSQL
//! database (`ox_config_<unique>`) dropped afterwards; plus raw access to look at or tamper
//! with what config-service stored.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection as _, Executor as _, PgConnection, PgPool, SqlitePool};

/// The PostgreSQL server the tests need; a PostgreSQL test fails (never skips) without it.
pub const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Generates one `#[tokio::test]` per backend for each listed `async fn name(Backend)`:
/// `module::sqlite::name` and `module::postgres::name`.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::test_db::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::test_db::Backend::Postgres).await;
                }
            )*
        }
    };
}
pub(crate) use both_backends;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_nanos();
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh database for one test, removed (file) or dropped (PostgreSQL) on drop.
pub enum TestDb {
    Sqlite { path: PathBuf },
    Postgres { name: String },
}

impl TestDb {
    /// A fresh database on `backend`.
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::Sqlite {
                path: std::env::temp_dir().join(format!("ox-config-it-{}.sqlite", unique_suffix())),
            },
            Backend::Postgres => {
                let name = format!("ox_config_{}", unique_suffix());
                let mut admin = PgConnection::connect(POSTGRES_ADMIN_URL)
                    .await
                    .expect("PostgreSQL must run at 127.0.0.1:5432 (user postgres, trust auth)");
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("the test database is created");
                admin.close().await.expect("the admin connection closes");
                Self::Postgres { name }
            }
        }
    }

    /// The `database_url` config-service is given.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres { name } => format!("postgres://postgres@127.0.0.1:5432/{name}"),
        }
    }

    /// Runs one statement on a separate connection (to look at or tamper with stored rows);
    /// returns the number of rows it changed.
    pub async fn execute(&self, sql: &str) -> u64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Self::Sqlite { .. } => {
                let pool = self.sqlite_pool().await;
                let done = sqlx::query(sql)
                    .execute(&pool)
                    .await
                    .expect("statement runs");
                pool.close().await;
                done.rows_affected()
            }
            Self::Postgres { .. } => {
                let pool = self.pg_pool().await;
                let done = sqlx::query(sql)
                    .execute(&pool)
                    .await
                    .expect("statement runs");
                pool.close().await;
                done.rows_affected()
            }
        }
    }

    /// Reads a one-column text result, e.g. `SELECT key_id FROM credentials ORDER BY tenant_id`.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Self::Sqlite { .. } => {
                let pool = self.sqlite_pool().await;
                let rows = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("query runs");
                pool.close().await;
                rows
            }
            Self::Postgres { .. } => {
                let pool = self.pg_pool().await;
                let rows = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("query runs");
                pool.close().await;
                rows
            }
        }
    }

    /// Reads a one-column binary result.
    pub async fn blobs(&self, sql: &str) -> Vec<Vec<u8>> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Self::Sqlite { .. } => {
                let pool = self.sqlite_pool().await;
                let rows = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("query runs");
                pool.close().await;
                rows
            }
            Self::Postgres { .. } => {
                let pool = self.pg_pool().await;
                let rows = sqlx::query_scalar(sql)
                    .fetch_all(&pool)
                    .await
                    .expect("query runs");
                pool.close().await;
                rows
            }
        }
    }

    /// Everything the database holds, as bytes: the SQLite file and its WAL as they sit on disk,
    /// or every row of every PostgreSQL table as text (binary columns as hex).
    pub async fn everything(&self) -> Vec<u8> {
        match self {
            Self::Sqlite { path } => {
                let mut bytes = std::fs::read(path).expect("the test database file exists");
                if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
                    bytes.extend(wal);
                }
                bytes
            }
            Self::Postgres { .. } => {
                let mut text = String::new();
                for table in self.tables().await {
                    for row in self
                        .strings(&format!("SELECT CAST(t AS TEXT) FROM {table} t"))
                        .await
                    {
                        text.push_str(&row);
                        text.push('\n');
                    }
                }
                text.into_bytes()
            }
        }
    }

    /// The tables of the schema (none before the first migration).
    pub async fn tables(&self) -> Vec<String> {
        match self {
            Self::Sqlite { path } if !path.exists() => Vec::new(),
            Self::Sqlite { .. } => {
                self.strings(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite%' ORDER BY name",
                )
                .await
            }
            Self::Postgres { .. } => {
                self.strings(
                    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                     WHERE table_schema = 'public' ORDER BY table_name",
                )
                .await
            }
        }
    }

    async fn sqlite_pool(&self) -> SqlitePool {
        let Self::Sqlite { path } = self else {
            unreachable!("only called on SQLite")
        };
        SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("the test database opens")
    }

    async fn pg_pool(&self) -> PgPool {
        PgPool::connect(&self.url())
            .await
            .expect("the test database opens")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            Self::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Self::Postgres { name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on: a thread with
                // its own runtime drops the database (FORCE ends connections a failed test left).
                let name = name.clone();
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime for the cleanup");
                    runtime.block_on(async move {
                        let mut admin = PgConnection::connect(POSTGRES_ADMIN_URL).await?;
                        admin
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .await?;
                        admin.close().await
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
                    panic!("the test database could not be dropped: {dropped:?}");
                }
            }
        }
    }
}
