//! Idempotency keys of creations: a retried request returns what the first one created.

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

/// Forgets keys older than `before`.
pub fn purge_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
        .execute(conn)
}
