//! Tables of self-service accounts: the single-use tokens mailed for a password reset.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::account_tokens;

/// A mailed single-use token (only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = account_tokens)]
pub struct AccountTokenRow {
    /// Id.
    pub id: i64,
    /// The user it acts for.
    pub user_id: i64,
    /// What it is for, e.g. `password_reset`.
    pub purpose: String,
    /// SHA-256 of the token (hex).
    pub token_hash: String,
    /// Issued at.
    pub created_at: NaiveDateTime,
    /// Not valid from then on.
    pub expires_at: NaiveDateTime,
    /// Used (or superseded by a newer token) at.
    pub used_at: Option<NaiveDateTime>,
}

/// A token to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = account_tokens)]
pub struct NewAccountToken<'a> {
    /// The user it acts for.
    pub user_id: i64,
    /// What it is for.
    pub purpose: &'a str,
    /// SHA-256 of the token (hex).
    pub token_hash: &'a str,
    /// Issued at.
    pub created_at: NaiveDateTime,
    /// Expires at.
    pub expires_at: NaiveDateTime,
}

/// Marks the user's unused tokens of `purpose` as used (a newer one supersedes them); returns
/// how many.
pub fn supersede(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::purpose.eq(purpose))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(at))
    .execute(conn)
}

/// Stores a token; returns its id.
pub fn insert(conn: &mut DbConnection, row: &NewAccountToken<'_>) -> QueryResult<i64> {
    diesel::insert_into(account_tokens::table)
        .values(row)
        .returning(account_tokens::id)
        .get_result(conn)
}

/// The token of `purpose` with this hash.
pub fn find_by_hash(
    conn: &mut DbConnection,
    purpose: &str,
    hash: &str,
) -> QueryResult<Option<AccountTokenRow>> {
    account_tokens::table
        .filter(account_tokens::token_hash.eq(hash))
        .filter(account_tokens::purpose.eq(purpose))
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Uses a token: `false` when it was already used (only one of two concurrent uses wins).
pub fn burn(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        account_tokens::table
            .find(id)
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(at))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes tokens that expired before `before`.
pub fn purge_expired(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(account_tokens::table.filter(account_tokens::expires_at.lt(before)))
        .execute(conn)
}
