//! Full-text search: the one module with backend-specific search SQL. PostgreSQL keeps one
//! weighted `tsvector` per ticket and audience (GIN-indexed); SQLite keeps FTS5 rows per article
//! and per ticket title. Both are written in the transaction of the change they index.
//!
//! Queries are rendered from the parsed [`Query`] into SQL text. Terms can only contain letters,
//! digits and `@ . - _ +` (the parser guarantees it), and are quoted as well, so the rendered
//! text cannot break out of its string literal.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Text};
use vakt_domain::search::{Field, Matcher, Query, Term};

use crate::connection::DbConnection;
use crate::repo::settings;

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
        DbConnection::Postgresql(pg) => {
            diesel::sql_query("DELETE FROM search_tickets WHERE ticket_id = $1")
                .bind::<BigInt, _>(ticket_id)
                .execute(pg)?;
            index_range(conn, ticket_id, ticket_id)
        }
        DbConnection::Sqlite(sqlite) => index_title_sqlite(sqlite, ticket_id, title, number),
    }
}

/// Rebuilds the whole index from tickets and articles (after a bulk load or a language
/// change). Only the first [`MAX_INDEXED_CHARS`] of each body are indexed; attachment text is
/// not re-read.
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<()> {
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute(&format!(
                "TRUNCATE search_tickets;
                 INSERT INTO search_tickets (ticket_id, agent_document, customer_document)
                 SELECT t.id,
                        setweight(to_tsvector('{config}', t.title || ' ' || t.number), 'A') || COALESCE(a.agent, ''),
                        setweight(to_tsvector('{config}', t.title || ' ' || t.number), 'A') || COALESCE(a.customer, '')
                 FROM tickets t
                 LEFT JOIN LATERAL (
                     SELECT tsvector_agg(d.doc) AS agent,
                            tsvector_agg(d.doc) FILTER (WHERE d.visible) AS customer
                     FROM (SELECT ar.customer_visible AS visible,
                                  setweight(to_tsvector('{config}', ar.subject), 'A')
                                  || setweight(to_tsvector('{config}', COALESCE(ar.from_address, '')), 'B')
                                  || to_tsvector('{config}', left(b.body_text, {MAX_INDEXED_CHARS})) AS doc
                           FROM articles ar JOIN article_bodies b ON b.article_id = ar.id
                           WHERE ar.ticket_id = t.id ORDER BY ar.id) d
                 ) a ON TRUE;
                 ANALYZE search_tickets;"
            ))
        }
        DbConnection::Sqlite(sqlite) => sqlite.batch_execute(&format!(
            "DELETE FROM search_articles;
             DELETE FROM search_titles;
             INSERT INTO search_titles (rowid, title, number) SELECT id, title, number FROM tickets;
             INSERT INTO search_articles (rowid, subject, sender, body)
             SELECT a.id, a.subject, COALESCE(a.from_address, ''), substr(b.body_text, 1, {MAX_INDEXED_CHARS})
             FROM articles a JOIN article_bodies b ON b.article_id = a.id;"
        )),
    }
}

/// Empties the index (before a rebuild in batches with [`index_range`]).
pub fn clear(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => pg.batch_execute("TRUNCATE search_tickets"),
        DbConnection::Sqlite(sqlite) => {
            sqlite.batch_execute("DELETE FROM search_articles; DELETE FROM search_titles;")
        }
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

fn quoted(word: &str) -> String {
    word.replace(['\'', '"', '\\'], "")
}

fn tsquery_term(term: &Term) -> String {
    let weight = match term.field {
        Field::Any => "",
        Field::Subject => "A",
        Field::From => "B",
    };
    let lexeme = |w: &str, prefix: bool| {
        let marks = match (prefix, weight.is_empty()) {
            (false, true) => String::new(),
            (false, false) => format!(":{weight}"),
            (true, _) => format!(":*{weight}"),
        };
        format!("'{}'{marks}", quoted(w))
    };
    let expr = match &term.matcher {
        Matcher::Word(w) => lexeme(w, false),
        Matcher::Prefix(w) => lexeme(w, true),
        Matcher::Phrase(ws) => format!(
            "({})",
            ws.iter()
                .map(|w| lexeme(w, false))
                .collect::<Vec<_>>()
                .join(" <-> ")
        ),
    };
    if term.negated {
        format!("!{expr}")
    } else {
        expr
    }
}

/// The `tsquery` text of a parsed query (PostgreSQL).
pub fn to_tsquery_text(query: &Query) -> String {
    query
        .terms
        .iter()
        .map(tsquery_term)
        .collect::<Vec<_>>()
        .join(" & ")
}

fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\0', "").replace('\'', "''"))
}

