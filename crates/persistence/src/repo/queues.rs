//! The `queues` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::queues;

/// A queue.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = queues)]
pub struct QueueRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// The group governing access.
    pub group_id: i64,
    /// Parent queue (hierarchy).
    pub parent_id: Option<i64>,
    /// The address mail for this queue arrives at and replies go out from.
    pub email_address: Option<String>,
    /// Priority of new tickets unless given.
    pub default_priority_id: Option<i64>,
    /// Customers may open tickets here from the portal.
    pub customer_open: bool,
    /// Description.
    pub description: String,
    /// Inactive queues take no new tickets.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A queue to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = queues)]
pub struct NewQueue<'a> {
    /// Name.
    pub name: &'a str,
    /// Group.
    pub group_id: i64,
    /// Parent.
    pub parent_id: Option<i64>,
    /// Address.
    pub email_address: Option<&'a str>,
    /// Default priority.
    pub default_priority_id: Option<i64>,
    /// Open to customers.
    pub customer_open: bool,
    /// Description.
    pub description: &'a str,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same.
    pub updated_at: NaiveDateTime,
}

/// Changes to a queue.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = queues)]
pub struct QueueChanges {
    /// Name.
    pub name: Option<String>,
    /// Group.
    pub group_id: Option<i64>,
    /// Parent.
    pub parent_id: Option<Option<i64>>,
    /// Address.
    pub email_address: Option<Option<String>>,
    /// Default priority.
    pub default_priority_id: Option<Option<i64>>,
    /// Open to customers.
    pub customer_open: Option<bool>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// All queues, by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<QueueRow>> {
    queues::table
        .order(queues::name.asc())
        .select(QueueRow::as_select())
        .load(conn)
}

/// One queue.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<QueueRow>> {
    queues::table
        .find(id)
        .select(QueueRow::as_select())
        .first(conn)
        .optional()
}

/// The queue with this name.
pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<QueueRow>> {
    queues::table
        .filter(queues::name.eq(name))
        .select(QueueRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a queue.
pub fn insert(conn: &mut DbConnection, new: &NewQueue<'_>) -> QueryResult<QueueRow> {
    diesel::insert_into(queues::table)
        .values(new)
        .returning(queues::all_columns)
        .get_result(conn)
}

/// Changes a queue.
pub fn update(conn: &mut DbConnection, id: i64, changes: &QueueChanges) -> QueryResult<QueueRow> {
    diesel::update(queues::table.find(id))
        .set(changes)
        .returning(queues::all_columns)
        .get_result(conn)
}
