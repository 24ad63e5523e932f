//! Articles with their bodies, and attachments with their deduplicated contents.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{article_bodies, articles, attachments, blobs};

/// A stored article (without its body).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = articles)]
pub struct ArticleRow {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// `agent`, `customer` or `system`.
    pub sender_type: String,
    /// `email`, `phone`, `web`, `api` or `note`.
    pub channel: String,
    /// Visible to the customer.
    pub customer_visible: bool,
    /// The user who wrote it.
    pub author_id: Option<i64>,
    /// From.
    pub from_address: Option<String>,
    /// To (comma-separated).
    pub to_addresses: Option<String>,
    /// Cc (comma-separated).
    pub cc_addresses: Option<String>,
    /// Subject.
    pub subject: String,
    /// Message-ID (email).
    pub message_id: Option<String>,
    /// In-Reply-To (email).
    pub in_reply_to: Option<String>,
    /// Minutes of work recorded with it.
    pub time_accounted_minutes: i64,
    /// Number of attachments.
    pub attachment_count: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// An article to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    /// Ticket.
    pub ticket_id: i64,
    /// Sender type.
    pub sender_type: &'a str,
    /// Channel.
    pub channel: &'a str,
    /// Visible to the customer.
    pub customer_visible: bool,
    /// Author.
    pub author_id: Option<i64>,
    /// From.
    pub from_address: Option<&'a str>,
    /// To.
    pub to_addresses: Option<&'a str>,
    /// Cc.
    pub cc_addresses: Option<&'a str>,
    /// Subject.
    pub subject: &'a str,
    /// Message-ID.
    pub message_id: Option<&'a str>,
    /// In-Reply-To.
    pub in_reply_to: Option<&'a str>,
    /// Minutes.
    pub time_accounted_minutes: i64,
    /// Attachment count.
    pub attachment_count: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// An article's body.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = article_bodies)]
pub struct BodyRow {
    /// Article.
    pub article_id: i64,
    /// Plain text.
    pub body_text: String,
    /// Sanitised HTML.
    pub body_html: Option<String>,
}

/// Attachment metadata.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    /// Id.
    pub id: i64,
    /// Article.
    pub article_id: i64,
    /// Content.
    pub blob_id: i64,
    /// File name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Content-ID for inline images.
    pub content_id: Option<String>,
    /// Shown inline (an image in the HTML body).
    pub inline: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// An attachment to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment<'a> {
    /// Article.
    pub article_id: i64,
    /// Content.
    pub blob_id: i64,
    /// File name.
    pub filename: &'a str,
    /// Media type.
    pub content_type: &'a str,
    /// Bytes.
    pub size: i64,
    /// Content-ID.
    pub content_id: Option<&'a str>,
    /// Inline.
    pub inline: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// Inserts an article and its body; returns the article id.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewArticle<'_>,
    body_text: &str,
    body_html: Option<&str>,
) -> QueryResult<i64> {
    let id = diesel::insert_into(articles::table)
        .values(new)
        .returning(articles::id)
        .get_result(conn)?;
    diesel::insert_into(article_bodies::table)
        .values((
            article_bodies::article_id.eq(id),
            article_bodies::body_text.eq(body_text),
            article_bodies::body_html.eq(body_html),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The articles of a ticket with their bodies, in order after `after_id`, at most `limit`;
/// internal ones only when asked.
pub fn list_for_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    include_internal: bool,
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(ArticleRow, BodyRow)>> {
    let mut query = articles::table
        .inner_join(article_bodies::table)
        .filter(articles::ticket_id.eq(ticket_id))
        .select((ArticleRow::as_select(), BodyRow::as_select()))
        .order(articles::id.asc())
        .into_boxed();
    if !include_internal {
        query = query.filter(articles::customer_visible.eq(true));
    }
    if let Some(after) = after_id {
        query = query.filter(articles::id.gt(after));
    }
    query.limit(limit).load(conn)
}

/// One article.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ArticleRow>> {
    articles::table
        .find(id)
        .select(ArticleRow::as_select())
        .first(conn)
        .optional()
}

/// The attachments of the given articles.
pub fn attachments_of(
    conn: &mut DbConnection,
    article_ids: &[i64],
) -> QueryResult<Vec<AttachmentRow>> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    attachments::table
        .filter(attachments::article_id.eq_any(article_ids.to_vec()))
        .order(attachments::id.asc())
        .select(AttachmentRow::as_select())
        .load(conn)
}

/// One attachment.
pub fn find_attachment(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .find(id)
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}

/// Stores `data` unless a blob with the same hash exists; returns the blob id either way.
pub fn store_blob(
    conn: &mut DbConnection,
    sha256: &str,
    data: &[u8],
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let row = (
        blobs::sha256.eq(sha256),
        blobs::size.eq(i64::try_from(data.len()).unwrap_or(i64::MAX)),
        blobs::data.eq(data),
        blobs::created_at.eq(now),
    );
    match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(blobs::table)
            .values(row)
            .on_conflict(blobs::sha256)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_into(blobs::table)
            .values(row)
            .on_conflict(blobs::sha256)
            .do_nothing()
            .execute(sqlite)?,
    };
    blobs::table
        .filter(blobs::sha256.eq(sha256))
        .select(blobs::id)
        .first(conn)
}

/// Inserts attachment metadata.
pub fn insert_attachment(conn: &mut DbConnection, new: &NewAttachment<'_>) -> QueryResult<i64> {
    diesel::insert_into(attachments::table)
        .values(new)
        .returning(attachments::id)
        .get_result(conn)
}

/// The content of a blob.
pub fn blob_data(conn: &mut DbConnection, blob_id: i64) -> QueryResult<Vec<u8>> {
    blobs::table.find(blob_id).select(blobs::data).first(conn)
}

/// Number of distinct stored contents (for tests of deduplication).
pub fn blob_count(conn: &mut DbConnection) -> QueryResult<i64> {
    blobs::table.count().get_result(conn)
}

/// (ticket id, subject + body) of the articles of these tickets, oldest first, for search
/// snippets; internal ones only when asked.
pub fn search_texts(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
    include_internal: bool,
) -> QueryResult<Vec<(i64, String)>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = articles::table
        .inner_join(article_bodies::table)
        .filter(articles::ticket_id.eq_any(ticket_ids.to_vec()))
        .select((
            articles::ticket_id,
            articles::subject,
            article_bodies::body_text,
        ))
        .order(articles::id.asc())
        .into_boxed();
    if !include_internal {
        query = query.filter(articles::customer_visible.eq(true));
    }
    Ok(query
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(ticket, subject, body)| (ticket, format!("{subject}\n{body}")))
        .collect())
}
