//! Ticket relations and mass work (ADR 0008): links between tickets, merging one ticket into
//! another, splitting articles off into a new ticket, master/slave tickets, bulk changes as a
//! background job, and per-agent unread flags.

mod bulk;
mod links;
mod master;
mod merge;
mod split;
mod unread;

pub use bulk::{BulkOperations, BulkRequest, BulkResult, BulkRun, BulkStatus, MAX_BULK_TICKETS};
pub use links::{LinkedTicket, TicketLink};
pub use split::SplitRequest;
pub use unread::UnreadCounts;

pub(crate) use bulk::register;
pub(crate) use links::check_close;
pub(crate) use master::{after_state_change, fan_out_reply};
pub(crate) use merge::{follow_merge, resolve_merged};
pub(crate) use unread::{mark_read_if_newest, unread_flags};

use vakt_domain::rights::Access;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::NewHistory;
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::time::to_db;

use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::{find_row, scope};

/// A history entry for `ticket_id`.
fn entry(
    ticket_id: i64,
    actor: Option<i64>,
    kind: vakt_domain::ticket::HistoryKind,
    old: Option<String>,
    new: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> NewHistory {
    NewHistory {
        ticket_id,
        actor_id: actor,
        kind: kind.as_str().to_owned(),
        old_value: old,
        new_value: new,
        article_id: None,
        created_at: to_db(now),
    }
}

/// The other ticket of a relation, by id or number, if the caller may see it; a validation
/// error on `field` otherwise (an invisible ticket reads as a missing one).
fn other_ticket(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    key: &str,
    field: &str,
) -> ServiceResult<TicketRow> {
    match find_row(conn, key, true)? {
        Some(row) if access.can_see(&scope(reference, &row)) => Ok(row),
        _ => Err(ServiceError::invalid(
            field,
            "not_found",
            "no such ticket visible to you",
        )),
    }
}

/// Refuses changes by customers (relations are agents' work).
fn agents_only(access: &Access) -> ServiceResult<()> {
    if access.is_customer() {
        Err(ServiceError::Forbidden(
            "ticket relations are for agents".into(),
        ))
    } else {
        Ok(())
    }
}

/// Refuses relations to a merged ticket.
fn not_merged(row: &TicketRow) -> ServiceResult<()> {
    if row.merged_into_id.is_some() {
        Err(ServiceError::Conflict {
            code: "ticket_merged",
            detail: format!("ticket {} was merged into another ticket", row.number),
        })
    } else {
        Ok(())
    }
}

/// The history kinds whose values name another ticket (`… #<number>`).
const NAMING_KINDS: [&str; 6] = [
    "link_added",
    "link_removed",
    "merged_into",
    "merged_from",
    "split_off",
    "split_from",
];

/// What a history entry says instead of the number of a ticket the reader cannot see.
pub const HIDDEN_TICKET: &str = "(a ticket you cannot see)";

/// Replaces `#<number>` in relation history entries by [`HIDDEN_TICKET`] where the caller
/// cannot see that ticket, so the history tells no more than the links list.
pub(crate) fn hide_invisible_numbers(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    rows: &mut [vakt_persistence::repo::history::HistoryRow],
) -> ServiceResult<()> {
    let mut seen: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    for row in rows
        .iter_mut()
        .filter(|r| NAMING_KINDS.contains(&r.kind.as_str()))
    {
        for value in [&mut row.old_value, &mut row.new_value]
            .into_iter()
            .flatten()
        {
            let Some(number) = named_number(value) else {
                continue;
            };
            let shown = match seen.get(&number) {
                Some(shown) => *shown,
                None => {
                    let shown = vakt_persistence::repo::tickets::find_by_number(conn, &number)?
                        .is_some_and(|t| access.can_see(&scope(reference, &t)));
                    seen.insert(number.clone(), shown);
                    shown
                }
            };
            if !shown {
                *value = value.replace(&format!("#{number}"), HIDDEN_TICKET);
            }
        }
    }
    Ok(())
}

/// The ticket number after the first `#` of a history value.
fn named_number(value: &str) -> Option<String> {
    let rest = &value[value.find('#')? + 1..];
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!number.is_empty()).then_some(number)
}
