//! Idempotency keys of creations: a retried request returns what the first one created.
//! Ticket creation stores the ticket it made (in its own transaction); every other creating
//! POST reserves the key, then stores the first response ([`reserve`], [`store_response`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::idempotency_keys;

/// A remembered key.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    /// Id.
    pub id: i64,
    /// Who sent it.
    pub user_id: i64,
    /// The key.
    pub idempotency_key: String,
    /// Hash of the request it came with.
    pub request_hash: String,
    /// The ticket created.
    pub ticket_id: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// The key `key` of `user_id`, if remembered.
pub fn find(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<IdempotencyRow>> {
    idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()
}

/// Remembers a key with the ticket it created.
pub fn insert(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    request_hash: &str,
    ticket_id: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::ticket_id.eq(Some(ticket_id)),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A key of a creating request other than ticket creation.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct ResponseRow {
    /// Hash of the request it came with.
    pub request_hash: String,
    /// `METHOD path` it was used on (`None`: ticket creation's own keys).
    pub scope: Option<String>,
    /// Status of the first response (`None`: the first request is still running, or ended
    /// without an answer being stored).
    pub response_status: Option<i32>,
    /// Body of the first response.
    pub response_body: Option<String>,
    /// Its `Location` header.
    pub response_location: Option<String>,
}

/// The key `key` of `user_id` with the response it remembers, if any.
pub fn find_response(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<ResponseRow>> {
    idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select(ResponseRow::as_select())
        .first(conn)
        .optional()
}

/// Reserves a key for a request about to run. Fails with a unique violation when the key is
/// taken (by a request that came first).
pub fn reserve(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    scope: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::scope.eq(Some(scope)),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Stores the first response of a reserved key.
pub fn store_response(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    status: i32,
    body: &str,
    location: Option<&str>,
) -> QueryResult<()> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .filter(idempotency_keys::response_status.is_null()),
    )
    .set((
        idempotency_keys::response_status.eq(Some(status)),
        idempotency_keys::response_body.eq(Some(body)),
        idempotency_keys::response_location.eq(location),
    ))
    .execute(conn)
    .map(drop)
}

/// Releases a reserved key whose request failed (so that a corrected retry may use it).
pub fn release(conn: &mut DbConnection, user_id: i64, key: &str) -> QueryResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .filter(idempotency_keys::response_status.is_null())
            .filter(idempotency_keys::ticket_id.is_null()),
    )
    .execute(conn)
    .map(drop)
}

/// Forgets keys older than `before`.
pub fn purge_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
        .execute(conn)
}
