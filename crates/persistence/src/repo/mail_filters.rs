//! The `postmaster_filters` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::postmaster_filters;

/// A postmaster filter; conditions and actions are JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = postmaster_filters)]
pub struct FilterRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Order (ascending).
    pub position: i32,
    /// Applied at all.
    pub enabled: bool,
    /// No later filter runs after this one matched.
    pub stop_after_match: bool,
    /// JSON list of conditions.
    pub conditions: String,
    /// JSON object of actions.
    pub actions: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Fields of a new or changed filter.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = postmaster_filters)]
pub struct FilterValues<'a> {
    /// Name.
    pub name: &'a str,
    /// Order.
    pub position: i32,
    /// Enabled.
    pub enabled: bool,
    /// Stop after match.
    pub stop_after_match: bool,
    /// Conditions (JSON).
    pub conditions: &'a str,
    /// Actions (JSON).
    pub actions: &'a str,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Inserts a filter.
pub fn insert(
    conn: &mut DbConnection,
    values: &FilterValues<'_>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(postmaster_filters::table)
        .values((values, postmaster_filters::created_at.eq(now)))
        .returning(postmaster_filters::id)
        .get_result(conn)
}

/// Replaces a filter's fields.
pub fn update(conn: &mut DbConnection, id: i64, values: &FilterValues<'_>) -> QueryResult<bool> {
    Ok(diesel::update(postmaster_filters::table.find(id))
        .set(values)
        .execute(conn)?
        == 1)
}

/// One filter.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<FilterRow>> {
    postmaster_filters::table
        .find(id)
        .select(FilterRow::as_select())
        .first(conn)
        .optional()
}

/// All filters in the order they apply.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<FilterRow>> {
    postmaster_filters::table
        .order((
            postmaster_filters::position.asc(),
            postmaster_filters::id.asc(),
        ))
        .select(FilterRow::as_select())
        .load(conn)
}

/// Deletes a filter.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(postmaster_filters::table.find(id)).execute(conn)? == 1)
}
