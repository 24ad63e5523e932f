//! The `refresh_tokens` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::refresh_tokens;

/// A stored refresh token (only its hash is kept).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    /// Id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// Issued at.
    pub created_at: NaiveDateTime,
    /// Unusable after.
    pub expires_at: NaiveDateTime,
    /// Set when rotated, logged out or revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// The session this token belongs to (absent for tokens issued before sessions existed).
    pub session_id: Option<i64>,
}

/// Stores a new refresh token of a session.
pub fn insert(
    conn: &mut DbConnection,
    user_id: i64,
    session_id: i64,
    token_hash: &str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(created_at),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .returning(refresh_tokens::id)
        .get_result(conn)
}

/// The token with this hash, revoked or not.
pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Revokes one token; returns whether it was still active (false: someone used it first).
pub fn revoke(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Revokes every active token of a user (password change, deactivation, token reuse).
pub fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

/// Deletes tokens that expired before `before`.
pub fn purge_expired(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(before)))
        .execute(conn)
}
