//! Who has a ticket open right now (`ticket_presence`), and the log of presence changes that
//! the live-update poller of every server process reads (`presence_events`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{presence_events, ticket_presence};

/// One agent on one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ticket_presence)]
pub struct PresenceRow {
    /// Ticket.
    pub ticket_id: i64,
    /// Agent.
    pub user_id: i64,
    /// Writing an answer.
    pub composing: bool,
    /// Gone unless renewed by then.
    pub expires_at: NaiveDateTime,
    /// Last renewed.
    pub updated_at: NaiveDateTime,
}

/// Records (or renews) an agent's presence on a ticket.
pub fn upsert(
    conn: &mut DbConnection,
    ticket_id: i64,
    user_id: i64,
    composing: bool,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(ticket_presence::table.find((ticket_id, user_id)))
        .set((
            ticket_presence::composing.eq(composing),
            ticket_presence::expires_at.eq(expires_at),
            ticket_presence::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(ticket_presence::table)
            .values((
                ticket_presence::ticket_id.eq(ticket_id),
                ticket_presence::user_id.eq(user_id),
                ticket_presence::composing.eq(composing),
                ticket_presence::expires_at.eq(expires_at),
                ticket_presence::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes an agent's presence; returns whether it was there and not yet expired.
pub fn remove(
    conn: &mut DbConnection,
    ticket_id: i64,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let live = diesel::delete(
        ticket_presence::table
            .find((ticket_id, user_id))
            .filter(ticket_presence::expires_at.gt(now)),
    )
    .execute(conn)?;
    diesel::delete(ticket_presence::table.find((ticket_id, user_id))).execute(conn)?;
    Ok(live == 1)
}

/// The agents present on a ticket now, longest there first.
pub fn on_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<PresenceRow>> {
    ticket_presence::table
        .filter(ticket_presence::ticket_id.eq(ticket_id))
        .filter(ticket_presence::expires_at.gt(now))
        .order((ticket_presence::user_id.asc(),))
        .select(PresenceRow::as_select())
        .load(conn)
}

/// Deletes presences that expired before `before`.
pub fn purge_expired(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(ticket_presence::table.filter(ticket_presence::expires_at.lt(before)))
        .execute(conn)
}

/// A presence change.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = presence_events)]
pub struct PresenceEventRow {
    /// Id (order of the changes).
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Agent.
    pub user_id: i64,
    /// There (`false`: left).
    pub present: bool,
    /// Writing an answer.
    pub composing: bool,
    /// Gone unless renewed by then.
    pub expires_at: Option<NaiveDateTime>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Logs a presence change.
pub fn log_change(
    conn: &mut DbConnection,
    ticket_id: i64,
    user_id: i64,
    present: bool,
    composing: bool,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(presence_events::table)
        .values((
            presence_events::ticket_id.eq(ticket_id),
            presence_events::user_id.eq(user_id),
            presence_events::present.eq(present),
            presence_events::composing.eq(composing),
            presence_events::expires_at.eq(expires_at),
            presence_events::created_at.eq(now),
        ))
        .returning(presence_events::id)
        .get_result(conn)
}

/// Presence changes after `after_id` (up to `upto`), oldest first.
pub fn changes_after(
    conn: &mut DbConnection,
    after_id: i64,
    upto: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<PresenceEventRow>> {
    let mut query = presence_events::table
        .filter(presence_events::id.gt(after_id))
        .order(presence_events::id.asc())
        .select(PresenceEventRow::as_select())
        .into_boxed();
    if let Some(upto) = upto {
        query = query.filter(presence_events::id.le(upto));
    }
    query.limit(limit).load(conn)
}

/// The highest presence change id (0 when there is none).
pub fn max_change_id(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(presence_events::table
        .select(diesel::dsl::max(presence_events::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Deletes presence changes logged before `before`, always keeping the newest (so that the
/// highest id, where a poller starts, never goes back).
pub fn purge_changes(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    let newest = max_change_id(conn)?;
    diesel::delete(
        presence_events::table
            .filter(presence_events::created_at.lt(before))
            .filter(presence_events::id.lt(newest)),
    )
    .execute(conn)
}
