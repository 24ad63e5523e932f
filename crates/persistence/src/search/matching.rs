//! Matching: a parsed [`Query`] rendered into SQL text — a condition on tickets and their
//! ranks. Terms can only contain letters, digits and `@ . - _ +` (the parser guarantees it),
//! and are quoted as well, so the rendered text cannot break out of its string literal.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use vakt_domain::search::{Field, Matcher, Query, Term};

use super::{Audience, language};
use crate::connection::DbConnection;

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

/// The FTS5 expression of one term; `title_table` for a table whose columns are `title` and
/// `number`, else for one with `subject` and `sender` columns.
pub(super) fn fts5_expression(term: &Term, title_table: bool) -> Option<String> {
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

/// SQLite: where a search looks — tickets from this id on, whose articles all have ids from
/// `first_article` on. FTS5 seeks to those row ids instead of reading every match.
#[derive(Debug, Clone, Copy)]
struct SqliteBounds {
    first_ticket: i64,
    first_article: i64,
}

/// The tickets (ids) matching one term on SQLite, for `audience`, within `bounds`.
fn sqlite_term_tickets(term: &Term, audience: Audience, bounds: Option<SqliteBounds>) -> String {
    let visible = if audience == Audience::Customers {
        " AND a.customer_visible = 1"
    } else {
        ""
    };
    let (articles_from, titles_from) = match bounds {
        Some(b) => (
            format!(
                " AND f.rowid >= {} AND a.ticket_id >= {}",
                b.first_article, b.first_ticket
            ),
            format!(" AND f.rowid >= {}", b.first_ticket),
        ),
        None => (String::new(), String::new()),
    };
    let mut parts = Vec::new();
    if let Some(expression) = fts5_expression(term, false) {
        parts.push(format!(
            "SELECT a.ticket_id FROM search_articles f JOIN articles a ON a.id = f.rowid \
             WHERE search_articles MATCH '{}'{visible}{articles_from}",
            expression.replace('\'', "''")
        ));
    }
    if let Some(expression) = fts5_expression(term, true) {
        parts.push(format!(
            "SELECT f.rowid FROM search_titles f WHERE search_titles MATCH '{}'{titles_from}",
            expression.replace('\'', "''")
        ));
    }
    parts.join(" UNION ")
}

/// SQLite: the bounds of the tickets with ids from `first_ticket` on.
fn sqlite_bounds(
    sqlite: &mut diesel::SqliteConnection,
    first_ticket: i64,
) -> QueryResult<SqliteBounds> {
    Ok(SqliteBounds {
        first_ticket,
        // No articles there: only titles can match.
        first_article: sqlite_first_article(sqlite, &format!("ticket_id >= {first_ticket}"))?
            .unwrap_or(i64::MAX),
    })
}

/// SQLite: the lowest id among the articles of the tickets that `tickets` (a condition on
/// `ticket_id`, built from numbers only) selects.
fn sqlite_first_article(
    sqlite: &mut diesel::SqliteConnection,
    tickets: &str,
) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct First {
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        id: Option<i64>,
    }
    // Without the index SQLite walks articles by id until one belongs to a ticket in range.
    diesel::sql_query(format!(
        "SELECT min(id) AS id FROM articles INDEXED BY articles_ticket_id WHERE {tickets}"
    ))
    .get_result::<First>(sqlite)
    .map(|first| first.id)
}

/// How many of the newest tickets the first slice of a relevance search covers on SQLite.
const FIRST_SLICE: i64 = 2_000;
/// Each further slice covers this many times as many tickets.
const SLICE_GROWTH: i64 = 8;

/// Where a relevance search looks for the newest matches, one slice after another until enough
/// are found: on SQLite the newest [`FIRST_SLICE`] tickets, then [`SLICE_GROWTH`] times as
/// many, …, then all (`None`). Each slice is given by its lowest ticket id. SQLite otherwise
/// collects every match of a common word (hundreds of thousands of articles) to keep the
/// newest few hundred; PostgreSQL walks the newest tickets by itself, so it has one slice.
pub fn relevance_slices(conn: &mut DbConnection) -> QueryResult<Vec<Option<i64>>> {
    let DbConnection::Sqlite(_) = conn else {
        return Ok(vec![None]);
    };
    let Some((first, last)) = super::ticket_id_range(conn)? else {
        return Ok(vec![None]);
    };
    let mut slices = Vec::new();
    let mut size = FIRST_SLICE;
    while last - size + 1 > first {
        slices.push(Some(last - size + 1));
        size = size.saturating_mul(SLICE_GROWTH);
    }
    slices.push(None);
    Ok(slices)
}

/// PostgreSQL: the ids of the tickets whose document (for `audience`) matches `query`.
fn pg_matches(query: &Query, audience: Audience, config: &str) -> String {
    let column = match audience {
        Audience::Agents => "agent_document",
        Audience::Customers => "customer_document",
    };
    format!(
        "SELECT ticket_id FROM search_tickets WHERE {column} @@ ({})",
        tsquery_expression(query, config)
    )
}

