//! What SQLite stored in a column (it keeps whatever type was inserted, whatever the declared one).

use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};

use super::Cell;

pub(super) fn cell(row: &SqliteRow, column: &str) -> Result<Cell, String> {
    let unreadable = |_| format!("{column} cannot be read");
    let raw = row.try_get_raw(column).map_err(unreadable)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let type_info = raw.type_info();
    let type_name = type_info.name();
    match type_name {
        "INTEGER" => row
            .try_get::<i64, _>(column)
            .map(Cell::Integer)
            .map_err(unreadable),
        "REAL" => row
            .try_get::<f64, _>(column)
            .map(|value| Cell::Real(value.to_string()))
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
