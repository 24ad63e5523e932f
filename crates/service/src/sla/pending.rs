//! Pending states and reminders coming due: `pending_auto` tickets change to their state's
//! next state (one `pending_auto` job per ticket, so that the workers of every process share
//! them), `pending_reminder` tickets and RT-style reminders get their `reminder_due` /
//! `ticket_reminder_due` history entry once.

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::ticket::{HistoryKind, StateType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::reminders;
use vakt_persistence::repo::tickets;
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobSpec, enqueue};
use crate::reference::{Reference, history_time};
use crate::tickets::update::Plan;

/// The job kind that changes one due `pending_auto` ticket.
pub(crate) const PENDING_AUTO: &str = "pending_auto";
/// Rows per transaction.
const BATCH: i64 = 500;

/// What one run of the pending check did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingReport {
    /// `pending_auto` jobs enqueued (one per due ticket not already queued).
    pub auto_changes_enqueued: u64,
    /// Pending reminders recorded.
    pub pending_reminders: u64,
    /// RT-style reminders recorded.
    pub reminders: u64,
}

fn entry(
    ticket_id: i64,
    kind: HistoryKind,
    old: Option<String>,
    new: String,
    now: DateTime<Utc>,
) -> NewHistory {
    NewHistory {
        ticket_id,
        actor_id: None,
        kind: kind.as_str().to_owned(),
        old_value: old,
        new_value: Some(new),
        article_id: None,
        created_at: to_db(now),
    }
}

/// Records the due pending reminders of one batch; returns how many.
fn pending_reminders(conn: &mut DbConnection, now: DateTime<Utc>) -> ServiceResult<(u64, bool)> {
    let due = escalation::due_reminders(conn, to_db(now), BATCH)?;
    if due.is_empty() {
        return Ok((0, false));
    }
    let locked = escalation::lock_tickets(conn, &due)?;
    let mut recorded = 0;
    let mut entries = Vec::new();
    for id in &locked {
        let (Some(ticket), Some(mut facts)) =
            (tickets::find(conn, *id)?, escalation::find(conn, *id)?)
        else {
            continue;
        };
        let due_at = facts.reminder_due_at.take();
        if ticket.state_type == StateType::PendingReminder.as_str()
            && ticket.pending_until == due_at
        {
            let whom = match ticket.owner_id {
                Some(owner) => format!("owner:{owner}"),
                None => format!("queue:{}", ticket.queue_id),
            };
            entries.push(entry(
                ticket.id,
                HistoryKind::ReminderDue,
                history_time(due_at.map(from_db)),
                whom,
                now,
            ));
            recorded += 1;
        }
        facts.updated_at = to_db(now);
        escalation::save(conn, &facts)?;
    }
    history::append(conn, &entries)?;
    Ok((recorded, !locked.is_empty()))
}

/// Records the due RT-style reminders of one batch; returns how many.
fn due_reminders(conn: &mut DbConnection, now: DateTime<Utc>) -> ServiceResult<(u64, bool)> {
    let due = reminders::due(conn, to_db(now), BATCH)?;
    let mut recorded = 0;
    let mut entries = Vec::new();
    for reminder in &due {
        // The conditional update makes each due time recorded once, whoever runs this.
        if reminders::mark_notified(conn, reminder.id, reminder.due_at, to_db(now))? {
            entries.push(entry(
                reminder.ticket_id,
                HistoryKind::TicketReminderDue,
                history_time(Some(from_db(reminder.due_at))),
                format!("#{} {}", reminder.id, reminder.subject),
                now,
            ));
            recorded += 1;
        }
    }
    history::append(conn, &entries)?;
    Ok((recorded, !due.is_empty()))
}

impl Services {
    /// The body of the periodic `sla_pending_check` job: enqueues a `pending_auto` job per due
    /// `pending_auto` ticket, and records due pending reminders (for the owner, or the queue of
    /// an unowned ticket) and due RT-style reminders, each once.
    pub fn check_pending(&self) -> ServiceResult<PendingReport> {
        let now = self.now();
        let mut conn = self.conn()?;
        let mut report = PendingReport::default();
        let due = escalation::due_pending(
            &mut conn,
            StateType::PendingAuto.as_str(),
            to_db(now),
            10 * BATCH,
        )?;
        conn.write_transaction(|conn| {
            for id in &due {
                let spec = JobSpec {
                    unique_key: Some(format!("{PENDING_AUTO}:{id}")),
                    ..JobSpec::new(PENDING_AUTO, json!({ "ticket_id": id }))
                };
                if enqueue(conn, &spec, now)?.is_some() {
                    report.auto_changes_enqueued += 1;
                }
            }
            Ok::<_, ServiceError>(())
        })?;
        loop {
            let (n, more) = conn.write_transaction(|conn| pending_reminders(conn, now))?;
            report.pending_reminders += n;
            if !more {
                break;
            }
        }
        loop {
            let (n, more) = conn.write_transaction(|conn| due_reminders(conn, now))?;
            report.reminders += n;
            if !more {
                break;
            }
        }
        Ok(report)
    }

    /// The body of a `pending_auto` job: changes the ticket to its state's next state (an
    /// inactive next state gives way to the first active state of its type), as the system,
    /// with history and counters. Returns false when the ticket is no longer due.
    pub fn run_pending_auto(&self, ticket_id: i64) -> ServiceResult<bool> {
        let now = self.now();
        let mut conn = self.conn()?;
        let changed = conn.write_transaction(|conn| {
            let Some(row) = tickets::find_for_update(conn, ticket_id)? else {
                return Ok(false);
            };
            let due = row.state_type == StateType::PendingAuto.as_str()
                && row.pending_until.is_some_and(|p| from_db(p) <= now);
            if !due {
                return Ok(false);
            }
            let reference = Reference::load(conn)?;
            let next = reference
                .state(row.state_id)
                .and_then(|s| s.next_state_id)
                .and_then(|id| reference.state(id))
                .ok_or_else(|| {
                    ServiceError::Internal(format!("state {} has no next state", row.state_id))
                })?;
            let target = if next.active {
                next.id
            } else {
                reference
                    .states
                    .iter()
                    .find(|s| s.active && s.state_type == next.state_type)
                    .map(|s| s.id)
                    .ok_or_else(|| {
                        ServiceError::Internal(format!(
                            "no active state of type {}",
                            next.state_type.as_str()
                        ))
                    })?
            };
            let mut plan = Plan::new(row, None, now);
            plan.set_state(&reference, Some(target), None)?;
            plan.commit(conn)?;
            Ok::<_, ServiceError>(true)
        })?;
        if changed {
            log::info!("ticket {ticket_id}: pending time reached, state changed automatically");
        }
        Ok(changed)
    }
}
