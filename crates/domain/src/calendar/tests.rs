//! Concrete cases: the acceptance case, DST, holidays, ranges over midnight, validation.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Oslo;

use super::*;

fn range(s: &str) -> WorkingRange {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Oslo wall-clock time (unambiguous) as an instant.
fn oslo(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Oslo.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Mon–Fri 08:00–16:00 Europe/Oslo.
fn office(holidays: &[&str]) -> Calendar {
    let holidays = holidays.iter().map(|h| h.parse().unwrap());
    Calendar::new(
        "Europe/Oslo",
        WeekHours::weekdays(&[range("08:00-16:00")]),
        holidays,
    )
    .unwrap()
}

// --- the acceptance case: 2 business hours, ticket created Friday 15:30 ---

#[test]
fn friday_afternoon_plus_two_hours_is_monday_0930() {
    let cal = office(&[]);
    let created = oslo(2026, 1, 9, 15, 30);
    let due = cal.add_business_minutes(created, 120).unwrap();
    assert_eq!(due, oslo(2026, 1, 12, 9, 30));
    // Not earlier: one minute before, only 119 minutes have passed.
    assert_eq!(
        cal.business_minutes_between(created, due - TimeDelta::minutes(1))
            .unwrap(),
        119
    );
    assert_eq!(cal.business_minutes_between(created, due).unwrap(), 120);
}

#[test]
fn holiday_monday_moves_the_deadline_to_tuesday() {
    // Whit Monday 2026-05-25 as a one-off holiday.
    let cal = office(&["2026-05-25"]);
    let due = cal
        .add_business_minutes(oslo(2026, 5, 22, 15, 30), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 5, 26, 9, 30));
}

#[test]
fn easter_holidays_on_both_sides_of_the_weekend() {
    // Created Maundy Thursday 15:30; Good Friday and Easter Monday off.
    let cal = office(&["2026-04-03", "2026-04-06"]);
    let due = cal
        .add_business_minutes(oslo(2026, 4, 2, 15, 30), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 4, 7, 9, 30));
}

#[test]
fn autumn_dst_weekend_keeps_wall_clock_hours() {
    // Clocks go back on Sunday 2026-10-25: Monday 09:30 is CET (UTC+1).
    let cal = office(&[]);
    let due = cal
        .add_business_minutes(oslo(2026, 10, 23, 15, 30), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 10, 26, 9, 30));
    assert_eq!(due, utc(2026, 10, 26, 8, 30));
}

#[test]
fn spring_dst_weekend_keeps_wall_clock_hours() {
    // Clocks go forward on Sunday 2026-03-29: Monday 09:30 is CEST (UTC+2).
    let cal = office(&[]);
    let due = cal
        .add_business_minutes(oslo(2026, 3, 27, 15, 30), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 3, 30, 9, 30));
    assert_eq!(due, utc(2026, 3, 30, 7, 30));
}

#[test]
fn dst_weekend_with_a_holiday_monday() {
    let cal = office(&["2026-10-26"]);
    let due = cal
        .add_business_minutes(oslo(2026, 10, 23, 15, 30), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 10, 27, 9, 30));
}

// --- DST inside working hours ---

#[test]
fn a_full_day_lasts_25_or_23_hours_on_dst_sundays() {
    let cal = Calendar::new(
        "Europe/Oslo",
        WeekHours::every_day(&[WorkingRange::FULL_DAY]),
        [],
    )
    .unwrap();
    let autumn = cal.business_time_between(oslo(2026, 10, 25, 0, 0), oslo(2026, 10, 26, 0, 0));
    assert_eq!(autumn.unwrap(), TimeDelta::hours(25));
    let spring = cal.business_time_between(oslo(2026, 3, 29, 0, 0), oslo(2026, 3, 30, 0, 0));
    assert_eq!(spring.unwrap(), TimeDelta::hours(23));
    // Round the clock, business time is real time.
    let start = oslo(2026, 10, 24, 12, 0);
    assert_eq!(
        cal.add_business_minutes(start, 3000).unwrap(),
        start + TimeDelta::minutes(3000)
    );
}

#[test]
fn skipped_hour_is_not_worked_and_repeated_hour_starts_at_first_occurrence() {
    let week = WeekHours {
        sun: vec![range("01:00-04:00")],
        ..WeekHours::default()
    };
    let cal = Calendar::new("Europe/Oslo", week, []).unwrap();
    let day = |d| cal.business_time_between(oslo(2026, 3, d, 0, 0), oslo(2026, 3, d, 5, 0));
    assert_eq!(
        day(29).unwrap(),
        TimeDelta::hours(2),
        "02:00-03:00 does not exist"
    );
    assert_eq!(day(22).unwrap(), TimeDelta::hours(3));

    let week = WeekHours {
        sun: vec![range("02:30-04:00")],
        ..WeekHours::default()
    };
    let cal = Calendar::new("Europe/Oslo", week, []).unwrap();
    // 2026-10-25: 02:30 first occurs at 00:30 UTC; 04:00 CET is 03:00 UTC.
    assert!(cal.is_working_time(utc(2026, 10, 25, 0, 30)));
    assert!(!cal.is_working_time(utc(2026, 10, 25, 0, 29)));
    let whole = cal.business_time_between(utc(2026, 10, 24, 0, 0), utc(2026, 10, 26, 0, 0));
    assert_eq!(whole.unwrap(), TimeDelta::minutes(150));
}

