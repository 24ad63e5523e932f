//! The tables around a knowledge-base article: `kb_article_versions`, `kb_article_history`,
//! `kb_attachments` and `kb_votes`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{
    kb_anonymous_votes, kb_article_history, kb_article_versions, kb_attachments, kb_votes,
};

/// A published version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = kb_article_versions)]
pub struct VersionRow {
    /// Id.
    pub id: i64,
    /// Article.
    pub article_id: i64,
    /// Number (1, 2, …).
    pub version: i64,
    /// Title.
    pub title: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Plain text.
    pub body_text: String,
    /// Keywords, one a line.
    pub keywords: String,
    /// Visibility.
    pub visibility: String,
    /// Who published it.
    pub created_by: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A new version.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = kb_article_versions)]
pub struct NewVersion<'a> {
    /// Article.
    pub article_id: i64,
    /// Number.
    pub version: i64,
    /// Title.
    pub title: &'a str,
    /// HTML.
    pub body_html: &'a str,
    /// Text.
    pub body_text: &'a str,
    /// Keywords.
    pub keywords: &'a str,
    /// Visibility.
    pub visibility: &'a str,
    /// Who.
    pub created_by: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Stores a version.
pub fn insert_version(conn: &mut DbConnection, new: &NewVersion<'_>) -> QueryResult<()> {
    diesel::insert_into(kb_article_versions::table)
        .values(new)
        .execute(conn)
        .map(drop)
}

/// An article's versions, newest first.
pub fn versions(conn: &mut DbConnection, article_id: i64) -> QueryResult<Vec<VersionRow>> {
    kb_article_versions::table
        .filter(kb_article_versions::article_id.eq(article_id))
        .select(VersionRow::as_select())
        .order(kb_article_versions::version.desc())
        .load(conn)
}

/// One version of an article.
pub fn find_version(
    conn: &mut DbConnection,
    article_id: i64,
    version: i64,
) -> QueryResult<Option<VersionRow>> {
    kb_article_versions::table
        .filter(kb_article_versions::article_id.eq(article_id))
        .filter(kb_article_versions::version.eq(version))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
}

/// One entry of an article's history.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = kb_article_history)]
pub struct HistoryRow {
    /// Id.
    pub id: i64,
    /// Article.
    pub article_id: i64,
    /// Who (`None`: the user was deleted).
    pub actor_id: Option<i64>,
    /// What: `created`, `updated`, `published`, `archived`, `restored`, `attachment_added`, …
    pub action: String,
    /// JSON detail (changed fields, version numbers, file names).
    pub detail: String,
    /// When.
    pub at: NaiveDateTime,
}

/// Records a history entry.
pub fn record(
    conn: &mut DbConnection,
    article_id: i64,
    actor_id: i64,
    action: &str,
    detail: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(kb_article_history::table)
        .values((
            kb_article_history::article_id.eq(article_id),
            kb_article_history::actor_id.eq(actor_id),
            kb_article_history::action.eq(action),
            kb_article_history::detail.eq(detail),
            kb_article_history::at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// An article's history, oldest first.
pub fn history(conn: &mut DbConnection, article_id: i64) -> QueryResult<Vec<HistoryRow>> {
    kb_article_history::table
        .filter(kb_article_history::article_id.eq(article_id))
        .select(HistoryRow::as_select())
        .order(kb_article_history::id.asc())
        .load(conn)
}

/// An attachment of an article.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = kb_attachments)]
pub struct KbAttachmentRow {
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
    /// Who added it.
    pub created_by: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A new attachment.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = kb_attachments)]
pub struct NewKbAttachment<'a> {
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
    /// Who.
    pub created_by: i64,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Stores an attachment's metadata.
pub fn insert_attachment(
    conn: &mut DbConnection,
    new: &NewKbAttachment<'_>,
) -> QueryResult<KbAttachmentRow> {
    diesel::insert_into(kb_attachments::table)
        .values(new)
        .returning(kb_attachments::all_columns)
        .get_result(conn)
}

/// An article's attachments, in the order they were added.
pub fn attachments(conn: &mut DbConnection, article_id: i64) -> QueryResult<Vec<KbAttachmentRow>> {
    kb_attachments::table
        .filter(kb_attachments::article_id.eq(article_id))
        .select(KbAttachmentRow::as_select())
        .order(kb_attachments::id.asc())
        .load(conn)
}

/// One attachment.
pub fn find_attachment(conn: &mut DbConnection, id: i64) -> QueryResult<Option<KbAttachmentRow>> {
    kb_attachments::table
        .find(id)
        .select(KbAttachmentRow::as_select())
        .first(conn)
        .optional()
}

/// Removes an attachment.
pub fn delete_attachment(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(kb_attachments::table.find(id)).execute(conn)? == 1)
}

/// A signed-in user's vote on an article, if any (`true`: helpful).
pub fn vote_of(
    conn: &mut DbConnection,
    article_id: i64,
    user_id: i64,
) -> QueryResult<Option<bool>> {
    kb_votes::table
        .find((article_id, user_id))
        .select(kb_votes::helpful)
        .first(conn)
        .optional()
}

/// Stores or changes a signed-in user's vote.
pub fn set_vote(
    conn: &mut DbConnection,
    article_id: i64,
    user_id: i64,
    helpful: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(kb_votes::table.find((article_id, user_id))).execute(conn)?;
    diesel::insert_into(kb_votes::table)
        .values((
            kb_votes::article_id.eq(article_id),
            kb_votes::user_id.eq(user_id),
            kb_votes::helpful.eq(helpful),
            kb_votes::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// An anonymous reader's vote on an article (`voter`: the keyed hash of their address).
pub fn anonymous_vote_of(
    conn: &mut DbConnection,
    article_id: i64,
    voter: &str,
) -> QueryResult<Option<bool>> {
    kb_anonymous_votes::table
        .find((article_id, voter))
        .select(kb_anonymous_votes::helpful)
        .first(conn)
        .optional()
}

/// Stores or changes an anonymous reader's vote.
pub fn set_anonymous_vote(
    conn: &mut DbConnection,
    article_id: i64,
    voter: &str,
    helpful: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(kb_anonymous_votes::table.find((article_id, voter))).execute(conn)?;
    diesel::insert_into(kb_anonymous_votes::table)
        .values((
            kb_anonymous_votes::article_id.eq(article_id),
            kb_anonymous_votes::voter.eq(voter),
            kb_anonymous_votes::helpful.eq(helpful),
            kb_anonymous_votes::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
