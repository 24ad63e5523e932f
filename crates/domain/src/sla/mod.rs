//! Service-level agreements: targets in business minutes and the deadlines they give a ticket
//! (pure: the caller supplies the calendar, the ticket's timeline and "now").
//!
//! # Rules
//! An [`Sla`] has up to three targets, each in business minutes on the ticket's [`Calendar`]:
//!
//! - **First response**: the clock starts when the ticket is created and stops at the first
//!   agent response to the customer.
//! - **Update**: the clock starts at the latest customer contact (the ticket's creation counts as
//!   one); every new customer article *restarts* it; an agent response after that contact stops
//!   it (the customer is no longer waiting), until the customer writes again.
//! - **Solution**: the clock starts when the ticket is created and stops when it is closed.
//!
//! Common to all three:
//!
//! - **Pausing.** Time spent in a non-counting state (by default `pending_reminder` and
//!   `pending_auto`; see [`Sla::paused_state_types`]) does not count: a clock's deadline is the
//!   moment at which the target's business time has elapsed *outside* pauses, so each pause
//!   shifts it by the business time the pause covered. While a ticket is paused its running
//!   clocks have no deadline, only the business time left ([`TargetStatus::remaining`]).
//! - **Closing stops everything**: every clock stops at `closed_at`. Earlier closed periods
//!   (closed, then reopened) count as pauses, so a reopened ticket resumes its clocks with the
//!   time that was left ([`Sla::state_history`] builds both from the state changes).
//! - **Breach.** A running clock is breached once `now` reaches its deadline; a stopped clock
//!   was breached when it stopped after its deadline (stopping exactly at it meets it).
//! - **Warning** at [`Sla::warning_percent`] of a target's time: `warn_at` is the moment that
//!   share of the business time has elapsed (pauses excluded, as for the deadline).
//! - **Escalation**: [`SlaEvaluation::escalation_at`] is the earliest deadline among clocks that
//!   have not stopped (breached or not). A paused clock only has a deadline if it was already
//!   breached before the pause, so a ticket breached and then set to pending stays escalated;
//!   any other paused clock is not due until the pause ends. Stopped clocks never escalate.
//!
//! [`Calendar`]: crate::calendar::Calendar

mod evaluate;
mod timeline;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarError;

pub use evaluate::{ClockState, SlaEvaluation, SlaTarget, TargetStatus};
pub use timeline::{Period, StateHistory, TicketTimeline};

/// The state types whose time does not count unless an SLA says otherwise.
pub const DEFAULT_PAUSED_STATE_TYPES: [&str; 2] = ["pending_reminder", "pending_auto"];

/// The state types in which a ticket counts as closed: every clock stops.
pub const CLOSED_STATE_TYPES: [&str; 3] = ["closed", "merged", "removed"];

/// The largest target, in business minutes (about 2 years of 24/7, 9 of office hours).
pub const MAX_TARGET_MINUTES: u32 = 1_000_000;

/// A validated SLA: targets in business minutes, warning share, non-counting state types.
///
/// Serialises as (and deserialises only valid) [`SlaSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SlaSpec", into = "SlaSpec")]
pub struct Sla {
    first_response_minutes: Option<u32>,
    update_minutes: Option<u32>,
    solution_minutes: Option<u32>,
    warning_percent: Option<u8>,
    paused_state_types: BTreeSet<String>,
}

/// The unvalidated settings of an [`Sla`]; turn them into one with [`Sla::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlaSpec {
    /// Business minutes until the first agent response is due.
    pub first_response_minutes: Option<u32>,
    /// Business minutes after a customer contact until an agent update is due.
    pub update_minutes: Option<u32>,
    /// Business minutes until the ticket must be closed.
    pub solution_minutes: Option<u32>,
    /// Warn when this share (1–99 %) of a target's time has elapsed; `None`: no warnings.
    pub warning_percent: Option<u8>,
    /// State types (`pending_reminder`, …) whose time does not count.
    pub paused_state_types: Vec<String>,
}