/// The largest share of all documents that PostgreSQL may expect a query to match for its
/// matches to be collected through the GIN index before the tickets are read.
const FEW_MATCHES_SHARE: f64 = 0.01;

/// PostgreSQL: whether the planner expects `matches` to find at most [`FEW_MATCHES_SHARE`] of
/// the documents. On a table never analysed it cannot tell, and leaves the shape to the
/// planner as before.
///
/// A search list ends in `ORDER BY … LIMIT`, and with it the planner bets on walking the
/// tickets in list order and checking each one's document until the page is full. That is
/// right for common words (a few hundred documents walked) and ruinous for a rare one: every
/// word missing from the statistics is estimated at 0.5 % of the documents, so the walk was
/// expected to end after 60,000 tickets and went through all of them. Asking for the estimate
/// first and collecting few matches through the index (`= ANY(ARRAY(…))`, planned on its own)
/// keeps each shape for the searches it suits.
fn pg_expects_few(pg: &mut diesel::PgConnection, matches: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct PlanLine {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        line: String,
    }
    #[derive(QueryableByName)]
    struct TableSize {
        #[diesel(sql_type = Double)]
        documents: f64,
    }
    let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN {matches}")).load(pg)?;
    let Some(expected) = plan.first().and_then(|top| estimated_rows(&top.line)) else {
        return Ok(false);
    };
    let size: TableSize = diesel::sql_query(
        "SELECT reltuples::float8 AS documents FROM pg_class WHERE oid = 'search_tickets'::regclass",
    )
    .get_result(pg)?;
    Ok(size.documents > 0.0 && expected <= size.documents * FEW_MATCHES_SHARE)
}

/// The `rows=` estimate of a line of PostgreSQL's text EXPLAIN.
fn estimated_rows(line: &str) -> Option<f64> {
    let rest = &line[line.find(" rows=")? + 6..];
    let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok()
}

/// Whether a search for `query` collects its matches through the full-text index first
/// (PostgreSQL, when it expects few matches) rather than checking tickets in list order.
/// `None` on SQLite, which always collects them first.
pub fn collects_matches_first(
    conn: &mut DbConnection,
    query: &Query,
    audience: Audience,
) -> QueryResult<Option<bool>> {
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => {
            pg_expects_few(pg, &pg_matches(query, audience, &config)).map(Some)
        }
        DbConnection::Sqlite(_) => Ok(None),
    }
}

/// An SQL condition on `tickets.id` that holds for tickets matching `query` for `audience`.
/// `None` when the query has nothing positive to search for.
pub fn condition(
    conn: &mut DbConnection,
    query: &Query,
    audience: Audience,
) -> QueryResult<Option<String>> {
    condition_from(conn, query, audience, None)
}

/// Like [`condition`], for the tickets with ids from `first_ticket` on (a slice from
/// [`relevance_slices`]).
pub fn condition_from(
    conn: &mut DbConnection,
    query: &Query,
    audience: Audience,
    first_ticket: Option<i64>,
) -> QueryResult<Option<String>> {
    if query.is_empty() {
        return Ok(None);
    }
    let config = language(conn)?;
    Ok(Some(match conn {
        DbConnection::Postgresql(pg) => {
            let matches = pg_matches(query, audience, &config);
            let from = first_ticket.map_or(String::new(), |id| format!("tickets.id >= {id} AND "));
            if pg_expects_few(pg, &matches)? {
                format!("{from}tickets.id = ANY(ARRAY({matches}))")
            } else {
                format!("{from}tickets.id IN ({matches})")
            }
        }
        DbConnection::Sqlite(sqlite) => {
            let bounds = match first_ticket {
                Some(first) => Some(sqlite_bounds(sqlite, first)?),
                None => None,
            };
            let positive: Vec<String> = query
                .terms
                .iter()
                .filter(|t| !t.negated)
                .map(|t| sqlite_term_tickets(t, audience, bounds))
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
                .map(|t| sqlite_term_tickets(&t, audience, bounds))
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
            match bounds {
                Some(b) => format!("tickets.id >= {} AND tickets.id IN ({sql})", b.first_ticket),
                None => format!("tickets.id IN ({sql})"),
            }
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
            // Only articles from the first one of these tickets on are scored: FTS5 seeks there
            // instead of scoring every match of a common word.
            let Some(first_article) =
                sqlite_first_article(sqlite, &format!("ticket_id IN ({ids})"))?
            else {
                return Ok(Vec::new());
            };
            diesel::sql_query(format!(
                "WITH m AS MATERIALIZED (SELECT rowid, bm25(search_articles) AS score FROM search_articles \
                                         WHERE search_articles MATCH ? AND rowid >= {first_article}) \
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
    fn reads_the_row_estimate_of_a_plan_line() {
        let line = "Bitmap Heap Scan on search_tickets  (cost=78.75..18448.11 rows=5000 width=8)";
        assert_eq!(estimated_rows(line), Some(5000.0));
        assert_eq!(
            estimated_rows("Seq Scan on t  (cost=0.00..1.00 rows=995134 width=4)"),
            Some(995_134.0)
        );
        assert_eq!(estimated_rows("Result"), None);
    }

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
