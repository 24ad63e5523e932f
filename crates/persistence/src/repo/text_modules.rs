//! The `text_modules` and `text_module_queues` tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::repo::{contains_pattern, lower};
use crate::schema::{text_module_queues, text_modules};

/// A text module.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = text_modules)]
pub struct TextModuleRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Category (a free name grouping modules; empty: none).
    pub category: String,
    /// Keywords, one a line.
    pub keywords: String,
    /// Language (`None`: any).
    pub language: Option<String>,
    /// Subject for a new reply (may be empty).
    pub subject: String,
    /// Body template.
    pub body: String,
    /// Who made it.
    pub created_by: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// The stored fields of a module.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = text_modules, treat_none_as_null = true)]
pub struct TextModuleFields {
    /// Name.
    pub name: String,
    /// Category.
    pub category: String,
    /// Keywords, one a line.
    pub keywords: String,
    /// Language.
    pub language: Option<String>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// Inserts a module.
pub fn insert(
    conn: &mut DbConnection,
    fields: &TextModuleFields,
    created_by: i64,
) -> QueryResult<TextModuleRow> {
    diesel::insert_into(text_modules::table)
        .values((
            fields,
            text_modules::created_by.eq(created_by),
            text_modules::created_at.eq(fields.updated_at),
        ))
        .returning(text_modules::all_columns)
        .get_result(conn)
}

/// One module.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<TextModuleRow>> {
    text_modules::table
        .find(id)
        .select(TextModuleRow::as_select())
        .first(conn)
        .optional()
}

/// Replaces a module's fields.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    fields: &TextModuleFields,
) -> QueryResult<TextModuleRow> {
    diesel::update(text_modules::table.find(id))
        .set(fields)
        .returning(text_modules::all_columns)
        .get_result(conn)
}

/// Deletes a module.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(text_modules::table.find(id)).execute(conn)? == 1)
}

/// A module's queues.
pub fn queues_of(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    text_module_queues::table
        .filter(text_module_queues::text_module_id.eq(id))
        .select(text_module_queues::queue_id)
        .order(text_module_queues::queue_id.asc())
        .load(conn)
}

/// Replaces a module's queues.
pub fn set_queues(conn: &mut DbConnection, id: i64, queues: &[i64]) -> QueryResult<()> {
    diesel::delete(text_module_queues::table.filter(text_module_queues::text_module_id.eq(id)))
        .execute(conn)?;
    for queue in queues {
        diesel::insert_into(text_module_queues::table)
            .values((
                text_module_queues::text_module_id.eq(id),
                text_module_queues::queue_id.eq(queue),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct TextModuleFilter {
    /// Name, keywords or body contain this (case-insensitive).
    pub text: Option<String>,
    /// Offered in this queue (modules without queues are offered everywhere).
    pub queue_id: Option<i64>,
    /// Only these queues' modules and those of all queues (`None`: no restriction).
    pub queue_ids: Option<Vec<i64>>,
    /// This language, or none.
    pub language: Option<String>,
    /// Only this category.
    pub category: Option<String>,
}

/// The modules passing `filter`, by category and name.
pub fn list(conn: &mut DbConnection, filter: &TextModuleFilter) -> QueryResult<Vec<TextModuleRow>> {
    let mut query = text_modules::table
        .select(TextModuleRow::as_select())
        .order((
            text_modules::category.asc(),
            text_modules::name.asc(),
            text_modules::id.asc(),
        ))
        .into_boxed();
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let pattern = contains_pattern(text.trim());
        query = query.filter(
            lower(text_modules::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(text_modules::keywords)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(text_modules::body).like(pattern).escape('\\')),
        );
    }
    let scoped = text_module_queues::table.select(text_module_queues::text_module_id);
    if let Some(queue) = filter.queue_id {
        let in_queue = text_module_queues::table
            .filter(text_module_queues::queue_id.eq(queue))
            .select(text_module_queues::text_module_id);
        query = query.filter(
            text_modules::id
                .eq_any(in_queue)
                .or(diesel::dsl::not(text_modules::id.eq_any(scoped))),
        );
    } else if let Some(queues) = &filter.queue_ids {
        let in_queues = text_module_queues::table
            .filter(text_module_queues::queue_id.eq_any(queues.clone()))
            .select(text_module_queues::text_module_id);
        query = query.filter(
            text_modules::id
                .eq_any(in_queues)
                .or(diesel::dsl::not(text_modules::id.eq_any(scoped))),
        );
    }
    if let Some(language) = &filter.language {
        query = query.filter(
            text_modules::language
                .eq(language.clone())
                .or(text_modules::language.is_null()),
        );
    }
    if let Some(category) = &filter.category {
        query = query.filter(text_modules::category.eq(category.clone()));
    }
    query.limit(500).load(conn)
}