#[test]
fn a_range_inside_the_skipped_hour_vanishes() {
    let week = WeekHours {
        sun: vec![range("02:10-02:50")],
        mon: vec![range("08:00-09:00")],
        ..WeekHours::default()
    };
    let cal = Calendar::new("Europe/Oslo", week, []).unwrap();
    let start = oslo(2026, 3, 28, 12, 0);
    assert_eq!(
        cal.next_working_time(start).unwrap(),
        oslo(2026, 3, 30, 8, 0)
    );
}

// --- ranges over midnight ---

fn night_shift(holidays: &[&str]) -> Calendar {
    let holidays = holidays.iter().map(|h| h.parse().unwrap());
    Calendar::new(
        "Europe/Oslo",
        WeekHours::weekdays(&[range("22:00-06:00")]),
        holidays,
    )
    .unwrap()
}

#[test]
fn a_range_over_midnight_runs_into_the_next_day() {
    let cal = night_shift(&[]);
    // Monday 21:00 + 60 minutes → Monday 23:00.
    assert_eq!(
        cal.add_business_minutes(oslo(2026, 1, 5, 21, 0), 60)
            .unwrap(),
        oslo(2026, 1, 5, 23, 0)
    );
    // Friday 05:00 is Thursday's shift: one hour left, then Friday 22:00.
    let due = cal
        .add_business_minutes(oslo(2026, 1, 9, 5, 0), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 1, 9, 23, 0));
    // Saturday 05:00 is still Friday's shift; Sunday 03:00 is nobody's.
    assert!(cal.is_working_time(oslo(2026, 1, 10, 5, 59)));
    assert!(!cal.is_working_time(oslo(2026, 1, 10, 6, 0)));
    assert!(!cal.is_working_time(oslo(2026, 1, 11, 3, 0)));
    assert!(cal.is_working_time(oslo(2026, 1, 13, 0, 0)));
}

#[test]
fn a_range_over_midnight_belongs_to_the_day_it_starts() {
    // Tuesday is a holiday: Monday night is worked into Tuesday, Tuesday night is not.
    let cal = night_shift(&["2026-01-06"]);
    assert!(cal.is_working_time(oslo(2026, 1, 6, 5, 0)));
    assert!(!cal.is_working_time(oslo(2026, 1, 6, 23, 0)));
    assert!(!cal.is_working_time(oslo(2026, 1, 7, 5, 0)));
    assert_eq!(
        cal.next_working_time(oslo(2026, 1, 6, 6, 0)).unwrap(),
        oslo(2026, 1, 7, 22, 0)
    );
}

#[test]
fn night_shift_over_the_autumn_dst_change_lasts_nine_hours() {
    // Saturday 22:00 to Sunday 06:00 with the clocks going back at 03:00 in between.
    let week = WeekHours {
        sat: vec![range("22:00-06:00")],
        ..WeekHours::default()
    };
    let cal = Calendar::new("Europe/Oslo", week, []).unwrap();
    let start = oslo(2026, 10, 24, 12, 0);
    let worked = cal
        .business_time_between(start, start + TimeDelta::days(2))
        .unwrap();
    assert_eq!(worked, TimeDelta::hours(9));
}

#[test]
fn touching_ranges_form_one_stretch() {
    let week = WeekHours::weekdays(&[range("08:00-12:00"), range("12:00-16:00")]);
    let cal = Calendar::new("UTC", week, []).unwrap();
    assert!(cal.is_working_time(utc(2026, 1, 5, 12, 0)));
    assert_eq!(
        cal.add_business_minutes(utc(2026, 1, 5, 11, 0), 120)
            .unwrap(),
        utc(2026, 1, 5, 13, 0)
    );
}

// --- holidays, years, long spans, termination ---

#[test]
fn yearly_holidays_across_the_year_boundary() {
    let cal = office(&["12-25", "12-26", "01-01"]);
    let due = cal
        .add_business_minutes(oslo(2025, 12, 31, 15, 0), 120)
        .unwrap();
    assert_eq!(due, oslo(2026, 1, 2, 9, 0));
    assert!(cal.is_holiday(date(2030, 12, 25)));
    assert!(!cal.is_holiday(date(2030, 12, 27)));
}