impl Default for SlaSpec {
    /// No targets, no warning, the pending state types paused.
    fn default() -> Self {
        Self {
            first_response_minutes: None,
            update_minutes: None,
            solution_minutes: None,
            warning_percent: None,
            paused_state_types: DEFAULT_PAUSED_STATE_TYPES.map(str::to_owned).to_vec(),
        }
    }
}

impl Sla {
    /// Validates `spec`: at least one target, each 1..=[`MAX_TARGET_MINUTES`]; a warning share
    /// of 1–99 %; state types in snake_case, none of them a closed type.
    pub fn new(spec: SlaSpec) -> Result<Self, CalendarError> {
        let invalid = |msg: String| Err(CalendarError::InvalidSla(msg));
        let targets = [
            ("first_response_minutes", spec.first_response_minutes),
            ("update_minutes", spec.update_minutes),
            ("solution_minutes", spec.solution_minutes),
        ];
        if targets.iter().all(|(_, m)| m.is_none()) {
            return invalid("set at least one of first response, update and solution time".into());
        }
        for (name, minutes) in targets {
            if minutes.is_some_and(|m| m == 0 || m > MAX_TARGET_MINUTES) {
                return invalid(format!("{name} must be between 1 and {MAX_TARGET_MINUTES}"));
            }
        }
        if spec.warning_percent.is_some_and(|p| p == 0 || p > 99) {
            return invalid("warning_percent must be between 1 and 99".into());
        }
        let mut paused = BTreeSet::new();
        for name in spec.paused_state_types {
            let name = name.trim().to_owned();
            let snake = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !snake {
                return invalid(format!("`{name}` is not a state type name"));
            }
            if CLOSED_STATE_TYPES.contains(&name.as_str()) {
                return invalid(format!(
                    "`{name}` stops all clocks already; it cannot pause"
                ));
            }
            paused.insert(name);
        }
        Ok(Self {
            first_response_minutes: spec.first_response_minutes,
            update_minutes: spec.update_minutes,
            solution_minutes: spec.solution_minutes,
            warning_percent: spec.warning_percent,
            paused_state_types: paused,
        })
    }

    /// The first-response target in business minutes, if any.
    pub fn first_response_minutes(&self) -> Option<u32> {
        self.first_response_minutes
    }

    /// The update target in business minutes, if any.
    pub fn update_minutes(&self) -> Option<u32> {
        self.update_minutes
    }

    /// The solution target in business minutes, if any.
    pub fn solution_minutes(&self) -> Option<u32> {
        self.solution_minutes
    }

    /// The target for one clock, if the SLA sets it.
    pub fn minutes(&self, target: SlaTarget) -> Option<u32> {
        match target {
            SlaTarget::FirstResponse => self.first_response_minutes,
            SlaTarget::Update => self.update_minutes,
            SlaTarget::Solution => self.solution_minutes,
        }
    }

    /// The share of a target's time after which to warn (1–99), if warnings are on.
    pub fn warning_percent(&self) -> Option<u8> {
        self.warning_percent
    }

    /// The state types whose time does not count.
    pub fn paused_state_types(&self) -> impl Iterator<Item = &str> {
        self.paused_state_types.iter().map(String::as_str)
    }

    /// Whether time in `state_type` does not count.
    pub fn pauses_in(&self, state_type: &str) -> bool {
        self.paused_state_types.contains(state_type)
    }

    /// The settings, e.g. to store or edit them.
    pub fn to_spec(&self) -> SlaSpec {
        SlaSpec::from(self.clone())
    }
}

impl TryFrom<SlaSpec> for Sla {
    type Error = CalendarError;

    fn try_from(spec: SlaSpec) -> Result<Self, Self::Error> {
        Self::new(spec)
    }
}

impl From<Sla> for SlaSpec {
    fn from(sla: Sla) -> Self {
        Self {
            first_response_minutes: sla.first_response_minutes,
            update_minutes: sla.update_minutes,
            solution_minutes: sla.solution_minutes,
            warning_percent: sla.warning_percent,
            paused_state_types: sla.paused_state_types.into_iter().collect(),
        }
    }
}
