//! Working hours: time ranges per weekday, written `HH:MM-HH:MM`.

use std::fmt;
use std::str::FromStr;

use chrono::Weekday;
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// Minutes in a day; also the largest time of day (`24:00`).
pub(super) const DAY_MINUTES: u16 = 24 * 60;

/// One stretch of working time on a weekday, in wall-clock time of the calendar's zone.
///
/// `start` is in `00:00..24:00`; `end` in `00:01..=24:00`. When `end` is before `start` the
/// range crosses midnight (`22:00-06:00`) and belongs to the day it starts on: that day's
/// holiday status decides whether it is worked, and it ends on the next day. A range that ends
/// at midnight may be written `22:00-24:00` or `22:00-00:00` (stored as `24:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkingRange {
    start: u16,
    end: u16,
}

impl WorkingRange {
    /// The whole day, `00:00-24:00`.
    pub const FULL_DAY: Self = Self {
        start: 0,
        end: DAY_MINUTES,
    };

    /// A range from `start` to `end`, each as minutes after midnight (`end` may be 1440).
    pub fn from_minutes(start: u16, end: u16) -> Result<Self, CalendarError> {
        let invalid = |reason| CalendarError::InvalidRange {
            range: format!("{}-{}", fmt_time(start), fmt_time(end)),
            reason,
        };
        if start >= DAY_MINUTES {
            return Err(invalid("the start must be before 24:00"));
        }
        if end > DAY_MINUTES {
            return Err(invalid("the end must be at most 24:00"));
        }
        if start == end {
            return Err(invalid("the range is empty"));
        }
        // `22:00-00:00` ends at midnight: the same as `22:00-24:00`.
        let end = if end == 0 { DAY_MINUTES } else { end };
        Ok(Self { start, end })
    }

    /// A range from `start_h:start_m` to `end_h:end_m` (end may be `24:00`).
    pub fn hm(start_h: u16, start_m: u16, end_h: u16, end_m: u16) -> Result<Self, CalendarError> {
        let time = |h: u16, m: u16| {
            if m < 60 && h <= 24 && (h < 24 || m == 0) {
                Ok(h * 60 + m)
            } else {
                Err(CalendarError::InvalidTime(format!("{h:02}:{m:02}")))
            }
        };
        Self::from_minutes(time(start_h, start_m)?, time(end_h, end_m)?)
    }

    /// The start, in minutes after midnight of the range's own day.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// The end, in minutes after midnight (of the next day when the range crosses midnight).
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// Whether the range ends on the next day (`22:00-06:00`).
    pub fn crosses_midnight(self) -> bool {
        self.end < self.start
    }

    /// Length of the range in wall-clock minutes (DST changes aside).
    pub fn minutes(self) -> u32 {
        if self.crosses_midnight() {
            u32::from(DAY_MINUTES - self.start + self.end)
        } else {
            u32::from(self.end - self.start)
        }
    }

    /// The end on the range's own day: `24:00` for a range that crosses midnight.
    pub(super) fn same_day_end(self) -> u16 {
        if self.crosses_midnight() {
            DAY_MINUTES
        } else {
            self.end
        }
    }
}

fn fmt_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn parse_time(text: &str) -> Result<u16, CalendarError> {
    let invalid = || CalendarError::InvalidTime(text.to_owned());
    let (h, m) = text.trim().split_once(':').ok_or_else(invalid)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(invalid());
    }
    let h: u16 = h.parse().map_err(|_| invalid())?;
    let m: u16 = m.parse().map_err(|_| invalid())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(invalid());
    }
    Ok(h * 60 + m)
}

impl fmt::Display for WorkingRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", fmt_time(self.start), fmt_time(self.end))
    }
}

impl FromStr for WorkingRange {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (start, end) = s
            .split_once('-')
            .ok_or_else(|| CalendarError::InvalidRange {
                range: s.to_owned(),
                reason: "expected HH:MM-HH:MM",
            })?;
        let start = parse_time(start)?;
        if start == DAY_MINUTES {
            return Err(CalendarError::InvalidRange {
                range: s.to_owned(),
                reason: "the start must be before 24:00",
            });
        }
        Self::from_minutes(start, parse_time(end)?)
    }
}

impl TryFrom<String> for WorkingRange {
    type Error = CalendarError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<WorkingRange> for String {
    fn from(value: WorkingRange) -> Self {
        value.to_string()
    }
}

/// Working ranges for each weekday; a day that is left out has no working time.
///
/// Serialised as `{"mon": ["08:00-16:00"], "tue": [...], ...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeekHours {
    /// Monday.
    pub mon: Vec<WorkingRange>,
    /// Tuesday.
    pub tue: Vec<WorkingRange>,
    /// Wednesday.
    pub wed: Vec<WorkingRange>,
    /// Thursday.
    pub thu: Vec<WorkingRange>,
    /// Friday.
    pub fri: Vec<WorkingRange>,
    /// Saturday.
    pub sat: Vec<WorkingRange>,
    /// Sunday.
    pub sun: Vec<WorkingRange>,
}

impl WeekHours {
    /// The same ranges Monday to Friday, nothing at the weekend.
    pub fn weekdays(ranges: &[WorkingRange]) -> Self {
        let mut week = Self::default();
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            *week.day_mut(day) = ranges.to_vec();
        }
        week
    }

    /// The same ranges on every day of the week.
    pub fn every_day(ranges: &[WorkingRange]) -> Self {
        let mut week = Self::weekdays(ranges);
        week.sat = ranges.to_vec();
        week.sun = ranges.to_vec();
        week
    }

    /// The ranges of one weekday.
    pub fn day(&self, day: Weekday) -> &[WorkingRange] {
        match day {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }

    /// The ranges of one weekday, to change them.
    pub fn day_mut(&mut self, day: Weekday) -> &mut Vec<WorkingRange> {
        match day {
            Weekday::Mon => &mut self.mon,
            Weekday::Tue => &mut self.tue,
            Weekday::Wed => &mut self.wed,
            Weekday::Thu => &mut self.thu,
            Weekday::Fri => &mut self.fri,
            Weekday::Sat => &mut self.sat,
            Weekday::Sun => &mut self.sun,
        }
    }

    /// Whether no day has any working range.
    pub fn is_empty(&self) -> bool {
        ALL_DAYS.iter().all(|&d| self.day(d).is_empty())
    }

    /// Sorts each day's ranges and rejects overlaps, including the part of a range over
    /// midnight that falls on the next day (Sunday's spills into Monday). Touching ranges
    /// (`08:00-12:00`, `12:00-16:00`) are fine.
    pub(super) fn normalized(mut self) -> Result<Self, CalendarError> {
        for day in ALL_DAYS {
            self.day_mut(day).sort_unstable();
        }
        for day in ALL_DAYS {
            let ranges = self.day(day);
            for pair in ranges.windows(2) {
                if let [a, b] = pair
                    && a.same_day_end() > b.start
                {
                    return Err(overlap(day, *a, day, *b));
                }
            }
            if let Some(last) = ranges.last().filter(|r| r.crosses_midnight()) {
                let next = day.succ();
                if let Some(first) = self.day(next).first().filter(|r| r.start < last.end) {
                    return Err(overlap(day, *last, next, *first));
                }
            }
        }
        Ok(self)
    }
}

fn overlap(
    first_day: Weekday,
    first: WorkingRange,
    second_day: Weekday,
    second: WorkingRange,
) -> CalendarError {
    CalendarError::OverlappingRanges {
        first_day,
        first,
        second_day,
        second,
    }
}

/// The days of the week, Monday first.
pub(super) const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
