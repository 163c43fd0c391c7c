//! Calendar dates on the wire (`YYYY-MM-DD`) and payment terms.

use chrono::{Datelike as _, Days, Months, NaiveDate};

/// A wire date that is not `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is not a date (YYYY-MM-DD): {value:?}")]
pub struct DateError {
    pub field: &'static str,
    pub value: String,
}

/// Parses a strict `YYYY-MM-DD` date; `field` names it in the error.
pub fn parse_date(field: &'static str, value: &str) -> Result<NaiveDate, DateError> {
    let trimmed = value.trim();
    let error = || DateError {
        field,
        value: value.to_owned(),
    };
    // chrono alone would accept "2025-3-1"; the wire format is always zero-padded.
    if trimmed.len() != 10 {
        return Err(error());
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| error())
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The last day of the date's month.
pub fn end_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

/// The due date of a payment term: `days` after `date`, then the end of that month when
/// `end_of_month` is set ("30 days end of month"). `None` past the last representable date.
pub fn due_date(date: NaiveDate, days: u32, end_of_month_term: bool) -> Option<NaiveDate> {
    let due = date.checked_add_days(Days::new(u64::from(days)))?;
    Some(if end_of_month_term {
        end_of_month(due)
    } else {
        due
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: &str) -> NaiveDate {
        parse_date("date", value).unwrap()
    }

    #[test]
    fn parses_only_padded_iso_dates() {
        assert_eq!(format_date(d("2025-02-14")), "2025-02-14");
        assert_eq!(
            parse_date("due_date", "2025-2-14").unwrap_err().to_string(),
            "due_date is not a date (YYYY-MM-DD): \"2025-2-14\""
        );
        assert!(parse_date("date", "2025-02-30").is_err());
        assert!(parse_date("date", "").is_err());
    }

    #[test]
    fn computes_month_ends_and_payment_terms() {
        assert_eq!(end_of_month(d("2024-02-10")), d("2024-02-29"));
        assert_eq!(end_of_month(d("2025-12-31")), d("2025-12-31"));
        assert_eq!(due_date(d("2025-01-20"), 30, false), Some(d("2025-02-19")));
        assert_eq!(due_date(d("2025-01-20"), 30, true), Some(d("2025-02-28")));
        assert_eq!(due_date(d("2025-01-20"), 0, true), Some(d("2025-01-31")));
        assert_eq!(due_date(NaiveDate::MAX, 1, false), None);
    }
}
