//! Business calendars and business-time arithmetic (pure: no I/O, no clock).
//!
//! A [`Calendar`] is a time zone, working ranges per weekday ([`WeekHours`]) and holidays
//! ([`Holiday`]). It answers "is this working time?", "when does work resume?", "when have
//! N working minutes passed?" and "how much working time lies between two instants?".
//!
//! # Rules
//! - **Wall-clock hours.** Ranges are read on the wall clock of the calendar's zone, so
//!   `08:00-16:00` is 08:00–16:00 local time in summer and in winter. Business time is
//!   measured in real elapsed time between the resulting instants.
//! - **DST.** A boundary that does not exist (clocks go forward) is moved to the moment of the
//!   jump: on the night Oslo goes from 02:00 to 03:00, a range `01:00-04:00` lasts two real
//!   hours. A boundary that exists twice (clocks go back) is the *first* occurrence: on the night
//!   Oslo goes from 03:00 back to 02:00, `02:30-04:00` starts at 02:30 summer time and lasts
//!   2.5 real hours, and `00:00-24:00` lasts 25. Every boundary is resolved the same way, so
//!   ranges that touch on the wall clock touch as instants too.
//! - **Ranges over midnight.** `22:00-06:00` on Monday runs from Monday 22:00 to Tuesday 06:00
//!   and belongs to Monday: a holiday on Monday cancels all of it, a holiday on Tuesday none of
//!   it. Its part after midnight must not overlap Tuesday's ranges.
//! - **Holidays** are calendar dates in the calendar's zone (`12-25` every year, `2026-04-03`
//!   once); `02-29` applies in leap years only.
//! - **Boundaries.** Working time is the half-open union of the ranges: a range's start is
//!   working time, its end is not. Adding business time that runs out exactly at the end of a
//!   range gives that end (Friday 16:00, not Monday 08:00), so that adding `a` and then `b`
//!   always equals adding `a + b`.
//! - **Termination.** Searching stops with [`CalendarError::NoWorkingTime`] after
//!   [`MAX_IDLE_DAYS`] days without any working time, and with [`CalendarError::OutOfRange`]
//!   after scanning [`MAX_SCAN_DAYS`] days. Arithmetic steps a range at a time, never a minute at
//!   a time, so a 10,000-minute SLA costs a few dozen steps.

mod arith;
mod error;
mod holiday;
mod hours;
pub(crate) mod zone;

#[cfg(test)]
pub(crate) mod proptests;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use arith::{Interval, MAX_IDLE_DAYS, MAX_SCAN_DAYS};
pub use error::CalendarError;
pub use holiday::Holiday;
pub use hours::{WeekHours, WorkingRange};

/// A validated business calendar: time zone, working hours per weekday, holidays.
///
/// Serialises to (and only deserialises from valid) JSON such as
/// `{"time_zone": "Europe/Oslo", "working_hours": {"mon": ["08:00-16:00"], ...},
/// "holidays": ["12-25", "2026-04-03"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct Calendar {
    tz: Tz,
    hours: WeekHours,
    holidays: BTreeSet<Holiday>,
}

/// The unvalidated parts of a [`Calendar`], as stored and as edited; turn it into a calendar
/// with [`Calendar::try_from`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time-zone name, such as `Europe/Oslo` or `UTC`.
    pub time_zone: String,
    /// Working ranges per weekday.
    #[serde(default)]
    pub working_hours: WeekHours,
    /// Holidays, yearly or once (duplicates are dropped).
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

impl Calendar {
    /// A calendar in the IANA zone `time_zone` with the given hours and holidays.
    ///
    /// Fails on an unknown zone, overlapping ranges (also across midnight), or when there is no
    /// working time at all (no ranges, or yearly holidays on every day of the year).
    pub fn new(
        time_zone: &str,
        hours: WeekHours,
        holidays: impl IntoIterator<Item = Holiday>,
    ) -> Result<Self, CalendarError> {
        let tz = parse_time_zone(time_zone)?;
        let hours = hours.normalized()?;
        if hours.is_empty() {
            return Err(CalendarError::NoWorkingHours);
        }
        let holidays: BTreeSet<Holiday> = holidays.into_iter().collect();
        let yearly = holidays
            .iter()
            .filter(|h| matches!(h, Holiday::Yearly { .. }))
            .count();
        if yearly >= 366 {
            return Err(CalendarError::NoWorkingHours);
        }
        Ok(Self {
            tz,
            hours,
            holidays,
        })
    }

    /// Round the clock, every day, in UTC, without holidays: business time equals real time.
    pub fn twenty_four_seven() -> Self {
        Self {
            tz: Tz::UTC,
            hours: WeekHours::every_day(&[WorkingRange::FULL_DAY]),
            holidays: BTreeSet::new(),
        }
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The working hours (each day's ranges sorted by start).
    pub fn hours(&self) -> &WeekHours {
        &self.hours
    }

    /// The holidays, in order.
    pub fn holidays(&self) -> impl Iterator<Item = Holiday> + '_ {
        self.holidays.iter().copied()
    }

    /// Whether `date` (in the calendar's zone) is a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&Holiday::Once(date))
            || self.holidays.contains(&Holiday::Yearly {
                month: date.month(),
                day: date.day(),
            })
    }

    /// The ranges worked on `date`: its weekday's ranges, or none on a holiday.
    pub fn ranges_on(&self, date: NaiveDate) -> &[WorkingRange] {
        if self.is_holiday(date) {
            &[]
        } else {
            self.hours.day(date.weekday())
        }
    }

    /// The ranges of a weekday, holidays aside.
    pub fn ranges_of(&self, day: Weekday) -> &[WorkingRange] {
        self.hours.day(day)
    }

    /// The calendar's parts, e.g. to store or edit them.
    pub fn to_spec(&self) -> CalendarSpec {
        CalendarSpec::from(self.clone())
    }
}

/// Parses an IANA time-zone name.
pub fn parse_time_zone(name: &str) -> Result<Tz, CalendarError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| CalendarError::UnknownTimeZone(name.to_owned()))
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = CalendarError;

    fn try_from(spec: CalendarSpec) -> Result<Self, Self::Error> {
        Self::new(&spec.time_zone, spec.working_hours, spec.holidays)
    }
}

impl From<Calendar> for CalendarSpec {
    fn from(calendar: Calendar) -> Self {
        Self {
            time_zone: calendar.tz.name().to_owned(),
            working_hours: calendar.hours,
            holidays: calendar.holidays.into_iter().collect(),
        }
    }
}
