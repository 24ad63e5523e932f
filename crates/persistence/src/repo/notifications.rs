//! Notification rules, preferences, templates, in-app notifications and the positions of the
//! history-log consumers (`event_cursors`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{
    event_cursors, jobs, notification_preferences, notification_rules, notification_templates,
    notifications,
};
use crate::unique_violation;

/// Which roles an event notifies, and the default channels.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notification_rules)]
pub struct RuleRow {
    /// Event (`ticket_created`, …).
    pub event: String,
    /// Comma list of roles.
    pub recipients: String,
    /// Email for agents without a preference.
    pub email: bool,
    /// In-app for agents without a preference.
    pub in_app: bool,
    /// Whether the event notifies anyone.
    pub enabled: bool,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// All rules.
pub fn rules(conn: &mut DbConnection) -> QueryResult<Vec<RuleRow>> {
    notification_rules::table
        .order(notification_rules::event.asc())
        .select(RuleRow::as_select())
        .load(conn)
}

/// Inserts or replaces a rule.
pub fn save_rule(conn: &mut DbConnection, row: &RuleRow) -> QueryResult<()> {
    let updated = diesel::update(notification_rules::table.find(&row.event))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(notification_rules::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// An agent's channels for one event.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_preferences)]
pub struct PreferenceRow {
    /// Agent.
    pub user_id: i64,
    /// Event.
    pub event: String,
    /// By email.
    pub email: bool,
    /// In the application.
    pub in_app: bool,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// The preferences of one agent.
pub fn preferences_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<PreferenceRow>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq(user_id))
        .order(notification_preferences::event.asc())
        .select(PreferenceRow::as_select())
        .load(conn)
}

/// The preferences of several agents for one event.
pub fn preferences_for(
    conn: &mut DbConnection,
    user_ids: &[i64],
    event: &str,
) -> QueryResult<Vec<PreferenceRow>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq_any(user_ids))
        .filter(notification_preferences::event.eq(event))
        .select(PreferenceRow::as_select())
        .load(conn)
}

/// Replaces all preferences of an agent.
pub fn replace_preferences(
    conn: &mut DbConnection,
    user_id: i64,
    rows: &[PreferenceRow],
) -> QueryResult<()> {
    diesel::delete(
        notification_preferences::table.filter(notification_preferences::user_id.eq(user_id)),
    )
    .execute(conn)?;
    for row in rows {
        diesel::insert_into(notification_preferences::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// A notification text.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notification_templates)]
pub struct TemplateRow {
    /// Event.
    pub event: String,
    /// Language (`en`, `nl`, `nb`, `de`).
    pub language: String,
    /// Subject template.
    pub subject: String,
    /// Body template.
    pub body: String,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// All templates, by event and language.
pub fn templates(conn: &mut DbConnection) -> QueryResult<Vec<TemplateRow>> {
    notification_templates::table
        .order((
            notification_templates::event.asc(),
            notification_templates::language.asc(),
        ))
        .select(TemplateRow::as_select())
        .load(conn)
}

/// One template.
pub fn template(
    conn: &mut DbConnection,
    event: &str,
    language: &str,
) -> QueryResult<Option<TemplateRow>> {
    notification_templates::table
        .find((event, language))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts or replaces a template.
pub fn save_template(conn: &mut DbConnection, row: &TemplateRow) -> QueryResult<()> {
    let updated = diesel::update(notification_templates::table.find((&row.event, &row.language)))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(notification_templates::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    /// Id.
    pub id: i64,
    /// Recipient.
    pub user_id: i64,
    /// Event.
    pub event: String,
    /// Ticket.
    pub ticket_id: i64,
    /// The history row it announces.
    pub history_id: i64,
    /// Who caused it.
    pub actor_id: Option<i64>,
    /// Rendered subject.
    pub subject: String,
    /// Rendered body.
    pub body: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Read at.
    pub read_at: Option<NaiveDateTime>,
}

/// A notification to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification<'a> {
    /// Recipient.
    pub user_id: i64,
    /// Event.
    pub event: &'a str,
    /// Ticket.
    pub ticket_id: i64,
    /// History row.
    pub history_id: i64,
    /// Actor.
    pub actor_id: Option<i64>,
    /// Subject.
    pub subject: &'a str,
    /// Body.
    pub body: &'a str,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// Stores a notification; `None` when this recipient already has one for this history row
/// and event (the insert runs under a savepoint, so the caller's transaction goes on).
pub fn insert(conn: &mut DbConnection, new: &NewNotification<'_>) -> QueryResult<Option<i64>> {
    match conn.transaction(|conn| {
        diesel::insert_into(notifications::table)
            .values(new)
            .returning(notifications::id)
            .get_result(conn)
    }) {
        Ok(id) => Ok(Some(id)),
        Err(error) if unique_violation(&error).is_some() => Ok(None),
        Err(error) => Err(error),
    }
}

/// A user's notifications, newest first, before `before_id`.
pub fn list(
    conn: &mut DbConnection,
    user_id: i64,
    unread_only: bool,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order(notifications::id.desc())
        .select(NotificationRow::as_select())
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    if let Some(before) = before_id {
        query = query.filter(notifications::id.lt(before));
    }
    query.limit(limit).load(conn)
}

/// A user's unread notifications counted per ticket (ticket id, count).
pub fn unread_by_ticket(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .group_by(notifications::ticket_id)
        .select((notifications::ticket_id, diesel::dsl::count_star()))
        .load(conn)
}

/// One notification of a user.
pub fn find_of(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .find(id)
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}

/// Marks one notification read (if it is not already).
pub fn mark_read(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .find(id)
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now)))
    .execute(conn)
}

/// Marks every unread notification of a user read; returns how many.
pub fn mark_all_read(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now)))
    .execute(conn)
}

