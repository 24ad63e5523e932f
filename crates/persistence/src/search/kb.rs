//! Knowledge-base search: one document per article (PostgreSQL: a weighted `tsvector` in
//! `search_kb`; SQLite: an FTS5 row), written in the transaction of the change it reflects,
//! and searched with the ticket search's query language (`docs/search.md`): `subject:` looks
//! in titles, `from:` at the author's address.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use vakt_domain::search::{Query, Term};

use super::matching::fts5_expression;
use super::{language, truncate, tsquery_expression};
use crate::connection::DbConnection;

/// The text of one article, as indexed.
#[derive(Debug, Clone, Copy)]
pub struct KbText<'a> {
    /// Article id.
    pub article_id: i64,
    /// Title.
    pub title: &'a str,
    /// Keywords (any separator).
    pub keywords: &'a str,
    /// Plain-text body.
    pub body: &'a str,
    /// The author's address.
    pub author: &'a str,
}

/// Writes (or rewrites) an article's document.
pub fn index(conn: &mut DbConnection, text: &KbText<'_>) -> QueryResult<()> {
    forget(conn, text.article_id)?;
    let body = truncate(text.body);
    let config = language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "INSERT INTO search_kb (article_id, document) SELECT $1, \
               setweight(to_tsvector('{config}', $2), 'A') || setweight(to_tsvector('{config}', $3), 'B') \
               || setweight(to_tsvector('{config}', $4), 'C') || to_tsvector('{config}', $5)"
        ))
        .bind::<BigInt, _>(text.article_id)
        .bind::<Text, _>(text.title)
        .bind::<Text, _>(text.author)
        .bind::<Text, _>(text.keywords)
        .bind::<Text, _>(body)
        .execute(pg)
        .map(drop),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT INTO search_kb (rowid, subject, sender, keywords, body) VALUES (?, ?, ?, ?, ?)",
        )
        .bind::<BigInt, _>(text.article_id)
        .bind::<Text, _>(text.title)
        .bind::<Text, _>(text.author)
        .bind::<Text, _>(text.keywords)
        .bind::<Text, _>(body)
        .execute(sqlite)
        .map(drop),
    }
}

/// Removes an article's document.
pub fn forget(conn: &mut DbConnection, article_id: i64) -> QueryResult<()> {
    let sql = match conn {
        DbConnection::Postgresql(_) => "DELETE FROM search_kb WHERE article_id = $1",
        DbConnection::Sqlite(_) => "DELETE FROM search_kb WHERE rowid = ?",
    };
    diesel::sql_query(sql)
        .bind::<BigInt, _>(article_id)
        .execute(conn)
        .map(drop)
}

fn fts5_match(term: &Term) -> Option<String> {
    let positive = Term {
        negated: false,
        ..term.clone()
    };
    fts5_expression(&positive, false).map(|e| e.replace('\'', "''"))
}

/// An SQL condition on `kb_articles.id` that holds for the articles matching `query`; `None`
/// when the query has nothing positive to search for.
pub fn condition(conn: &mut DbConnection, query: &Query) -> QueryResult<Option<String>> {
    if query.is_empty() {
        return Ok(None);
    }
    let config = language(conn)?;
    Ok(Some(match conn {
        DbConnection::Postgresql(_) => format!(
            "kb_articles.id IN (SELECT article_id FROM search_kb WHERE document @@ ({}))",
            tsquery_expression(query, &config)
        ),
        DbConnection::Sqlite(_) => {
            let mut parts = Vec::new();
            for term in &query.terms {
                let Some(expression) = fts5_match(term) else {
                    continue;
                };
                let not = if term.negated { "NOT " } else { "" };
                parts.push(format!(
                    "kb_articles.id {not}IN (SELECT rowid FROM search_kb WHERE search_kb MATCH '{expression}')"
                ));
            }
            parts.join(" AND ")
        }
    }))
}

/// Relevance of each of `ids` for `query` (higher is better); ids missing did not match.
pub fn ranks(conn: &mut DbConnection, query: &Query, ids: &[i64]) -> QueryResult<Vec<(i64, f64)>> {
    if ids.is_empty() || query.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(QueryableByName)]
    struct Rank {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Double)]
        rank: f64,
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let config = language(conn)?;
    let rows: Vec<Rank> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "SELECT article_id AS id, ts_rank_cd(document, ({}))::float8 AS rank \
             FROM search_kb WHERE article_id IN ({list})",
            tsquery_expression(query, &config)
        ))
        .load(pg)?,
        DbConnection::Sqlite(sqlite) => {
            let positive: Vec<String> = query
                .terms
                .iter()
                .filter(|t| !t.negated)
                .filter_map(fts5_match)
                .collect();
            if positive.is_empty() {
                return Ok(Vec::new());
            }
            // bm25 is lower for better matches; titles weigh most, then keywords. Scoring every
            // match and keeping the wanted ones here is much faster than `rowid IN (…)`, which
            // FTS5 answers by looking the term up once per listed row.
            let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
            let all: Vec<Rank> = diesel::sql_query(format!(
                "SELECT rowid AS id, -bm25(search_kb, 10.0, 1.0, 4.0, 1.0) AS rank FROM search_kb \
                 WHERE search_kb MATCH '{}'",
                positive.join(" AND ")
            ))
            .load(sqlite)?;
            all.into_iter().filter(|r| wanted.contains(&r.id)).collect()
        }
    };
    Ok(rows.into_iter().map(|r| (r.id, r.rank)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_become_fts5_matches_with_quotes_doubled() {
        let q = Query::parse(r#"subject:"paper jam" it's -toner"#);
        assert_eq!(
            fts5_match(&q.terms[0]).unwrap(),
            "{subject} : \"paper jam\""
        );
        assert_eq!(fts5_match(&q.terms[2]).unwrap(), "\"toner\"");
    }
}
