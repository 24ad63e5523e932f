//! The `sessions` table: one row per sign-in, shared by the refresh tokens it rotates through.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{refresh_tokens, sessions};

/// A stored session.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// Id (also in the access token's `sid` claim).
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// How the user signed in: `password`, `ldap`, `oidc`.
    pub method: String,
    /// Signed in at.
    pub created_at: NaiveDateTime,
    /// Last refresh.
    pub last_seen_at: NaiveDateTime,
    /// The client's address at sign-in.
    pub client_address: Option<String>,
    /// The client's `User-Agent` at sign-in.
    pub user_agent: Option<String>,
    /// Set when signed out or ended.
    pub ended_at: Option<NaiveDateTime>,
}

/// A new session.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    /// Owner.
    pub user_id: i64,
    /// How the user signed in.
    pub method: &'a str,
    /// Now.
    pub created_at: NaiveDateTime,
    /// Now.
    pub last_seen_at: NaiveDateTime,
    /// The client's address.
    pub client_address: Option<&'a str>,
    /// The client's `User-Agent`.
    pub user_agent: Option<&'a str>,
}

/// Stores a new session.
pub fn insert(conn: &mut DbConnection, row: &NewSession<'_>) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values(row)
        .returning(sessions::id)
        .get_result(conn)
}

/// One session.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the session exists and has not ended.
pub fn is_active(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let ended: Option<Option<NaiveDateTime>> = sessions::table
        .find(id)
        .select(sessions::ended_at)
        .first(conn)
        .optional()?;
    Ok(matches!(ended, Some(None)))
}

/// The user's sessions that have not ended and still have a usable refresh token, newest first.
pub fn list_active_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<SessionRow>> {
    let live = refresh_tokens::table
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .select(refresh_tokens::session_id);
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::id.nullable().eq_any(live))
        .order(sessions::id.desc())
        .select(SessionRow::as_select())
        .load(conn)
}

/// Records a refresh.
pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Ends one session of a user and revokes its refresh tokens; returns whether it was active.
pub fn end(conn: &mut DbConnection, user_id: i64, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(at))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::session_id.eq(id))
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(true)
}

/// Ends every active session of a user, except `keep`; returns how many ended.
pub fn end_all_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    keep: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut query = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::ended_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        query = query.filter(sessions::id.ne(keep));
    }
    let ended = query.set(sessions::ended_at.eq(at)).execute(conn)?;
    let mut tokens = diesel::update(refresh_tokens::table)
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        tokens = tokens.filter(
            refresh_tokens::session_id
                .ne(keep)
                .or(refresh_tokens::session_id.is_null()),
        );
    }
    tokens
        .set(refresh_tokens::revoked_at.eq(at))
        .execute(conn)?;
    Ok(ended)
}

/// Deletes sessions that ended, or were last seen, before `before` (their refresh tokens
/// are long expired by then).
pub fn purge_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::ended_at
                .lt(before)
                .or(sessions::last_seen_at.lt(before)),
        ),
    )
    .execute(conn)
}
