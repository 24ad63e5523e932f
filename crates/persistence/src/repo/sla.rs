//! The `slas` table (targets as `SlaSpec` JSON on a calendar) and `queue_slas`, the default SLA
//! of each queue.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{queue_slas, slas};

/// A stored SLA.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = slas)]
pub struct SlaRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// The calendar its business minutes count on.
    pub calendar_id: i64,
    /// Targets, warning share, pausing state types (JSON).
    pub spec: String,
    /// Description.
    pub description: String,
    /// Inactive SLAs are not in force and cannot be assigned.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// An SLA to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = slas)]
pub struct NewSla<'a> {
    /// Name.
    pub name: &'a str,
    /// Calendar.
    pub calendar_id: i64,
    /// Settings (JSON).
    pub spec: &'a str,
    /// Description.
    pub description: &'a str,
    /// Active.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same.
    pub updated_at: NaiveDateTime,
}

/// Changes to an SLA.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = slas)]
pub struct SlaChanges {
    /// Name.
    pub name: Option<String>,
    /// Calendar.
    pub calendar_id: Option<i64>,
    /// Settings.
    pub spec: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts an SLA.
pub fn insert(conn: &mut DbConnection, new: &NewSla<'_>) -> QueryResult<SlaRow> {
    diesel::insert_into(slas::table)
        .values(new)
        .returning(slas::all_columns)
        .get_result(conn)
}

/// One SLA.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SlaRow>> {
    slas::table
        .find(id)
        .select(SlaRow::as_select())
        .first(conn)
        .optional()
}

/// Several SLAs.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<SlaRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    slas::table
        .filter(slas::id.eq_any(ids))
        .select(SlaRow::as_select())
        .load(conn)
}

/// Every SLA, by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<SlaRow>> {
    slas::table
        .order(slas::name.asc())
        .select(SlaRow::as_select())
        .load(conn)
}

/// The SLAs counting on a calendar.
pub fn of_calendar(conn: &mut DbConnection, calendar_id: i64) -> QueryResult<Vec<i64>> {
    slas::table
        .filter(slas::calendar_id.eq(calendar_id))
        .select(slas::id)
        .load(conn)
}

/// Changes an SLA.
pub fn update(conn: &mut DbConnection, id: i64, changes: &SlaChanges) -> QueryResult<SlaRow> {
    diesel::update(slas::table.find(id))
        .set(changes)
        .returning(slas::all_columns)
        .get_result(conn)
}

/// The default SLA of a queue.
pub fn queue_default(conn: &mut DbConnection, queue_id: i64) -> QueryResult<Option<i64>> {
    queue_slas::table
        .find(queue_id)
        .select(queue_slas::sla_id)
        .first(conn)
        .optional()
}

/// Every queue with a default SLA: (queue, SLA).
pub fn queue_defaults(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    queue_slas::table
        .select((queue_slas::queue_id, queue_slas::sla_id))
        .order(queue_slas::queue_id.asc())
        .load(conn)
}

/// Sets (or with `None` removes) the default SLA of a queue.
pub fn set_queue_default(
    conn: &mut DbConnection,
    queue_id: i64,
    sla_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(queue_slas::table.find(queue_id)).execute(conn)?;
    if let Some(sla_id) = sla_id {
        diesel::insert_into(queue_slas::table)
            .values((
                queue_slas::queue_id.eq(queue_id),
                queue_slas::sla_id.eq(sla_id),
                queue_slas::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
