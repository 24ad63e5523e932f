//! The `login_failures` table: a sliding window of failed logins per subject.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::login_failures;

/// Records one failed attempt for each subject.
pub fn record(conn: &mut DbConnection, subjects: &[&str], at: NaiveDateTime) -> QueryResult<()> {
    for subject in subjects {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::subject.eq(*subject),
                login_failures::failed_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Failed attempts for `subject` at or after `since`, and the oldest of them.
pub fn since(
    conn: &mut DbConnection,
    subject: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let window = login_failures::table
        .filter(login_failures::subject.eq(subject))
        .filter(login_failures::failed_at.ge(since));
    let count = window.count().get_result(conn)?;
    let oldest = window
        .select(diesel::dsl::min(login_failures::failed_at))
        .first(conn)?;
    Ok((count, oldest))
}

/// Forgets the failures of `subject` (after a successful login).
pub fn clear(conn: &mut DbConnection, subject: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::subject.eq(subject))).execute(conn)
}

/// Deletes failures older than `before`, keeping the table small.
pub fn purge_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before))).execute(conn)
}
