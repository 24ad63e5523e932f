//! The `saved_reports` table: report definitions under a name.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::saved_reports;

/// A saved report.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = saved_reports)]
pub struct SavedReportRow {
    /// Id.
    pub id: i64,
    /// Who made it.
    pub owner_id: i64,
    /// Shared with this group's agents.
    pub group_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Which report (`volume`, `backlog`, …).
    pub report: String,
    /// The query string of the report endpoint.
    pub query: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a saved report.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = saved_reports)]
pub struct SavedReportChanges {
    /// Name.
    pub name: Option<String>,
    /// Report.
    pub report: Option<String>,
    /// Query string.
    pub query: Option<String>,
    /// Shared group (`Some(None)` makes it private).
    pub group_id: Option<Option<i64>>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a saved report.
pub fn insert(
    conn: &mut DbConnection,
    owner_id: i64,
    group_id: Option<i64>,
    name: &str,
    report: &str,
    query: &str,
    now: NaiveDateTime,
) -> QueryResult<SavedReportRow> {
    diesel::insert_into(saved_reports::table)
        .values((
            saved_reports::owner_id.eq(owner_id),
            saved_reports::group_id.eq(group_id),
            saved_reports::name.eq(name),
            saved_reports::report.eq(report),
            saved_reports::query.eq(query),
            saved_reports::created_at.eq(now),
            saved_reports::updated_at.eq(now),
        ))
        .returning(saved_reports::all_columns)
        .get_result(conn)
}

/// One saved report.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SavedReportRow>> {
    saved_reports::table
        .find(id)
        .select(SavedReportRow::as_select())
        .first(conn)
        .optional()
}

/// The reports of `owner_id` and those shared with any of `group_ids` (`None`: all shared).
pub fn visible(
    conn: &mut DbConnection,
    owner_id: i64,
    group_ids: Option<&[i64]>,
) -> QueryResult<Vec<SavedReportRow>> {
    let mut query = saved_reports::table
        .select(SavedReportRow::as_select())
        .order(saved_reports::name.asc())
        .into_boxed();
    query = match group_ids {
        None => query.filter(
            saved_reports::owner_id
                .eq(owner_id)
                .or(saved_reports::group_id.is_not_null()),
        ),
        Some(groups) => query.filter(
            saved_reports::owner_id
                .eq(owner_id)
                .or(saved_reports::group_id.eq_any(groups.to_vec())),
        ),
    };
    query.load(conn)
}

/// Changes a saved report.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &SavedReportChanges,
) -> QueryResult<SavedReportRow> {
    diesel::update(saved_reports::table.find(id))
        .set(changes)
        .returning(saved_reports::all_columns)
        .get_result(conn)
}

/// Deletes a saved report.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(saved_reports::table.find(id)).execute(conn)? == 1)
}
