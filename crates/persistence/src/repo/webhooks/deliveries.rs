//! The `webhook_deliveries` table: each event for each webhook, its lane (deliveries of one
//! ticket go out one after another) and the outcome of its last attempt.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::webhook_deliveries as d;

/// Waits for an earlier delivery of its lane.
pub const WAITING: &str = "waiting";
/// Its job is queued or running.
pub const PENDING: &str = "pending";
/// The receiver answered 2xx.
pub const SUCCEEDED: &str = "succeeded";
/// Every attempt failed; given up.
pub const FAILED: &str = "failed";

/// One delivery.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = d)]
pub struct DeliveryRow {
    /// Id.
    pub id: i64,
    /// Webhook.
    pub webhook_id: i64,
    /// Stable event id (the same on retries and redeliveries).
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// Ordering lane (`ticket:<id>`, `kb:<id>`).
    pub lane: String,
    /// Ticket, for ticket events.
    pub ticket_id: Option<i64>,
    /// JSON body.
    pub payload: String,
    /// `waiting`, `pending`, `succeeded`, `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// HTTP status of the last attempt.
    pub response_status: Option<i32>,
    /// Start of the last response body.
    pub response_excerpt: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// Duration of the last attempt.
    pub duration_ms: Option<i64>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<NaiveDateTime>,
    /// The delivery this one sends again.
    pub redelivery_of: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Succeeded or given up at.
    pub finished_at: Option<NaiveDateTime>,
}

/// A new delivery.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = d)]
pub struct NewDelivery<'a> {
    /// Webhook.
    pub webhook_id: i64,
    /// Event id.
    pub event_id: &'a str,
    /// Event type.
    pub event_type: &'a str,
    /// Lane.
    pub lane: &'a str,
    /// Ticket.
    pub ticket_id: Option<i64>,
    /// Body.
    pub payload: &'a str,
    /// `waiting` or `pending`.
    pub status: &'a str,
    /// Redelivery of.
    pub redelivery_of: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// Inserts a delivery.
pub fn insert(conn: &mut DbConnection, new: &NewDelivery<'_>) -> QueryResult<i64> {
    diesel::insert_into(d::table)
        .values(new)
        .returning(d::id)
        .get_result(conn)
}

/// One delivery.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<DeliveryRow>> {
    d::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// A webhook's deliveries, newest first, before `before_id`.
pub fn list(
    conn: &mut DbConnection,
    webhook_id: i64,
    status: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut query = d::table
        .filter(d::webhook_id.eq(webhook_id))
        .order(d::id.desc())
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(d::status.eq(status.to_owned()));
    }
    if let Some(before) = before_id {
        query = query.filter(d::id.lt(before));
    }
    query.limit(limit).load(conn)
}

/// Whether the lane has a delivery that is not finished (one that a new one must wait for).
pub fn lane_busy(conn: &mut DbConnection, webhook_id: i64, lane: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        d::table
            .filter(d::webhook_id.eq(webhook_id))
            .filter(d::lane.eq(lane))
            .filter(d::status.eq_any([WAITING, PENDING])),
    ))
    .get_result(conn)
}

/// The oldest waiting delivery of a lane.
pub fn next_waiting(
    conn: &mut DbConnection,
    webhook_id: i64,
    lane: &str,
) -> QueryResult<Option<i64>> {
    d::table
        .filter(d::webhook_id.eq(webhook_id))
        .filter(d::lane.eq(lane))
        .filter(d::status.eq(WAITING))
        .order(d::id.asc())
        .select(d::id)
        .first(conn)
        .optional()
}

/// The pending deliveries of a webhook (to start again when it is turned back on).
pub fn pending_ids(conn: &mut DbConnection, webhook_id: i64) -> QueryResult<Vec<i64>> {
    d::table
        .filter(d::webhook_id.eq(webhook_id))
        .filter(d::status.eq(PENDING))
        .order(d::id.asc())
        .select(d::id)
        .load(conn)
}

/// Sets a delivery's status (from `from`); false when it had another status.
pub fn set_status(conn: &mut DbConnection, id: i64, from: &str, to: &str) -> QueryResult<bool> {
    Ok(diesel::update(d::table.find(id).filter(d::status.eq(from)))
        .set(d::status.eq(to))
        .execute(conn)?
        == 1)
}

/// What one attempt brought.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = d, treat_none_as_null = true)]
pub struct AttemptOutcome<'a> {
    /// HTTP status.
    pub response_status: Option<i32>,
    /// Start of the body.
    pub response_excerpt: Option<&'a str>,
    /// Failure.
    pub error: Option<&'a str>,
    /// Duration.
    pub duration_ms: Option<i64>,
    /// When.
    pub last_attempt_at: Option<NaiveDateTime>,
}

/// Records an attempt of a pending delivery; `finish` (`succeeded`, `failed`) ends it. False
/// when it was not pending (another worker finished it first).
pub fn record_attempt(
    conn: &mut DbConnection,
    id: i64,
    outcome: &AttemptOutcome<'_>,
    finish: Option<(&str, NaiveDateTime)>,
) -> QueryResult<bool> {
    let target = d::table.find(id).filter(d::status.eq(PENDING));
    let updated = match finish {
        Some((status, at)) => diesel::update(target)
            .set((
                outcome,
                d::attempts.eq(d::attempts + 1),
                d::status.eq(status),
                d::finished_at.eq(Some(at)),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((outcome, d::attempts.eq(d::attempts + 1)))
            .execute(conn)?,
    };
    Ok(updated == 1)
}

/// Whether a webhook has a (first) delivery of an event.
pub fn has_event(conn: &mut DbConnection, webhook_id: i64, event_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        d::table
            .filter(d::webhook_id.eq(webhook_id))
            .filter(d::event_id.eq(event_id))
            .filter(d::redelivery_of.is_null()),
    ))
    .get_result(conn)
}

/// Deletes finished deliveries (succeeded or failed) older than `before`.
pub fn purge_finished_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        d::table
            .filter(d::status.eq_any([SUCCEEDED, FAILED]))
            .filter(d::finished_at.lt(before)),
    )
    .execute(conn)
}
