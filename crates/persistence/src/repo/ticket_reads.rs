//! The `ticket_reads` table: per agent and ticket, the article count they last read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::ticket_reads;

/// Marks a ticket read at `article_count` articles; returns false when it already was.
pub fn mark_read(
    conn: &mut DbConnection,
    user_id: i64,
    ticket_id: i64,
    article_count: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let current = read_count(conn, user_id, ticket_id)?;
    match current {
        Some(count) if count >= article_count => Ok(false),
        Some(_) => {
            diesel::update(ticket_reads::table.find((user_id, ticket_id)))
                .set((
                    ticket_reads::read_count.eq(article_count),
                    ticket_reads::read_at.eq(now),
                ))
                .execute(conn)?;
            Ok(true)
        }
        None => {
            diesel::insert_into(ticket_reads::table)
                .values((
                    ticket_reads::user_id.eq(user_id),
                    ticket_reads::ticket_id.eq(ticket_id),
                    ticket_reads::read_count.eq(article_count),
                    ticket_reads::read_at.eq(now),
                ))
                .execute(conn)?;
            Ok(true)
        }
    }
}

/// Marks a ticket unread for one agent.
pub fn mark_unread(conn: &mut DbConnection, user_id: i64, ticket_id: i64) -> QueryResult<()> {
    diesel::delete(ticket_reads::table.find((user_id, ticket_id))).execute(conn)?;
    Ok(())
}

/// The article count an agent last read a ticket at.
pub fn read_count(
    conn: &mut DbConnection,
    user_id: i64,
    ticket_id: i64,
) -> QueryResult<Option<i64>> {
    ticket_reads::table
        .find((user_id, ticket_id))
        .select(ticket_reads::read_count)
        .first(conn)
        .optional()
}

/// The read counts of one agent for these tickets: (ticket id, read count).
pub fn read_counts(
    conn: &mut DbConnection,
    user_id: i64,
    ticket_ids: &[i64],
) -> QueryResult<Vec<(i64, i64)>> {
    ticket_reads::table
        .filter(ticket_reads::user_id.eq(user_id))
        .filter(ticket_reads::ticket_id.eq_any(ticket_ids.to_vec()))
        .select((ticket_reads::ticket_id, ticket_reads::read_count))
        .load(conn)
}

/// After articles left a ticket (split): readers who had read it all still have; others keep
/// at most the new count.
pub fn articles_left(
    conn: &mut DbConnection,
    ticket_id: i64,
    old_count: i64,
    new_count: i64,
) -> QueryResult<()> {
    diesel::update(
        ticket_reads::table
            .filter(ticket_reads::ticket_id.eq(ticket_id))
            .filter(
                ticket_reads::read_count
                    .ge(old_count)
                    .or(ticket_reads::read_count.gt(new_count)),
            ),
    )
    .set(ticket_reads::read_count.eq(new_count))
    .execute(conn)?;
    Ok(())
}

/// The SQL condition "`tickets.id` is unread by `user_id`" (or read, with `unread` false), for
/// the list filter. `user_id` is a number, so the text is safe to embed.
pub fn unread_condition(user_id: i64, unread: bool) -> String {
    format!(
        "{} EXISTS (SELECT 1 FROM ticket_reads r WHERE r.user_id = {user_id} \
         AND r.ticket_id = tickets.id AND r.read_count >= tickets.article_count)",
        if unread { "NOT" } else { "" }
    )
}
