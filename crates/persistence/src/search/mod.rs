//! Full-text search: the one module with backend-specific search SQL. PostgreSQL keeps one
//! weighted `tsvector` per ticket and audience (GIN-indexed); SQLite keeps FTS5 rows per article
//! and per ticket title. Both are written in the transaction of the change they index; this
//! module writes them, [`matching`] turns a parsed query into conditions and ranks.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::connection::DbConnection;
use crate::repo::settings;

pub mod kb;
mod matching;

pub use matching::{
    collects_matches_first, condition, condition_from, ranks, relevance_slices, to_tsquery_text,
    tsquery_expression,
};

/// Most characters of one article's text that go into the index.
pub const MAX_INDEXED_CHARS: usize = 200_000;
/// A ticket's document stops growing at this many distinct lexemes (PostgreSQL limits a
/// tsvector to 1 MB); later articles of such a ticket are still found by their title.
const MAX_LEXEMES: i64 = 30_000;

/// Who is searching: agents see every article, customers only customer-visible ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Agents (and administrators).
    Agents,
    /// Customers.
    Customers,
}

/// The text of one article, as indexed.
#[derive(Debug, Clone)]
pub struct ArticleText<'a> {
    /// Article id.
    pub article_id: i64,
    /// Its ticket.
    pub ticket_id: i64,
    /// Customers may see it.
    pub customer_visible: bool,
    /// Subject.
    pub subject: &'a str,
    /// Sender address.
    pub sender: &'a str,
    /// Body plus attachment names and text.
    pub text: &'a str,
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(MAX_INDEXED_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The configured text-search configuration (PostgreSQL), validated to be a plain name.
pub fn language(conn: &mut DbConnection) -> QueryResult<String> {
    let value = settings::get(conn, "search_language")?.unwrap_or_else(|| "simple".into());
    let valid = !value.is_empty() && value.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    Ok(if valid { value } else { "simple".into() })
}

/// SQLite: (re)writes a ticket's title row (its articles have rows of their own).
fn index_title_sqlite(
    sqlite: &mut diesel::SqliteConnection,
    ticket_id: i64,
    title: &str,
    number: &str,
) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM search_titles WHERE rowid = ?")
        .bind::<BigInt, _>(ticket_id)
        .execute(sqlite)?;
    diesel::sql_query("INSERT INTO search_titles (rowid, title, number) VALUES (?, ?, ?)")
        .bind::<BigInt, _>(ticket_id)
        .bind::<Text, _>(title)
        .bind::<Text, _>(number)
        .execute(sqlite)
        .map(drop)
}

/// Indexes a ticket created in this transaction with its title, number and first article
/// (PostgreSQL: one document written once; SQLite: the title row and the article's row).
pub fn index_new_ticket(
    conn: &mut DbConnection,
    title: &str,
    number: &str,
    first: &ArticleText<'_>,
) -> QueryResult<()> {
    let text = truncate(first.text);
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query(format!(
                "INSERT INTO search_tickets (ticket_id, agent_document, customer_document) \
                 SELECT $1, t || a, CASE WHEN $2 THEN t || a ELSE t END \
                 FROM (SELECT setweight(to_tsvector('{config}', $3 || ' ' || $4), 'A') AS t, \
                              setweight(to_tsvector('{config}', $5), 'A') || setweight(to_tsvector('{config}', $6), 'B') \
                              || to_tsvector('{config}', $7) AS a) doc"
            ))
            .bind::<BigInt, _>(first.ticket_id)
            .bind::<Bool, _>(first.customer_visible)
            .bind::<Text, _>(title)
            .bind::<Text, _>(number)
            .bind::<Text, _>(first.subject)
            .bind::<Text, _>(first.sender)
            .bind::<Text, _>(text)
            .execute(pg)
            .map(drop)
        }
        DbConnection::Sqlite(sqlite) => {
            index_title_sqlite(sqlite, first.ticket_id, title, number)?;
            index_article(conn, first)
        }
    }
}

/// Adds an article to its ticket's index entry.
pub fn index_article(conn: &mut DbConnection, article: &ArticleText<'_>) -> QueryResult<()> {
    let text = truncate(article.text);
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query(format!(
                "UPDATE search_tickets SET \
                   agent_document = CASE WHEN length(agent_document) < {MAX_LEXEMES} THEN agent_document || d ELSE agent_document END, \
                   customer_document = CASE WHEN $2 AND length(customer_document) < {MAX_LEXEMES} \
                                            THEN customer_document || d ELSE customer_document END \
                 FROM (SELECT setweight(to_tsvector('{config}', $3), 'A') || setweight(to_tsvector('{config}', $4), 'B') \
                              || to_tsvector('{config}', $5) AS d) doc \
                 WHERE ticket_id = $1"
            ))
            .bind::<BigInt, _>(article.ticket_id)
            .bind::<Bool, _>(article.customer_visible)
            .bind::<Text, _>(article.subject)
            .bind::<Text, _>(article.sender)
            .bind::<Text, _>(text)
            .execute(pg)
            .map(drop)
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query("INSERT INTO search_articles (rowid, subject, sender, body) VALUES (?, ?, ?, ?)")
                .bind::<BigInt, _>(article.article_id)
                .bind::<Text, _>(article.subject)
                .bind::<Text, _>(article.sender)
                .bind::<Text, _>(text)
                .execute(sqlite)
                .map(drop)
        }
    }
}

