//! The `audit_log` table: append-only. There is deliberately no update or delete here, and the
//! database refuses both (triggers in the migration).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::audit_log;

/// A stored audit entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Id (increasing with time).
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// Who (absent for the system, e.g. the directory sync).
    pub actor_id: Option<i64>,
    /// The actor's email (or `system`) at the time.
    pub actor_label: String,
    /// What was done: `create`, `update`, `grant`, `revoke`, …
    pub action: String,
    /// The kind of thing changed: `user`, `group`, `group_membership`, …
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Its name at the time.
    pub entity_label: String,
    /// The user the change is about (an edited user, a granted agent), if any.
    pub subject_user_id: Option<i64>,
    /// JSON of the values before.
    pub before_value: Option<String>,
    /// JSON of the values after.
    pub after_value: Option<String>,
}

/// A new entry.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub actor_id: Option<i64>,
    /// The actor's email at the time.
    pub actor_label: &'a str,
    /// What was done.
    pub action: &'a str,
    /// The kind of thing changed.
    pub entity: &'a str,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Its name at the time.
    pub entity_label: &'a str,
    /// The user the change is about.
    pub subject_user_id: Option<i64>,
    /// JSON of the values before.
    pub before_value: Option<&'a str>,
    /// JSON of the values after.
    pub after_value: Option<&'a str>,
}

/// Filters for reading the log; all given ones must match.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter<'a> {
    /// By actor.
    pub actor_id: Option<i64>,
    /// By the user the change is about.
    pub subject_user_id: Option<i64>,
    /// By kind of thing.
    pub entity: Option<&'a str>,
    /// By the thing's id.
    pub entity_id: Option<i64>,
    /// By action.
    pub action: Option<&'a str>,
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub until: Option<NaiveDateTime>,
}

/// Appends an entry.
pub fn insert(conn: &mut DbConnection, row: &NewAuditRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .returning(audit_log::id)
        .get_result(conn)
}

/// Entries matching `filter`, newest first, with ids below `before_id`, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter<'_>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .select(AuditRow::as_select())
        .order(audit_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(id) = before_id {
        query = query.filter(audit_log::id.lt(id));
    }
    if let Some(actor) = filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(actor));
    }
    if let Some(user) = filter.subject_user_id {
        query = query.filter(audit_log::subject_user_id.eq(user));
    }
    if let Some(entity) = filter.entity {
        query = query.filter(audit_log::entity.eq(entity.to_owned()));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_log::entity_id.eq(id));
    }
    if let Some(action) = filter.action {
        query = query.filter(audit_log::action.eq(action.to_owned()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    query.load(conn)
}
