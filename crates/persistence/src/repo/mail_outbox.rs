//! Outbound mail state: per-queue mail settings, the delivery state of outbound articles,
//! and the per-sender counters of automatic answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{article_deliveries, articles, mail_auto_answers, queue_mail_settings};

/// A queue's mail settings.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = queue_mail_settings, treat_none_as_null = true)]
pub struct QueueMailRow {
    /// Queue.
    pub queue_id: i64,
    /// Display name on outgoing mail.
    pub sender_name: Option<String>,
    /// `reopen`, `new_ticket` or `reject`.
    pub follow_up_policy: String,
    /// Text of the rejection notice.
    pub reject_text: Option<String>,
    /// Send an automatic answer on new tickets.
    pub auto_reply_enabled: bool,
    /// Its subject template.
    pub auto_reply_subject: Option<String>,
    /// Its body template.
    pub auto_reply_body: Option<String>,
    /// Salutation template (before replies).
    pub salutation: Option<String>,
    /// Signature template (after replies).
    pub signature: Option<String>,
    /// Cc addresses of incoming mail become watchers.
    pub cc_as_watchers: bool,
    /// Changed at.
    pub updated_at: NaiveDateTime,
    /// Tell the customer when the ticket is closed.
    pub notify_customer_on_close: bool,
    /// The salutation template (before replies); wins over `salutation`.
    pub salutation_id: Option<i64>,
    /// The signature template (after replies); wins over `signature`.
    pub signature_id: Option<i64>,
    /// Inbound `X-Vakt-Field-<key>` headers set custom fields of new tickets.
    pub trust_field_headers: bool,
}

/// A queue's settings, if any were saved.
pub fn settings(conn: &mut DbConnection, queue_id: i64) -> QueryResult<Option<QueueMailRow>> {
    queue_mail_settings::table
        .find(queue_id)
        .select(QueueMailRow::as_select())
        .first(conn)
        .optional()
}

/// Saves a queue's settings.
pub fn save_settings(conn: &mut DbConnection, row: &QueueMailRow) -> QueryResult<()> {
    let updated = diesel::update(queue_mail_settings::table.find(row.queue_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(queue_mail_settings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The delivery state of an outbound article.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = article_deliveries)]
pub struct DeliveryRow {
    /// Article.
    pub article_id: i64,
    /// `reply`, `auto_reply` or `reject`.
    pub kind: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    /// Send attempts.
    pub attempts: i32,
    /// The last failure.
    pub last_error: Option<String>,
    /// Sent at.
    pub sent_at: Option<NaiveDateTime>,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Records an article as queued for sending.
pub fn queue_delivery(
    conn: &mut DbConnection,
    article_id: i64,
    kind: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(article_deliveries::table)
        .values((
            article_deliveries::article_id.eq(article_id),
            article_deliveries::kind.eq(kind),
            article_deliveries::status.eq("queued"),
            article_deliveries::attempts.eq(0),
            article_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// One article's delivery.
pub fn delivery(conn: &mut DbConnection, article_id: i64) -> QueryResult<Option<DeliveryRow>> {
    article_deliveries::table
        .find(article_id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// The deliveries of the given articles.
pub fn deliveries_of(
    conn: &mut DbConnection,
    article_ids: &[i64],
) -> QueryResult<Vec<DeliveryRow>> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    article_deliveries::table
        .filter(article_deliveries::article_id.eq_any(article_ids.to_vec()))
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// Records a send attempt: `status` with the error (if any), counting the attempt.
pub fn record_attempt(
    conn: &mut DbConnection,
    article_id: i64,
    status: &str,
    error: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let sent_at = (status == "sent").then_some(now);
    diesel::update(article_deliveries::table.find(article_id))
        .set((
            article_deliveries::status.eq(status),
            article_deliveries::attempts.eq(article_deliveries::attempts + 1),
            article_deliveries::last_error.eq(error),
            article_deliveries::sent_at.eq(sent_at),
            article_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks a delivery failed without a send attempt (a bounce came back for it).
pub fn mark_failed(
    conn: &mut DbConnection,
    article_id: i64,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(article_deliveries::table.find(article_id))
        .set((
            article_deliveries::status.eq("failed"),
            article_deliveries::last_error.eq(error),
            article_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?
        == 1)
}

/// Counts one automatic answer to `sender` on `day` and returns the new count. Concurrent
/// callers each get their own count (an upsert).
pub fn count_auto_answer(conn: &mut DbConnection, sender: &str, day: &str) -> QueryResult<i64> {
    use mail_auto_answers::dsl as a;
    let row = (
        a::sender.eq(sender),
        a::day.eq(day),
        a::answer_count.eq(1i64),
    );
    match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(a::mail_auto_answers)
            .values(row)
            .on_conflict((a::sender, a::day))
            .do_update()
            .set(a::answer_count.eq(a::answer_count + 1))
            .returning(a::answer_count)
            .get_result(pg),
        DbConnection::Sqlite(sqlite) => diesel::insert_into(a::mail_auto_answers)
            .values(row)
            .on_conflict((a::sender, a::day))
            .do_update()
            .set(a::answer_count.eq(a::answer_count + 1))
            .returning(a::answer_count)
            .get_result(sqlite),
    }
}

/// Automatic answers to `sender` on `day` so far.
pub fn auto_answers(conn: &mut DbConnection, sender: &str, day: &str) -> QueryResult<i64> {
    Ok(mail_auto_answers::table
        .find((sender, day))
        .select(mail_auto_answers::answer_count)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// The newest article carrying one of these Message-IDs: (article id, ticket id).
pub fn find_by_message_ids(
    conn: &mut DbConnection,
    message_ids: &[String],
) -> QueryResult<Option<(i64, i64)>> {
    if message_ids.is_empty() {
        return Ok(None);
    }
    articles::table
        .filter(articles::message_id.eq_any(message_ids.to_vec()))
        .order(articles::id.desc())
        .select((articles::id, articles::ticket_id))
        .first(conn)
        .optional()
}

/// Sets the Message-ID and In-Reply-To of an outbound article (before it is first sent).
pub fn set_message_id(
    conn: &mut DbConnection,
    article_id: i64,
    message_id: &str,
    in_reply_to: Option<&str>,
) -> QueryResult<()> {
    diesel::update(articles::table.find(article_id))
        .set((
            articles::message_id.eq(message_id),
            articles::in_reply_to.eq(in_reply_to),
        ))
        .execute(conn)?;
    Ok(())
}

/// The Message-IDs of a ticket's articles before `before_article`, oldest first, with the
/// sender type of each: (article id, sender type, Message-ID).
pub fn thread_ids(
    conn: &mut DbConnection,
    ticket_id: i64,
    before_article: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    let rows: Vec<(i64, String, Option<String>)> = articles::table
        .filter(articles::ticket_id.eq(ticket_id))
        .filter(articles::id.lt(before_article))
        .filter(articles::message_id.is_not_null())
        .order(articles::id.asc())
        .select((articles::id, articles::sender_type, articles::message_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, sender, mid)| mid.map(|m| (id, sender, m)))
        .collect())
}