#[test]
fn leap_day_holiday_only_in_leap_years() {
    let h: Holiday = "02-29".parse().unwrap();
    assert!(h.matches(date(2028, 2, 29)));
    assert!(!h.matches(date(2027, 2, 28)));
    assert!(!h.matches(date(2027, 3, 1)));
}

#[test]
fn ten_thousand_minutes_step_by_range() {
    let cal = office(&[]);
    let start = oslo(2026, 1, 5, 8, 0);
    // 10,000 = 20 days of 480 minutes (four weeks) + 400 minutes.
    let due = cal.add_business_minutes(start, 10_000).unwrap();
    assert_eq!(due, oslo(2026, 2, 2, 14, 40));
    assert_eq!(cal.business_minutes_between(start, due).unwrap(), 10_000);
}

#[test]
fn a_calendar_without_work_for_over_400_days_fails_instead_of_looping() {
    // Only Mondays, and every Monday of 2026 and 2027 a holiday.
    let week = WeekHours {
        mon: vec![range("08:00-16:00")],
        ..WeekHours::default()
    };
    let mondays = (0..110).map(|w| Holiday::once(date(2026, 1, 5) + TimeDelta::weeks(w)));
    let cal = Calendar::new("Europe/Oslo", week, mondays).unwrap();
    let start = utc(2026, 1, 1, 0, 0);
    assert!(matches!(
        cal.add_business_minutes(start, 60),
        Err(CalendarError::NoWorkingTime {
            days: MAX_IDLE_DAYS,
            ..
        })
    ));
    assert!(matches!(
        cal.next_working_time(start),
        Err(CalendarError::NoWorkingTime { .. })
    ));
    // Bounded questions still have answers.
    assert!(!cal.is_working_time(start));
    assert_eq!(
        cal.business_minutes_between(start, utc(2027, 12, 31, 0, 0))
            .unwrap(),
        0
    );
    // And after the holidays end, work resumes.
    let later = utc(2028, 2, 1, 0, 0);
    assert_eq!(
        cal.next_working_time(later).unwrap(),
        oslo(2028, 2, 14, 8, 0)
    );
}

#[test]
fn spans_beyond_the_scan_horizon_are_rejected() {
    let cal = office(&[]);
    let start = utc(2026, 1, 1, 0, 0);
    assert_eq!(
        cal.add_business_minutes(start, i64::MAX),
        Err(CalendarError::OutOfRange)
    );
    let far = start + TimeDelta::days(i64::from(MAX_SCAN_DAYS) + 10);
    assert_eq!(
        cal.business_time_between(start, far),
        Err(CalendarError::OutOfRange)
    );
}

// --- small API cases ---

#[test]
fn zero_negative_and_reversed_amounts() {
    let cal = office(&[]);
    let sat = oslo(2026, 1, 10, 12, 0);
    assert_eq!(cal.add_business_minutes(sat, 0).unwrap(), sat);
    assert_eq!(
        cal.add_business_minutes(sat, -1),
        Err(CalendarError::NegativeDuration)
    );
    let (a, b) = (oslo(2026, 1, 9, 15, 0), oslo(2026, 1, 12, 9, 0));
    assert_eq!(cal.business_minutes_between(a, b).unwrap(), 120);
    assert_eq!(cal.business_minutes_between(b, a).unwrap(), -120);
}

#[test]
fn next_working_time_and_boundaries() {
    let cal = office(&[]);
    assert_eq!(
        cal.next_working_time(oslo(2026, 1, 10, 12, 0)).unwrap(),
        oslo(2026, 1, 12, 8, 0)
    );
    let inside = oslo(2026, 1, 12, 10, 17);
    assert_eq!(cal.next_working_time(inside).unwrap(), inside);
    assert!(
        cal.is_working_time(oslo(2026, 1, 12, 8, 0)),
        "a range's start is working time"
    );
    assert!(
        !cal.is_working_time(oslo(2026, 1, 12, 16, 0)),
        "its end is not"
    );
    // Used up exactly at 16:00: the deadline is 16:00, not the next morning.
    assert_eq!(
        cal.add_business_minutes(oslo(2026, 1, 9, 15, 0), 60)
            .unwrap(),
        oslo(2026, 1, 9, 16, 0)
    );
}

// --- validation and serialisation ---

