//! Computing a ticket's SLA deadlines, warnings and breaches at a given moment.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Period, Sla, TicketTimeline};
use crate::calendar::{Calendar, CalendarError};

/// One of the three SLA clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    /// Until the first agent response.
    FirstResponse,
    /// From the latest customer contact until an agent responds.
    Update,
    /// Until the ticket is closed.
    Solution,
}

/// Whether a clock is ticking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Counting business time.
    Running,
    /// The ticket is in a non-counting state now.
    Paused,
    /// Done: answered, responded to, or closed.
    Stopped,
}

/// The state of one SLA clock at the evaluated moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetStatus {
    /// Which clock.
    pub target: SlaTarget,
    /// Running, paused or stopped.
    pub state: ClockState,
    /// When the clock started.
    pub started_at: DateTime<Utc>,
    /// When it stopped, if it did.
    pub stopped_at: Option<DateTime<Utc>>,
    /// The deadline; `None` while a pause began before it was reached (it shifts by the pause).
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning share of the time is used up, if warnings are on and it is known.
    pub warn_at: Option<DateTime<Utc>>,
    /// Business time left at the evaluated moment (or at the stop); negative when overdue.
    pub remaining: TimeDelta,
    /// Running or paused: the deadline has been reached; stopped: it stopped after it.
    pub breached: bool,
    /// Not stopped, not breached, and the warning time has been reached.
    pub warning: bool,
}

/// A ticket's SLA state at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaEvaluation {
    /// The first-response clock, if the SLA sets that target.
    pub first_response: Option<TargetStatus>,
    /// The update clock, if the SLA sets that target.
    pub update: Option<TargetStatus>,
    /// The solution clock, if the SLA sets that target.
    pub solution: Option<TargetStatus>,
    /// The earliest deadline of a clock that has not stopped: when (or since when) the ticket
    /// is escalated. A paused clock has a deadline only if it passed before the pause.
    pub escalation_at: Option<DateTime<Utc>>,
    /// The earliest warning time of a clock that has not stopped (known the same way).
    pub warning_at: Option<DateTime<Utc>>,
}

impl SlaEvaluation {
    /// The clocks the SLA sets, in the order first response, update, solution.
    pub fn targets(&self) -> impl Iterator<Item = &TargetStatus> {
        [&self.first_response, &self.update, &self.solution]
            .into_iter()
            .flatten()
    }

    /// One clock, if the SLA sets it.
    pub fn get(&self, target: SlaTarget) -> Option<&TargetStatus> {
        match target {
            SlaTarget::FirstResponse => self.first_response.as_ref(),
            SlaTarget::Update => self.update.as_ref(),
            SlaTarget::Solution => self.solution.as_ref(),
        }
    }

    /// Whether a clock that has not stopped is breached: the ticket is escalated now (the same
    /// as `escalation_at <= now` for the evaluated `now`).
    pub fn is_escalated(&self) -> bool {
        self.targets()
            .any(|t| t.breached && t.state != ClockState::Stopped)
    }

    /// The business time left on the most urgent clock that has not stopped (negative when
    /// overdue), e.g. for a countdown badge.
    pub fn time_left(&self) -> Option<TimeDelta> {
        self.targets()
            .filter(|t| t.state != ClockState::Stopped)
            .map(|t| t.remaining)
            .min()
    }
}

impl Sla {
    /// The deadlines, warnings and breaches of a ticket with `timeline` on `calendar` at `now`
    /// (see the module documentation for the rules).
    pub fn evaluate(
        &self,
        calendar: &Calendar,
        timeline: &TicketTimeline,
        now: DateTime<Utc>,
    ) -> Result<SlaEvaluation, CalendarError> {
        let t = timeline;
        let earliest = |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let contact = t
            .last_customer_contact_at
            .map_or(t.created_at, |c| c.max(t.created_at));
        let answered = t.last_agent_response_at.filter(|r| *r >= contact);
        let clocks = [
            (
                SlaTarget::FirstResponse,
                t.created_at,
                earliest(t.first_agent_response_at, t.closed_at),
            ),
            (SlaTarget::Update, contact, earliest(answered, t.closed_at)),
            (SlaTarget::Solution, t.created_at, t.closed_at),
        ];
        let mut statuses = [None, None, None];
        for ((target, start, stop), slot) in clocks.into_iter().zip(&mut statuses) {
            if let Some(minutes) = self.minutes(target) {
                let clock = Clock {
                    calendar,
                    start,
                    allowed: TimeDelta::minutes(minutes.into()),
                    pauses: normalize(&t.paused, start),
                };
                *slot = Some(clock.status(target, stop, self.warning_percent, now)?);
            }
        }
        let [first_response, update, solution] = statuses;
        let mut evaluation = SlaEvaluation {
            first_response,
            update,
            solution,
            escalation_at: None,
            warning_at: None,
        };
        let open = || {
            evaluation
                .targets()
                .filter(|s| s.state != ClockState::Stopped)
        };
        let escalation_at = open().filter_map(|s| s.due_at).min();
        let warning_at = open().filter_map(|s| s.warn_at).min();
        evaluation.escalation_at = escalation_at;
        evaluation.warning_at = warning_at;
        Ok(evaluation)
    }
}

