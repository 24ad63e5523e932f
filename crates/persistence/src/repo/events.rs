//! Reading the history log as an event stream: rows after a position, the facts about their
//! tickets and articles that decide who may see them, and — on PostgreSQL — the transaction
//! snapshot bounds that tell when a missing id can no longer appear.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::connection::DbConnection;
use crate::repo::history::HistoryRow;
use crate::schema::{article_bodies, articles, history, tickets};

/// History rows after `after_id` (up to `upto` when given), oldest first.
pub fn history_after(
    conn: &mut DbConnection,
    after_id: i64,
    upto: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<HistoryRow>> {
    let mut query = history::table
        .filter(history::id.gt(after_id))
        .order(history::id.asc())
        .select(HistoryRow::as_select())
        .into_boxed();
    if let Some(upto) = upto {
        query = query.filter(history::id.le(upto));
    }
    query.limit(limit).load(conn)
}

/// The highest history id (0 when the log is empty).
pub fn max_history_id(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(history::table
        .select(diesel::dsl::max(history::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// The bounds of the current transaction snapshot (PostgreSQL only): every transaction with an
/// id below `xmin` has ended; every one that started after the snapshot has an id ≥ `xmax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotBounds {
    /// The oldest transaction still running.
    pub xmin: i64,
    /// The first transaction id not yet assigned.
    pub xmax: i64,
}

#[derive(QueryableByName)]
struct BoundsRow {
    #[diesel(sql_type = BigInt)]
    xmin: i64,
    #[diesel(sql_type = BigInt)]
    xmax: i64,
}

/// The snapshot bounds on PostgreSQL; `None` on SQLite, where writers are serialised and a
/// lower id can never commit after a higher one.
pub fn snapshot_bounds(conn: &mut DbConnection) -> QueryResult<Option<SnapshotBounds>> {
    match conn {
        DbConnection::Postgresql(pg) => {
            let row: BoundsRow = diesel::sql_query(
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, \
                 pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax",
            )
            .get_result(pg)?;
            Ok(Some(SnapshotBounds {
                xmin: row.xmin,
                xmax: row.xmax,
            }))
        }
        DbConnection::Sqlite(_) => Ok(None),
    }
}

/// What decides who may see a ticket, and how it is named.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct TicketFacts {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue.
    pub queue_id: i64,
    /// State type.
    pub state_type: String,
    /// Owner.
    pub owner_id: Option<i64>,
    /// Responsible agent.
    pub responsible_id: Option<i64>,
    /// Customer user.
    pub customer_id: Option<i64>,
    /// Customer company.
    pub company_id: Option<i64>,
}

/// The facts of the given tickets.
pub fn ticket_facts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<TicketFacts>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    tickets::table
        .filter(tickets::id.eq_any(ids.to_vec()))
        .select(TicketFacts::as_select())
        .load(conn)
}

/// What an event needs to know about an article.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct ArticleFacts {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// `agent`, `customer` or `system`.
    pub sender_type: String,
    /// Visible to the customer (a reply), or internal (a note).
    pub customer_visible: bool,
    /// Author.
    pub author_id: Option<i64>,
}

/// The facts of the given articles.
pub fn article_facts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ArticleFacts>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    articles::table
        .filter(articles::id.eq_any(ids.to_vec()))
        .select(ArticleFacts::as_select())
        .load(conn)
}

/// The id of a ticket's first article.
pub fn first_article_id(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Option<i64>> {
    articles::table
        .filter(articles::ticket_id.eq(ticket_id))
        .select(diesel::dsl::min(articles::id))
        .first(conn)
}

/// The plain text of an article.
pub fn article_text(conn: &mut DbConnection, article_id: i64) -> QueryResult<Option<String>> {
    article_bodies::table
        .find(article_id)
        .select(article_bodies::body_text)
        .first(conn)
        .optional()
}

#[derive(QueryableByName)]
struct OwnerRow {
    #[diesel(sql_type = BigInt)]
    owner_id: i64,
}

/// The owner of a ticket reminder (RT-style to-do), if it exists.
pub fn reminder_owner(conn: &mut DbConnection, reminder_id: i64) -> QueryResult<Option<i64>> {
    let sql = "SELECT owner_id FROM reminders WHERE id = $1";
    let rows: Vec<OwnerRow> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(sql)
            .bind::<BigInt, _>(reminder_id)
            .load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql.replace('$', "?"))
            .bind::<BigInt, _>(reminder_id)
            .load(sqlite)?,
    };
    Ok(rows.first().map(|r| r.owner_id))
}
