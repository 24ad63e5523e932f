//! The facts about a ticket that the SLA rules read, as the service layer stores them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CLOSED_STATE_TYPES, Sla};

/// A stretch of time `[from, until)`; `until: None` means it is still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive); `None` while it lasts.
    pub until: Option<DateTime<Utc>>,
}

impl Period {
    /// A finished period.
    pub fn between(from: DateTime<Utc>, until: DateTime<Utc>) -> Self {
        Self {
            from,
            until: Some(until),
        }
    }

    /// A period that has not ended.
    pub fn since(from: DateTime<Utc>) -> Self {
        Self { from, until: None }
    }

    /// Whether `t` lies inside the period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && self.until.is_none_or(|until| t < until)
    }
}

/// What the SLA rules need to know about one ticket: stored ticket fields plus the periods in
/// non-counting states (see [`Sla::state_history`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTimeline {
    /// When the ticket was created: starts the first-response and solution clocks, and counts
    /// as the first customer contact.
    pub created_at: DateTime<Utc>,
    /// The first agent article sent to the customer: stops the first-response clock.
    pub first_agent_response_at: Option<DateTime<Utc>>,
    /// The latest customer article: restarts the update clock.
    pub last_customer_contact_at: Option<DateTime<Utc>>,
    /// The latest agent article sent to the customer: stops the update clock when it comes at
    /// or after the latest customer contact.
    pub last_agent_response_at: Option<DateTime<Utc>>,
    /// Periods whose time does not count (in any order; overlaps are fine).
    pub paused: Vec<Period>,
    /// When the ticket was closed, if it is closed now: stops every clock.
    pub closed_at: Option<DateTime<Utc>>,
}

impl TicketTimeline {
    /// A ticket created at `created_at` that nothing has happened to yet.
    pub fn new(created_at: DateTime<Utc>) -> Self {
        Self {
            created_at,
            first_agent_response_at: None,
            last_customer_contact_at: None,
            last_agent_response_at: None,
            paused: Vec::new(),
            closed_at: None,
        }
    }

    /// Takes the pauses and closing time from a ticket's state history.
    pub fn with_states(mut self, states: StateHistory) -> Self {
        self.paused = states.paused;
        self.closed_at = states.closed_at;
        self
    }
}

/// The pauses and the closing time that a ticket's state changes imply under an SLA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateHistory {
    /// Periods in a paused state type, and earlier closed periods (closed, then reopened).
    pub paused: Vec<Period>,
    /// When the ticket entered the closed state it is in now, if it is closed.
    pub closed_at: Option<DateTime<Utc>>,
}

impl Sla {
    /// Reads a ticket's state changes `(when, new state type)` — including the initial state at
    /// creation — into pauses and a closing time. Changes are taken in time order; state types
    /// in [`Sla::paused_state_types`] pause, those in [`CLOSED_STATE_TYPES`] close.
    pub fn state_history<I, S>(&self, changes: I) -> StateHistory
    where
        I: IntoIterator<Item = (DateTime<Utc>, S)>,
        S: AsRef<str>,
    {
        let mut changes: Vec<(DateTime<Utc>, S)> = changes.into_iter().collect();
        changes.sort_by_key(|(at, _)| *at);
        let mut history = StateHistory::default();
        let mut stopped_since: Option<DateTime<Utc>> = None;
        for (at, state_type) in changes {
            let state_type = state_type.as_ref();
            let closed = CLOSED_STATE_TYPES.contains(&state_type);
            let counts = !closed && !self.pauses_in(state_type);
            match (stopped_since, counts) {
                (Some(from), true) => {
                    history.paused.push(Period::between(from, at));
                    stopped_since = None;
                }
                (None, false) => stopped_since = Some(at),
                _ => {}
            }
            history.closed_at = match (closed, history.closed_at) {
                (true, None) => Some(at),
                (true, since) => since,
                (false, _) => None,
            };
        }
        if let Some(from) = stopped_since {
            history.paused.push(Period::since(from));
        }
        history
    }
}
