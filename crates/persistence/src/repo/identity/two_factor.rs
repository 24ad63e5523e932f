//! The `user_totp` and `recovery_codes` tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{recovery_codes, user_totp};

/// A user's TOTP secret.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_totp)]
pub struct TotpRow {
    /// Owner.
    pub user_id: i64,
    /// The shared secret, base32.
    pub secret: String,
    /// Set once the user proved their app has it; before that it is an enrolment in progress.
    pub confirmed_at: Option<NaiveDateTime>,
    /// The last time step whose code was accepted (a code is never accepted twice).
    pub last_step: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
}

/// The user's TOTP secret, confirmed or pending.
pub fn find(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<TotpRow>> {
    user_totp::table
        .find(user_id)
        .select(TotpRow::as_select())
        .first(conn)
        .optional()
}

/// Starts an enrolment: replaces any pending one (never a confirmed one: returns false then).
pub fn start(
    conn: &mut DbConnection,
    user_id: i64,
    secret: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    if find(conn, user_id)?.is_some_and(|row| row.confirmed_at.is_some()) {
        return Ok(false);
    }
    diesel::delete(user_totp::table.find(user_id)).execute(conn)?;
    diesel::insert_into(user_totp::table)
        .values((
            user_totp::user_id.eq(user_id),
            user_totp::secret.eq(secret),
            user_totp::last_step.eq(0),
            user_totp::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Records that the code of `step` was used (and confirms a pending enrolment); false when a
/// code of this or a later step was used before (a replay).
pub fn accept_step(
    conn: &mut DbConnection,
    user_id: i64,
    step: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        user_totp::table
            .find(user_id)
            .filter(user_totp::last_step.lt(step)),
    )
    .set(user_totp::last_step.eq(step))
    .execute(conn)?;
    if changed == 1 {
        diesel::update(
            user_totp::table
                .find(user_id)
                .filter(user_totp::confirmed_at.is_null()),
        )
        .set(user_totp::confirmed_at.eq(now))
        .execute(conn)?;
    }
    Ok(changed == 1)
}

/// Removes the second factor and the recovery codes; returns whether there was one.
pub fn remove(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(diesel::delete(user_totp::table.find(user_id)).execute(conn)? == 1)
}

/// Replaces the user's recovery codes by these hashes.
pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: i64,
    hashes: &[String],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses up the unused recovery code with this hash; false if there is none.
pub fn use_recovery_code(
    conn: &mut DbConnection,
    user_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// How many unused recovery codes the user has.
pub fn unused_recovery_codes(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}
