//! Recomputing one ticket: the SLA in force, the domain's evaluation of its timeline, and what
//! is stored from it — deadlines per clock, `escalation_at` on the ticket, the warning time, and
//! `check_at`, the next moment the escalation check has something to record.

use chrono::{DateTime, NaiveDateTime, Utc};
use vakt_domain::sla::{ClockState, SlaEvaluation, SlaTarget, TicketTimeline};
use vakt_domain::ticket::{HistoryKind, StateType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation::{self, MarkRow, TicketSlaRow};
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::time::{from_db, to_db};

use super::catalog::{Catalog, SlaDef};
use crate::error::ServiceResult;

/// The wire name of a clock (`first_response`, `update`, `solution`).
pub(crate) fn target_name(target: SlaTarget) -> &'static str {
    match target {
        SlaTarget::FirstResponse => "first_response",
        SlaTarget::Update => "update",
        SlaTarget::Solution => "solution",
    }
}

/// A ticket's `ticket_sla` row; the first time, its response facts are derived from its
/// articles (tickets from before SLAs existed, bulk-loaded ones, and new tickets whose first
/// article was just inserted).
pub(crate) fn sla_row(
    conn: &mut DbConnection,
    ticket_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<TicketSlaRow> {
    if let Some(row) = escalation::find(conn, ticket_id)? {
        return Ok(row);
    }
    let mut row = TicketSlaRow::empty(ticket_id, to_db(now));
    if let Some(facts) = escalation::article_facts(conn, &[ticket_id])?.pop() {
        row.first_agent_response_at = facts.first_agent;
        row.last_customer_contact_at = facts.last_customer;
        row.last_agent_response_at = facts.last_agent;
    }
    Ok(row)
}

/// The state-type log a ticket without one starts with, from its row: its current type since
/// creation when that counts (new, open), else open until it entered the current type (closing
/// time, or the last change for pending tickets). For a ticket just created both are exact.
pub(crate) fn initial_log(ticket: &TicketRow) -> Vec<(NaiveDateTime, String)> {
    let current = StateType::parse(&ticket.state_type);
    match current {
        Some(StateType::New | StateType::Open) | None => {
            vec![(ticket.created_at, ticket.state_type.clone())]
        }
        Some(other) => {
            let since = if other.is_finished() {
                ticket.closed_at.unwrap_or(ticket.updated_at)
            } else {
                ticket.updated_at
            };
            vec![
                (ticket.created_at, StateType::Open.as_str().to_owned()),
                (since.max(ticket.created_at), ticket.state_type.clone()),
            ]
        }
    }
}

/// A ticket's state-type log; a missing one is derived with [`initial_log`] and stored.
pub(crate) fn state_log(
    conn: &mut DbConnection,
    ticket: &TicketRow,
) -> ServiceResult<Vec<(DateTime<Utc>, String)>> {
    let rows = escalation::state_logs(conn, &[ticket.id])?;
    if !rows.is_empty() {
        return Ok(rows
            .into_iter()
            .map(|r| (from_db(r.since), r.state_type))
            .collect());
    }
    let initial = initial_log(ticket);
    for (since, state_type) in &initial {
        escalation::log_state(conn, ticket.id, state_type, *since)?;
    }
    Ok(initial
        .into_iter()
        .map(|(since, state_type)| (from_db(since), state_type))
        .collect())
}

/// The timeline the SLA rules read.
pub(crate) fn timeline(
    def: &SlaDef,
    ticket: &TicketRow,
    facts: &TicketSlaRow,
    log: &[(DateTime<Utc>, String)],
) -> TicketTimeline {
    let states = def
        .sla
        .state_history(log.iter().map(|(at, t)| (*at, t.as_str())));
    TicketTimeline {
        first_agent_response_at: facts.first_agent_response_at.map(from_db),
        last_customer_contact_at: facts.last_customer_contact_at.map(from_db),
        last_agent_response_at: facts.last_agent_response_at.map(from_db),
        ..TicketTimeline::new(from_db(ticket.created_at))
    }
    .with_states(states)
}

/// What is stored from an evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Deadlines {
    pub(crate) first_response: Option<NaiveDateTime>,
    pub(crate) update: Option<NaiveDateTime>,
    pub(crate) solution: Option<NaiveDateTime>,
    pub(crate) escalation_at: Option<NaiveDateTime>,
    pub(crate) warning_at: Option<NaiveDateTime>,
    pub(crate) check_at: Option<NaiveDateTime>,
}

/// Whether a mark of `kind` exists for the run of `target` that started at `started`.
pub(crate) fn marked(
    marks: &[MarkRow],
    target: SlaTarget,
    kind: &str,
    started: NaiveDateTime,
) -> bool {
    marks
        .iter()
        .any(|m| m.target == target_name(target) && m.kind == kind && m.clock_started_at == started)
}

