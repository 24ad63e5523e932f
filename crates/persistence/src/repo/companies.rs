//! The `customer_companies` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::repo::{contains_pattern, lower};
use crate::schema::customer_companies;

/// A customer company.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = customer_companies)]
pub struct CompanyRow {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Mail domain of its people (e.g. `uio.no`), to place new customers automatically.
    pub email_domain: Option<String>,
    /// Notes.
    pub notes: String,
    /// Active.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a company.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = customer_companies)]
pub struct CompanyChanges {
    /// Name.
    pub name: Option<String>,
    /// Mail domain.
    pub email_domain: Option<Option<String>>,
    /// Notes.
    pub notes: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a company.
pub fn insert(
    conn: &mut DbConnection,
    name: &str,
    email_domain: Option<&str>,
    notes: &str,
    now: NaiveDateTime,
) -> QueryResult<CompanyRow> {
    diesel::insert_into(customer_companies::table)
        .values((
            customer_companies::name.eq(name),
            customer_companies::email_domain.eq(email_domain),
            customer_companies::notes.eq(notes),
            customer_companies::created_at.eq(now),
            customer_companies::updated_at.eq(now),
        ))
        .returning(customer_companies::all_columns)
        .get_result(conn)
}

/// One company.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CompanyRow>> {
    customer_companies::table
        .find(id)
        .select(CompanyRow::as_select())
        .first(conn)
        .optional()
}

/// Several companies.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<CompanyRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    customer_companies::table
        .filter(customer_companies::id.eq_any(ids.to_vec()))
        .select(CompanyRow::as_select())
        .load(conn)
}

/// The active company whose mail domain is `domain`.
pub fn find_by_domain(conn: &mut DbConnection, domain: &str) -> QueryResult<Option<CompanyRow>> {
    customer_companies::table
        .filter(customer_companies::email_domain.eq(domain))
        .filter(customer_companies::active.eq(true))
        .select(CompanyRow::as_select())
        .first(conn)
        .optional()
}

/// Changes a company.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &CompanyChanges,
) -> QueryResult<CompanyRow> {
    diesel::update(customer_companies::table.find(id))
        .set(changes)
        .returning(customer_companies::all_columns)
        .get_result(conn)
}

/// Companies whose name contains `search`, by id after `after_id`.
pub fn list(
    conn: &mut DbConnection,
    search: Option<&str>,
    after_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<CompanyRow>> {
    let mut query = customer_companies::table
        .order(customer_companies::id.asc())
        .select(CompanyRow::as_select())
        .into_boxed();
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(
            lower(customer_companies::name)
                .like(contains_pattern(search))
                .escape('\\'),
        );
    }
    if let Some(after) = after_id {
        query = query.filter(customer_companies::id.gt(after));
    }
    query.limit(limit).load(conn)
}
