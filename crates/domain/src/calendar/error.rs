//! The one error type of business calendars and SLA rules.

use chrono::{DateTime, Utc, Weekday};

use super::WorkingRange;

/// Why a calendar or an SLA could not be built, or why business time could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The time zone is not an IANA name known to the compiled-in database.
    #[error("unknown time zone `{0}`: expected an IANA name such as `Europe/Oslo`")]
    UnknownTimeZone(String),
    /// A time of day is not `HH:MM` between `00:00` and `24:00`.
    #[error("invalid time of day `{0}`: expected HH:MM between 00:00 and 24:00")]
    InvalidTime(String),
    /// A working range is malformed (not `HH:MM-HH:MM`, or it starts where it ends).
    #[error("invalid working range `{range}`: {reason}")]
    InvalidRange {
        /// The range as written.
        range: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two working ranges overlap (a range over midnight also counts on the next day).
    #[error("working ranges {first} on {first_day} and {second} on {second_day} overlap")]
    OverlappingRanges {
        /// The day the earlier range belongs to.
        first_day: Weekday,
        /// The earlier range.
        first: WorkingRange,
        /// The day the later range belongs to.
        second_day: Weekday,
        /// The later range.
        second: WorkingRange,
    },
    /// A holiday is not `MM-DD` (yearly) or `YYYY-MM-DD` (one-off), or no such date exists.
    #[error("invalid holiday `{0}`: expected MM-DD (every year) or YYYY-MM-DD (once)")]
    InvalidHoliday(String),
    /// The calendar has no working time at all (use `Calendar::twenty_four_seven` for 24/7).
    #[error("the calendar has no working time: add working hours, or use a 24/7 calendar")]
    NoWorkingHours,
    /// Searching forward found no working time for too long (holidays cover everything).
    #[error("no working time within {days} days after {from}")]
    NoWorkingTime {
        /// Where the search started.
        from: DateTime<Utc>,
        /// How many days were searched.
        days: u32,
    },
    /// A negative amount of business time was asked for.
    #[error("business time to add must not be negative")]
    NegativeDuration,
    /// The computation would leave the supported range of dates (or a span over 100 years).
    #[error("date out of the supported range")]
    OutOfRange,
    /// An SLA setting is invalid.
    #[error("invalid SLA: {0}")]
    InvalidSla(String),
}
