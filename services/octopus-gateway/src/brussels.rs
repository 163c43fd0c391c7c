//! Europe/Brussels time without a tz database: UTC+1 in winter, UTC+2 from the last Sunday of
//! March 01:00 UTC to the last Sunday of October 01:00 UTC (the EU rule since 1996). Octopus's
//! daily caps reset at Brussels midnight.

use chrono::{
    DateTime, Datelike as _, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone as _, Utc,
};

const HOUR: i32 = 3_600;

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_days(chrono::Days::new(u64::from(back)))
}

fn switch_at(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let day = last_sunday(year, month)?;
    Some(Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0)?))
}

/// Brussels' UTC offset at the instant `utc`.
pub fn brussels_offset(utc: DateTime<Utc>) -> FixedOffset {
    let year = utc.year();
    let summer = matches!(
        (switch_at(year, 3), switch_at(year, 10)),
        (Some(start), Some(end)) if utc >= start && utc < end
    );
    let seconds = if summer { 2 * HOUR } else { HOUR };
    FixedOffset::east_opt(seconds).expect("one or two hours is a valid offset")
}

/// The instant `utc` on Brussels' wall clock.
pub fn to_brussels(utc: DateTime<Utc>) -> DateTime<FixedOffset> {
    utc.with_timezone(&brussels_offset(utc))
}

/// The Brussels calendar day of `utc`: the unit of Octopus's daily caps.
pub fn brussels_day(utc: DateTime<Utc>) -> NaiveDate {
    to_brussels(utc).date_naive()
}

/// The instant of a Brussels wall-clock time; the earlier one when the hour repeats in October.
pub fn from_brussels(local: NaiveDateTime) -> DateTime<Utc> {
    let as_summer = Utc.from_utc_datetime(&(local - Duration::hours(2)));
    if brussels_offset(as_summer).local_minus_utc() == 2 * HOUR {
        as_summer
    } else {
        Utc.from_utc_datetime(&(local - Duration::hours(1)))
    }
}

/// The next midnight in Brussels after `utc`, with Brussels' offset at that midnight: when the
/// daily caps reset.
pub fn next_brussels_midnight(utc: DateTime<Utc>) -> DateTime<FixedOffset> {
    let tomorrow = brussels_day(utc)
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .and_time(chrono::NaiveTime::MIN);
    to_brussels(from_brussels(tomorrow))
}

/// A Brussels day as the store keys it, `YYYY-MM-DD`.
pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn finds_the_last_sundays_of_march_and_october() {
        assert_eq!(last_sunday(2025, 3), Some(date(2025, 3, 30)));
        assert_eq!(last_sunday(2025, 10), Some(date(2025, 10, 26)));
        assert_eq!(last_sunday(2026, 3), Some(date(2026, 3, 29)));
        assert_eq!(last_sunday(2026, 10), Some(date(2026, 10, 25)));
        // 2024-03-31 is itself a Sunday, the last day of the month.
        assert_eq!(last_sunday(2024, 3), Some(date(2024, 3, 31)));
        assert_eq!(last_sunday(2026, 12), Some(date(2026, 12, 27)));
        for year in 2020..2040 {
            for month in [3, 10] {
                let day = last_sunday(year, month).unwrap();
                assert_eq!(day.weekday(), Weekday::Sun);
                assert_eq!(day.month(), month);
                assert!(day.day() > 24);
            }
        }
    }

    #[test]
    fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
        let hours = |t| brussels_offset(t).local_minus_utc() / HOUR;
        assert_eq!(hours(utc(2026, 1, 15, 12, 0)), 1);
        assert_eq!(hours(utc(2026, 7, 15, 12, 0)), 2);
        assert_eq!(hours(utc(2026, 12, 31, 23, 59)), 1);
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(hours(utc(2026, 3, 29, 0, 59)), 1);
        assert_eq!(hours(utc(2026, 3, 29, 1, 0)), 2);
        assert_eq!(hours(utc(2026, 10, 25, 0, 59)), 2);
        assert_eq!(hours(utc(2026, 10, 25, 1, 0)), 1);
    }

    #[test]
    fn the_day_changes_at_brussels_midnight() {
        // Winter: 23:00 UTC is already the next day in Brussels.
        assert_eq!(brussels_day(utc(2026, 12, 3, 22, 59)), date(2026, 12, 3));
        assert_eq!(brussels_day(utc(2026, 12, 3, 23, 0)), date(2026, 12, 4));
        // Summer: 22:00 UTC.
        assert_eq!(brussels_day(utc(2026, 6, 30, 21, 59)), date(2026, 6, 30));
        assert_eq!(brussels_day(utc(2026, 6, 30, 22, 0)), date(2026, 7, 1));
        assert_eq!(day_key(date(2026, 7, 1)), "2026-07-01");
    }

    #[test]
    fn next_midnight_carries_the_offset_of_that_midnight() {
        let winter = next_brussels_midnight(utc(2026, 12, 3, 13, 29));
        assert_eq!(winter.to_rfc3339(), "2026-12-04T00:00:00+01:00");
        let late = next_brussels_midnight(utc(2026, 12, 3, 23, 30));
        assert_eq!(late.to_rfc3339(), "2026-12-05T00:00:00+01:00");
        let summer = next_brussels_midnight(utc(2026, 7, 1, 9, 0));
        assert_eq!(summer.to_rfc3339(), "2026-07-02T00:00:00+02:00");
        // The night summer time starts (29 March 2026, clocks 02:00 → 03:00).
        let spring = next_brussels_midnight(utc(2026, 3, 28, 12, 0));
        assert_eq!(spring.to_rfc3339(), "2026-03-29T00:00:00+01:00");
        let after_switch = next_brussels_midnight(utc(2026, 3, 29, 12, 0));
        assert_eq!(after_switch.to_rfc3339(), "2026-03-30T00:00:00+02:00");
        // The night it ends (25 October 2026, 03:00 → 02:00).
        let autumn = next_brussels_midnight(utc(2026, 10, 25, 12, 0));
        assert_eq!(autumn.to_rfc3339(), "2026-10-26T00:00:00+01:00");
        assert!(winter > utc(2026, 12, 3, 13, 29));
    }

    #[test]
    fn wall_clock_round_trips() {
        for t in [
            utc(2026, 1, 1, 0, 0),
            utc(2026, 3, 29, 1, 0),
            utc(2026, 8, 15, 10, 30),
            utc(2026, 10, 25, 0, 30),
        ] {
            assert_eq!(from_brussels(to_brussels(t).naive_local()), t);
        }
    }
}
