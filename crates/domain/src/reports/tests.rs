use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
use crate::ticket::StateType;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const OSLO: Tz = chrono_tz::Europe::Oslo;

#[test]
fn days_follow_the_wall_clock_across_the_autumn_change() {
    let days = buckets(
        date(2026, 10, 24),
        date(2026, 10, 26),
        OSLO,
        Granularity::Day,
    )
    .unwrap();
    assert_eq!(days.len(), 3);
    assert_eq!(days[0].start, utc(2026, 10, 23, 22, 0));
    assert_eq!(days[1].start, utc(2026, 10, 24, 22, 0));
    // 25 October has 25 hours in Oslo.
    assert_eq!(days[1].end - days[1].start, TimeDelta::hours(25));
    assert_eq!(days[2].start, utc(2026, 10, 25, 23, 0));
    assert_eq!(days[2].label, "2026-10-26");
}

#[test]
fn hours_are_real_hours_labelled_with_their_offset() {
    let hours = buckets(
        date(2026, 3, 29),
        date(2026, 3, 29),
        OSLO,
        Granularity::Hour,
    )
    .unwrap();
    assert_eq!(hours.len(), 23);
    assert_eq!(hours[0].label, "2026-03-29T00:00+01:00");
    assert_eq!(hours[2].label, "2026-03-29T03:00+02:00");
    let autumn = buckets(
        date(2026, 10, 25),
        date(2026, 10, 25),
        OSLO,
        Granularity::Hour,
    )
    .unwrap();
    assert_eq!(autumn.len(), 25);
    assert_eq!(autumn[2].label, "2026-10-25T02:00+02:00");
    assert_eq!(autumn[3].label, "2026-10-25T02:00+01:00");
}

#[test]
fn weeks_and_months_widen_to_whole_periods() {
    let weeks = buckets(
        date(2026, 11, 4),
        date(2026, 11, 10),
        OSLO,
        Granularity::Week,
    )
    .unwrap();
    assert_eq!(weeks.len(), 2);
    assert_eq!(weeks[0].label, "2026-W45");
    assert_eq!(weeks[0].start, utc(2026, 11, 1, 23, 0));
    assert_eq!(weeks[1].end, utc(2026, 11, 15, 23, 0));
    let months = buckets(
        date(2026, 2, 10),
        date(2026, 4, 1),
        Tz::UTC,
        Granularity::Month,
    )
    .unwrap();
    let labels: Vec<&str> = months.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["2026-02", "2026-03", "2026-04"]);
    assert_eq!(months[2].end, utc(2026, 5, 1, 0, 0));
}

#[test]
fn bad_periods_are_refused() {
    assert_eq!(
        buckets(date(2026, 2, 10), date(2026, 2, 9), OSLO, Granularity::Day),
        Err(PeriodError::Reversed)
    );
    assert!(matches!(
        buckets(date(2020, 1, 1), date(2026, 1, 1), OSLO, Granularity::Day),
        Err(PeriodError::TooManyBuckets(_))
    ));
}

#[test]
fn bucket_of_finds_the_half_open_bucket() {
    let days = buckets(
        date(2026, 11, 1),
        date(2026, 11, 3),
        Tz::UTC,
        Granularity::Day,
    )
    .unwrap();
    assert_eq!(bucket_of(&days, utc(2026, 11, 1, 0, 0)), Some(0));
    assert_eq!(bucket_of(&days, utc(2026, 11, 2, 0, 0)), Some(1));
    assert_eq!(bucket_of(&days, utc(2026, 11, 3, 23, 59)), Some(2));
    assert_eq!(bucket_of(&days, utc(2026, 11, 4, 0, 0)), None);
    assert_eq!(bucket_of(&days, utc(2026, 10, 31, 23, 59)), None);
}

#[test]
fn lifecycle_reads_closings_reopenings_and_states() {
    let life = Lifecycle::new(
        utc(2026, 11, 1, 9, 0),
        [
            (utc(2026, 11, 1, 9, 0), "new"),
            (utc(2026, 11, 2, 9, 0), "closed"),
            (utc(2026, 11, 3, 9, 0), "open"),
            (utc(2026, 11, 4, 9, 0), "closed"),
            (utc(2026, 11, 5, 9, 0), "merged"),
        ],
    );
    let closings: Vec<_> = life.closings().collect();
    assert_eq!(closings, [utc(2026, 11, 2, 9, 0), utc(2026, 11, 4, 9, 0)]);
    let reopenings: Vec<_> = life.reopenings().collect();
    assert_eq!(reopenings, [utc(2026, 11, 3, 9, 0)]);
    assert_eq!(life.state_before(utc(2026, 11, 1, 9, 0)), None);
    assert_eq!(
        life.state_before(utc(2026, 11, 2, 9, 0)),
        Some(StateType::New)
    );
    assert_eq!(
        life.state_before(utc(2026, 11, 2, 9, 1)),
        Some(StateType::Closed)
    );
    assert_eq!(
        life.state_before(utc(2026, 12, 1, 0, 0)),
        Some(StateType::Merged)
    );
}

#[test]
fn a_ticket_without_a_log_is_new_since_creation() {
    let life = Lifecycle::new(utc(2026, 11, 1, 9, 0), Vec::<(DateTime<Utc>, &str)>::new());
    assert_eq!(
        life.state_before(utc(2026, 11, 2, 0, 0)),
        Some(StateType::New)
    );
    assert_eq!(life.closings().count(), 0);
}

#[test]
fn summaries_use_the_middle_nearest_rank_and_mean() {
    let minutes = |m: &[i64]| m.iter().map(|m| TimeDelta::minutes(*m)).collect::<Vec<_>>();
    let s = Summary::of(&minutes(&[30, 10, 20, 40]));
    assert_eq!(s.count, 4);
    assert_eq!(s.median_minutes, Some(25.0));
    assert_eq!(s.p90_minutes, Some(40.0));
    assert_eq!(s.mean_minutes, Some(25.0));
    let ten = Summary::of(&minutes(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 100]));
    assert_eq!(ten.p90_minutes, Some(9.0));
    assert_eq!(ten.median_minutes, Some(5.5));
    assert_eq!(ten.mean_minutes, Some(14.5));
    assert_eq!(Summary::of(&[]).median_minutes, None);
    assert_eq!(
        Summary::of(&[TimeDelta::seconds(100)]).mean_minutes,
        Some(1.7)
    );
    assert_eq!(percent(2, 3), Some(66.7));
    assert_eq!(percent(0, 0), None);
}

#[test]
fn ages_fall_into_their_buckets() {
    assert_eq!(age_bucket(TimeDelta::hours(23)), "under_1d");
    assert_eq!(age_bucket(TimeDelta::days(1)), "1d_7d");
    assert_eq!(age_bucket(TimeDelta::days(29)), "7d_30d");
    assert_eq!(age_bucket(TimeDelta::days(30)), "over_30d");
}
