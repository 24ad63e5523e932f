//! Reports over tickets (pure): a period cut into buckets in a time zone, a ticket's life read
//! from its state-type log (closings, reopenings, its state at a moment), backlog age buckets,
//! and the statistics the reports give (median, 90th percentile, mean, percentages).
//!
//! # Definitions
//! - **Buckets** are wall-clock periods of the report's zone: a day runs from midnight to
//!   midnight (23 or 25 hours when clocks change), a week from Monday, a month from the 1st; an
//!   hour is a real hour. Weekly and monthly reports widen the period to whole weeks/months.
//! - **Closed**: entering the state type `closed` (merging and removing end a ticket but are
//!   not closings). **Reopened**: leaving `closed`, `merged` or `removed` for any other type.
//! - **Open** at a moment: created before it and in a state type that is not finished.

mod lifecycle;
mod periods;
mod stats;

#[cfg(test)]
mod tests;

use chrono::TimeDelta;

pub use lifecycle::Lifecycle;
pub use periods::{Bucket, Granularity, MAX_BUCKETS, PeriodError, bucket_of, buckets};
pub use stats::{Summary, percent};

/// Age buckets of the backlog report: under a day, 1–7 days, 7–30 days, 30 days and more.
pub const AGE_BUCKETS: [&str; 4] = ["under_1d", "1d_7d", "7d_30d", "over_30d"];

/// The [`AGE_BUCKETS`] entry for a ticket of age `age`.
pub fn age_bucket(age: TimeDelta) -> &'static str {
    if age < TimeDelta::days(1) {
        AGE_BUCKETS[0]
    } else if age < TimeDelta::days(7) {
        AGE_BUCKETS[1]
    } else if age < TimeDelta::days(30) {
        AGE_BUCKETS[2]
    } else {
        AGE_BUCKETS[3]
    }
}
