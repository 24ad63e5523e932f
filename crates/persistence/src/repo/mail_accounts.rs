//! The `mail_accounts` table: IMAP/POP3 accounts polled for inbound mail.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::mail_accounts;

/// A mail account (with its password: never hand it out).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = mail_accounts)]
pub struct MailAccountRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// `imap` or `pop3`.
    pub protocol: String,
    /// Server host.
    pub host: String,
    /// Server port.
    pub port: i32,
    /// `tls`, `starttls` or `none`.
    pub tls: String,
    /// Login.
    pub username: String,
    /// Password.
    pub password: String,
    /// IMAP folder.
    pub folder: String,
    /// Target queue; `None` dispatches by recipient.
    pub queue_id: Option<i64>,
    /// Seconds between polls.
    pub poll_interval_seconds: i32,
    /// Polled at all.
    pub enabled: bool,
    /// Accept self-signed certificates.
    pub accept_invalid_certs: bool,
    /// Next poll due.
    pub next_poll_at: Option<NaiveDateTime>,
    /// Last poll.
    pub last_poll_at: Option<NaiveDateTime>,
    /// Last poll's error.
    pub last_error: Option<String>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Fields of a new or changed account.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = mail_accounts)]
pub struct MailAccountValues<'a> {
    /// Name.
    pub name: &'a str,
    /// Protocol.
    pub protocol: &'a str,
    /// Host.
    pub host: &'a str,
    /// Port.
    pub port: i32,
    /// TLS mode.
    pub tls: &'a str,
    /// Login.
    pub username: &'a str,
    /// Password.
    pub password: &'a str,
    /// Folder.
    pub folder: &'a str,
    /// Target queue (`None`: by recipient). Written as NULL on update too.
    pub queue_id: Option<Option<i64>>,
    /// Poll interval.
    pub poll_interval_seconds: i32,
    /// Enabled.
    pub enabled: bool,
    /// Accept invalid certificates.
    pub accept_invalid_certs: bool,
    /// Next poll.
    pub next_poll_at: Option<Option<NaiveDateTime>>,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Inserts an account.
pub fn insert(
    conn: &mut DbConnection,
    values: &MailAccountValues<'_>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(mail_accounts::table)
        .values((values, mail_accounts::created_at.eq(now)))
        .returning(mail_accounts::id)
        .get_result(conn)
}

/// Replaces an account's fields.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    values: &MailAccountValues<'_>,
) -> QueryResult<bool> {
    Ok(diesel::update(mail_accounts::table.find(id))
        .set(values)
        .execute(conn)?
        == 1)
}

/// One account.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MailAccountRow>> {
    mail_accounts::table
        .find(id)
        .select(MailAccountRow::as_select())
        .first(conn)
        .optional()
}

/// All accounts by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<MailAccountRow>> {
    mail_accounts::table
        .order(mail_accounts::name.asc())
        .select(MailAccountRow::as_select())
        .load(conn)
}

/// Deletes an account.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(mail_accounts::table.find(id)).execute(conn)? == 1)
}

/// Enabled accounts whose next poll is due.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    mail_accounts::table
        .filter(mail_accounts::enabled.eq(true))
        .filter(
            mail_accounts::next_poll_at
                .is_null()
                .or(mail_accounts::next_poll_at.le(now)),
        )
        .select(mail_accounts::id)
        .load(conn)
}

/// Records a poll: when, the error if any, and when the next one is due.
pub fn record_poll(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
    error: Option<&str>,
    next: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(mail_accounts::table.find(id))
        .set((
            mail_accounts::last_poll_at.eq(now),
            mail_accounts::last_error.eq(error),
            mail_accounts::next_poll_at.eq(next),
        ))
        .execute(conn)?;
    Ok(())
}
