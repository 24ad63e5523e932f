//! Tickets: creation, reading, lists, changes, ownership, articles, attachments, watchers and
//! history. Every use case loads the caller's access, checks it against the ticket, and writes
//! the change, its history and the queue counters in one transaction.

pub(crate) mod articles;
mod attachments;
mod create;
pub(crate) mod customer;
mod fields;
mod history;
mod list;
pub(crate) mod update;
mod view;

pub use articles::{Article, ArticleKind, NewArticle};
pub use attachments::{AttachmentMeta, NewAttachment};
pub(crate) use attachments::{clean_content_type, clean_filename};
pub use create::NewTicket;
pub use customer::CustomerRef;
pub use history::HistoryEntry;
pub(crate) use list::load_ticket;
pub use list::{COUNT_CAP, OwnerQuery, SORTS, TicketQuery, parse_sort};
pub use update::TicketChanges;
pub use view::{IdName, PersonRef, SearchHit, StateRef, Ticket};

use vakt_domain::rights::{Access, Right, TicketScope};
use vakt_domain::ticket::looks_like_ticket_number;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::tickets::{self, TicketRow};

use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;

/// Finds a ticket by id or number (numbers are all digits, 8 or more of them).
pub(crate) fn find_row(
    conn: &mut DbConnection,
    key: &str,
    for_update: bool,
) -> ServiceResult<Option<TicketRow>> {
    let key = key.trim();
    let by_id = |conn: &mut DbConnection, id: i64| {
        if for_update {
            tickets::find_for_update(conn, id)
        } else {
            tickets::find(conn, id)
        }
    };
    if looks_like_ticket_number(key)
        && let Some(row) = tickets::find_by_number(conn, key)?
    {
        return Ok(if for_update {
            by_id(conn, row.id)?
        } else {
            Some(row)
        });
    }
    match key.parse::<i64>() {
        Ok(id) => Ok(by_id(conn, id)?),
        Err(_) => Ok(None),
    }
}

/// The facts that decide access to a ticket.
pub(crate) fn scope(reference: &Reference, row: &TicketRow) -> TicketScope {
    TicketScope {
        group_id: reference.queue(row.queue_id).map_or(-1, |q| q.group_id),
        owner_id: row.owner_id,
        responsible_id: row.responsible_id,
        customer_id: row.customer_id,
        company_id: row.company_id,
    }
}

/// The ticket behind `key` if the caller may see it; "not found" otherwise, so that an
/// invisible ticket cannot be told from a missing one.
pub(crate) fn visible(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    key: &str,
    for_update: bool,
) -> ServiceResult<TicketRow> {
    match find_row(conn, key, for_update)? {
        Some(row) if access.can_see(&scope(reference, &row)) => Ok(row),
        _ => Err(ServiceError::NotFound("ticket")),
    }
}

/// Fails with 403 unless the caller has `right` on the ticket.
pub(crate) fn require(
    access: &Access,
    reference: &Reference,
    row: &TicketRow,
    right: Right,
) -> ServiceResult<()> {
    if access.can(&scope(reference, row), right) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "this needs the `{}` right on the ticket's queue",
            right.as_str()
        )))
    }
}

/// Checks an `If-Match` version.
pub(crate) fn check_version(row: &TicketRow, expected: Option<i64>) -> ServiceResult<()> {
    match expected {
        Some(version) if version != row.version => Err(ServiceError::PreconditionFailed),
        _ => Ok(()),
    }
}

pub(crate) use view::build_one as view_one;
