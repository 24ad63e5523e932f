//! The append-only `history` table. There is deliberately no update or delete here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::history;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = history)]
pub struct HistoryRow {
    /// Id (also the event-log position).
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Who (none: the system).
    pub actor_id: Option<i64>,
    /// What kind of change (`created`, `state_changed`, …).
    pub kind: String,
    /// Value before.
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
    /// The article concerned.
    pub article_id: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A change to record.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = history)]
pub struct NewHistory {
    /// Ticket.
    pub ticket_id: i64,
    /// Who.
    pub actor_id: Option<i64>,
    /// Kind.
    pub kind: String,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
    /// Article.
    pub article_id: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Appends entries, in order (their ids ascend in the order given). PostgreSQL takes them in
/// one statement; SQLite one at a time (its `INSERT` has no `DEFAULT` for a missing value).
pub fn append(conn: &mut DbConnection, entries: &[NewHistory]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) if entries.len() > 1 => {
            diesel::insert_into(history::table)
                .values(entries)
                .execute(pg)?;
        }
        _ => {
            for entry in entries {
                diesel::insert_into(history::table)
                    .values(entry)
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// A ticket's history after `after_id`, oldest first.
pub fn for_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<HistoryRow>> {
    let mut query = history::table
        .filter(history::ticket_id.eq(ticket_id))
        .order(history::id.asc())
        .select(HistoryRow::as_select())
        .into_boxed();
    if let Some(after) = after_id {
        query = query.filter(history::id.gt(after));
    }
    query.limit(limit).load(conn)
}

/// The history of several tickets (a ticket and those merged into it) after `after_id`, in
/// time order.
pub fn for_tickets(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<HistoryRow>> {
    let mut query = history::table
        .filter(history::ticket_id.eq_any(ticket_ids.to_vec()))
        .order(history::id.asc())
        .select(HistoryRow::as_select())
        .into_boxed();
    if let Some(after) = after_id {
        query = query.filter(history::id.gt(after));
    }
    query.limit(limit).load(conn)
}
