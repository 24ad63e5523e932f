//! The `calendars` table: business calendars, their settings as `CalendarSpec` JSON.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::calendars;

/// A stored calendar.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = calendars)]
pub struct CalendarRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Time zone, working hours and holidays (JSON).
    pub spec: String,
    /// Description.
    pub description: String,
    /// Offered for SLAs.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A calendar to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = calendars)]
pub struct NewCalendar<'a> {
    /// Name.
    pub name: &'a str,
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

/// Changes to a calendar.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = calendars)]
pub struct CalendarChanges {
    /// Name.
    pub name: Option<String>,
    /// Settings.
    pub spec: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a calendar.
pub fn insert(conn: &mut DbConnection, new: &NewCalendar<'_>) -> QueryResult<CalendarRow> {
    diesel::insert_into(calendars::table)
        .values(new)
        .returning(calendars::all_columns)
        .get_result(conn)
}

/// One calendar.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CalendarRow>> {
    calendars::table
        .find(id)
        .select(CalendarRow::as_select())
        .first(conn)
        .optional()
}

/// Every calendar, by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<CalendarRow>> {
    calendars::table
        .order(calendars::name.asc())
        .select(CalendarRow::as_select())
        .load(conn)
}

/// Changes a calendar.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &CalendarChanges,
) -> QueryResult<CalendarRow> {
    diesel::update(calendars::table.find(id))
        .set(changes)
        .returning(calendars::all_columns)
        .get_result(conn)
}
