//! The `kb_categories` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{kb_articles, kb_categories};

/// A category.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = kb_categories)]
pub struct CategoryRow {
    /// Id.
    pub id: i64,
    /// Parent category (`None`: top level).
    pub parent_id: Option<i64>,
    /// The owning agent group.
    pub group_id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order among its siblings.
    pub position: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A new category.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = kb_categories)]
pub struct NewCategory<'a> {
    /// Parent.
    pub parent_id: Option<i64>,
    /// Owning group.
    pub group_id: i64,
    /// Name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
    /// Order among siblings.
    pub position: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Changes to a category.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = kb_categories)]
pub struct CategoryChanges {
    /// Parent (`Some(None)`: top level).
    pub parent_id: Option<Option<i64>>,
    /// Owning group.
    pub group_id: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Order.
    pub position: Option<i64>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
}

/// Inserts a category.
pub fn insert(conn: &mut DbConnection, new: &NewCategory<'_>) -> QueryResult<CategoryRow> {
    diesel::insert_into(kb_categories::table)
        .values(new)
        .returning(kb_categories::all_columns)
        .get_result(conn)
}

/// One category.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CategoryRow>> {
    kb_categories::table
        .find(id)
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()
}

/// Every category, by position and name.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<CategoryRow>> {
    kb_categories::table
        .select(CategoryRow::as_select())
        .order((
            kb_categories::position.asc(),
            kb_categories::name.asc(),
            kb_categories::id.asc(),
        ))
        .load(conn)
}

/// Changes a category.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &CategoryChanges,
) -> QueryResult<CategoryRow> {
    diesel::update(kb_categories::table.find(id))
        .set(changes)
        .returning(kb_categories::all_columns)
        .get_result(conn)
}

/// Whether a category has sub-categories or articles.
pub fn in_use(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let children: i64 = kb_categories::table
        .filter(kb_categories::parent_id.eq(id))
        .count()
        .get_result(conn)?;
    let articles: i64 = kb_articles::table
        .filter(kb_articles::category_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(children + articles > 0)
}

/// Deletes a category.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(kb_categories::table.find(id)).execute(conn)? == 1)
}