/// Re-indexes one ticket from its stored title and articles (after a title change).
pub fn reindex_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    title: &str,
    number: &str,
) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(_) => {
            forget_range(conn, ticket_id, ticket_id)?;
            index_range(conn, ticket_id, ticket_id)
        }
        DbConnection::Sqlite(sqlite) => index_title_sqlite(sqlite, ticket_id, title, number),
    }
}

/// Removes the index entries of the tickets with ids in `from..=to` (before [`index_range`]
/// writes them again, in the same transaction, so that a rebuild never leaves a ticket
/// unsearchable).
pub fn forget_range(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query("DELETE FROM search_tickets WHERE ticket_id BETWEEN $1 AND $2")
                .bind::<BigInt, _>(from)
                .bind::<BigInt, _>(to)
                .execute(pg)?;
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query("DELETE FROM search_titles WHERE rowid BETWEEN ? AND ?")
                .bind::<BigInt, _>(from)
                .bind::<BigInt, _>(to)
                .execute(sqlite)?;
            diesel::sql_query(
                "DELETE FROM search_articles WHERE rowid IN \
                 (SELECT id FROM articles WHERE ticket_id BETWEEN ? AND ?)",
            )
            .bind::<BigInt, _>(from)
            .bind::<BigInt, _>(to)
            .execute(sqlite)?;
        }
    }
    Ok(())
}

/// Compacts the index after a rebuild, outside any transaction. PostgreSQL: vacuums away the
/// replaced documents and rebuilds the GIN indexes without blocking reads or writes — after a
/// rebuild their pages are half empty, and a rare word took 36 ms to look up instead of 0.3 ms
/// (docs/performance.md). SQLite: merges each FTS5 index into one segment.
pub fn compact(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        // Separate statements: several in one string would form one transaction block,
        // where neither may run.
        DbConnection::Postgresql(pg) => {
            pg.batch_execute("VACUUM ANALYZE search_tickets")?;
            pg.batch_execute("REINDEX TABLE CONCURRENTLY search_tickets")
        }
        DbConnection::Sqlite(sqlite) => sqlite.batch_execute(
            "INSERT INTO search_articles (search_articles) VALUES ('optimize');
             INSERT INTO search_titles (search_titles) VALUES ('optimize');",
        ),
    }
}

/// The lowest and highest ticket id, if there are tickets.
pub fn ticket_id_range(conn: &mut DbConnection) -> QueryResult<Option<(i64, i64)>> {
    use crate::schema::tickets;
    let (min, max): (Option<i64>, Option<i64>) = tickets::table
        .select((diesel::dsl::min(tickets::id), diesel::dsl::max(tickets::id)))
        .first(conn)?;
    Ok(min.zip(max))
}

/// Indexes the tickets with ids in `from..=to` that have no entry yet (bulk loads).
pub fn index_range(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<()> {
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute(&format!(
                "INSERT INTO search_tickets (ticket_id, agent_document, customer_document)
                 SELECT t.id,
                        setweight(to_tsvector('{config}', t.title || ' ' || t.number), 'A') || COALESCE(a.agent, ''),
                        setweight(to_tsvector('{config}', t.title || ' ' || t.number), 'A') || COALESCE(a.customer, '')
                 FROM tickets t
                 LEFT JOIN LATERAL (
                     SELECT tsvector_agg(d.doc) AS agent, tsvector_agg(d.doc) FILTER (WHERE d.visible) AS customer
                     FROM (SELECT ar.customer_visible AS visible,
                                  setweight(to_tsvector('{config}', ar.subject), 'A')
                                  || setweight(to_tsvector('{config}', COALESCE(ar.from_address, '')), 'B')
                                  || to_tsvector('{config}', left(b.body_text, {MAX_INDEXED_CHARS})) AS doc
                           FROM articles ar JOIN article_bodies b ON b.article_id = ar.id
                           WHERE ar.ticket_id = t.id ORDER BY ar.id) d
                 ) a ON TRUE
                 WHERE t.id BETWEEN {from} AND {to}
                 ON CONFLICT (ticket_id) DO NOTHING"
            ))
        }
        DbConnection::Sqlite(sqlite) => sqlite.batch_execute(&format!(
            "INSERT INTO search_titles (rowid, title, number) SELECT id, title, number FROM tickets WHERE id BETWEEN {from} AND {to};
             INSERT INTO search_articles (rowid, subject, sender, body)
             SELECT a.id, a.subject, COALESCE(a.from_address, ''), substr(b.body_text, 1, {MAX_INDEXED_CHARS})
             FROM articles a JOIN article_bodies b ON b.article_id = a.id WHERE a.ticket_id BETWEEN {from} AND {to};"
        )),
    }
}
