//! Small admin-managed tables: states, priorities and ticket types. They are read whole (a few
//! rows each) and changed rarely.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{priorities, reference_version, states, ticket_types, tickets};

/// The current reference-data token: it changes (in the same transaction) with every change to
/// states, priorities, ticket types or queues.
pub fn version(conn: &mut DbConnection) -> QueryResult<i64> {
    reference_version::table
        .find(1)
        .select(reference_version::token)
        .first(conn)
}

/// A state.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = states)]
pub struct StateRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// State type.
    pub state_type: String,
    /// For pending_auto states: the state to change to.
    pub next_state_id: Option<i64>,
    /// Offered for new changes.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a state.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = states)]
pub struct StateChanges {
    /// Name.
    pub name: Option<String>,
    /// Type.
    pub state_type: Option<String>,
    /// Next state.
    pub next_state_id: Option<Option<i64>>,
    /// Active.
    pub active: Option<bool>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// A priority (id = level).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = priorities)]
pub struct PriorityRow {
    /// Level.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Offered for new changes.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A ticket type.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = ticket_types)]
pub struct TicketTypeRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Offered for new changes.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a priority or type: name and active flag.
#[derive(Debug, Default, Clone)]
pub struct NamedChanges {
    /// Name.
    pub name: Option<String>,
    /// Active.
    pub active: Option<bool>,
}

/// All states, by id.
pub fn states(conn: &mut DbConnection) -> QueryResult<Vec<StateRow>> {
    states::table
        .order(states::id.asc())
        .select(StateRow::as_select())
        .load(conn)
}

/// Inserts a state.
pub fn insert_state(
    conn: &mut DbConnection,
    name: &str,
    state_type: &str,
    next_state_id: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<StateRow> {
    diesel::insert_into(states::table)
        .values((
            states::name.eq(name),
            states::state_type.eq(state_type),
            states::next_state_id.eq(next_state_id),
            states::created_at.eq(now),
            states::updated_at.eq(now),
        ))
        .returning(states::all_columns)
        .get_result(conn)
}

/// Changes a state; when its type changes, the copy on its tickets follows in the same
/// transaction (the caller's).
pub fn update_state(
    conn: &mut DbConnection,
    id: i64,
    changes: &StateChanges,
) -> QueryResult<StateRow> {
    let row: StateRow = diesel::update(states::table.find(id))
        .set(changes)
        .returning(states::all_columns)
        .get_result(conn)?;
    if let Some(state_type) = &changes.state_type {
        diesel::update(tickets::table.filter(tickets::state_id.eq(id)))
            .set((
                tickets::state_type.eq(state_type),
                tickets::state_sort.eq(crate::repo::tickets::state_rank(state_type)),
            ))
            .execute(conn)?;
    }
    Ok(row)
}

/// All priorities, by level.
pub fn priorities(conn: &mut DbConnection) -> QueryResult<Vec<PriorityRow>> {
    priorities::table
        .order(priorities::id.asc())
        .select(PriorityRow::as_select())
        .load(conn)
}

/// Inserts a priority with an explicit level.
pub fn insert_priority(
    conn: &mut DbConnection,
    level: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<PriorityRow> {
    diesel::insert_into(priorities::table)
        .values((
            priorities::id.eq(level),
            priorities::name.eq(name),
            priorities::created_at.eq(now),
            priorities::updated_at.eq(now),
        ))
        .returning(priorities::all_columns)
        .get_result(conn)
}

/// Changes a priority.
pub fn update_priority(
    conn: &mut DbConnection,
    id: i64,
    changes: &NamedChanges,
    now: NaiveDateTime,
) -> QueryResult<PriorityRow> {
    diesel::update(priorities::table.find(id))
        .set((
            changes
                .name
                .as_ref()
                .map(|n| priorities::name.eq(n.clone())),
            changes.active.map(|a| priorities::active.eq(a)),
            priorities::updated_at.eq(now),
        ))
        .returning(priorities::all_columns)
        .get_result(conn)
}

/// All ticket types, by id.
pub fn ticket_types(conn: &mut DbConnection) -> QueryResult<Vec<TicketTypeRow>> {
    ticket_types::table
        .order(ticket_types::id.asc())
        .select(TicketTypeRow::as_select())
        .load(conn)
}

/// Inserts a ticket type.
pub fn insert_ticket_type(
    conn: &mut DbConnection,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<TicketTypeRow> {
    diesel::insert_into(ticket_types::table)
        .values((
            ticket_types::name.eq(name),
            ticket_types::created_at.eq(now),
            ticket_types::updated_at.eq(now),
        ))
        .returning(ticket_types::all_columns)
        .get_result(conn)
}

/// Changes a ticket type.
pub fn update_ticket_type(
    conn: &mut DbConnection,
    id: i64,
    changes: &NamedChanges,
    now: NaiveDateTime,
) -> QueryResult<TicketTypeRow> {
    diesel::update(ticket_types::table.find(id))
        .set((
            changes
                .name
                .as_ref()
                .map(|n| ticket_types::name.eq(n.clone())),
            changes.active.map(|a| ticket_types::active.eq(a)),
            ticket_types::updated_at.eq(now),
        ))
        .returning(ticket_types::all_columns)
        .get_result(conn)
}
