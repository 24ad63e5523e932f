//! The `settings` table: values every server process must agree on.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::settings;

#[derive(Insertable)]
#[diesel(table_name = settings)]
struct NewSetting<'a> {
    key: &'a str,
    value: &'a str,
    updated_at: NaiveDateTime,
}

/// The value stored under `key`, if any.
pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

/// Stores `value` under `key` unless the key exists; returns the value that is stored
/// afterwards (ours, or the one another process stored first). Safe under concurrency.
pub fn get_or_insert(
    conn: &mut DbConnection,
    key: &str,
    value: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let row = NewSetting {
        key,
        value,
        updated_at: now,
    };
    match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(settings::table)
            .values(&row)
            .on_conflict(settings::key)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_into(settings::table)
            .values(&row)
            .on_conflict(settings::key)
            .do_nothing()
            .execute(sqlite)?,
    };
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
}

/// Stores `value` under `key`, replacing any previous value.
pub fn put(conn: &mut DbConnection, key: &str, value: &str, now: NaiveDateTime) -> QueryResult<()> {
    let updated = diesel::update(settings::table.find(key))
        .set((settings::value.eq(value), settings::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        get_or_insert(conn, key, value, now)?;
    }
    Ok(())
}
