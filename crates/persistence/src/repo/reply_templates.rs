//! The `reply_templates` table: salutations and signatures.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{queue_mail_settings, reply_templates};

/// A salutation or signature.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = reply_templates)]
pub struct ReplyTemplateRow {
    /// Id.
    pub id: i64,
    /// `salutation` or `signature`.
    pub kind: String,
    /// Name (unique per kind).
    pub name: String,
    /// Template text.
    pub body: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Inserts a template.
pub fn insert(
    conn: &mut DbConnection,
    kind: &str,
    name: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<ReplyTemplateRow> {
    diesel::insert_into(reply_templates::table)
        .values((
            reply_templates::kind.eq(kind),
            reply_templates::name.eq(name),
            reply_templates::body.eq(body),
            reply_templates::created_at.eq(now),
            reply_templates::updated_at.eq(now),
        ))
        .returning(reply_templates::all_columns)
        .get_result(conn)
}

/// One template.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ReplyTemplateRow>> {
    reply_templates::table
        .find(id)
        .select(ReplyTemplateRow::as_select())
        .first(conn)
        .optional()
}

/// The templates of a kind, by name.
pub fn list(conn: &mut DbConnection, kind: &str) -> QueryResult<Vec<ReplyTemplateRow>> {
    reply_templates::table
        .filter(reply_templates::kind.eq(kind))
        .select(ReplyTemplateRow::as_select())
        .order(reply_templates::name.asc())
        .load(conn)
}

/// Changes name and text.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    name: Option<&str>,
    body: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<ReplyTemplateRow> {
    #[derive(AsChangeset)]
    #[diesel(table_name = reply_templates)]
    struct Changes<'a> {
        name: Option<&'a str>,
        body: Option<&'a str>,
        updated_at: NaiveDateTime,
    }
    diesel::update(reply_templates::table.find(id))
        .set(&Changes {
            name,
            body,
            updated_at: now,
        })
        .returning(reply_templates::all_columns)
        .get_result(conn)
}

/// The ids of the queues whose settings use a template.
pub fn queues_using(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    queue_mail_settings::table
        .filter(
            queue_mail_settings::salutation_id
                .eq(id)
                .or(queue_mail_settings::signature_id.eq(id)),
        )
        .select(queue_mail_settings::queue_id)
        .load(conn)
}

/// Deletes a template.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(reply_templates::table.find(id)).execute(conn)? == 1)
}
