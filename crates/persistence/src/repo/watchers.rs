//! The `ticket_watchers` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::ticket_watchers;

/// Adds a watcher; returns false when they already watch.
pub fn add(
    conn: &mut DbConnection,
    ticket_id: i64,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists = diesel::select(diesel::dsl::exists(
        ticket_watchers::table.find((ticket_id, user_id)),
    ))
    .get_result::<bool>(conn)?;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(ticket_watchers::table)
        .values((
            ticket_watchers::ticket_id.eq(ticket_id),
            ticket_watchers::user_id.eq(user_id),
            ticket_watchers::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Removes a watcher; returns false when they did not watch.
pub fn remove(conn: &mut DbConnection, ticket_id: i64, user_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(ticket_watchers::table.find((ticket_id, user_id))).execute(conn)? == 1)
}

/// The watchers' user ids of a ticket.
pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Vec<i64>> {
    ticket_watchers::table
        .filter(ticket_watchers::ticket_id.eq(ticket_id))
        .order(ticket_watchers::created_at.asc())
        .select(ticket_watchers::user_id)
        .load(conn)
}
