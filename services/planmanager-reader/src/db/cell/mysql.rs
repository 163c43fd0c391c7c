//! What a MariaDB/MySQL column holds, whatever its declared type: integers of every width, DECIMAL
//! (read as its exact text), DATE and DATETIME (as canonical text, zero dates included), floats,
//! text and binary strings. Works with both of the server's row formats (text and binary).

use sqlx::mysql::MySqlRow;
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};

use super::Cell;

pub(super) fn cell(row: &MySqlRow, column: &str) -> Result<Cell, String> {
    let unreadable = |_| format!("{column} cannot be read");
    let raw = row.try_get_raw(column).map_err(unreadable)?;
    let type_info = raw.type_info();
    let type_name = type_info.name();
    // sqlx reports a zero date as NULL; read those columns from their bytes first.
    match type_name {
        "DATE" => return temporal(row, column, false),
        "DATETIME" | "TIMESTAMP" => return temporal(row, column, true),
        _ => {}
    }
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    match type_name {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" | "YEAR" => row
            .try_get_unchecked::<i64, _>(column)
            .map(Cell::Integer)
            .map_err(unreadable),
        // Read unsigned: the signed decoder would sign-extend 3 000 000 000 in an INT UNSIGNED.
        "TINYINT UNSIGNED" | "SMALLINT UNSIGNED" | "MEDIUMINT UNSIGNED" | "INT UNSIGNED"
        | "BIGINT UNSIGNED" => {
            let value = row
                .try_get_unchecked::<u64, _>(column)
                .map_err(unreadable)?;
            // Beyond i64 it cannot be an id or a number anyway; the text makes the message.
            Ok(i64::try_from(value).map_or_else(|_| Cell::Text(value.to_string()), Cell::Integer))
        }
        "FLOAT" => row
            .try_get_unchecked::<f32, _>(column)
            .map(|value| Cell::Real(value.to_string()))
            .map_err(unreadable),
        "DOUBLE" => row
            .try_get_unchecked::<f64, _>(column)
            .map(|value| Cell::Real(value.to_string()))
            .map_err(unreadable),
        // DECIMAL travels as ASCII digits in both row formats: its exact text.
        "DECIMAL" => row
            .try_get_unchecked::<String, _>(column)
            .map(Cell::Text)
            .map_err(unreadable),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" | "BIT"
        | "GEOMETRY" => {
            let bytes = row
                .try_get_unchecked::<Vec<u8>, _>(column)
                .map_err(unreadable)?;
            String::from_utf8(bytes)
                .map(Cell::Text)
                .map_err(|_| format!("{column} is not readable text"))
        }
        _ => row
            .try_get_unchecked::<String, _>(column)
            .map(Cell::Text)
            .map_err(unreadable),
    }
}

/// A DATE or DATETIME as `YYYY-MM-DD[ HH:MM:SS]` text, read from the bytes the server sent, so
/// the zero date `0000-00-00` (and `2025-02-00` where the server allows invalid dates) arrives
/// as written, exactly as SQLite would hold it. Fractions of a second are dropped.
fn temporal(row: &MySqlRow, column: &str, with_time: bool) -> Result<Cell, String> {
    let unreadable = || format!("{column} cannot be read");
    // Decoding bytes fails only for a real NULL (a zero date still has its length byte).
    let Ok(bytes) = row.try_get_unchecked::<Vec<u8>, _>(column) else {
        return Ok(Cell::Null);
    };
    // The text row format starts with a digit; the binary one with the length (0, 4, 7 or 11).
    if bytes.first().is_some_and(u8::is_ascii_digit) {
        let text = String::from_utf8(bytes).map_err(|_| unreadable())?;
        let whole_seconds = text
            .split_once('.')
            .map_or(text.as_str(), |(whole, _)| whole);
        return Ok(Cell::Text(whole_seconds.to_owned()));
    }
    let part = |index: usize| bytes.get(index).copied().map_or(0, u32::from);
    let year = part(1) | (part(2) << 8);
    let mut text = format!("{year:04}-{:02}-{:02}", part(3), part(4));
    if with_time {
        text.push_str(&format!(" {:02}:{:02}:{:02}", part(5), part(6), part(7)));
    }
    Ok(Cell::Text(text))
}

#[cfg(test)]
mod tests {
    use sqlx::mysql::MySqlPoolOptions;

    use super::*;

    const SELECT: &str = "SELECT CAST('0000-00-00' AS DATE) AS zero, \
        CAST('2025-02-14' AS DATE) AS day, CAST('2024-03-05 10:30:00' AS DATETIME) AS moment, \
        CAST(NULL AS DATE) AS no_day, CAST('21.0000' AS DECIMAL(7, 4)) AS rate, \
        CAST(3000000000 AS UNSIGNED) AS big, CAST(-7 AS SIGNED) AS negative, 1.5e0 AS ratio, \
        'Zoë 😀 <&>' AS words, X'C328' AS bytes, NULL AS nothing";

    /// Needs the MariaDB server of `.ci/run`; fails (never skips) without it.
    #[tokio::test]
    async fn reads_both_row_formats_alike() {
        let server = std::env::var("OX_TEST_MARIADB_URL")
            .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into());
        let pool = MySqlPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&server)
            .await
            .unwrap_or_else(|error| panic!("MariaDB is not reachable at {server}: {error}"));
        // raw_sql travels in the text format; a prepared query in the binary one.
        let text_row = sqlx::raw_sql(SELECT).fetch_one(&pool).await.unwrap();
        let binary_row = sqlx::query(SELECT).fetch_one(&pool).await.unwrap();
        for row in [&text_row, &binary_row] {
            let text = |value: &str| Ok(Cell::Text(value.to_owned()));
            assert_eq!(cell(row, "zero"), text("0000-00-00"));
            assert_eq!(cell(row, "day"), text("2025-02-14"));
            assert_eq!(cell(row, "moment"), text("2024-03-05 10:30:00"));
            assert_eq!(cell(row, "no_day"), Ok(Cell::Null));
            assert_eq!(cell(row, "rate"), text("21.0000"));
            assert_eq!(cell(row, "big"), Ok(Cell::Integer(3_000_000_000)));
            assert_eq!(cell(row, "negative"), Ok(Cell::Integer(-7)));
            assert_eq!(cell(row, "ratio"), Ok(Cell::Real("1.5".into())));
            assert_eq!(cell(row, "words"), text("Zoë 😀 <&>"));
            assert_eq!(
                cell(row, "bytes"),
                Err("bytes is not readable text".to_owned())
            );
            assert_eq!(cell(row, "nothing"), Ok(Cell::Null));
            assert_eq!(
                cell(row, "missing"),
                Err("missing cannot be read".to_owned())
            );
        }
        pool.close().await;
    }
}
