//! Property tests on random calendars: random zones (with and without DST, odd offsets), random
//! ranges per day including ranges over midnight, random yearly and one-off holidays.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use proptest::prelude::*;

use super::*;

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Oslo",
    "Europe/Amsterdam",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/St_Johns",
    "Australia/Lord_Howe", // DST of 30 minutes
    "Asia/Kolkata",
    "Asia/Tehran",
    "Pacific/Chatham", // +12:45 / +13:45
    "Pacific/Apia",
];

/// Zones with one fixed offset over the tested years, where a brute-force check is simple.
const FIXED_ZONES: &[&str] = &["UTC", "Asia/Kolkata"];

type DayCuts = (BTreeSet<u16>, u16);

/// Per day: sorted cut points paired into ranges; an odd last point (before 24:00) starts a
/// range over midnight whose end is picked from `frac` to stop before the next day's first
/// point (and before its own start).
fn build_week(days: &[DayCuts; 7]) -> WeekHours {
    let mut week = WeekHours::default();
    for (i, day) in hours::ALL_DAYS.into_iter().enumerate() {
        let (cuts, frac) = &days[i];
        let cuts: Vec<u16> = cuts.iter().copied().collect();
        let ranges = week.day_mut(day);
        for pair in cuts.chunks_exact(2) {
            ranges.push(WorkingRange::from_minutes(pair[0], pair[1]).unwrap());
        }
        if cuts.len() % 2 == 1 {
            let start = cuts[cuts.len() - 1];
            let next_first = days[(i + 1) % 7]
                .0
                .first()
                .copied()
                .unwrap_or(hours::DAY_MINUTES);
            let limit = next_first.min(start.saturating_sub(1));
            if start < hours::DAY_MINUTES && limit >= 1 {
                ranges.push(WorkingRange::from_minutes(start, 1 + frac % limit).unwrap());
            }
        }
    }
    if week.is_empty() {
        week.mon = vec!["09:00-17:00".parse().unwrap()];
    }
    week
}

/// A random valid calendar in a random zone.
pub(crate) fn calendar() -> impl Strategy<Value = Calendar> {
    let day = (
        prop::collection::btree_set(0u16..=1440, 0..=5),
        any::<u16>(),
    );
    calendar_in(prop::sample::select(ZONES), day)
}

fn fixed_offset_calendar() -> impl Strategy<Value = Calendar> {
    let day = (
        prop::collection::btree_set(0u16..=1440, 0..=5),
        any::<u16>(),
    );
    calendar_in(prop::sample::select(FIXED_ZONES), day)
}

fn calendar_in(
    zone: impl Strategy<Value = &'static str>,
    day: impl Strategy<Value = DayCuts> + Clone,
) -> impl Strategy<Value = Calendar> {
    let yearly = prop::collection::vec((1u32..=12, 1u32..=28), 0..4);
    let once = prop::collection::vec(0i64..5 * 366, 0..12);
    (zone, prop::array::uniform7(day), yearly, once).prop_map(|(zone, days, yearly, once)| {
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let holidays = yearly
            .into_iter()
            .map(|(m, d)| Holiday::yearly(m, d).unwrap())
            .chain(
                once.into_iter()
                    .map(|o| Holiday::once(base + TimeDelta::days(o))),
            );
        Calendar::new(zone, build_week(&days), holidays).expect("a valid random calendar")
    })
}

/// An instant in 2024–2028, to the second.
pub(crate) fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..5 * 365 * 86_400)
        .prop_map(|s| DateTime::UNIX_EPOCH + TimeDelta::seconds(1_704_067_200 + s))
}

/// Working minutes per week, holidays and DST aside.
fn weekly_minutes(cal: &Calendar) -> i64 {
    hours::ALL_DAYS
        .into_iter()
        .flat_map(|d| cal.ranges_of(d).iter().map(|r| i64::from(r.minutes())))
        .sum()
}