/// Notifications of all users after `after_id`, oldest first (for live updates).
pub fn after(
    conn: &mut DbConnection,
    after_id: i64,
    upto: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::id.gt(after_id))
        .order(notifications::id.asc())
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(upto) = upto {
        query = query.filter(notifications::id.le(upto));
    }
    query.limit(limit).load(conn)
}

/// The highest notification id (0 when there is none).
pub fn max_id(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(notifications::table
        .select(diesel::dsl::max(notifications::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Deletes notifications read before `before`, always keeping the newest row (so that the
/// highest id, where a live-update poller starts, never goes back).
pub fn purge_read(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    let newest = max_id(conn)?;
    diesel::delete(
        notifications::table
            .filter(notifications::read_at.lt(before))
            .filter(notifications::id.lt(newest)),
    )
    .execute(conn)
}

/// A consumer's position in the history log.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = event_cursors)]
pub struct CursorRow {
    /// Consumer.
    pub name: String,
    /// Every history row up to this id is handled.
    pub last_id: i64,
    /// The id after `last_id` has been missing since.
    pub gap_since: Option<NaiveDateTime>,
    /// PostgreSQL: the snapshot xmax recorded while waiting for that id.
    pub gap_xmax: Option<i64>,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Locks a consumer's cursor row for the rest of the transaction (an update takes the row lock
/// on PostgreSQL; SQLite holds the database write lock anyway) and returns it, creating it at
/// the current end of the history log if it does not exist.
pub fn lock_cursor(
    conn: &mut DbConnection,
    name: &str,
    start_at: impl FnOnce(&mut DbConnection) -> QueryResult<i64>,
    now: NaiveDateTime,
) -> QueryResult<CursorRow> {
    let touched = diesel::update(event_cursors::table.find(name))
        .set(event_cursors::updated_at.eq(now))
        .execute(conn)?;
    if touched == 0 {
        let last_id = start_at(conn)?;
        diesel::insert_into(event_cursors::table)
            .values((
                event_cursors::name.eq(name),
                event_cursors::last_id.eq(last_id),
                event_cursors::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    event_cursors::table
        .find(name)
        .select(CursorRow::as_select())
        .first(conn)
}

/// Moves a cursor and records its gap state.
pub fn save_cursor(
    conn: &mut DbConnection,
    name: &str,
    last_id: i64,
    gap_since: Option<NaiveDateTime>,
    gap_xmax: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(event_cursors::table.find(name))
        .set((
            event_cursors::last_id.eq(last_id),
            event_cursors::gap_since.eq(gap_since),
            event_cursors::gap_xmax.eq(gap_xmax),
            event_cursors::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Reads a cursor without locking it.
pub fn cursor(conn: &mut DbConnection, name: &str) -> QueryResult<Option<CursorRow>> {
    event_cursors::table
        .find(name)
        .select(CursorRow::as_select())
        .first(conn)
        .optional()
}

/// Deletes finished jobs of one kind older than `before` (the dispatcher runs every few
/// seconds; its finished runs are worth nothing after a while).
pub fn purge_done_jobs(
    conn: &mut DbConnection,
    kind: &str,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        jobs::table
            .filter(jobs::kind.eq(kind))
            .filter(jobs::status.eq("done"))
            .filter(jobs::finished_at.lt(before)),
    )
    .execute(conn)
}
