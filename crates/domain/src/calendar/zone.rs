//! Turning wall-clock times of a calendar's zone into instants, across DST changes.

use chrono::{DateTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant at which the wall clock of `tz` shows `local`, resolved the same way for every
/// working-range boundary:
///
/// - **Ambiguous** (the repeated hour when clocks go back): the *earlier* instant, i.e. the
///   first time the clock shows it.
/// - **Non-existent** (the skipped hour when clocks go forward): the first instant whose wall
///   clock is at or after `local`, i.e. the moment of the jump. Working time inside the gap
///   therefore simply does not exist.
///
/// The mapping never decreases as `local` increases, so ranges that do not overlap on the wall
/// clock never overlap as instants (they may touch, or shrink to nothing inside a gap).
/// `None` only at the ends of the representable range of dates.
pub(crate) fn resolve(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local).earliest() {
        Some(dt) => Some(dt.with_timezone(&Utc)),
        None => gap_end(tz, local),
    }
}

/// The wall-clock reading of `tz` at `instant`, as a naive date-time.
fn wall(tz: Tz, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&instant.naive_utc()).fix();
    instant
        .naive_utc()
        .checked_add_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))
}

/// The first instant at which the wall clock shows `local` or later, for a `local` that falls
/// into a gap. Offsets stay within ±16 hours (even historical local mean times), so the answer
/// lies within 30 hours of `local` read as UTC; a binary search over seconds finds it.
fn gap_end(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const WINDOW: i64 = 30 * 3600;
    let base = local.and_utc().timestamp();
    let mut lo = base - WINDOW; // the wall clock is before `local` here
    let mut hi = base + WINDOW; // and after it here
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if wall(tz, DateTime::from_timestamp(mid, 0)?)? >= local {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::from_timestamp(hi, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        local(y, mo, d, h, mi).and_utc()
    }

    #[test]
    fn skipped_time_maps_to_the_moment_of_the_jump() {
        // Oslo, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        let oslo = chrono_tz::Europe::Oslo;
        assert_eq!(
            resolve(oslo, local(2026, 3, 29, 2, 0)),
            Some(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            resolve(oslo, local(2026, 3, 29, 2, 30)),
            Some(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            resolve(oslo, local(2026, 3, 29, 3, 0)),
            Some(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            resolve(oslo, local(2026, 3, 29, 1, 59)),
            Some(utc(2026, 3, 29, 0, 59))
        );
    }

    #[test]
    fn repeated_time_maps_to_its_first_occurrence() {
        // Oslo, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        let oslo = chrono_tz::Europe::Oslo;
        assert_eq!(
            resolve(oslo, local(2026, 10, 25, 2, 30)),
            Some(utc(2026, 10, 25, 0, 30))
        );
        assert_eq!(
            resolve(oslo, local(2026, 10, 25, 3, 0)),
            Some(utc(2026, 10, 25, 2, 0))
        );
    }

    #[test]
    fn a_skipped_whole_day_maps_to_the_next_day() {
        // Samoa skipped 2011-12-30 entirely.
        let apia = chrono_tz::Pacific::Apia;
        let got = resolve(apia, local(2011, 12, 30, 12, 0)).unwrap();
        assert_eq!(got, resolve(apia, local(2011, 12, 31, 0, 0)).unwrap());
    }
}
