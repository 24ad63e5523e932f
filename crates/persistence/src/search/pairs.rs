//! Word pairs for phrase search (PostgreSQL; migration `000012_phrase_pairs`).
//!
//! `search_tickets.phrase_pairs` holds every adjacent word pair of a ticket's indexed text as a
//! lexeme (`'please help'`), GIN-indexed. A phrase's pairs are a necessary condition for the
//! phrase, so they narrow a search for a phrase of common words to the tickets that really hold
//! it before PostgreSQL checks word positions. A ticket with more than 40,000 pairs keeps only the
//! marker [`OVERFLOW`] and is always a candidate. `NULL` means "not computed yet":
//! documents written before the migration are filled by [`fill_pairs`] in batches (the
//! `search_phrase_pairs` job), and the filter is used only once that has finished.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::connection::DbConnection;
use crate::repo::settings;

/// The setting that records how far the backfill has come.
const PROGRESS_KEY: &str = "search_phrase_pairs";
/// The lexeme that marks a ticket whose pairs were too many to keep (every pair has a space).
pub(super) const OVERFLOW: &str = "(overflow)";

/// How far the backfill of word pairs has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairsProgress {
    /// Every document has its pairs: phrase searches use them.
    Complete,
    /// Documents of tickets up to this id have their pairs.
    UpTo(i64),
}

/// The backfill's progress (SQLite has no pairs and is always complete).
pub fn pairs_progress(conn: &mut DbConnection) -> QueryResult<PairsProgress> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(PairsProgress::Complete);
    }
    Ok(match settings::get(conn, PROGRESS_KEY)?.as_deref() {
        Some("complete") => PairsProgress::Complete,
        Some(value) => PairsProgress::UpTo(value.parse().unwrap_or(0)),
        None => PairsProgress::UpTo(0),
    })
}

/// Whether phrase searches can rely on the pairs.
pub fn pairs_complete(conn: &mut DbConnection) -> QueryResult<bool> {
    Ok(pairs_progress(conn)? == PairsProgress::Complete)
}

/// Records the backfill's progress.
pub fn set_pairs_progress(
    conn: &mut DbConnection,
    progress: PairsProgress,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let value = match progress {
        PairsProgress::Complete => "complete".to_owned(),
        PairsProgress::UpTo(id) => id.to_string(),
    };
    settings::put(conn, PROGRESS_KEY, &value, now)
}

/// SQL: the pairs of one indexed text (an SQL expression), in text-search configuration
/// `config`.
pub(super) fn of(config: &str, text: &str) -> String {
    format!("vakt_word_pairs('{config}', {text})")
}

/// SQL: `more` pairs added to `old` by `vakt_add_pairs`, which keeps `NULL` (not computed
/// yet: the backfill computes the whole ticket) and the overflow marker, and turns a set of
/// over 40,000 pairs into the marker (a function, so that `more` is computed once).
pub(super) fn add(old: &str, more: &str) -> String {
    format!("vakt_add_pairs({old}, {more})")
}

/// SQL: the pairs of every ticket `t` (title and number, each article's subject, sender and
/// body), capped like [`add`].
pub(super) fn of_ticket(config: &str, max_chars: usize) -> String {
    let articles = format!(
        "(SELECT tsvector_agg({} || {} || {}) FROM articles ar JOIN article_bodies b ON b.article_id = ar.id \
          WHERE ar.ticket_id = t.id)",
        of(config, "ar.subject"),
        of(config, "COALESCE(ar.from_address, '')"),
        of(config, &format!("left(b.body_text, {max_chars})")),
    );
    add(
        "''::tsvector",
        &format!(
            "({} || COALESCE({articles}, ''))",
            of(config, "t.title || ' ' || t.number")
        ),
    )
}

/// Computes the pairs of the documents of tickets `from..=to` that have none yet (the
/// backfill). Returns how many documents were filled.
pub fn fill_pairs(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
    let config = super::language(conn)?;
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "UPDATE search_tickets s SET phrase_pairs = {} FROM tickets t \
             WHERE t.id = s.ticket_id AND s.ticket_id BETWEEN $1 AND $2 AND s.phrase_pairs IS NULL",
            of_ticket(&config, super::MAX_INDEXED_CHARS)
        ))
        .bind::<BigInt, _>(from)
        .bind::<BigInt, _>(to)
        .execute(pg),
        DbConnection::Sqlite(_) => Ok(0),
    }
}
