//! The two database backends behind one small interface: a [`Pool`] on SQLite or MariaDB, the
//! [`Row`]s it returns, and [`Statement`]s (SQL text plus bound values) that run on either. Every
//! query goes through here, so the rest of the reader is written once.

use std::pin::Pin;

use sqlx::mysql::{MySql, MySqlPool, MySqlRow};
use sqlx::sqlite::{Sqlite, SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Executor as _};
use tokio_stream::{Stream, StreamExt as _};

use super::sql::{self, Dialect};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    MySql,
}

impl Backend {
    /// `mysql://` and `mariadb://` are MariaDB/MySQL; anything else is a SQLite URL or path.
    pub fn of_url(database_url: &str) -> Self {
        let scheme = database_url
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("mysql" | "mariadb") => Self::MySql,
            _ => Self::Sqlite,
        }
    }

    /// The statements that differ on this backend.
    pub fn dialect(self) -> Dialect {
        match self {
            Self::Sqlite => sql::SQLITE,
            Self::MySql => sql::MYSQL,
        }
    }
}

/// A connection pool on PlanManager's database; cheap to clone.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    MySql(MySqlPool),
}

/// One result row, read column by column through `db::cell`.
#[derive(Debug)]
pub enum Row {
    Sqlite(SqliteRow),
    MySql(MySqlRow),
}

/// A value bound to a `?` placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Self::Int(Some(value))
    }
}

impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Self {
        Self::Int(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::Text(Some(value.to_owned()))
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Self::Text(Some(value))
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        Self::Text(value.map(str::to_owned))
    }
}

impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Self {
        Self::Text(value)
    }
}

/// SQL text built from the constants of `sql` plus the values bound to its placeholders.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    sql: String,
    values: Vec<Value>,
}

impl Statement {
    /// A statement starting with `sql`.
    pub fn new(sql: &str) -> Self {
        Self {
            sql: sql.to_owned(),
            values: Vec::new(),
        }
    }

    /// Appends SQL text (only ever a constant of `sql`, never data).
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.sql.push('?');
        self.values.push(value.into());
        self
    }

    /// Binds a value to a placeholder already in the text.
    pub fn value(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        self
    }

    /// Appends `?, ?, …` bound to `values`.
    pub fn bind_list<T: Into<Value>>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self {
        for (index, value) in values.into_iter().enumerate() {
            if index > 0 {
                self.sql.push_str(", ");
            }
            self.bind(value);
        }
        self
    }

    /// Appends `VALUES (?, …), (?, …)` with one tuple per row of `rows`.
    pub fn bind_rows(&mut self, rows: impl IntoIterator<Item = Vec<Value>>) -> &mut Self {
        self.sql.push_str("VALUES ");
        for (index, row) in rows.into_iter().enumerate() {
            self.sql.push_str(if index == 0 { "(" } else { ", (" });
            self.bind_list(row);
            self.sql.push(')');
        }
        self
    }

    fn sqlite(self) -> sqlx::query::Query<'static, Sqlite, sqlx::sqlite::SqliteArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for value in self.values {
            query = match value {
                Value::Int(value) => query.bind(value),
                Value::Text(value) => query.bind(value),
            };
        }
        query
    }

    fn mysql(self) -> sqlx::query::Query<'static, MySql, sqlx::mysql::MySqlArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for value in self.values {
            query = match value {
                Value::Int(value) => query.bind(value),
                Value::Text(value) => query.bind(value),
            };
        }
        query
    }
}

/// Rows as they arrive from the server.
pub type RowStream<'a> = Pin<Box<dyn Stream<Item = Result<Row, sqlx::Error>> + Send + 'a>>;

impl Pool {
    /// The backend this pool talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::MySql(_) => Backend::MySql,
        }
    }

    /// Streams the rows of `statement` without collecting them (both drivers read the result as
    /// it is consumed).
    pub fn fetch(&self, statement: Statement) -> RowStream<'_> {
        match self {
            Self::Sqlite(pool) => Box::pin(
                statement
                    .sqlite()
                    .fetch(pool)
                    .map(|row| row.map(Row::Sqlite)),
            ),
            Self::MySql(pool) => {
                Box::pin(statement.mysql().fetch(pool).map(|row| row.map(Row::MySql)))
            }
        }
    }

    /// All rows of a small result.
    pub async fn fetch_all(&self, statement: Statement) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => statement
                .sqlite()
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Self::MySql(pool) => statement
                .mysql()
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::MySql)
                .collect(),
        })
    }

    /// Starts a transaction on one pooled connection.
    pub async fn begin(&self) -> Result<Transaction, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => Transaction::Sqlite(pool.begin().await?),
            Self::MySql(pool) => Transaction::MySql(pool.begin().await?),
        })
    }

    /// Runs a statement outside a transaction; returns the rows it changed.
    pub async fn execute(&self, statement: Statement) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => statement.sqlite().execute(pool).await?.rows_affected(),
            Self::MySql(pool) => statement.mysql().execute(pool).await?.rows_affected(),
        })
    }

    /// Runs SQL text without bound values (several statements allowed).
    pub async fn execute_script(&self, script: &'static str) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(pool) => pool.execute(script).await.map(drop),
            Self::MySql(pool) => pool.execute(script).await.map(drop),
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::MySql(pool) => pool.close().await,
        }
    }
}

/// An open transaction; rolled back when dropped without [`Transaction::commit`].
#[derive(Debug)]
pub enum Transaction {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    MySql(sqlx::Transaction<'static, MySql>),
}

impl Transaction {
    /// Runs a statement in the transaction; returns the rows it changed.
    pub async fn execute(&mut self, statement: Statement) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx) => statement.sqlite().execute(&mut **tx).await?.rows_affected(),
            Self::MySql(tx) => statement.mysql().execute(&mut **tx).await?.rows_affected(),
        })
    }

    /// Commits.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::MySql(tx) => tx.commit().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(Backend::of_url("mysql://root@127.0.0.1/pm"), Backend::MySql);
        assert_eq!(Backend::of_url("MariaDB://pm@db/pm"), Backend::MySql);
        assert_eq!(Backend::of_url("sqlite://pm.sqlite"), Backend::Sqlite);
        assert_eq!(Backend::of_url("sqlite::memory:"), Backend::Sqlite);
        assert_eq!(Backend::of_url("/tmp/pm.sqlite"), Backend::Sqlite);
    }

    #[tokio::test]
    async fn another_scheme_is_refused_by_name() {
        let error = super::super::connect("postgres://pm@db/pm")
            .await
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unsupported database scheme \"postgres\""),
            "{error}"
        );
    }

    #[test]
    fn statements_bind_lists_and_rows() {
        let mut statement = Statement::new("SELECT 1 WHERE x IN (");
        statement.bind_list([1_i64, 2, 3]).push(")");
        assert_eq!(statement.sql, "SELECT 1 WHERE x IN (?, ?, ?)");
        assert_eq!(statement.values.len(), 3);
        let mut insert = Statement::new("INSERT INTO t (a, b) ");
        insert.bind_rows([
            vec![Value::from(1), Value::from("x")],
            vec![Value::from(2), Value::from(None::<&str>)],
        ]);
        assert_eq!(insert.sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(insert.values[3], Value::Text(None));
    }
}
