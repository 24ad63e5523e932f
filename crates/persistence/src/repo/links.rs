//! The `ticket_links` table (each link once, "source <kind> target"), the per-queue relation
//! rules, and the row moves of merging and splitting tickets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{articles, queue_relation_settings, ticket_links, ticket_watchers, tickets};

/// A stored link.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ticket_links)]
pub struct LinkRow {
    /// Id.
    pub id: i64,
    /// Canonical kind: `parent_of`, `depends_on`, `refers_to`, `duplicate_of`, `master_of`.
    pub kind: String,
    /// The ticket the kind is said of.
    pub source_id: i64,
    /// The other ticket.
    pub target_id: i64,
    /// Who linked them.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Stores a link; returns its id, or `None` when the same link exists.
pub fn insert(
    conn: &mut DbConnection,
    kind: &str,
    source_id: i64,
    target_id: i64,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    if find(conn, kind, source_id, target_id)?.is_some() {
        return Ok(None);
    }
    diesel::insert_into(ticket_links::table)
        .values((
            ticket_links::kind.eq(kind),
            ticket_links::source_id.eq(source_id),
            ticket_links::target_id.eq(target_id),
            ticket_links::created_by.eq(created_by),
            ticket_links::created_at.eq(now),
        ))
        .returning(ticket_links::id)
        .get_result(conn)
        .map(Some)
}

/// The link of `kind` from `source_id` to `target_id`, if stored.
pub fn find(
    conn: &mut DbConnection,
    kind: &str,
    source_id: i64,
    target_id: i64,
) -> QueryResult<Option<LinkRow>> {
    ticket_links::table
        .filter(ticket_links::kind.eq(kind))
        .filter(ticket_links::source_id.eq(source_id))
        .filter(ticket_links::target_id.eq(target_id))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// One link by id.
pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<LinkRow>> {
    ticket_links::table
        .find(id)
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// Removes a link; false when it was not there.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(ticket_links::table.find(id)).execute(conn)? == 1)
}

/// Every link of a ticket, either direction, oldest first.
pub fn of_ticket(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Vec<LinkRow>> {
    ticket_links::table
        .filter(
            ticket_links::source_id
                .eq(ticket_id)
                .or(ticket_links::target_id.eq(ticket_id)),
        )
        .order(ticket_links::id.asc())
        .select(LinkRow::as_select())
        .load(conn)
}

/// The targets of `kind` links from any of `sources` (one step of a graph walk).
pub fn targets_of(conn: &mut DbConnection, kind: &str, sources: &[i64]) -> QueryResult<Vec<i64>> {
    ticket_links::table
        .filter(ticket_links::kind.eq(kind))
        .filter(ticket_links::source_id.eq_any(sources.to_vec()))
        .select(ticket_links::target_id)
        .load(conn)
}

/// The sources of `kind` links to `target`.
pub fn sources_of(conn: &mut DbConnection, kind: &str, target: i64) -> QueryResult<Vec<i64>> {
    ticket_links::table
        .filter(ticket_links::kind.eq(kind))
        .filter(ticket_links::target_id.eq(target))
        .order(ticket_links::source_id.asc())
        .select(ticket_links::source_id)
        .load(conn)
}

/// How many tickets `ticket_id` depends on that are not finished (closed, merged, removed).
pub fn open_dependencies(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Vec<String>> {
    ticket_links::table
        .inner_join(tickets::table.on(tickets::id.eq(ticket_links::target_id)))
        .filter(ticket_links::kind.eq("depends_on"))
        .filter(ticket_links::source_id.eq(ticket_id))
        .filter(tickets::state_type.ne_all(["closed", "merged", "removed"]))
        .order(tickets::id.asc())
        .select(tickets::number)
        .load(conn)
}

/// Whether a queue refuses to close tickets with open dependencies.
pub fn close_needs_dependencies(conn: &mut DbConnection, queue_id: i64) -> QueryResult<bool> {
    Ok(queue_relation_settings::table
        .find(queue_id)
        .select(queue_relation_settings::close_needs_dependencies)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

/// Saves a queue's relation rule.
pub fn set_close_needs_dependencies(
    conn: &mut DbConnection,
    queue_id: i64,
    value: bool,
) -> QueryResult<()> {
    let updated = diesel::update(queue_relation_settings::table.find(queue_id))
        .set(queue_relation_settings::close_needs_dependencies.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(queue_relation_settings::table)
            .values((
                queue_relation_settings::queue_id.eq(queue_id),
                queue_relation_settings::close_needs_dependencies.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Moves the links of `from` to `to` (merging): links that would join `to` to itself, or that
/// `to` already has, are dropped. Returns how many moved.
pub fn move_links(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
    let mut moved = 0;
    for link in of_ticket(conn, from)? {
        let (source, target) = if link.source_id == from {
            (to, link.target_id)
        } else {
            (link.source_id, to)
        };
        diesel::delete(ticket_links::table.find(link.id)).execute(conn)?;
        if source != target && find(conn, &link.kind, source, target)?.is_none() {
            diesel::insert_into(ticket_links::table)
                .values((
                    ticket_links::kind.eq(&link.kind),
                    ticket_links::source_id.eq(source),
                    ticket_links::target_id.eq(target),
                    ticket_links::created_by.eq(link.created_by),
                    ticket_links::created_at.eq(link.created_at),
                ))
                .execute(conn)?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Moves articles (with their bodies and attachments, which hang off the article) to another
/// ticket; returns how many moved.
pub fn move_articles(conn: &mut DbConnection, article_ids: &[i64], to: i64) -> QueryResult<usize> {
    diesel::update(articles::table.filter(articles::id.eq_any(article_ids.to_vec())))
        .set(articles::ticket_id.eq(to))
        .execute(conn)
}

/// The ids of a ticket's articles from `from_article` on (all with `None`), oldest first.
pub fn article_ids(
    conn: &mut DbConnection,
    ticket_id: i64,
    from_article: Option<i64>,
) -> QueryResult<Vec<i64>> {
    let mut query = articles::table
        .filter(articles::ticket_id.eq(ticket_id))
        .order(articles::id.asc())
        .select(articles::id)
        .into_boxed();
    if let Some(from) = from_article {
        query = query.filter(articles::id.ge(from));
    }
    query.load(conn)
}

/// Minutes accounted on these articles.
pub fn minutes_of(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<i64> {
    let rows: Vec<i64> = articles::table
        .filter(articles::id.eq_any(article_ids.to_vec()))
        .select(articles::time_accounted_minutes)
        .load(conn)?;
    Ok(rows.into_iter().sum())
}

/// Moves the watchers of `from` to `to` (those already watching `to` stay once); returns the
/// user ids that moved.
pub fn move_watchers(
    conn: &mut DbConnection,
    from: i64,
    to: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let theirs: Vec<i64> = ticket_watchers::table
        .filter(ticket_watchers::ticket_id.eq(from))
        .select(ticket_watchers::user_id)
        .load(conn)?;
    let mut moved = Vec::new();
    for user in theirs {
        if crate::repo::watchers::add(conn, to, user, now)? {
            moved.push(user);
        }
    }
    diesel::delete(ticket_watchers::table.filter(ticket_watchers::ticket_id.eq(from)))
        .execute(conn)?;
    Ok(moved)
}

/// The ids of the tickets merged into `ticket_id` (directly or through others).
pub fn merged_into(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Vec<i64>> {
    let mut all = Vec::new();
    let mut frontier = vec![ticket_id];
    while !frontier.is_empty() && all.len() < 10_000 {
        let next: Vec<i64> = tickets::table
            .filter(tickets::merged_into_id.eq_any(frontier.clone()))
            .select(tickets::id)
            .load(conn)?;
        all.extend(next.iter().copied());
        frontier = next;
    }
    Ok(all)
}
