//! Business-time arithmetic: stepping through working intervals a range at a time.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

use super::{Calendar, CalendarError, WorkingRange, zone};

/// Days without any working time after which a forward search gives up with
/// [`CalendarError::NoWorkingTime`].
pub const MAX_IDLE_DAYS: u32 = 400;

/// Days (about 100 years) after which any scan gives up with [`CalendarError::OutOfRange`].
pub const MAX_SCAN_DAYS: u32 = 36_600;

/// A working interval `[start, end)` as instants.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

impl Calendar {
    /// The instant at which `minutes` of working time have passed after `start`.
    ///
    /// Zero gives `start` itself; a result is always inside a working range or at its end.
    pub fn add_business_minutes(
        &self,
        start: DateTime<Utc>,
        minutes: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let amount = TimeDelta::try_minutes(minutes).ok_or(CalendarError::OutOfRange)?;
        self.add_business_time(start, amount)
    }

    /// The instant at which `amount` of working time has passed after `start` (to the
    /// nanosecond; see [`Calendar::add_business_minutes`]).
    pub fn add_business_time(
        &self,
        start: DateTime<Utc>,
        amount: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        if amount < TimeDelta::zero() {
            return Err(CalendarError::NegativeDuration);
        }
        if amount.is_zero() {
            return Ok(start);
        }
        let mut remaining = amount;
        for interval in self.intervals(start, None) {
            let (from, to) = interval?;
            let from = from.max(start);
            let available = to - from;
            if available >= remaining {
                return Ok(from + remaining);
            }
            remaining -= available;
        }
        // The unbounded search only ends with an error, which is returned above.
        Err(CalendarError::OutOfRange)
    }

    /// Whole working minutes in `[a, b)` (rounded toward zero); negative when `b` is before `a`.
    pub fn business_minutes_between(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<i64, CalendarError> {
        self.business_time_between(a, b).map(|d| d.num_minutes())
    }

    /// Working time in `[a, b)`; negative (`-(b..a)`) when `b` is before `a`.
    pub fn business_time_between(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<TimeDelta, CalendarError> {
        if b < a {
            return self.business_time_between(b, a).map(|d| -d);
        }
        let mut total = TimeDelta::zero();
        for interval in self.intervals(a, Some(b)) {
            let (from, to) = interval?;
            total += to.min(b) - from.max(a);
        }
        Ok(total)
    }

    /// Whether `t` is working time (inside a range: its start counts, its end does not).
    ///
    /// Only at the far ends of the supported dates, where nothing can be computed, is the
    /// answer `false`.
    pub fn is_working_time(&self, t: DateTime<Utc>) -> bool {
        let Some(just_after) = t.checked_add_signed(TimeDelta::nanoseconds(1)) else {
            return false;
        };
        matches!(self.intervals(t, Some(just_after)).next(), Some(Ok((from, _))) if from <= t)
    }

    /// `t` itself if it is working time, else the start of the next working range.
    pub fn next_working_time(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        match self.intervals(t, None).next() {
            Some(interval) => interval.map(|(from, _)| from.max(t)),
            None => Err(CalendarError::OutOfRange),
        }
    }

    /// The working intervals `[start, end)` that end after `from` (and start before `until`,
    /// if given), in order. Intervals may touch; none overlap or are empty.
    ///
    /// Without `until` the sequence ends only with an error: [`CalendarError::NoWorkingTime`]
    /// after [`MAX_IDLE_DAYS`] days without work, or [`CalendarError::OutOfRange`].
    pub fn intervals(
        &self,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> impl Iterator<Item = Result<Interval, CalendarError>> + '_ {
        Intervals::new(self, from, until)
    }

    /// The interval of `range` on `date`: its wall-clock boundaries resolved in the zone.
    fn interval(&self, date: NaiveDate, range: WorkingRange) -> Option<Interval> {
        let midnight = date.and_time(NaiveTime::MIN);
        let start = midnight.checked_add_signed(TimeDelta::minutes(range.start_minute().into()))?;
        let end = start.checked_add_signed(TimeDelta::minutes(range.minutes().into()))?;
        Some((zone::resolve(self.tz, start)?, zone::resolve(self.tz, end)?))
    }
}

/// Walks the calendar day by day (local dates), range by range.
struct Intervals<'a> {
    calendar: &'a Calendar,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    /// The last local date whose ranges can start before `until`.
    last_date: Option<NaiveDate>,
    date: NaiveDate,
    index: usize,
    found_today: bool,
    idle_days: u32,
    scanned_days: u32,
    done: bool,
}

impl<'a> Intervals<'a> {
    fn new(calendar: &'a Calendar, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Self {
        let local_date = |t: DateTime<Utc>| t.with_timezone(&calendar.tz).date_naive();
        // A range of the previous day may reach past midnight into `from`'s day.
        let today = local_date(from);
        let date = today.pred_opt().unwrap_or(today);
        // Two days of slack: wall clocks that jump back a whole day (historic date-line moves).
        let last_date = until.map(|u| {
            let d = local_date(u);
            d.succ_opt().and_then(|d| d.succ_opt()).unwrap_or(d)
        });
        Self {
            calendar,
            from,
            until,
            last_date,
            date,
            index: 0,
            found_today: false,
            idle_days: 0,
            scanned_days: 0,
            done: false,
        }
    }

    fn fail(&mut self, error: CalendarError) -> Option<Result<Interval, CalendarError>> {
        self.done = true;
        Some(Err(error))
    }
}

impl Iterator for Intervals<'_> {
    type Item = Result<Interval, CalendarError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            if let Some(&range) = self.calendar.ranges_on(self.date).get(self.index) {
                self.index += 1;
                let Some((start, end)) = self.calendar.interval(self.date, range) else {
                    return self.fail(CalendarError::OutOfRange);
                };
                if self.until.is_some_and(|until| start >= until) {
                    self.done = true;
                    return None;
                }
                if end <= self.from || start >= end {
                    continue;
                }
                self.found_today = true;
                return Some(Ok((start, end)));
            }
            // This day is done: move to the next one.
            if self.last_date.is_some_and(|last| self.date >= last) {
                self.done = true;
                return None;
            }
            self.idle_days = if self.found_today {
                0
            } else {
                self.idle_days + 1
            };
            self.found_today = false;
            self.scanned_days += 1;
            if self.until.is_none() && self.idle_days >= MAX_IDLE_DAYS {
                let error = CalendarError::NoWorkingTime {
                    from: self.from,
                    days: MAX_IDLE_DAYS,
                };
                return self.fail(error);
            }
            if self.scanned_days > MAX_SCAN_DAYS {
                return self.fail(CalendarError::OutOfRange);
            }
            let Some(next) = self.date.succ_opt() else {
                return self.fail(CalendarError::OutOfRange);
            };
            self.date = next;
            self.index = 0;
        }
        None
    }
}
