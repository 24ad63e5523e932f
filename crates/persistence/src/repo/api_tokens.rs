//! The `api_tokens` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::api_tokens;

/// A stored API token (only its hash and a short prefix are kept).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    /// Id.
    pub id: i64,
    /// Owner; the token acts as this user.
    pub user_id: i64,
    /// A name the owner chose ("monitoring", "CRM sync").
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// The first characters of the secret, shown so the owner can recognise it.
    pub token_prefix: String,
    /// What the token may be used for (`full`, `mail_gateway`).
    pub scope: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Optional expiry.
    pub expires_at: Option<NaiveDateTime>,
    /// Last time it authenticated a request (updated at most once a minute).
    pub last_used_at: Option<NaiveDateTime>,
    /// Set when revoked.
    pub revoked_at: Option<NaiveDateTime>,
}

/// A token to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    /// Owner.
    pub user_id: i64,
    /// Name.
    pub name: &'a str,
    /// SHA-256 hex of the secret.
    pub token_hash: &'a str,
    /// First characters of the secret.
    pub token_prefix: &'a str,
    /// Scope name.
    pub scope: &'a str,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Optional expiry.
    pub expires_at: Option<NaiveDateTime>,
}

/// Stores a token and returns the row.
pub fn insert(conn: &mut DbConnection, new: &NewApiToken<'_>) -> QueryResult<ApiTokenRow> {
    diesel::insert_into(api_tokens::table)
        .values(new)
        .returning(api_tokens::all_columns)
        .get_result(conn)
}

/// The non-revoked token with this hash.
pub fn find_active_by_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> QueryResult<Option<ApiTokenRow>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiTokenRow::as_select())
        .first(conn)
        .optional()
}

/// A user's non-revoked tokens, oldest first.
pub fn list_active_for_user(
    conn: &mut DbConnection,
    user_id: i64,
) -> QueryResult<Vec<ApiTokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::id.asc())
        .select(ApiTokenRow::as_select())
        .load(conn)
}

/// Revokes token `id` if it belongs to `user_id` and is active; returns whether it did.
pub fn revoke(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records that token `id` was used at `at`.
pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)
        .map(drop)
}
