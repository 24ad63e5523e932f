//! The time side of tickets (SPEC §5, issue 7): business calendars, SLAs and services and
//! their administration; each ticket's SLA in force and its stored deadlines, recomputed in the
//! transaction of every change that moves them; the escalation check that records each warning
//! and breach once; pending states (automatic state changes, reminders); RT-style reminders.
//!
//! Business time and the SLA rules themselves live in `vakt_domain::{calendar, sla}`; this
//! module stores their inputs, feeds them the ticket's facts, and writes what they answer.
//!
//! # How deadlines stay current
//! - Every article insert ([`article_added`], called by `tickets::articles::insert`, which every
//!   article — API, portal, email — goes through) updates the ticket's response facts and
//!   recomputes.
//! - Every ticket change written by `tickets::update::Plan::commit` calls [`ticket_changed`]:
//!   a state-type change is logged (pauses and closing are read from that log) and, like a
//!   queue or service change, recomputes.
//! - Editing an SLA, a calendar, a service's SLA or a queue's default SLA enqueues a
//!   `sla_recompute` job for the open tickets concerned (never in the request).
//! - The periodic `sla_escalation_check` records warnings and breaches as they come due.

mod calendars;
mod catalog;
mod check;
mod compute;
mod hooks;
mod jobs;
mod pending;
mod reminders;
mod services;
mod slas;
mod view;

pub use calendars::{BusinessCalendar, CalendarInput};
pub use check::CheckReport;
pub use jobs::{SlaJobOptions, register};
pub use pending::PendingReport;
pub use reminders::{MyReminder, Reminder, ReminderInput};
pub use services::{Service, ServiceInput};
pub use slas::{QueueSla, SlaInput, SlaView};
pub use view::{TargetState, TicketSla};

pub(crate) use catalog::{Catalog, SlaDef};
pub(crate) use compute::{initial_log, target_name, timeline};
pub(crate) use hooks::{article_added, check_service, ticket_changed, ticket_created};
pub(crate) use view::ticket_sla;

use vakt_domain::ValidationError;
use vakt_domain::calendar::CalendarError;

use crate::error::ServiceError;

/// The stable field code of a calendar or SLA rule the domain refused.
fn calendar_code(error: &CalendarError) -> &'static str {
    match error {
        CalendarError::UnknownTimeZone(_) => "unknown_time_zone",
        CalendarError::InvalidTime(_) => "invalid_time",
        CalendarError::InvalidRange { .. } => "invalid_range",
        CalendarError::OverlappingRanges { .. } => "overlapping_ranges",
        CalendarError::InvalidHoliday(_) => "invalid_holiday",
        CalendarError::NoWorkingHours => "no_working_hours",
        CalendarError::InvalidSla(_) => "invalid",
        CalendarError::NoWorkingTime { .. }
        | CalendarError::NegativeDuration
        | CalendarError::OutOfRange => "invalid",
    }
}

/// A domain refusal as a field error with its stable code and the domain's message.
fn field_error(error: &CalendarError) -> ValidationError {
    ValidationError::new(calendar_code(error), error.to_string())
}

/// Maps a unique violation of a name to 409 `name_taken`.
fn name_taken(what: &'static str) -> impl Fn(diesel::result::Error) -> ServiceError {
    move |error| match vakt_persistence::unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: format!("a {what} with this name exists"),
        },
        None => error.into(),
    }
}