/// A PostgreSQL `tsquery` expression for a parsed query: plain words and phrases are tokenised
/// by PostgreSQL itself (`phraseto_tsquery`), so that they meet the document's lexemes exactly;
/// prefixes and field-weighted terms are built from their words.
pub fn tsquery_expression(query: &Query, config: &str) -> String {
    query
        .terms
        .iter()
        .map(|term| {
            let positive = Term {
                negated: false,
                ..term.clone()
            };
            let expr = match (term.field, &term.matcher) {
                (Field::Any, Matcher::Word(_) | Matcher::Phrase(_))
                    if !term.raw.trim().is_empty() =>
                {
                    format!("phraseto_tsquery('{config}', {})", sql_literal(&term.raw))
                }
                _ => format!(
                    "to_tsquery('{config}', {})",
                    sql_literal(&tsquery_term(&positive))
                ),
            };
            if term.negated {
                format!("!!{expr}")
            } else {
                expr
            }
        })
        .collect::<Vec<_>>()
        .join(" && ")
}

fn fts5_expression(term: &Term, title_table: bool) -> Option<String> {
    let column = match (term.field, title_table) {
        (Field::Any, _) => None,
        (Field::Subject, false) => Some("subject"),
        (Field::Subject, true) => Some("title"),
        (Field::From, false) => Some("sender"),
        (Field::From, true) => return None,
    };
    let body = match &term.matcher {
        Matcher::Word(w) => format!("\"{}\"", quoted(w)),
        Matcher::Prefix(w) => format!("\"{}\" *", quoted(w)),
        Matcher::Phrase(ws) => format!(
            "\"{}\"",
            ws.iter().map(|w| quoted(w)).collect::<Vec<_>>().join(" ")
        ),
    };
    Some(match column {
        Some(column) => format!("{{{column}}} : {body}"),
        None => body,
    })
}

/// The tickets (ids) matching one term on SQLite, for `audience`.
fn sqlite_term_tickets(term: &Term, audience: Audience) -> String {
    let visible = if audience == Audience::Customers {
        " AND a.customer_visible = 1"
    } else {
        ""
    };
    let mut parts = Vec::new();
    if let Some(expression) = fts5_expression(term, false) {
        parts.push(format!(
            "SELECT a.ticket_id FROM search_articles f JOIN articles a ON a.id = f.rowid \
             WHERE search_articles MATCH '{}'{visible}",
            expression.replace('\'', "''")
        ));
    }
    if let Some(expression) = fts5_expression(term, true) {
        parts.push(format!(
            "SELECT f.rowid FROM search_titles f WHERE search_titles MATCH '{}'",
            expression.replace('\'', "''")
        ));
    }
    parts.join(" UNION ")
}

/// An SQL condition on `tickets.id` that holds for tickets matching `query` for `audience`.
/// `None` when the query has nothing positive to search for.
pub fn condition(
    conn: &mut DbConnection,
    query: &Query,
    audience: Audience,
) -> QueryResult<Option<String>> {
    if query.is_empty() {
        return Ok(None);
    }
    let config = language(conn)?;
    Ok(Some(match conn {
        DbConnection::Postgresql(_) => {
            let column = match audience {
                Audience::Agents => "agent_document",
                Audience::Customers => "customer_document",
            };
            format!(
                "tickets.id IN (SELECT ticket_id FROM search_tickets WHERE {column} @@ ({}))",
                tsquery_expression(query, &config)
            )
        }
        DbConnection::Sqlite(_) => {
            let positive: Vec<String> = query
                .terms
                .iter()
                .filter(|t| !t.negated)
                .map(|t| sqlite_term_tickets(t, audience))
                .filter(|s| !s.is_empty())
                .map(|s| format!("SELECT * FROM ({s})"))
                .collect();
            let negative: Vec<String> = query
                .terms
                .iter()
                .filter(|t| t.negated)
                .map(|t| Term {
                    negated: false,
                    ..t.clone()
                })
                .map(|t| sqlite_term_tickets(&t, audience))
                .filter(|s| !s.is_empty())
                .map(|s| format!("SELECT * FROM ({s})"))
                .collect();
            if positive.is_empty() {
                return Ok(Some("0 = 1".into()));
            }
            let mut sql = positive.join(" INTERSECT ");
            for n in negative {
                sql.push_str(" EXCEPT ");
                sql.push_str(&n);
            }
            format!("tickets.id IN ({sql})")
        }
    }))
}

