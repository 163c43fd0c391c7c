//! Simulator time: a wall clock tests can set, freeze and move forward, Europe/Brussels local time (EU summer
//! time rules, no tz database needed) and the `yyyy-MM-dd HH:mm:ss.SSS` timestamps Octopus uses.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

/// Format of `modifiedTimeStamp` query parameters, e.g. `2020-02-08 14:55:00.000`.
pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S%.3f";

/// The real clock shifted by an offset, or a frozen instant that moves only when told to.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SimClock {
    offset: Duration,
    frozen: Option<DateTime<Utc>>,
}

impl SimClock {
    /// Returns the simulator's current time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.frozen.unwrap_or_else(|| Utc::now() + self.offset)
    }

    /// Moves the simulator's time forward.
    pub(crate) fn advance(&mut self, by: std::time::Duration) {
        // Durations beyond chrono's range (hundreds of millions of years) are clamped.
        let by = Duration::from_std(by).unwrap_or(Duration::MAX);
        match &mut self.frozen {
            Some(at) => {
                *at = at
                    .checked_add_signed(by)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC)
            }
            None => self.offset = self.offset.checked_add(&by).unwrap_or(Duration::MAX),
        }
    }

    /// Sets the time (forwards or backwards). A frozen clock stays at `now` until advanced or
    /// set again; a running one goes on from `now` at real speed.
    pub(crate) fn set(&mut self, now: DateTime<Utc>, frozen: bool) {
        if frozen {
            self.frozen = Some(now);
        } else {
            self.frozen = None;
            self.offset = now - Utc::now();
        }
    }

    /// Whether the clock is frozen.
    pub(crate) fn is_frozen(&self) -> bool {
        self.frozen.is_some()
    }
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = first_of_next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    Some(day)
}

/// Returns Brussels' UTC offset at `utc`: +2 h from the last Sunday of March 01:00 UTC to the
/// last Sunday of October 01:00 UTC, +1 h otherwise.
pub(crate) fn brussels_offset(utc: DateTime<Utc>) -> Duration {
    let year = utc.year();
    let switch = |month| {
        last_sunday(year, month)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    match (switch(3), switch(10)) {
        (Some(start), Some(end)) if utc >= start && utc < end => Duration::hours(2),
        _ => Duration::hours(1),
    }
}

/// Returns the Europe/Brussels wall-clock time of `utc`.
pub(crate) fn to_brussels(utc: DateTime<Utc>) -> NaiveDateTime {
    utc.naive_utc() + brussels_offset(utc)
}

/// Returns the instant of a Europe/Brussels wall-clock time (the earlier one when ambiguous).
pub(crate) fn from_brussels(local: NaiveDateTime) -> DateTime<Utc> {
    let summer = Utc.from_utc_datetime(&(local - Duration::hours(2)));
    if brussels_offset(summer) == Duration::hours(2) {
        summer
    } else {
        Utc.from_utc_datetime(&(local - Duration::hours(1)))
    }
}

/// Parses a `modifiedTimeStamp` exactly in the form `yyyy-MM-dd HH:mm:ss.SSS`.
pub(crate) fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let parsed = NaiveDateTime::parse_from_str(text, TIMESTAMP_FORMAT).ok()?;
    // chrono accepts 1–9 fraction digits for %.3f; Octopus documents exactly three.
    let fraction = text.rsplit_once('.').map(|(_, f)| f.len());
    (fraction == Some(3)).then_some(parsed)
}

/// Returns the Europe/Brussels calendar day of `utc`, the unit of Octopus's daily caps.
pub(crate) fn brussels_day(utc: DateTime<Utc>) -> NaiveDate {
    to_brussels(utc).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn brussels_is_utc_plus_one_in_winter_and_plus_two_in_summer() {
        assert_eq!(brussels_offset(utc(2025, 1, 15, 12)), Duration::hours(1));
        assert_eq!(brussels_offset(utc(2025, 7, 15, 12)), Duration::hours(2));
        // 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC.
        assert_eq!(brussels_offset(utc(2025, 3, 30, 0)), Duration::hours(1));
        assert_eq!(brussels_offset(utc(2025, 3, 30, 1)), Duration::hours(2));
        assert_eq!(brussels_offset(utc(2025, 10, 26, 1)), Duration::hours(1));
    }

    #[test]
    fn brussels_round_trips_and_days_change_at_local_midnight() {
        let t = utc(2025, 6, 30, 22);
        assert_eq!(
            brussels_day(t),
            NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
        );
        assert_eq!(from_brussels(to_brussels(t)), t);
        let w = utc(2025, 12, 31, 23);
        assert_eq!(from_brussels(to_brussels(w)), w);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced_and_can_go_back() {
        let mut clock = SimClock::default();
        let at = utc(2025, 3, 15, 9);
        clock.set(at, true);
        assert!(clock.is_frozen());
        assert_eq!(clock.now(), at);
        clock.advance(std::time::Duration::from_secs(60));
        assert_eq!(clock.now(), at + Duration::seconds(60));
        clock.set(utc(2020, 1, 1, 0), false);
        assert!(!clock.is_frozen());
        assert!((clock.now() - utc(2020, 1, 1, 0)).num_seconds().abs() < 5);
    }

    #[test]
    fn timestamps_need_exactly_three_fraction_digits() {
        assert!(parse_timestamp("2020-02-08 14:55:00.000").is_some());
        assert!(parse_timestamp("2020-02-08 14:55:00").is_none());
        assert!(parse_timestamp("2020-02-08 14:55:00.0").is_none());
        assert!(parse_timestamp("2020-02-08T14:55:00.000").is_none());
    }
}
