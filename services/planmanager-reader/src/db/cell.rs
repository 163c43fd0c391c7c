//! Reading one column of a PlanManager row whatever SQLite actually stored in it: text in a number
//! column, a number in a text column, NULL anywhere. Failures are messages for a bookkeeper.

use std::str::FromStr as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};

/// A column value as stored.
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

fn cell(row: &SqliteRow, column: &str) -> Result<Cell, String> {
    let unreadable = |_| format!("{column} cannot be read");
    let raw = row.try_get_raw(column).map_err(unreadable)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    match type_name.as_str() {
        "INTEGER" => row
            .try_get::<i64, _>(column)
            .map(Cell::Integer)
            .map_err(unreadable),
        "REAL" => row
            .try_get::<f64, _>(column)
            .map(Cell::Real)
            .map_err(unreadable),
        "BLOB" => {
            let bytes = row.try_get::<Vec<u8>, _>(column).map_err(unreadable)?;
            String::from_utf8(bytes)
                .map(Cell::Text)
                .map_err(|_| format!("{column} is not readable text"))
        }
        _ => row
            .try_get::<String, _>(column)
            .map(Cell::Text)
            .map_err(unreadable),
    }
}

/// Text of a column; numbers are turned into their decimal text, NULL into `None`.
pub(super) fn text(row: &SqliteRow, column: &str) -> Result<Option<String>, String> {
    Ok(match cell(row, column)? {
        Cell::Null => None,
        Cell::Integer(value) => Some(value.to_string()),
        Cell::Real(value) => Some(value.to_string()),
        Cell::Text(value) => Some(value),
    })
}

/// Text of a column, "" for NULL.
pub(super) fn text_or_empty(row: &SqliteRow, column: &str) -> Result<String, String> {
    Ok(text(row, column)?.unwrap_or_default())
}

/// A whole number; text holding one is accepted, anything else is reported.
pub(super) fn integer(row: &SqliteRow, column: &str) -> Result<Option<i64>, String> {
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
pub(super) fn required_integer(row: &SqliteRow, column: &str) -> Result<i64, String> {
    integer(row, column)?.ok_or_else(|| format!("{column} is empty"))
}

/// A flag stored as 0/1 (or text "0"/"1"); NULL is false.
pub(super) fn flag(row: &SqliteRow, column: &str) -> Result<bool, String> {
    Ok(integer(row, column)?.is_some_and(|value| value != 0))
}

/// A decimal amount; `None` for NULL.
pub(super) fn amount(row: &SqliteRow, column: &str) -> Result<Option<Decimal>, String> {
    let not_a_number = |value: &str| format!("{column} is not an amount: {value:?}");
    match cell(row, column)? {
        Cell::Null => Ok(None),
        Cell::Integer(value) => Ok(Some(Decimal::from(value))),
        Cell::Text(value) => Decimal::from_str(value.trim())
            .map(Some)
            .map_err(|_| not_a_number(&value)),
        // A REAL means someone stored a float; its shortest text is what they typed.
        Cell::Real(value) => {
            let text = value.to_string();
            Decimal::from_str(&text)
                .map(Some)
                .map_err(|_| not_a_number(&text))
        }
    }
}

/// A decimal amount that must be present.
pub(super) fn required_amount(row: &SqliteRow, column: &str) -> Result<Decimal, String> {
    amount(row, column)?.ok_or_else(|| format!("{column} is empty"))
}

/// A `YYYY-MM-DD` date; `None` for NULL or "".
pub(super) fn date(row: &SqliteRow, column: &str) -> Result<Option<NaiveDate>, String> {
    let Some(value) = text(row, column)? else {
        return Ok(None);
    };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{column} is not a date (YYYY-MM-DD): {value:?}"))
}

/// Runs `read` and files its failure in `problems`, returning `fallback` instead.
pub(super) fn collect<T>(problems: &mut Vec<String>, fallback: T, read: Result<T, String>) -> T {
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

    async fn one_row(select: &'static str) -> SqliteRow {
        let pool = SqlitePoolOptions::new()
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query(select).fetch_one(&pool).await.unwrap()
    }

    #[tokio::test]
    async fn reads_whatever_sqlite_stored() {
        let row = one_row(
            "SELECT 12 AS i, '12.50' AS t, 'abc' AS bad, NULL AS n, 1.5 AS r, '2025-02-30' AS d, \
             ' 42 ' AS ti, X'C328' AS blob",
        )
        .await;
        assert_eq!(integer(&row, "i").unwrap(), Some(12));
        assert_eq!(text(&row, "i").unwrap().as_deref(), Some("12"));
        assert_eq!(amount(&row, "t").unwrap(), Some(Decimal::new(1250, 2)));
        assert_eq!(amount(&row, "r").unwrap(), Some(Decimal::new(15, 1)));
        assert_eq!(amount(&row, "n").unwrap(), None);
        assert_eq!(required_amount(&row, "n").unwrap_err(), "n is empty");
        assert_eq!(
            amount(&row, "bad").unwrap_err(),
            "bad is not an amount: \"abc\""
        );
        assert_eq!(
            integer(&row, "bad").unwrap_err(),
            "bad is not a whole number: \"abc\""
        );
        assert_eq!(integer(&row, "ti").unwrap(), Some(42));
        assert!(date(&row, "d").unwrap_err().contains("is not a date"));
        assert_eq!(text(&row, "blob").unwrap_err(), "blob is not readable text");
        assert!(text(&row, "missing_column").is_err());
    }
}