/// The deadlines of running and paused clocks, and the next moment something unrecorded comes
/// due: a clock's warning time unless its warning or breach was recorded, its deadline unless
/// its breach was (a breach makes its warning moot).
pub(crate) fn deadlines(evaluation: &SlaEvaluation, marks: &[MarkRow]) -> Deadlines {
    let mut out = Deadlines {
        escalation_at: evaluation.escalation_at.map(to_db),
        warning_at: evaluation.warning_at.map(to_db),
        ..Deadlines::default()
    };
    for status in evaluation.targets() {
        if status.state == ClockState::Stopped {
            continue;
        }
        let due = status.due_at.map(to_db);
        match status.target {
            SlaTarget::FirstResponse => out.first_response = due,
            SlaTarget::Update => out.update = due,
            SlaTarget::Solution => out.solution = due,
        }
        let started = to_db(status.started_at);
        if marked(marks, status.target, "breach", started) {
            continue;
        }
        let warn = status
            .warn_at
            .filter(|_| !marked(marks, status.target, "warning", started));
        let next = match (warn, status.due_at) {
            (Some(w), Some(d)) => Some(w.min(d)),
            (w, d) => w.or(d),
        };
        if let Some(next) = next.map(to_db) {
            out.check_at = Some(out.check_at.map_or(next, |c| c.min(next)));
        }
    }
    out
}

/// Writes deadlines into the ticket's row.
pub(crate) fn apply(row: &mut TicketSlaRow, deadlines: &Deadlines, now: DateTime<Utc>) {
    row.first_response_due_at = deadlines.first_response;
    row.update_due_at = deadlines.update;
    row.solution_due_at = deadlines.solution;
    row.escalation_warning_at = deadlines.warning_at;
    row.check_at = deadlines.check_at;
    row.updated_at = to_db(now);
}

/// Evaluates a ticket under `def` at `now`; an SLA the calendar cannot serve (no working time
/// for years) yields no deadlines rather than an error, so that no job retries it for ever.
pub(crate) fn evaluate(
    conn: &mut DbConnection,
    def: &SlaDef,
    ticket: &TicketRow,
    facts: &TicketSlaRow,
    now: DateTime<Utc>,
) -> ServiceResult<Option<SlaEvaluation>> {
    let log = state_log(conn, ticket)?;
    let timeline = timeline(def, ticket, facts, &log);
    match def.sla.evaluate(&def.calendar, &timeline, now) {
        Ok(evaluation) => Ok(Some(evaluation)),
        Err(error) => {
            log::error!(
                "ticket {}: SLA {} cannot be evaluated: {error}",
                ticket.id,
                def.id
            );
            Ok(None)
        }
    }
}

/// Who changed a ticket, for the `sla_changed` entry a recomputation may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// A ticket inserted in this very transaction: the SLA it starts with is no change worth
    /// recording, and it has no `ticket_sla` row yet, so the row is inserted without first
    /// trying an update.
    NewTicket,
    /// A change by this user (`None`: the system).
    Change(Option<i64>),
}

/// Recomputes a ticket (its row locked by the caller, `ticket` current): the SLA in force
/// (recording a change as `sla_changed`), its deadlines and next check, written to
/// `ticket_sla` and the ticket's `sla_id`/`escalation_at`. Returns the ticket row as written.
pub(crate) fn refresh(
    conn: &mut DbConnection,
    catalog: &mut Catalog,
    ticket: &TicketRow,
    mut facts: TicketSlaRow,
    cause: Cause,
    now: DateTime<Utc>,
) -> ServiceResult<TicketRow> {
    let def = catalog.in_force(conn, ticket.service_id, ticket.queue_id)?;
    let sla_id = def.as_ref().map(|d| d.id);
    if let (true, Cause::Change(actor)) = (sla_id != ticket.sla_id, cause) {
        let old = match ticket.sla_id {
            Some(id) => catalog.sla(conn, id)?.map(|d| d.name.clone()),
            None => None,
        };
        history::append(
            conn,
            &[NewHistory {
                ticket_id: ticket.id,
                actor_id: actor,
                kind: HistoryKind::SlaChanged.as_str().to_owned(),
                old_value: old,
                new_value: def.as_ref().map(|d| d.name.clone()),
                article_id: None,
                created_at: to_db(now),
            }],
        )?;
    }
    let deadlines = match &def {
        None => Deadlines::default(),
        Some(def) => match evaluate(conn, def, ticket, &facts, now)? {
            Some(evaluation) => {
                let marks = escalation::marks(conn, &[ticket.id])?;
                deadlines(&evaluation, &marks)
            }
            None => Deadlines::default(),
        },
    };
    apply(&mut facts, &deadlines, now);
    if cause == Cause::NewTicket {
        escalation::insert(conn, &facts)?;
    } else {
        escalation::save(conn, &facts)?;
    }
    if sla_id != ticket.sla_id || deadlines.escalation_at != ticket.escalation_at {
        escalation::set_ticket_sla(conn, ticket.id, sla_id, deadlines.escalation_at)?;
    }
    Ok(TicketRow {
        sla_id,
        escalation_at: deadlines.escalation_at,
        ..ticket.clone()
    })
}