#[test]
fn ranges_parse_and_print() {
    assert_eq!(range("22:00-06:00").to_string(), "22:00-06:00");
    assert!(range("22:00-06:00").crosses_midnight());
    assert_eq!(range("22:00-06:00").minutes(), 480);
    assert_eq!(range("16:00-24:00").to_string(), "16:00-24:00");
    assert_eq!(range("16:00-00:00"), range("16:00-24:00"));
    assert_eq!(range(" 8:30-9:45"), WorkingRange::hm(8, 30, 9, 45).unwrap());
    for bad in [
        "08:00-08:00",
        "00:00-00:00",
        "24:00-08:00",
        "25:00-26:00",
        "8-16",
        "08:60-09:00",
        "0800-1600",
        "08:00",
    ] {
        assert!(bad.parse::<WorkingRange>().is_err(), "{bad}");
    }
}

#[test]
fn holidays_parse_and_print() {
    assert_eq!(
        "12-25".parse::<Holiday>().unwrap(),
        Holiday::yearly(12, 25).unwrap()
    );
    assert_eq!(
        "2026-04-03".parse::<Holiday>().unwrap().to_string(),
        "2026-04-03"
    );
    for bad in [
        "02-30",
        "13-01",
        "2026-13-01",
        "2026-02-29",
        "12/25",
        "1-1",
        "christmas",
    ] {
        assert!(bad.parse::<Holiday>().is_err(), "{bad}");
    }
}

#[test]
fn overlapping_ranges_are_rejected() {
    let overlap = |week| {
        matches!(
            Calendar::new("UTC", week, []),
            Err(CalendarError::OverlappingRanges { .. })
        )
    };
    assert!(overlap(WeekHours::weekdays(&[
        range("08:00-12:00"),
        range("11:00-16:00")
    ])));
    assert!(overlap(WeekHours::weekdays(&[
        range("20:00-02:00"),
        range("21:00-22:00")
    ])));
    // Sunday night spills into Monday morning.
    let mut week = WeekHours::weekdays(&[range("05:00-12:00")]);
    week.sun = vec![range("22:00-06:00")];
    assert!(overlap(week.clone()));
    week.sun = vec![range("22:00-05:00")];
    assert!(Calendar::new("UTC", week, []).is_ok(), "touching is fine");
}

#[test]
fn calendars_without_working_time_are_rejected() {
    assert_eq!(
        Calendar::new("UTC", WeekHours::default(), []),
        Err(CalendarError::NoWorkingHours)
    );
    let every_date =
        (1..=12).flat_map(|m| (1..=31).filter_map(move |d| Holiday::yearly(m, d).ok()));
    let week = WeekHours::every_day(&[WorkingRange::FULL_DAY]);
    assert_eq!(
        Calendar::new("UTC", week, every_date),
        Err(CalendarError::NoWorkingHours)
    );
}

#[test]
fn unknown_time_zones_are_rejected() {
    let week = WeekHours::weekdays(&[range("08:00-16:00")]);
    assert_eq!(
        Calendar::new("Europe/Atlantis", week, []),
        Err(CalendarError::UnknownTimeZone("Europe/Atlantis".into()))
    );
}

#[test]
fn calendar_round_trips_through_json() {
    let cal = office(&["12-25", "2026-04-03"]);
    let json = serde_json::to_string(&cal).unwrap();
    assert!(json.contains(r#""time_zone":"Europe/Oslo""#), "{json}");
    assert!(json.contains(r#""mon":["08:00-16:00"]"#), "{json}");
    assert!(
        json.contains(r#""holidays":["12-25","2026-04-03"]"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cal);

    let stored = r#"{"time_zone":"UTC","working_hours":{"sat":["22:00-02:00"]}}"#;
    let cal: Calendar = serde_json::from_str(stored).unwrap();
    assert_eq!(cal.ranges_of(chrono::Weekday::Sat), &[range("22:00-02:00")]);

    for bad in [
        r#"{"time_zone":"Mars/Olympus","working_hours":{"mon":["08:00-16:00"]}}"#,
        r#"{"time_zone":"UTC","working_hours":{"mon":["08:00-16:00","15:00-17:00"]}}"#,
        r#"{"time_zone":"UTC","working_hours":{}}"#,
        r#"{"time_zone":"UTC","working_hours":{"mon":["8-16"]}}"#,
        r#"{"time_zone":"UTC","working_hours":{"monday":["08:00-16:00"]}}"#,
        r#"{"time_zone":"UTC","working_hours":{"mon":["08:00-16:00"]},"holidays":["02-30"]}"#,
    ] {
        assert!(serde_json::from_str::<Calendar>(bad).is_err(), "{bad}");
    }
}

#[test]
fn twenty_four_seven_counts_real_time() {
    let cal = Calendar::twenty_four_seven();
    let t = utc(2026, 12, 31, 23, 59);
    assert!(cal.is_working_time(t));
    assert_eq!(
        cal.add_business_minutes(t, 10_000).unwrap(),
        t + TimeDelta::minutes(10_000)
    );
    assert_eq!(
        cal.business_minutes_between(t, t + TimeDelta::days(3))
            .unwrap(),
        3 * 1440
    );
}
