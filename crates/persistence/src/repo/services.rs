//! The `services` table: a hierarchy of services (`IT`, `IT::Printing`), each with an optional
//! SLA. `full_name` is the path and is unique.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::services;

/// A stored service.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = services)]
pub struct ServiceRow {
    /// Id.
    pub id: i64,
    /// The last part of the name (`Printing`).
    pub name: String,
    /// The path (`IT::Printing`), unique.
    pub full_name: String,
    /// Parent service.
    pub parent_id: Option<i64>,
    /// SLA of tickets of this service.
    pub sla_id: Option<i64>,
    /// Description.
    pub description: String,
    /// Inactive services are not offered for tickets.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A service to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = services)]
pub struct NewService<'a> {
    /// Last part of the name.
    pub name: &'a str,
    /// Path.
    pub full_name: &'a str,
    /// Parent.
    pub parent_id: Option<i64>,
    /// SLA.
    pub sla_id: Option<i64>,
    /// Description.
    pub description: &'a str,
    /// Active.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same.
    pub updated_at: NaiveDateTime,
}

/// Changes to a service.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = services)]
pub struct ServiceChanges {
    /// Last part of the name.
    pub name: Option<String>,
    /// Path.
    pub full_name: Option<String>,
    /// Parent.
    pub parent_id: Option<Option<i64>>,
    /// SLA.
    pub sla_id: Option<Option<i64>>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a service.
pub fn insert(conn: &mut DbConnection, new: &NewService<'_>) -> QueryResult<ServiceRow> {
    diesel::insert_into(services::table)
        .values(new)
        .returning(services::all_columns)
        .get_result(conn)
}

/// One service.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ServiceRow>> {
    services::table
        .find(id)
        .select(ServiceRow::as_select())
        .first(conn)
        .optional()
}

/// Several services.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ServiceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    services::table
        .filter(services::id.eq_any(ids))
        .select(ServiceRow::as_select())
        .load(conn)
}

/// Every service, by path.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<ServiceRow>> {
    services::table
        .order(services::full_name.asc())
        .select(ServiceRow::as_select())
        .load(conn)
}

/// Changes a service.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &ServiceChanges,
) -> QueryResult<ServiceRow> {
    diesel::update(services::table.find(id))
        .set(changes)
        .returning(services::all_columns)
        .get_result(conn)
}

/// Sets the path of one service (when an ancestor is renamed or moved).
pub fn set_full_name(
    conn: &mut DbConnection,
    id: i64,
    full_name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(services::table.find(id))
        .set((
            services::full_name.eq(full_name),
            services::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
