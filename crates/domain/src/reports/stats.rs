//! Median, 90th percentile and mean of durations, as the response-time report gives them.

use chrono::TimeDelta;

/// A summary of durations, in minutes rounded to a tenth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// How many durations.
    pub count: usize,
    /// The middle value (the mean of the two middle ones for an even count).
    pub median_minutes: Option<f64>,
    /// The 90th percentile by nearest rank: the smallest value at least 90 % of all are at or
    /// below.
    pub p90_minutes: Option<f64>,
    /// The arithmetic mean.
    pub mean_minutes: Option<f64>,
}

impl Summary {
    /// Summarises `durations` (any order).
    pub fn of(durations: &[TimeDelta]) -> Self {
        let mut seconds: Vec<i64> = durations.iter().map(TimeDelta::num_seconds).collect();
        seconds.sort_unstable();
        let n = seconds.len();
        if n == 0 {
            return Self {
                count: 0,
                median_minutes: None,
                p90_minutes: None,
                mean_minutes: None,
            };
        }
        let median = if n % 2 == 1 {
            seconds[n / 2] as f64
        } else {
            (seconds[n / 2 - 1] + seconds[n / 2]) as f64 / 2.0
        };
        // Nearest rank: ceil(0.9 n), 1-based.
        let rank = (9 * n).div_ceil(10).max(1);
        let p90 = seconds[rank - 1] as f64;
        let mean = seconds.iter().map(|s| *s as f64).sum::<f64>() / n as f64;
        Self {
            count: n,
            median_minutes: Some(minutes(median)),
            p90_minutes: Some(minutes(p90)),
            mean_minutes: Some(minutes(mean)),
        }
    }
}

/// Seconds as minutes, rounded to a tenth.
fn minutes(seconds: f64) -> f64 {
    (seconds / 6.0).round() / 10.0
}

/// `part` of `whole` in percent, rounded to a tenth; `None` when `whole` is zero.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}
