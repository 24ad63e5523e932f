//! A report's period cut into buckets of an hour, a day, a week or a month on the wall clock
//! of a time zone, DST-correct.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::calendar::zone::resolve;

/// The most buckets one report may have (an hourly report over about 80 days).
pub const MAX_BUCKETS: usize = 2_000;

/// How long a bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// A real hour (23 or 25 in a day when clocks change).
    Hour,
    /// A calendar day, midnight to midnight in the zone.
    Day,
    /// An ISO week, Monday to Monday.
    Week,
    /// A calendar month.
    Month,
}

impl Granularity {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// Parses the wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "hour" => Some(Self::Hour),
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            _ => None,
        }
    }
}

/// One bucket `[start, end)` and how people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// First instant (inclusive).
    pub start: DateTime<Utc>,
    /// End (exclusive): the next bucket's start.
    pub end: DateTime<Utc>,
    /// `2026-10-25T02:00+02:00` (hour), `2026-10-25` (day), `2026-W43` (week), `2026-10` (month).
    pub label: String,
}

/// Why a period cannot be cut.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// `to` lies before `from`.
    #[error("the period ends before it starts")]
    Reversed,
    /// More than [`MAX_BUCKETS`] buckets.
    #[error("the period has {0} buckets; at most {MAX_BUCKETS} are allowed")]
    TooManyBuckets(usize),
    /// A date the time zone arithmetic cannot represent.
    #[error("the period lies outside the supported dates")]
    OutOfRange,
}

/// The buckets of the dates `from..=to` (inclusive, in `tz`) at `granularity`. Weeks and months
/// widen the period to whole weeks and months: the first bucket starts on the Monday (the 1st)
/// on or before `from`, the last ends after the week (month) holding `to`.
pub fn buckets(
    from: NaiveDate,
    to: NaiveDate,
    tz: Tz,
    granularity: Granularity,
) -> Result<Vec<Bucket>, PeriodError> {
    if to < from {
        return Err(PeriodError::Reversed);
    }
    let midnight = |date: NaiveDate| resolve(tz, date.and_time(NaiveTime::MIN));
    let estimate = match granularity {
        Granularity::Hour => (to - from).num_days() as usize * 24 + 25,
        Granularity::Day => (to - from).num_days() as usize + 1,
        Granularity::Week => (to - from).num_days() as usize / 7 + 2,
        Granularity::Month => month_index(to) - month_index(from) + 1,
    };
    if estimate > MAX_BUCKETS + 25 {
        return Err(PeriodError::TooManyBuckets(estimate));
    }
    let mut out = Vec::new();
    match granularity {
        Granularity::Hour => {
            let start = midnight(from).ok_or(PeriodError::OutOfRange)?;
            let end = midnight(next_day(to)?).ok_or(PeriodError::OutOfRange)?;
            let mut t = start;
            while t < end {
                let next = t + Duration::hours(1);
                let local = t.with_timezone(&tz);
                let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
                out.push(Bucket {
                    start: t,
                    end: next.min(end),
                    label: format!("{}{}", local.format("%Y-%m-%dT%H:%M"), offset),
                });
                t = next;
            }
        }
        Granularity::Day | Granularity::Week | Granularity::Month => {
            let mut date = match granularity {
                Granularity::Week => {
                    from - Duration::days(i64::from(from.weekday().num_days_from_monday()))
                }
                Granularity::Month => from.with_day(1).ok_or(PeriodError::OutOfRange)?,
                _ => from,
            };
            while date <= to {
                let next = match granularity {
                    Granularity::Week => date + Duration::days(7),
                    Granularity::Month => date
                        .checked_add_months(Months::new(1))
                        .ok_or(PeriodError::OutOfRange)?,
                    _ => next_day(date)?,
                };
                let label = match granularity {
                    Granularity::Week => {
                        let week = date.iso_week();
                        format!("{}-W{:02}", week.year(), week.week())
                    }
                    Granularity::Month => date.format("%Y-%m").to_string(),
                    _ => date.format("%Y-%m-%d").to_string(),
                };
                out.push(Bucket {
                    start: midnight(date).ok_or(PeriodError::OutOfRange)?,
                    end: midnight(next).ok_or(PeriodError::OutOfRange)?,
                    label,
                });
                date = next;
            }
        }
    }
    if out.len() > MAX_BUCKETS {
        return Err(PeriodError::TooManyBuckets(out.len()));
    }
    Ok(out)
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, PeriodError> {
    date.succ_opt().ok_or(PeriodError::OutOfRange)
}

fn month_index(date: NaiveDate) -> usize {
    (date.year().max(0) as usize) * 12 + date.month0() as usize
}

/// The bucket holding `t`, if any (buckets as [`buckets`] makes them: sorted and touching).
pub fn bucket_of(buckets: &[Bucket], t: DateTime<Utc>) -> Option<usize> {
    let first = buckets.first()?;
    let last = buckets.last()?;
    if t < first.start || t >= last.end {
        return None;
    }
    // The last bucket starting at or before `t`.
    let index = buckets.partition_point(|b| b.start <= t);
    index.checked_sub(1)
}
