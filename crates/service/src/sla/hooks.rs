//! The calls `tickets::**` makes into this module; each is one small step inside the caller's
//! transaction.

use chrono::{DateTime, Utc};
use vakt_domain::ticket::{SenderType, StateType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation;
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::time::to_db;

use super::catalog::Catalog;
use super::compute::{self, Cause, refresh};
use crate::error::{ServiceError, ServiceResult};

/// After an article of `sender` was stored on `ticket_id`: a customer-visible agent article is
/// a response (first response, update answered), a customer article a new contact (the update
/// clock restarts). Locks the ticket, updates the facts and recomputes; internal notes and
/// system mail change nothing.
pub(crate) fn article_added(
    conn: &mut DbConnection,
    ticket_id: i64,
    sender: SenderType,
    customer_visible: bool,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Some(ticket) = tickets::find_for_update(conn, ticket_id)? else {
        return Ok(());
    };
    let facts = match escalation::find(conn, ticket_id)? {
        // The first article since SLAs exist: derived from the articles, this one included.
        // (A new ticket's first article goes through `ticket_created` instead.)
        None => compute::sla_row(conn, ticket_id, now)?,
        Some(mut row) => {
            if !count_article(&mut row, sender, customer_visible, to_db(now)) {
                return Ok(());
            }
            row
        }
    };
    refresh(
        conn,
        &mut Catalog::new(),
        &ticket,
        facts,
        Cause::Change(None),
        now,
    )?;
    Ok(())
}

/// Records in `row` an article stored `at` by `sender`: a customer-visible agent article is a
/// response, a customer article a contact. Whether it counted (internal notes and system mail
/// do not).
fn count_article(
    row: &mut escalation::TicketSlaRow,
    sender: SenderType,
    customer_visible: bool,
    at: chrono::NaiveDateTime,
) -> bool {
    match (sender, customer_visible) {
        (SenderType::Agent, true) => {
            row.first_agent_response_at =
                Some(row.first_agent_response_at.map_or(at, |t| t.min(at)));
            row.last_agent_response_at = Some(row.last_agent_response_at.map_or(at, |t| t.max(at)));
            true
        }
        (SenderType::Customer, _) => {
            row.last_customer_contact_at =
                Some(row.last_customer_contact_at.map_or(at, |t| t.max(at)));
            true
        }
        _ => false,
    }
}

/// After `Plan::commit` wrote `after` over `before`: a new state type is logged (pauses and
/// closing are read from the log), the pending reminder follows the state and pending time,
/// and a change of state type, queue or service recomputes. Returns the ticket row as it is
/// now (with its SLA and escalation time).
pub(crate) fn ticket_changed(
    conn: &mut DbConnection,
    before: &TicketRow,
    after: TicketRow,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<TicketRow> {
    let state_changed = before.state_type != after.state_type;
    let pending_changed = before.pending_until != after.pending_until;
    let moved = before.queue_id != after.queue_id || before.service_id != after.service_id;
    if !(state_changed || pending_changed || moved) {
        return Ok(after);
    }
    if state_changed {
        // A ticket without a log gets one from its row as it was before this change.
        compute::state_log(conn, before)?;
        escalation::log_state(conn, after.id, &after.state_type, to_db(now))?;
    }
    let mut facts = compute::sla_row(conn, after.id, now)?;
    if state_changed || pending_changed {
        facts.reminder_due_at = after
            .pending_until
            .filter(|_| after.state_type == StateType::PendingReminder.as_str());
    }
    if state_changed || moved {
        refresh(
            conn,
            &mut Catalog::new(),
            &after,
            facts,
            Cause::Change(actor),
            now,
        )
    } else {
        facts.updated_at = to_db(now);
        escalation::save(conn, &facts)?;
        Ok(after)
    }
}

/// Checks a service chosen for a ticket: it must exist and be active. Returns its full name.
pub(crate) fn check_service(
    conn: &mut DbConnection,
    service_id: Option<i64>,
) -> ServiceResult<Option<String>> {
    let Some(id) = service_id else {
        return Ok(None);
    };
    match Catalog::new().service(conn, id)? {
        Some(service) if service.active => Ok(Some(service.full_name)),
        _ => Err(ServiceError::invalid(
            "service_id",
            "not_found",
            "no such active service",
        )),
    }
}

/// A ticket and its first article were just inserted in this transaction (by `sender`,
/// `customer_visible`): computes its SLA from what is known, without reading anything back,
/// and inserts its `ticket_sla` row. Returns the ticket row as it is now (with its SLA and
/// escalation time).
pub(crate) fn ticket_created(
    conn: &mut DbConnection,
    ticket: &TicketRow,
    sender: SenderType,
    customer_visible: bool,
    now: DateTime<Utc>,
) -> ServiceResult<TicketRow> {
    let at = to_db(now);
    let mut facts = escalation::TicketSlaRow::empty(ticket.id, at);
    facts.reminder_due_at = ticket
        .pending_until
        .filter(|_| ticket.state_type == StateType::PendingReminder.as_str());
    count_article(&mut facts, sender, customer_visible, at);
    refresh(
        conn,
        &mut Catalog::new(),
        ticket,
        facts,
        Cause::NewTicket,
        now,
    )
}
