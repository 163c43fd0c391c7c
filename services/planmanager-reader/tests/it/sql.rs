//! Direct SQL on a test database of either backend, with every value read back as text, so test
//! bodies (planting flawed rows, checking what the generator wrote) are written once.

use std::hash::{DefaultHasher, Hasher as _};

use sqlx::mysql::{MySqlPool, MySqlPoolOptions, MySqlRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Column as _, Row as _, TypeInfo as _, ValueRef as _};

/// A pool on a test database.
pub enum TestPool {
    Sqlite(SqlitePool),
    MySql(MySqlPool),
}

/// One row: column names and values as text (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRow(Vec<(String, Option<String>)>);

impl TestRow {
    pub fn text(&self, column: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _)| name == column)
            .unwrap_or_else(|| panic!("no column {column} in {self:?}"))
            .1
            .clone()
    }

    pub fn str(&self, column: &str) -> String {
        self.text(column)
            .unwrap_or_else(|| panic!("{column} is NULL"))
    }

    pub fn opt_int(&self, column: &str) -> Option<i64> {
        self.text(column).map(|text| text.parse().unwrap())
    }

    pub fn int(&self, column: &str) -> i64 {
        self.opt_int(column)
            .unwrap_or_else(|| panic!("{column} is NULL"))
    }

    /// The value of the first column.
    pub fn first(&self) -> Option<String> {
        self.0[0].1.clone()
    }
}

fn sqlite_row(row: &SqliteRow) -> TestRow {
    let mut values = Vec::new();
    for (index, column) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(index).unwrap();
        let value = if raw.is_null() {
            None
        } else {
            Some(match raw.type_info().name() {
                "INTEGER" => row.get::<i64, _>(index).to_string(),
                "REAL" => row.get::<f64, _>(index).to_string(),
                "BLOB" => String::from_utf8_lossy(&row.get::<Vec<u8>, _>(index)).into_owned(),
                _ => row.get::<String, _>(index),
            })
        };
        values.push((column.name().to_owned(), value));
    }
    TestRow(values)
}

/// Rows fetched with `raw_sql` travel in MariaDB's text format: every value is its text.
fn mysql_row(row: &MySqlRow) -> TestRow {
    let mut values = Vec::new();
    for (index, column) in row.columns().iter().enumerate() {
        let value = row
            .try_get_unchecked::<Option<Vec<u8>>, _>(index)
            .unwrap()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        values.push((column.name().to_owned(), value));
    }
    TestRow(values)
}

impl TestPool {
    /// Connects to an existing database (`sqlite://…` or `mysql://…`).
    pub async fn connect(url: &str) -> Self {
        if url.starts_with("mysql:") {
            Self::connect_server(url).await
        } else {
            Self::Sqlite(SqlitePool::connect(url).await.unwrap())
        }
    }

    /// Connects to MariaDB; fails the test, with what to do, when the server is not there.
    pub async fn connect_server(url: &str) -> Self {
        let pool = MySqlPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(url)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "MariaDB is not reachable at {url} ({error}); start it (.ci/run does) or set \
                     OX_TEST_MARIADB_URL. The MariaDB tests fail rather than skip."
                )
            });
        Self::MySql(pool)
    }

    pub async fn rows(&self, sql: &str) -> Vec<TestRow> {
        let query = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        match self {
            Self::Sqlite(pool) => query
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(sqlite_row)
                .collect(),
            Self::MySql(pool) => query
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(mysql_row)
                .collect(),
        }
    }

    /// The first column of the first row, as a whole number.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let rows = self.rows(sql).await;
        rows[0].first().unwrap().parse().unwrap()
    }

    /// The first column of every row, as text.
    pub async fn column(&self, sql: &str) -> Vec<String> {
        let rows = self.rows(sql).await;
        rows.iter().map(|row| row.first().unwrap()).collect()
    }

    pub async fn execute(&self, sql: &str) {
        let query = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        match self {
            Self::Sqlite(pool) => query.execute(pool).await.map(drop),
            Self::MySql(pool) => query.execute(pool).await.map(drop),
        }
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Runs statements separated by `;` at the end of a line, one by one.
    pub async fn script(&self, script: &str) {
        for statement in script.split(";\n").map(str::trim) {
            if !statement.is_empty() {
                self.execute(statement).await;
            }
        }
    }

    pub async fn close(self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::MySql(pool) => pool.close().await,
        }
    }

    /// A digest of every row of every PlanManager table (for determinism checks).
    pub async fn digest(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        for table in [
            "locations",
            "journals",
            "payment_terms",
            "customers",
            "gl_accounts",
            "invoices",
            "invoice_lines",
            "accounting_exports",
        ] {
            for row in self
                .rows(&format!("SELECT * FROM {table} ORDER BY 1"))
                .await
            {
                hasher.write(format!("{row:?}").as_bytes());
                hasher.write_u8(b'\n');
            }
        }
        hasher.finish()
    }
}
