//! The escalation check: tickets whose `check_at` has come are evaluated again and each warning
//! and breach that came due is recorded once — a mark keyed by ticket, clock, kind and the
//! start of the clock's run, and a history entry (`escalation_warning`/`escalation_breach`,
//! the target in `new_value`, the deadline in `old_value`) that notification workers read.
//!
//! Tickets are taken in batches, each batch one transaction with its tickets locked
//! (`FOR UPDATE SKIP LOCKED`: a ticket an agent is changing is left for the next run; the
//! agent's change recomputes it anyway). Everything a batch needs is loaded with a handful of
//! queries, whatever its size.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use vakt_domain::sla::ClockState;
use vakt_domain::ticket::HistoryKind;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation::{self, MarkRow, StateLogRow, TicketSlaRow};
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::schema;
use vakt_persistence::time::{from_db, to_db};

use super::catalog::Catalog;
use super::compute::{self, deadlines, marked, target_name, timeline};
use crate::Services;
use crate::error::ServiceResult;
use crate::reference::history_time;

/// Tickets per transaction.
pub const BATCH: i64 = 500;

/// What one run of the check did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Tickets evaluated.
    pub checked: u64,
    /// Warnings recorded.
    pub warnings: u64,
    /// Breaches recorded.
    pub breaches: u64,
    /// Tickets left for the next run because someone held them.
    pub skipped: u64,
}

fn load_tickets(conn: &mut DbConnection, ids: &[i64]) -> ServiceResult<Vec<TicketRow>> {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl, SelectableHelper};
    Ok(schema::tickets::table
        .filter(schema::tickets::id.eq_any(ids))
        .select(TicketRow::as_select())
        .load(conn)?)
}

/// Checks one batch: the due tickets after the keyset position, locked; returns the report
/// and the last position seen (`None`: nothing was due).
fn batch(
    conn: &mut DbConnection,
    catalog: &mut Catalog,
    now: DateTime<Utc>,
    limit: i64,
    skip: &[i64],
) -> ServiceResult<(CheckReport, Vec<i64>)> {
    let mut report = CheckReport::default();
    let due: Vec<i64> = escalation::due_checks(conn, to_db(now), limit + skip.len() as i64)?
        .into_iter()
        .filter(|id| !skip.contains(id))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    if due.is_empty() {
        return Ok((report, Vec::new()));
    }
    let locked = escalation::lock_tickets(conn, &due)?;
    let skipped: Vec<i64> = due
        .iter()
        .copied()
        .filter(|id| !locked.contains(id))
        .collect();
    report.skipped = skipped.len() as u64;
    let rows = load_tickets(conn, &locked)?;
    let mut facts: HashMap<i64, TicketSlaRow> = escalation::find_many(conn, &locked)?
        .into_iter()
        .map(|r| (r.ticket_id, r))
        .collect();
    let mut logs: HashMap<i64, Vec<StateLogRow>> = HashMap::new();
    for row in escalation::state_logs(conn, &locked)? {
        logs.entry(row.ticket_id).or_default().push(row);
    }
    let mut marks: HashMap<i64, Vec<MarkRow>> = HashMap::new();
    for mark in escalation::marks(conn, &locked)? {
        marks.entry(mark.ticket_id).or_default().push(mark);
    }
    let mut entries = Vec::new();
    for ticket in rows {
        let Some(mut row) = facts.remove(&ticket.id) else {
            continue;
        };
        report.checked += 1;
        let def = match ticket.sla_id {
            Some(id) => catalog.sla(conn, id)?,
            None => None,
        };
        let Some(def) = def else {
            row.check_at = None;
            escalation::save(conn, &row)?;
            continue;
        };
        let log: Vec<(DateTime<Utc>, String)> = match logs.remove(&ticket.id) {
            Some(rows) => rows
                .into_iter()
                .map(|r| (from_db(r.since), r.state_type))
                .collect(),
            None => compute::state_log(conn, &ticket)?,
        };
        let evaluation =
            match def
                .sla
                .evaluate(&def.calendar, &timeline(&def, &ticket, &row, &log), now)
            {
                Ok(evaluation) => evaluation,
                Err(error) => {
                    log::error!(
                        "ticket {}: SLA {} cannot be evaluated: {error}",
                        ticket.id,
                        def.id
                    );
                    row.check_at = None;
                    escalation::save(conn, &row)?;
                    continue;
                }
            };
        let mut ticket_marks = marks.remove(&ticket.id).unwrap_or_default();
        for status in evaluation.targets() {
            if status.state == ClockState::Stopped {
                continue;
            }
            let (Some(due_at), started) = (status.due_at, to_db(status.started_at)) else {
                continue;
            };
            if marked(&ticket_marks, status.target, "breach", started) {
                continue;
            }
            let (kind, mark_kind) = if status.breached {
                (HistoryKind::EscalationBreach, "breach")
            } else if status.warning && !marked(&ticket_marks, status.target, "warning", started) {
                (HistoryKind::EscalationWarning, "warning")
            } else {
                continue;
            };
            let mark = MarkRow {
                ticket_id: ticket.id,
                target: target_name(status.target).to_owned(),
                kind: mark_kind.to_owned(),
                clock_started_at: started,
                due_at: to_db(due_at),
                recorded_at: to_db(now),
            };
            if escalation::add_mark(conn, &mark)? {
                entries.push(NewHistory {
                    ticket_id: ticket.id,
                    actor_id: None,
                    kind: kind.as_str().to_owned(),
                    old_value: history_time(Some(due_at)),
                    new_value: Some(mark.target.clone()),
                    article_id: None,
                    created_at: to_db(now),
                });
                if kind == HistoryKind::EscalationBreach {
                    report.breaches += 1;
                } else {
                    report.warnings += 1;
                }
            }
            ticket_marks.push(mark);
        }
        let deadlines = deadlines(&evaluation, &ticket_marks);
        compute::apply(&mut row, &deadlines, now);
        if row.check_at.is_some_and(|c| c <= to_db(now)) {
            log::error!(
                "ticket {}: the escalation check did not advance; stopping its checks",
                ticket.id
            );
            row.check_at = None;
        }
        escalation::save(conn, &row)?;
        if deadlines.escalation_at != ticket.escalation_at {
            escalation::set_ticket_sla(conn, ticket.id, ticket.sla_id, deadlines.escalation_at)?;
        }
    }
    history::append(conn, &entries)?;
    Ok((report, skipped))
}

impl Services {
    /// Records the warnings and breaches that have come due (the body of the periodic
    /// `sla_escalation_check` job). Works through every due ticket in batches, stopping after
    /// `budget` so that one run does not hold a worker for ever; the next run continues.
    pub fn check_escalations(&self, budget: std::time::Duration) -> ServiceResult<CheckReport> {
        let started = Instant::now();
        let now = self.now();
        let mut conn = self.conn()?;
        let mut catalog = Catalog::new();
        let mut total = CheckReport::default();
        let mut skipped: Vec<i64> = Vec::new();
        loop {
            let (report, newly_skipped) =
                conn.write_transaction(|conn| batch(conn, &mut catalog, now, BATCH, &skipped))?;
            total.checked += report.checked;
            total.warnings += report.warnings;
            total.breaches += report.breaches;
            total.skipped += report.skipped;
            skipped.extend(newly_skipped);
            if report.checked == 0 || started.elapsed() >= budget {
                break;
            }
        }
        if total.warnings + total.breaches > 0 {
            log::info!(
                "escalation check: {} tickets, {} warnings, {} breaches recorded",
                total.checked,
                total.warnings,
                total.breaches
            );
        }
        Ok(total)
    }
}
