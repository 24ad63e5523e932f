//! A ticket's SLA state as agents see it: the SLA in force and, per clock, the deadline, the
//! business time left, warning and breach — evaluated at the moment of reading.

use chrono::{DateTime, Utc};
use vakt_domain::sla::{ClockState, SlaTarget, TargetStatus};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation;
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::time::from_db;

use super::catalog::Catalog;
use super::compute::{self, initial_log, timeline};
use crate::error::ServiceResult;

/// One SLA clock of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetState {
    /// Which clock.
    pub target: SlaTarget,
    /// Running, paused (a pending state) or stopped (answered, responded to, closed).
    pub state: ClockState,
    /// When the clock (this run of it) started.
    pub started_at: DateTime<Utc>,
    /// When it stopped.
    pub stopped_at: Option<DateTime<Utc>>,
    /// The deadline (`None` while paused before reaching it: the pause moves it).
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning share of the time is used up.
    pub warn_at: Option<DateTime<Utc>>,
    /// Business minutes left (at the stop, for stopped clocks); negative when overdue.
    pub business_minutes_left: i64,
    /// The warning time has passed and the deadline has not.
    pub warning: bool,
    /// The deadline has passed (stopped clocks: they stopped after it).
    pub breached: bool,
}

/// A ticket's SLA state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSla {
    /// The SLA in force.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The earliest deadline of a clock that has not stopped.
    pub escalation_at: Option<DateTime<Utc>>,
    /// The earliest warning time of a clock that has not stopped.
    pub warning_at: Option<DateTime<Utc>>,
    /// A clock that has not stopped is past its deadline.
    pub escalated: bool,
    /// The first-response clock, if the SLA sets it.
    pub first_response: Option<TargetState>,
    /// The update clock.
    pub update: Option<TargetState>,
    /// The solution clock.
    pub solution: Option<TargetState>,
}

fn state(status: &TargetStatus) -> TargetState {
    TargetState {
        target: status.target,
        state: status.state,
        started_at: status.started_at,
        stopped_at: status.stopped_at,
        due_at: status.due_at,
        warn_at: status.warn_at,
        business_minutes_left: status.remaining.num_minutes(),
        warning: status.warning,
        breached: status.breached,
    }
}

/// The SLA state of a ticket at `now` (reads only; `None` without an SLA in force).
pub(crate) fn ticket_sla(
    conn: &mut DbConnection,
    ticket: &TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<Option<TicketSla>> {
    let Some(id) = ticket.sla_id else {
        return Ok(None);
    };
    let Some(def) = Catalog::new().sla(conn, id)? else {
        return Ok(None);
    };
    let facts = compute::sla_row(conn, ticket.id, now)?;
    let rows = escalation::state_logs(conn, &[ticket.id])?;
    let log: Vec<(DateTime<Utc>, String)> = if rows.is_empty() {
        initial_log(ticket)
            .into_iter()
            .map(|(at, t)| (from_db(at), t))
            .collect()
    } else {
        rows.into_iter()
            .map(|r| (from_db(r.since), r.state_type))
            .collect()
    };
    let timeline = timeline(&def, ticket, &facts, &log);
    let evaluation = match def.sla.evaluate(&def.calendar, &timeline, now) {
        Ok(evaluation) => evaluation,
        Err(error) => {
            log::warn!(
                "ticket {}: SLA {id} cannot be evaluated: {error}",
                ticket.id
            );
            return Ok(None);
        }
    };
    Ok(Some(TicketSla {
        id: def.id,
        name: def.name.clone(),
        escalated: evaluation.is_escalated(),
        escalation_at: evaluation.escalation_at,
        warning_at: evaluation.warning_at,
        first_response: evaluation.get(SlaTarget::FirstResponse).map(state),
        update: evaluation.get(SlaTarget::Update).map(state),
        solution: evaluation.get(SlaTarget::Solution).map(state),
    }))
}