/// Relevance of each of `ticket_ids` for `query` (higher is better).
pub fn ranks(
    conn: &mut DbConnection,
    query: &Query,
    audience: Audience,
    ticket_ids: &[i64],
) -> QueryResult<Vec<(i64, f64)>> {
    if ticket_ids.is_empty() || query.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(QueryableByName)]
    struct Rank {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Double)]
        rank: f64,
    }
    let ids = ticket_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let config = language(conn)?;
    let rows: Vec<Rank> = match conn {
        DbConnection::Postgresql(pg) => {
            let column = if audience == Audience::Agents {
                "agent_document"
            } else {
                "customer_document"
            };
            diesel::sql_query(format!(
                "SELECT ticket_id AS id, ts_rank_cd({column}, ({}))::float8 AS rank \
                 FROM search_tickets WHERE ticket_id IN ({ids})",
                tsquery_expression(query, &config)
            ))
            .load(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            // bm25 is negative (lower is better): use its best article per ticket, negated.
            let terms: Vec<String> = query
                .terms
                .iter()
                .filter(|t| !t.negated)
                .filter_map(|t| fts5_expression(t, false))
                .collect();
            if terms.is_empty() {
                return Ok(Vec::new());
            }
            let visible = if audience == Audience::Customers {
                " AND a.customer_visible = 1"
            } else {
                ""
            };
            diesel::sql_query(format!(
                "WITH m AS MATERIALIZED (SELECT rowid, bm25(search_articles) AS score FROM search_articles \
                                         WHERE search_articles MATCH ?) \
                 SELECT a.ticket_id AS id, -MIN(m.score) AS rank FROM m JOIN articles a ON a.id = m.rowid \
                 WHERE a.ticket_id IN ({ids}){visible} GROUP BY a.ticket_id"
            ))
            .bind::<Text, _>(terms.join(" OR "))
            .load(sqlite)?
        }
    };
    Ok(rows.into_iter().map(|r| (r.id, r.rank)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tsquery_text() {
        let q = Query::parse(r#"printer "paper jam" print* -toner subject:urgent from:ola@uio.no"#);
        assert_eq!(
            to_tsquery_text(&q),
            "'printer' & ('paper' <-> 'jam') & 'print':* & !'toner' & 'urgent':A & 'ola@uio.no':B"
        );
    }

    #[test]
    fn plain_terms_are_tokenised_by_postgresql() {
        let q = Query::parse("ERR-4821 -\"out of office\" subject:urgent it's");
        assert_eq!(
            tsquery_expression(&q, "simple"),
            "phraseto_tsquery('simple', 'ERR-4821') && !!phraseto_tsquery('simple', 'out of office') \
             && to_tsquery('simple', '''urgent'':A') && phraseto_tsquery('simple', 'it''s')"
        );
    }

    #[test]
    fn renders_fts5_expressions() {
        let q = Query::parse(r#"subject:"paper jam" from:ola@uio.no print*"#);
        assert_eq!(
            fts5_expression(&q.terms[0], false).unwrap(),
            "{subject} : \"paper jam\""
        );
        assert_eq!(
            fts5_expression(&q.terms[0], true).unwrap(),
            "{title} : \"paper jam\""
        );
        assert_eq!(
            fts5_expression(&q.terms[1], false).unwrap(),
            "{sender} : \"ola@uio.no\""
        );
        assert_eq!(fts5_expression(&q.terms[1], true), None);
        assert_eq!(fts5_expression(&q.terms[2], false).unwrap(), "\"print\" *");
    }
}
