//! Received mail: `mail_messages` (small rows: what arrived and what became of it) and
//! `mail_raw` (the exact bytes).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{mail_messages, mail_raw};

/// A received message without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = mail_messages)]
pub struct MailMessageRow {
    /// Id.
    pub id: i64,
    /// `gateway` or `account`.
    pub source: String,
    /// The mail account it was fetched from.
    pub account_id: Option<i64>,
    /// `pending`, `processed`, `quarantined`, `ignored` or `deleted`.
    pub status: String,
    /// Why it was quarantined or ignored.
    pub reason: Option<String>,
    /// The queue the gateway asked for.
    pub requested_queue: Option<String>,
    /// `correspond` or `comment`.
    pub action: String,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// Its From address.
    pub sender: Option<String>,
    /// Its subject.
    pub subject: Option<String>,
    /// The ticket it went to.
    pub ticket_id: Option<i64>,
    /// The article it became.
    pub article_id: Option<i64>,
    /// `created`, `appended`, `rejected`, …
    pub outcome: Option<String>,
    /// Processing attempts.
    pub attempts: i32,
    /// Retry a temporarily failed message from this time on.
    pub retry_at: Option<NaiveDateTime>,
    /// Received at.
    pub received_at: NaiveDateTime,
    /// Processed, ignored or quarantined at.
    pub processed_at: Option<NaiveDateTime>,
}

/// A message to store.
#[derive(Debug, Insertable)]
#[diesel(table_name = mail_messages)]
pub struct NewMailMessage<'a> {
    /// `gateway` or `account`.
    pub source: &'a str,
    /// Account.
    pub account_id: Option<i64>,
    /// `pending`.
    pub status: &'a str,
    /// Requested queue.
    pub requested_queue: Option<&'a str>,
    /// Action.
    pub action: &'a str,
    /// SHA-256.
    pub sha256: &'a str,
    /// Size.
    pub size: i64,
    /// Message-ID.
    pub message_id: Option<&'a str>,
    /// From.
    pub sender: Option<&'a str>,
    /// Subject.
    pub subject: Option<&'a str>,
    /// Received at.
    pub received_at: NaiveDateTime,
}

/// Stores a message and its bytes.
pub fn insert(conn: &mut DbConnection, new: &NewMailMessage<'_>, raw: &[u8]) -> QueryResult<i64> {
    let id = diesel::insert_into(mail_messages::table)
        .values(new)
        .returning(mail_messages::id)
        .get_result(conn)?;
    diesel::insert_into(mail_raw::table)
        .values((mail_raw::mail_message_id.eq(id), mail_raw::data.eq(raw)))
        .execute(conn)?;
    Ok(id)
}

/// One message.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MailMessageRow>> {
    mail_messages::table
        .find(id)
        .select(MailMessageRow::as_select())
        .first(conn)
        .optional()
}

/// A message's bytes (`None` once deleted).
pub fn raw(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Vec<u8>>> {
    mail_raw::table
        .find(id)
        .select(mail_raw::data)
        .first(conn)
        .optional()
}

/// The latest message with these bytes from this source (and account), if any.
pub fn find_same(
    conn: &mut DbConnection,
    sha256: &str,
    source: &str,
    account_id: Option<i64>,
) -> QueryResult<Option<MailMessageRow>> {
    let mut query = mail_messages::table
        .filter(mail_messages::sha256.eq(sha256))
        .filter(mail_messages::source.eq(source))
        .filter(mail_messages::status.ne("deleted"))
        .order(mail_messages::id.desc())
        .select(MailMessageRow::as_select())
        .into_boxed();
    query = match account_id {
        Some(id) => query.filter(mail_messages::account_id.eq(id)),
        None => query.filter(mail_messages::account_id.is_null()),
    };
    query.first(conn).optional()
}

/// Takes a `pending` or `quarantined` message for processing: counts the attempt and, inside
/// the caller's transaction, locks the row (PostgreSQL) so that one processor wins. False
/// when someone else processed it already.
pub fn claim(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        mail_messages::table
            .find(id)
            .filter(mail_messages::status.eq_any(["pending", "quarantined"])),
    )
    .set(mail_messages::attempts.eq(mail_messages::attempts + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// What became of a message.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = mail_messages, treat_none_as_null = true)]
pub struct Outcome<'a> {
    /// New status.
    pub status: &'a str,
    /// Reason (quarantine, ignore).
    pub reason: Option<&'a str>,
    /// Ticket.
    pub ticket_id: Option<i64>,
    /// Article.
    pub article_id: Option<i64>,
    /// `created`, `appended`, …
    pub outcome: Option<&'a str>,
    /// Retry from (temporary failures).
    pub retry_at: Option<NaiveDateTime>,
    /// When.
    pub processed_at: Option<NaiveDateTime>,
    /// The message's Message-ID.
    pub message_id: Option<&'a str>,
    /// Its From address.
    pub sender: Option<&'a str>,
    /// Its subject.
    pub subject: Option<&'a str>,
}

/// Records the outcome of processing.
pub fn finish(conn: &mut DbConnection, id: i64, outcome: &Outcome<'_>) -> QueryResult<()> {
    diesel::update(mail_messages::table.find(id))
        .set(outcome)
        .execute(conn)?;
    Ok(())
}

/// Counts a failed attempt made outside a transaction that could record it.
pub fn count_attempt(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(mail_messages::table.find(id))
        .set(mail_messages::attempts.eq(mail_messages::attempts + 1))
        .execute(conn)?;
    Ok(())
}

/// Marks a message deleted and drops its bytes; false unless it was quarantined or ignored.
pub fn delete(
    conn: &mut DbConnection,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        mail_messages::table
            .find(id)
            .filter(mail_messages::status.eq_any(["quarantined", "ignored"])),
    )
    .set((
        mail_messages::status.eq("deleted"),
        mail_messages::reason.eq(reason),
        mail_messages::retry_at.eq(None::<NaiveDateTime>),
        mail_messages::processed_at.eq(now),
    ))
    .execute(conn)?;
    if n == 1 {
        diesel::delete(mail_raw::table.find(id)).execute(conn)?;
    }
    Ok(n == 1)
}

/// Messages by status, newest first, after the cursor id.
pub fn list(
    conn: &mut DbConnection,
    status: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<MailMessageRow>> {
    let mut query = mail_messages::table
        .select(MailMessageRow::as_select())
        .order(mail_messages::id.desc())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(mail_messages::status.eq(status.to_owned()));
    }
    if let Some(before) = before_id {
        query = query.filter(mail_messages::id.lt(before));
    }
    query.limit(limit).load(conn)
}

/// Messages to process again: pending ones received before `stale_before` (their processor
/// died) and quarantined ones whose retry time has come.
pub fn due_for_retry(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    mail_messages::table
        .filter(
            mail_messages::status
                .eq("pending")
                .and(mail_messages::received_at.lt(stale_before))
                .or(mail_messages::status
                    .eq("quarantined")
                    .and(mail_messages::retry_at.le(now))),
        )
        .order(mail_messages::id.asc())
        .select(mail_messages::id)
        .limit(limit)
        .load(conn)
}

/// The raw message an article was made from.
pub fn for_article(
    conn: &mut DbConnection,
    article_id: i64,
) -> QueryResult<Option<MailMessageRow>> {
    mail_messages::table
        .filter(mail_messages::article_id.eq(article_id))
        .select(MailMessageRow::as_select())
        .first(conn)
        .optional()
}
