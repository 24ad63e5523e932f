//! The `saved_searches` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::saved_searches;

/// A saved search.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = saved_searches)]
pub struct SavedSearchRow {
    /// Id.
    pub id: i64,
    /// Who made it.
    pub owner_id: i64,
    /// Shared with this group's agents.
    pub group_id: Option<i64>,
    /// Name.
    pub name: String,
    /// The ticket-list query string.
    pub query: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a saved search.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = saved_searches)]
pub struct SavedSearchChanges {
    /// Name.
    pub name: Option<String>,
    /// Query string.
    pub query: Option<String>,
    /// Shared group (`Some(None)` makes it private).
    pub group_id: Option<Option<i64>>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a saved search.
pub fn insert(
    conn: &mut DbConnection,
    owner_id: i64,
    group_id: Option<i64>,
    name: &str,
    query: &str,
    now: NaiveDateTime,
) -> QueryResult<SavedSearchRow> {
    diesel::insert_into(saved_searches::table)
        .values((
            saved_searches::owner_id.eq(owner_id),
            saved_searches::group_id.eq(group_id),
            saved_searches::name.eq(name),
            saved_searches::query.eq(query),
            saved_searches::created_at.eq(now),
            saved_searches::updated_at.eq(now),
        ))
        .returning(saved_searches::all_columns)
        .get_result(conn)
}

/// One saved search.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SavedSearchRow>> {
    saved_searches::table
        .find(id)
        .select(SavedSearchRow::as_select())
        .first(conn)
        .optional()
}

/// The searches of `owner_id` and those shared with any of `group_ids` (`None`: all shared).
pub fn visible(
    conn: &mut DbConnection,
    owner_id: i64,
    group_ids: Option<&[i64]>,
) -> QueryResult<Vec<SavedSearchRow>> {
    let mut query = saved_searches::table
        .select(SavedSearchRow::as_select())
        .order(saved_searches::name.asc())
        .into_boxed();
    query = match group_ids {
        None => query.filter(
            saved_searches::owner_id
                .eq(owner_id)
                .or(saved_searches::group_id.is_not_null()),
        ),
        Some(groups) => query.filter(
            saved_searches::owner_id
                .eq(owner_id)
                .or(saved_searches::group_id.eq_any(groups.to_vec())),
        ),
    };
    query.load(conn)
}

/// Changes a saved search.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &SavedSearchChanges,
) -> QueryResult<SavedSearchRow> {
    diesel::update(saved_searches::table.find(id))
        .set(changes)
        .returning(saved_searches::all_columns)
        .get_result(conn)
}

/// Deletes a saved search.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(saved_searches::table.find(id)).execute(conn)? == 1)
}
