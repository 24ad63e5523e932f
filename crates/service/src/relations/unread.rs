//! Unread flags: per agent, whether a ticket has articles they have not read. A ticket is read
//! at its article count when its zoom lists the newest article (or the agent marks it read);
//! any later article makes it unread again. One row per agent and ticket they have read, so
//! lists look the flags of a page up by primary key and filter with an anti-join.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::rights::Access;
use vakt_domain::ticket::StateType;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::ticket_reads;
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::time::to_db;

use super::agents_only;
use crate::error::ServiceResult;
use crate::reference::Reference;
use crate::tickets::{COUNT_CAP, OwnerQuery, TicketQuery, visible};
use crate::{Services, access};

/// The unread flags of `rows` for an agent (none for customers).
pub(crate) fn unread_flags(
    conn: &mut DbConnection,
    access: &Access,
    rows: &[TicketRow],
) -> ServiceResult<HashMap<i64, bool>> {
    if access.is_customer() || rows.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let read: HashMap<i64, i64> = ticket_reads::read_counts(conn, access.principal.user_id, &ids)?
        .into_iter()
        .collect();
    Ok(rows
        .iter()
        .map(|r| (r.id, read.get(&r.id).is_none_or(|c| *c < r.article_count)))
        .collect())
}

/// Marks `row` read for an agent who was just shown its newest article.
pub(crate) fn mark_read_if_newest(
    conn: &mut DbConnection,
    access: &Access,
    row: &TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if access.is_customer() {
        return Ok(());
    }
    let user = access.principal.user_id;
    if ticket_reads::read_count(conn, user, row.id)?.is_some_and(|c| c >= row.article_count) {
        return Ok(());
    }
    conn.write_transaction(|conn| {
        ticket_reads::mark_read(conn, user, row.id, row.article_count, to_db(now))
    })?;
    Ok(())
}

/// How many tickets have unread articles for the calling agent, each count capped at
/// [`COUNT_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnreadCounts {
    /// Open tickets they own.
    pub owned: i64,
    /// Open tickets they watch.
    pub watched: i64,
    /// Open tickets they can see.
    pub all: i64,
    /// Whether a count reached the cap.
    pub capped: bool,
}

/// The state types of work still to do.
const OPEN_TYPES: [StateType; 4] = [
    StateType::New,
    StateType::Open,
    StateType::PendingReminder,
    StateType::PendingAuto,
];

impl Services {
    /// Marks a ticket read (`read` true) or unread for the calling agent.
    pub fn mark_ticket_read(&self, actor: &Principal, key: &str, read: bool) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, false)?;
            agents_only(&access)?;
            if read {
                ticket_reads::mark_read(
                    conn,
                    actor.user_id,
                    row.id,
                    row.article_count,
                    to_db(now),
                )?;
            } else {
                ticket_reads::mark_unread(conn, actor.user_id, row.id)?;
            }
            Ok(())
        })
    }

    /// The calling agent's unread counts (zero for customers).
    pub fn unread_counts(&self, actor: &Principal) -> ServiceResult<UnreadCounts> {
        if !actor.is_agent() && !actor.is_admin() {
            return Ok(UnreadCounts::default());
        }
        let open = Some(OPEN_TYPES.to_vec());
        let base = TicketQuery {
            state_types: open,
            unread: Some(true),
            ..TicketQuery::default()
        };
        let (owned, c1) = self.count_tickets(
            actor,
            &TicketQuery {
                owner: Some(OwnerQuery::Me),
                ..base.clone()
            },
            COUNT_CAP,
        )?;
        let (watched, c2) = self.count_tickets(
            actor,
            &TicketQuery {
                watched_by_me: true,
                ..base.clone()
            },
            COUNT_CAP,
        )?;
        let (all, c3) = self.count_tickets(actor, &base, COUNT_CAP)?;
        Ok(UnreadCounts {
            owned,
            watched,
            all,
            capped: c1 || c2 || c3,
        })
    }
}