/// Scales a raw number to at most ~8 weeks of the calendar's work (and 20,000 minutes).
pub(crate) fn scale(cal: &Calendar, raw: u32) -> i64 {
    let cap = (weekly_minutes(cal) * 8).min(20_000);
    i64::from(raw) % (cap + 1)
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

/// Brute force for fixed-offset zones: is the minute starting at `u` working time?
fn oracle_working(cal: &Calendar, u: DateTime<Utc>) -> bool {
    let local = u.with_timezone(&cal.time_zone()).naive_local();
    let (today, tod) = (
        local.date(),
        (local.time().hour() * 60 + local.time().minute()) as u16,
    );
    let on_today = cal
        .ranges_on(today)
        .iter()
        .any(|r| r.start_minute() <= tod && tod < r.same_day_end());
    let yesterday = today.pred_opt().unwrap();
    let from_yesterday = cal
        .ranges_on(yesterday)
        .iter()
        .any(|r| r.crosses_midnight() && tod < r.end_minute());
    on_today || from_yesterday
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn adding_then_measuring_round_trips(cal in calendar(), t in instant(), raw in any::<u32>()) {
        let m = scale(&cal, raw);
        let end = cal.add_business_minutes(t, m).unwrap();
        prop_assert_eq!(cal.business_time_between(t, end).unwrap(), minutes(m));
        prop_assert_eq!(cal.business_minutes_between(t, end).unwrap(), m);
        prop_assert_eq!(cal.business_minutes_between(end, t).unwrap(), -m);
    }

    #[test]
    fn adding_is_additive(cal in calendar(), t in instant(), a in any::<u32>(), b in any::<u32>()) {
        let (a, b) = (scale(&cal, a) / 2, scale(&cal, b) / 2);
        let stepwise = cal.add_business_minutes(cal.add_business_minutes(t, a).unwrap(), b).unwrap();
        prop_assert_eq!(stepwise, cal.add_business_minutes(t, a + b).unwrap());
    }

    #[test]
    fn adding_is_monotone(
        cal in calendar(), t in instant(), later in 0i64..14 * 86_400, a in any::<u32>(), b in any::<u32>()
    ) {
        let (a, b) = (scale(&cal, a), scale(&cal, b));
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(cal.add_business_minutes(t, lo).unwrap() <= cal.add_business_minutes(t, hi).unwrap());
        let t2 = t + TimeDelta::seconds(later);
        prop_assert!(cal.add_business_minutes(t, a).unwrap() <= cal.add_business_minutes(t2, a).unwrap());
        if lo < hi {
            prop_assert!(cal.add_business_minutes(t, lo).unwrap() < cal.add_business_minutes(t, hi).unwrap());
        }
    }

    #[test]
    fn results_fall_on_working_time(cal in calendar(), t in instant(), raw in any::<u32>()) {
        let m = scale(&cal, raw).max(1);
        let end = cal.add_business_minutes(t, m).unwrap();
        prop_assert!(end > t);
        // Inside a range, or exactly at its end.
        let just_before = end - TimeDelta::nanoseconds(1);
        prop_assert!(cal.is_working_time(end) || cal.is_working_time(just_before));
        prop_assert!(cal.is_working_time(just_before), "the last instant counted is working time");
        let next = cal.next_working_time(t).unwrap();
        prop_assert!(next >= t && next < end);
        prop_assert!(cal.is_working_time(next));
        prop_assert_eq!(cal.business_time_between(t, next).unwrap(), TimeDelta::zero());
    }

    #[test]
    fn measuring_is_additive(cal in calendar(), t in instant(), x in 0i64..20 * 86_400, y in 0i64..20 * 86_400) {
        let b = t + TimeDelta::seconds(x);
        let c = b + TimeDelta::seconds(y);
        let ab = cal.business_time_between(t, b).unwrap();
        let bc = cal.business_time_between(b, c).unwrap();
        let ac = cal.business_time_between(t, c).unwrap();
        prop_assert_eq!(ab + bc, ac);
        prop_assert!(ab >= TimeDelta::zero() && ab <= TimeDelta::seconds(x));
    }

    #[test]
    fn matches_a_minute_by_minute_count_without_dst(
        cal in fixed_offset_calendar(), t in instant(), span in 0i64..3 * 1440
    ) {
        let t = t.with_second(0).unwrap();
        let counted = (0..span)
            .filter(|i| oracle_working(&cal, t + TimeDelta::minutes(*i)))
            .count() as i64;
        prop_assert_eq!(cal.business_minutes_between(t, t + TimeDelta::minutes(span)).unwrap(), counted);
        prop_assert_eq!(cal.is_working_time(t), oracle_working(&cal, t));
    }

    #[test]
    fn calendars_round_trip_through_json(cal in calendar()) {
        let json = serde_json::to_string(&cal).unwrap();
        prop_assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cal);
    }

    #[test]
    fn office_hours_deadlines_are_office_hours_in_oslo(t in instant(), m in 1i64..20_000) {
        let week = WeekHours::weekdays(&["08:00-16:00".parse().unwrap()]);
        let cal = Calendar::new("Europe/Oslo", week, []).unwrap();
        let local = cal.add_business_minutes(t, m).unwrap().with_timezone(&cal.time_zone());
        prop_assert!(local.weekday().num_days_from_monday() < 5);
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let four = NaiveTime::from_hms_opt(16, 0, 0).unwrap();
        prop_assert!(local.time() > eight && local.time() <= four, "{}", local);
    }
}
