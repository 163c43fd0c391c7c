//! Reading one column of a PlanManager row whatever the database actually stored in it: text in a
//! number column, a number in a text column, NULL anywhere, a MariaDB zero date. Both backends
//! first turn the value into a [`Cell`], so every failure reads the same on SQLite and MariaDB;
//! failures are messages for a bookkeeper.

mod mysql;
mod sqlite;

use std::str::FromStr as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::backend::Row;

/// A column value as stored, in backend-neutral form.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Integer(i64),
    /// A floating-point value, as its shortest decimal text.
    Real(String),
    /// Text, and also what DECIMAL, DATE and DATETIME values are read as (canonical text).
    Text(String),
}

fn cell(row: &Row, column: &str) -> Result<Cell, String> {
    match row {
        Row::Sqlite(row) => sqlite::cell(row, column),
        Row::MySql(row) => mysql::cell(row, column),
    }
}

/// Text of a column; numbers are turned into their decimal text, NULL into `None`.
pub(crate) fn text(row: &Row, column: &str) -> Result<Option<String>, String> {
    Ok(match cell(row, column)? {
        Cell::Null => None,
        Cell::Integer(value) => Some(value.to_string()),
        Cell::Real(value) | Cell::Text(value) => Some(value),
    })
}

/// Text of a column, "" for NULL.
pub(crate) fn text_or_empty(row: &Row, column: &str) -> Result<String, String> {
    Ok(text(row, column)?.unwrap_or_default())
}

/// A whole number; text holding one is accepted, anything else is reported.
pub(crate) fn integer(row: &Row, column: &str) -> Result<Option<i64>, String> {
    match cell(row, column)? {
        Cell::Null => Ok(None),
        Cell::Integer(value) => Ok(Some(value)),
        Cell::Text(value) => match value.trim().parse::<i64>() {
            Ok(parsed) => Ok(Some(parsed)),
            Err(_) => Err(format!("{column} is not a whole number: {value:?}")),
        },
        Cell::Real(value) => Err(format!("{column} is not a whole number: {value}")),
    }
}

/// A whole number that must be present.
pub(crate) fn required_integer(row: &Row, column: &str) -> Result<i64, String> {
    integer(row, column)?.ok_or_else(|| format!("{column} is empty"))
}

/// A flag stored as 0/1 (or text "0"/"1"); NULL is false.
pub(crate) fn flag(row: &Row, column: &str) -> Result<bool, String> {
    Ok(integer(row, column)?.is_some_and(|value| value != 0))
}

/// A decimal number as stored (any scale); `None` for NULL.
fn decimal(row: &Row, column: &str) -> Result<Option<Decimal>, String> {
    let not_a_number = |value: &str| format!("{column} is not an amount: {value:?}");
    match cell(row, column)? {
        Cell::Null => Ok(None),
        Cell::Integer(value) => Ok(Some(Decimal::from(value))),
        // A REAL means someone stored a float; its shortest text is what they typed.
        Cell::Text(value) | Cell::Real(value) => Decimal::from_str(value.trim())
            .map(Some)
            .map_err(|_| not_a_number(&value)),
    }
}

/// Money (an amount or a unit price) in canonical form: trailing zeros dropped, but always at
/// least the cents, so `100`, `'100.00'` and a DECIMAL(15,4) `100.0000` all read `100.00`.
pub(crate) fn money(row: &Row, column: &str) -> Result<Option<Decimal>, String> {
    Ok(decimal(row, column)?.map(|value| {
        let mut value = value.normalize();
        if value.scale() < 2 {
            value.rescale(2);
        }
        value
    }))
}

/// Money that must be present.
pub(crate) fn required_money(row: &Row, column: &str) -> Result<Decimal, String> {
    money(row, column)?.ok_or_else(|| format!("{column} is empty"))
}

/// A quantity or a percentage in canonical form, without trailing zeros (`21.00` reads `21`).
pub(crate) fn number(row: &Row, column: &str) -> Result<Option<Decimal>, String> {
    Ok(decimal(row, column)?.map(|value| value.normalize()))
}

