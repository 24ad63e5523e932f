//! The `reminders` table: RT-style reminders, small to-dos on a ticket with an owner and a due
//! time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{reminders, tickets};

/// A stored reminder.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reminders)]
pub struct ReminderRow {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// The agent to remind.
    pub owner_id: i64,
    /// What to do.
    pub subject: String,
    /// When.
    pub due_at: NaiveDateTime,
    /// Done.
    pub done: bool,
    /// When it was done.
    pub done_at: Option<NaiveDateTime>,
    /// When its due time was recorded (cleared when the due time changes).
    pub notified_at: Option<NaiveDateTime>,
    /// Who added it.
    pub created_by: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A reminder to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = reminders)]
pub struct NewReminder<'a> {
    /// Ticket.
    pub ticket_id: i64,
    /// Owner.
    pub owner_id: i64,
    /// Subject.
    pub subject: &'a str,
    /// Due at.
    pub due_at: NaiveDateTime,
    /// Created by.
    pub created_by: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same.
    pub updated_at: NaiveDateTime,
}

/// Changes to a reminder.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = reminders)]
pub struct ReminderChanges {
    /// Owner.
    pub owner_id: Option<i64>,
    /// Subject.
    pub subject: Option<String>,
    /// Due at.
    pub due_at: Option<NaiveDateTime>,
    /// Done.
    pub done: Option<bool>,
    /// Done at.
    pub done_at: Option<Option<NaiveDateTime>>,
    /// Notified at.
    pub notified_at: Option<Option<NaiveDateTime>>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a reminder.
pub fn insert(conn: &mut DbConnection, new: &NewReminder<'_>) -> QueryResult<ReminderRow> {
    diesel::insert_into(reminders::table)
        .values(new)
        .returning(reminders::all_columns)
        .get_result(conn)
}

/// One reminder.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ReminderRow>> {
    reminders::table
        .find(id)
        .select(ReminderRow::as_select())
        .first(conn)
        .optional()
}

/// A ticket's reminders by id, after `after_id`.
pub fn of_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<ReminderRow>> {
    let mut query = reminders::table
        .filter(reminders::ticket_id.eq(ticket_id))
        .order(reminders::id.asc())
        .select(ReminderRow::as_select())
        .into_boxed();
    if let Some(after) = after_id {
        query = query.filter(reminders::id.gt(after));
    }
    query.limit(limit).load(conn)
}

/// Changes a reminder.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &ReminderChanges,
) -> QueryResult<ReminderRow> {
    diesel::update(reminders::table.find(id))
        .set(changes)
        .returning(reminders::all_columns)
        .get_result(conn)
}

/// Deletes a reminder.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(reminders::table.find(id)).execute(conn)? == 1)
}

/// The tickets an agent may see: in these queues, or owned by / responsible to them
/// (`None`: every ticket, for administrators).
#[derive(Debug, Clone)]
pub struct VisibleTo {
    /// Queues whose group grants `ro`; `None` for administrators.
    pub queue_ids: Option<Vec<i64>>,
    /// The agent.
    pub user_id: i64,
}

/// An owner's open reminders due before `due_before`, on tickets they may see, by due time
/// then id, after the keyset position `after`.
pub fn open_of_owner(
    conn: &mut DbConnection,
    visible: &VisibleTo,
    due_before: Option<NaiveDateTime>,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<(ReminderRow, String, String)>> {
    let mut query = reminders::table
        .inner_join(tickets::table)
        .filter(reminders::owner_id.eq(visible.user_id))
        .filter(diesel::dsl::not(reminders::done))
        .order((reminders::due_at.asc(), reminders::id.asc()))
        .select((ReminderRow::as_select(), tickets::number, tickets::title))
        .into_boxed();
    if let Some(queues) = &visible.queue_ids {
        query = query.filter(
            tickets::queue_id
                .eq_any(queues.clone())
                .or(tickets::owner_id.eq(visible.user_id))
                .or(tickets::responsible_id.eq(visible.user_id)),
        );
    }
    if let Some(before) = due_before {
        query = query.filter(reminders::due_at.lt(before));
    }
    if let Some((due, id)) = after {
        query = query.filter(
            reminders::due_at
                .ge(due)
                .and(reminders::due_at.gt(due).or(reminders::id.gt(id))),
        );
    }
    query.limit(limit).load(conn)
}

/// Open reminders whose due time has come and was not yet recorded, earliest first.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ReminderRow>> {
    reminders::table
        .filter(diesel::dsl::not(reminders::done))
        .filter(reminders::notified_at.is_null())
        .filter(reminders::due_at.le(now))
        .order(reminders::due_at.asc())
        .select(ReminderRow::as_select())
        .limit(limit)
        .load(conn)
}

/// Marks a due reminder recorded; false when someone changed it meanwhile (done, or another
/// due time).
pub fn mark_notified(
    conn: &mut DbConnection,
    id: i64,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        reminders::table
            .find(id)
            .filter(diesel::dsl::not(reminders::done))
            .filter(reminders::notified_at.is_null())
            .filter(reminders::due_at.eq(due_at)),
    )
    .set(reminders::notified_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}
