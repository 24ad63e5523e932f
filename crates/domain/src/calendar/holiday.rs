//! Holidays: days without working time, yearly (`12-25`) or once (`2026-04-03`).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// A day on which none of the ranges that start on it are worked.
///
/// Serialised as `"MM-DD"` (every year; `02-29` only in leap years) or `"YYYY-MM-DD"` (once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Holiday {
    /// The same month and day every year.
    Yearly {
        /// Month, 1–12.
        month: u32,
        /// Day of the month, valid for that month in a leap year.
        day: u32,
    },
    /// One date.
    Once(NaiveDate),
}

impl Holiday {
    /// A holiday on `month`-`day` every year.
    pub fn yearly(month: u32, day: u32) -> Result<Self, CalendarError> {
        // 2000 is a leap year, so 02-29 is accepted.
        NaiveDate::from_ymd_opt(2000, month, day)
            .map(|_| Self::Yearly { month, day })
            .ok_or_else(|| CalendarError::InvalidHoliday(format!("{month:02}-{day:02}")))
    }

    /// A holiday on one date.
    pub fn once(date: NaiveDate) -> Self {
        Self::Once(date)
    }

    /// Whether this holiday falls on `date`.
    pub fn matches(self, date: NaiveDate) -> bool {
        match self {
            Self::Yearly { month, day } => date.month() == month && date.day() == day,
            Self::Once(d) => d == date,
        }
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Yearly { month, day } => write!(f, "{month:02}-{day:02}"),
            Self::Once(date) => write!(f, "{}", date.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for Holiday {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || CalendarError::InvalidHoliday(s.to_owned());
        let text = s.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [m, d] if digits(m, 2) && digits(d, 2) => {
                let month = m.parse().map_err(|_| invalid())?;
                let day = d.parse().map_err(|_| invalid())?;
                Self::yearly(month, day).map_err(|_| invalid())
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Self::Once)
                    .map_err(|_| invalid())
            }
            _ => Err(invalid()),
        }
    }
}

impl TryFrom<String> for Holiday {
    type Error = CalendarError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Holiday> for String {
    fn from(value: Holiday) -> Self {
        value.to_string()
    }
}
