//! The `users` table: agents and customers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::repo::{contains_pattern, lower};
use crate::schema::users;

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// `agent` or `customer`.
    pub kind: String,
    /// Lower-cased email address, unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Argon2id PHC string; `None` for users who cannot log in with a password.
    pub password_hash: Option<String>,
    /// Administrator flag (agents only).
    pub is_admin: bool,
    /// Inactive users cannot authenticate.
    pub active: bool,
    /// Interface language (`en`, `nl`, `nb`, `de`), if chosen.
    pub language: Option<String>,
    /// IANA time zone, if chosen.
    pub time_zone: Option<String>,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
    /// Customers: their company.
    pub company_id: Option<i64>,
    /// Customers: whether they see their company's tickets.
    pub sees_company_tickets: bool,
    /// Customers: an optional login name besides the email.
    pub login: Option<String>,
}

/// A user to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// `agent` or `customer`.
    pub kind: &'a str,
    /// Lower-cased email.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Argon2id PHC string.
    pub password_hash: Option<&'a str>,
    /// Administrator flag.
    pub is_admin: bool,
    /// Active flag.
    pub active: bool,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Same as `created_at` on insert.
    pub updated_at: NaiveDateTime,
    /// Customers: their company.
    pub company_id: Option<i64>,
    /// Customers: whether they see their company's tickets.
    pub sees_company_tickets: bool,
    /// Customers: an optional login name.
    pub login: Option<&'a str>,
}

/// Columns to change; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    /// New email.
    pub email: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New password hash (`Some(None)` removes the password).
    pub password_hash: Option<Option<String>>,
    /// New admin flag.
    pub is_admin: Option<bool>,
    /// New active flag.
    pub active: Option<bool>,
    /// New language (`Some(None)` clears it).
    pub language: Option<Option<String>>,
    /// New time zone (`Some(None)` clears it).
    pub time_zone: Option<Option<String>>,
    /// New company (`Some(None)` clears it).
    pub company_id: Option<Option<i64>>,
    /// New company-visibility flag.
    pub sees_company_tickets: Option<bool>,
    /// New login (`Some(None)` clears it).
    pub login: Option<Option<String>>,
    /// Always set when anything changes.
    pub updated_at: Option<NaiveDateTime>,
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct UserFilter<'a> {
    /// Only this kind (`agent`/`customer`).
    pub kind: Option<&'a str>,
    /// Only active (`true`) or inactive (`false`) users.
    pub active: Option<bool>,
    /// Case-insensitive substring of name or email.
    pub search: Option<&'a str>,
    /// Only members of this company.
    pub company_id: Option<i64>,
}

/// Inserts a user and returns its id.
pub fn insert(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)
}

/// The user with `id`, if any.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// The user with this (already lower-cased) email, if any.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// True when at least one user exists (first-start detection).
pub fn any_exists(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.select(users::id))).get_result(conn)
}

/// Applies `changes` to user `id` and returns the updated row. A new name or address also
/// refreshes the sort keys of the user's tickets (as owner or customer), in the same
/// transaction as the caller's change.
pub fn update(conn: &mut DbConnection, id: i64, changes: &UserChanges) -> QueryResult<UserRow> {
    let row: UserRow = diesel::update(users::table.find(id))
        .set(changes)
        .returning(users::all_columns)
        .get_result(conn)?;
    if changes.name.is_some() || changes.email.is_some() {
        let key = vakt_domain::sort::person_key(&row.name, &row.email);
        crate::repo::tickets::refresh_person_keys(conn, id, &key)?;
    }
    Ok(row)
}

/// Users matching `filter` with an id greater than `after_id`, ordered by id, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    filter: &UserFilter<'_>,
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id.asc())
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(users::kind.eq(kind.to_owned()));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(search) = filter.search.filter(|s| !s.trim().is_empty()) {
        let pattern = contains_pattern(search.trim());
        query = query.filter(
            lower(users::name)
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern).escape('\\')),
        );
    }
    if let Some(company) = filter.company_id {
        query = query.filter(users::company_id.eq(company));
    }
    if let Some(after) = after_id {
        query = query.filter(users::id.gt(after));
    }
    query.limit(limit).load(conn)
}

/// Several users by id (for showing names in lists); unknown ids are skipped.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(ids.to_vec()))
        .select(UserRow::as_select())
        .load(conn)
}

/// The user with this login name, if any.
pub fn find_by_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::login.eq(login))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Number of active administrators (to refuse removing the last one).
pub fn count_active_admins(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::kind.eq("agent"))
        .filter(users::is_admin.eq(true))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)
}

/// The ids of the active administrators (whom the system tells about trouble).
pub fn active_admin_ids(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::kind.eq("agent"))
        .filter(users::is_admin.eq(true))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(users::id)
        .load(conn)
}
