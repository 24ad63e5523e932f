//! Timestamps as stored: UTC `NaiveDateTime` with microsecond precision on both backends.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// Converts an instant to the stored form (UTC, truncated to microseconds so that values
/// round-trip identically through PostgreSQL and SQLite).
pub fn to_db(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.naive_utc().trunc_subsecs(6)
}

/// Converts a stored timestamp back to an instant.
pub fn from_db(stored: NaiveDateTime) -> DateTime<Utc> {
    stored.and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_at_microsecond_precision() {
        let instant = DateTime::parse_from_rfc3339("2026-11-24T10:11:12.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let stored = to_db(instant);
        assert_eq!(stored.to_string(), "2026-11-24 10:11:12.123456");
        assert_eq!(from_db(stored).timestamp_subsec_nanos(), 123_456_000);
    }
}
