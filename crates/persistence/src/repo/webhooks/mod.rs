//! The `webhooks` table (subscriptions) and, in [`deliveries`], the log of what was sent.

pub mod deliveries;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::webhooks;

/// A webhook (with its secret: never hand it out).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    /// Id.
    pub id: i64,
    /// Name shown to administrators.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// Event types, a JSON list.
    pub events: String,
    /// Queue ids, a JSON list; `None`: every queue.
    pub queue_ids: Option<String>,
    /// HMAC key.
    pub secret: String,
    /// Sending.
    pub enabled: bool,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// When it was turned off automatically.
    pub disabled_at: Option<NaiveDateTime>,
    /// Why.
    pub disabled_reason: Option<String>,
    /// Creator.
    pub created_by: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Fields of a new or changed webhook.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookValues<'a> {
    /// Name.
    pub name: &'a str,
    /// URL.
    pub url: &'a str,
    /// Event types (JSON list).
    pub events: &'a str,
    /// Queue ids (JSON list); written as NULL on update too.
    pub queue_ids: Option<Option<&'a str>>,
    /// Secret.
    pub secret: &'a str,
    /// Enabled.
    pub enabled: bool,
    /// Failures since the last success.
    pub consecutive_failures: i32,
    /// Turned off automatically at (written as NULL on update too).
    pub disabled_at: Option<Option<NaiveDateTime>>,
    /// Why (written as NULL on update too).
    pub disabled_reason: Option<Option<&'a str>>,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Inserts a webhook.
pub fn insert(
    conn: &mut DbConnection,
    values: &WebhookValues<'_>,
    created_by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(webhooks::table)
        .values((
            values,
            webhooks::created_by.eq(Some(created_by)),
            webhooks::created_at.eq(now),
        ))
        .returning(webhooks::id)
        .get_result(conn)
}

/// Replaces a webhook's fields.
pub fn update(conn: &mut DbConnection, id: i64, values: &WebhookValues<'_>) -> QueryResult<bool> {
    Ok(diesel::update(webhooks::table.find(id))
        .set(values)
        .execute(conn)?
        == 1)
}

/// One webhook.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

/// All webhooks by id.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .order(webhooks::id.asc())
        .select(WebhookRow::as_select())
        .load(conn)
}

/// The enabled webhooks, by id.
pub fn enabled(conn: &mut DbConnection) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::enabled.eq(true))
        .order(webhooks::id.asc())
        .select(WebhookRow::as_select())
        .load(conn)
}

/// Deletes a webhook and its deliveries.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? == 1)
}

/// Records a successful delivery: the run of failures ends.
pub fn record_success(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(webhooks::table.find(id))
        .set(webhooks::consecutive_failures.eq(0))
        .execute(conn)
        .map(drop)
}

/// Counts a failed attempt; the run of failures afterwards.
pub fn record_failure(conn: &mut DbConnection, id: i64) -> QueryResult<i32> {
    diesel::update(webhooks::table.find(id))
        .set(webhooks::consecutive_failures.eq(webhooks::consecutive_failures + 1))
        .returning(webhooks::consecutive_failures)
        .get_result(conn)
}

/// Turns a webhook off because it kept failing; false when it was off already.
pub fn disable(
    conn: &mut DbConnection,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(
        diesel::update(webhooks::table.find(id).filter(webhooks::enabled.eq(true)))
            .set((
                webhooks::enabled.eq(false),
                webhooks::disabled_at.eq(Some(now)),
                webhooks::disabled_reason.eq(Some(reason)),
                webhooks::updated_at.eq(now),
            ))
            .execute(conn)?
            == 1,
    )
}

/// Locks a webhook's row until the end of the transaction (PostgreSQL; SQLite's writers are
/// serialised already), so that decisions about its delivery lanes are made one at a time.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        webhooks::table
            .find(id)
            .select(webhooks::id)
            .for_update()
            .load::<i64>(pg)?;
    }
    Ok(())
}