/// A quantity or percentage that must be present.
pub(crate) fn required_number(row: &Row, column: &str) -> Result<Decimal, String> {
    number(row, column)?.ok_or_else(|| format!("{column} is empty"))
}

/// MySQL-family applications write the zero date where they mean "no date".
const ZERO_DATE: &str = "0000-00-00";

/// A `YYYY-MM-DD` date; `None` for NULL, "" and the zero date `0000-00-00`.
pub(crate) fn date(row: &Row, column: &str) -> Result<Option<NaiveDate>, String> {
    let Some(value) = text(row, column)? else {
        return Ok(None);
    };
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.starts_with(ZERO_DATE) {
        return Ok(None);
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{column} is not a date (YYYY-MM-DD): {value:?}"))
}

/// A date that must be present; the zero date is named as such.
pub(crate) fn required_date(row: &Row, column: &str) -> Result<NaiveDate, String> {
    date(row, column)?.ok_or_else(|| match text(row, column) {
        Ok(Some(value)) if value.trim().starts_with(ZERO_DATE) => {
            format!("{column} is the zero date {ZERO_DATE}")
        }
        _ => format!("{column} is empty"),
    })
}

/// Runs `read` and files its failure in `problems`, returning `fallback` instead.
pub(crate) fn collect<T>(problems: &mut Vec<String>, fallback: T, read: Result<T, String>) -> T {
    match read {
        Ok(value) => value,
        Err(message) => {
            problems.push(message);
            fallback
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqlitePoolOptions;

    use super::*;

    pub(super) async fn sqlite_row(select: &'static str) -> Row {
        let pool = SqlitePoolOptions::new()
            .connect("sqlite::memory:")
            .await
            .unwrap();
        Row::Sqlite(sqlx::query(select).fetch_one(&pool).await.unwrap())
    }

    #[tokio::test]
    async fn reads_whatever_sqlite_stored() {
        let row = sqlite_row(
            "SELECT 12 AS i, '12.50' AS t, 'abc' AS bad, NULL AS n, 1.5 AS r, '2025-02-30' AS d, \
             ' 42 ' AS ti, X'C328' AS blob, '100' AS m, '21.00' AS rate, '0000-00-00' AS z",
        )
        .await;
        assert_eq!(integer(&row, "i").unwrap(), Some(12));
        assert_eq!(text(&row, "i").unwrap().as_deref(), Some("12"));
        assert_eq!(money(&row, "t").unwrap(), Some(Decimal::new(1250, 2)));
        assert_eq!(number(&row, "r").unwrap(), Some(Decimal::new(15, 1)));
        assert_eq!(money(&row, "n").unwrap(), None);
        assert_eq!(required_money(&row, "n").unwrap_err(), "n is empty");
        assert_eq!(
            money(&row, "bad").unwrap_err(),
            "bad is not an amount: \"abc\""
        );
        assert_eq!(
            integer(&row, "bad").unwrap_err(),
            "bad is not a whole number: \"abc\""
        );
        assert_eq!(
            integer(&row, "r").unwrap_err(),
            "r is not a whole number: 1.5"
        );
        assert_eq!(integer(&row, "ti").unwrap(), Some(42));
        assert!(date(&row, "d").unwrap_err().contains("is not a date"));
        assert_eq!(date(&row, "z").unwrap(), None);
        assert_eq!(
            required_date(&row, "z").unwrap_err(),
            "z is the zero date 0000-00-00"
        );
        assert_eq!(required_date(&row, "n").unwrap_err(), "n is empty");
        assert_eq!(text(&row, "blob").unwrap_err(), "blob is not readable text");
        assert!(text(&row, "missing_column").is_err());
        assert_eq!(money(&row, "m").unwrap().unwrap().to_string(), "100.00");
        assert_eq!(number(&row, "rate").unwrap().unwrap().to_string(), "21");
    }
}
