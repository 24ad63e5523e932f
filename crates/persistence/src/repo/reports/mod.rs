//! What the reports read: the tickets a report's filters select that lived in its period, and
//! the facts about them (first article's channel, agents' articles, who changed states).
//! Every read takes ticket ids in chunks, so a report over many tickets stays within the
//! backends' limits on bound parameters.

pub mod saved;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::repo::ticket_list::{TicketFilter, apply_filter};
use crate::repo::tickets::TicketRow;
use crate::schema::{articles, history, tickets};

/// Ticket ids per statement.
const CHUNK: usize = 5_000;

/// The tickets matching `filter` that existed at some time in `[since, until)` and were not
/// finished all of it: created before `until`, and either not finished now or changed at or
/// after `since` (every closing, article or state change updates a ticket).
pub fn tickets_in_period(
    conn: &mut DbConnection,
    filter: &TicketFilter,
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<TicketRow>> {
    let query = tickets::table.select(TicketRow::as_select()).into_boxed();
    apply_filter(query, filter)
        .filter(tickets::created_at.lt(until))
        .filter(
            tickets::closed_at
                .is_null()
                .or(tickets::updated_at.ge(since)),
        )
        .order(tickets::id)
        .load(conn)
}

/// The channel of each ticket's first article.
pub fn first_channels(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let firsts: Vec<Option<i64>> = articles::table
            .filter(articles::ticket_id.eq_any(chunk))
            .group_by(articles::ticket_id)
            .select(diesel::dsl::min(articles::id))
            .load(conn)?;
        let firsts: Vec<i64> = firsts.into_iter().flatten().collect();
        for first in firsts.chunks(CHUNK) {
            out.extend(
                articles::table
                    .filter(articles::id.eq_any(first))
                    .select((articles::ticket_id, articles::channel))
                    .load::<(i64, String)>(conn)?,
            );
        }
    }
    Ok(out)
}

/// An article written by an agent, as the workload report counts it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AgentArticle {
    /// Ticket.
    pub ticket_id: i64,
    /// The agent.
    pub author_id: Option<i64>,
    /// Sent to the customer (a reply) or internal (a note).
    pub customer_visible: bool,
    /// Time recorded with it.
    pub time_accounted_minutes: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// The agents' articles on `ids` written in `[since, until)`.
pub fn agent_articles(
    conn: &mut DbConnection,
    ids: &[i64],
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<AgentArticle>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            articles::table
                .filter(articles::ticket_id.eq_any(chunk))
                .filter(articles::sender_type.eq("agent"))
                .filter(articles::created_at.ge(since))
                .filter(articles::created_at.lt(until))
                .select((
                    articles::ticket_id,
                    articles::author_id,
                    articles::customer_visible,
                    articles::time_accounted_minutes,
                    articles::created_at,
                ))
                .load::<AgentArticle>(conn)?,
        );
    }
    Ok(out)
}

/// Who changed the state of `ids`, and when, in `[since, until)`: `(ticket, actor, at)` from
/// the history (the state-type log has the same time, but no actor).
pub fn state_changes(
    conn: &mut DbConnection,
    ids: &[i64],
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(i64, Option<i64>, NaiveDateTime)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            history::table
                .filter(history::ticket_id.eq_any(chunk))
                .filter(history::kind.eq("state_changed"))
                .filter(history::created_at.ge(since))
                .filter(history::created_at.lt(until))
                .select((history::ticket_id, history::actor_id, history::created_at))
                .load::<(i64, Option<i64>, NaiveDateTime)>(conn)?,
        );
    }
    Ok(out)
}