/// One clock's inputs: business time `allowed` from `start`, outside `pauses`.
struct Clock<'a> {
    calendar: &'a Calendar,
    start: DateTime<Utc>,
    allowed: TimeDelta,
    /// Sorted, merged, clipped to start at or after `start`.
    pauses: Vec<Period>,
}

impl Clock<'_> {
    fn status(
        &self,
        target: SlaTarget,
        stop: Option<DateTime<Utc>>,
        warning_percent: Option<u8>,
        now: DateTime<Utc>,
    ) -> Result<TargetStatus, CalendarError> {
        let due_at = self.deadline(self.allowed)?;
        let warn_at = match warning_percent {
            Some(percent) => self.deadline(self.allowed * i32::from(percent) / 100)?,
            None => None,
        };
        let state = if stop.is_some() {
            ClockState::Stopped
        } else if self.pauses.iter().any(|p| p.contains(now)) {
            ClockState::Paused
        } else {
            ClockState::Running
        };
        let remaining = self.allowed - self.counted_until(stop.unwrap_or(now))?;
        let breached = match stop {
            Some(stop) => due_at.is_some_and(|due| stop > due),
            None => due_at.is_some_and(|due| now >= due),
        };
        let warning = stop.is_none() && !breached && warn_at.is_some_and(|w| now >= w);
        Ok(TargetStatus {
            target,
            state,
            started_at: self.start,
            stopped_at: stop,
            due_at,
            warn_at,
            remaining,
            breached,
            warning,
        })
    }

    /// The moment `amount` of counting business time has elapsed since the start; `None` when
    /// an unfinished pause begins first.
    fn deadline(&self, amount: TimeDelta) -> Result<Option<DateTime<Utc>>, CalendarError> {
        let mut cursor = self.start;
        let mut remaining = amount;
        for pause in &self.pauses {
            if pause.from > cursor {
                let available = self.calendar.business_time_between(cursor, pause.from)?;
                if available >= remaining {
                    return self.calendar.add_business_time(cursor, remaining).map(Some);
                }
                remaining -= available;
            }
            match pause.until {
                Some(until) => cursor = cursor.max(until),
                None => return Ok(None),
            }
        }
        self.calendar.add_business_time(cursor, remaining).map(Some)
    }

    /// Counting business time in `[start, end)`: working time outside pauses.
    fn counted_until(&self, end: DateTime<Utc>) -> Result<TimeDelta, CalendarError> {
        if end <= self.start {
            return Ok(TimeDelta::zero());
        }
        let mut counted = self.calendar.business_time_between(self.start, end)?;
        for pause in self.pauses.iter().take_while(|p| p.from < end) {
            let until = pause.until.map_or(end, |u| u.min(end));
            counted -= self.calendar.business_time_between(pause.from, until)?;
        }
        Ok(counted)
    }
}

/// Pauses that matter for a clock started at `start`: empty ones dropped, the rest clipped to
/// begin no earlier than `start`, sorted, and overlapping or touching ones merged.
fn normalize(pauses: &[Period], start: DateTime<Utc>) -> Vec<Period> {
    let mut clipped: Vec<Period> = pauses
        .iter()
        .filter(|p| p.until.is_none_or(|until| until > p.from && until > start))
        .map(|p| Period {
            from: p.from.max(start),
            until: p.until,
        })
        .collect();
    clipped.sort_by_key(|p| p.from);
    let mut merged: Vec<Period> = Vec::with_capacity(clipped.len());
    for pause in clipped {
        match merged.last_mut() {
            Some(last) if last.until.is_none_or(|until| pause.from <= until) => {
                last.until = match (last.until, pause.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push(pause),
        }
    }
    merged
}
