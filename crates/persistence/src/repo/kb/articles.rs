//! The `kb_articles` table: listing by audience, filters and an optional search condition.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::connection::DbConnection;
use crate::schema::kb_articles;

/// An article.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = kb_articles)]
pub struct KbArticleRow {
    /// Id.
    pub id: i64,
    /// Translations share this (the id of the entry's first article).
    pub entry_id: i64,
    /// Category.
    pub category_id: i64,
    /// Language (`en`, `nl`, `nb`, `de`).
    pub language: String,
    /// Title.
    pub title: String,
    /// URL slug of the title.
    pub slug: String,
    /// Sanitised HTML body.
    pub body_html: String,
    /// Plain-text body.
    pub body_text: String,
    /// Keywords, one a line.
    pub keywords: String,
    /// `internal`, `customer` or `public`.
    pub visibility: String,
    /// `draft`, `published` or `archived`.
    pub state: String,
    /// Latest published version (0: never published).
    pub version: i64,
    /// Times read.
    pub view_count: i64,
    /// "Helpful" votes.
    pub helpful_count: i64,
    /// "Not helpful" votes.
    pub not_helpful_count: i64,
    /// Author.
    pub created_by: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Last changed by.
    pub updated_by: i64,
    /// Changed at.
    pub updated_at: NaiveDateTime,
    /// First published at.
    pub published_at: Option<NaiveDateTime>,
    /// Customers who read it while writing a ticket and then left without submitting.
    pub deflection_count: i64,
}

/// A new article (counters start at zero).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = kb_articles)]
pub struct NewKbArticle<'a> {
    /// Entry (0: this article starts a new entry; set to its own id after insertion).
    pub entry_id: i64,
    /// Category.
    pub category_id: i64,
    /// Language.
    pub language: &'a str,
    /// Title.
    pub title: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Sanitised HTML.
    pub body_html: &'a str,
    /// Plain text.
    pub body_text: &'a str,
    /// Keywords, one a line.
    pub keywords: &'a str,
    /// Visibility.
    pub visibility: &'a str,
    /// State.
    pub state: &'a str,
    /// Latest published version.
    pub version: i64,
    /// Views.
    pub view_count: i64,
    /// Helpful votes.
    pub helpful_count: i64,
    /// Not helpful votes.
    pub not_helpful_count: i64,
    /// Author.
    pub created_by: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed by.
    pub updated_by: i64,
    /// Changed at.
    pub updated_at: NaiveDateTime,
    /// Published at.
    pub published_at: Option<NaiveDateTime>,
}

/// Changes to an article.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = kb_articles)]
pub struct KbArticleChanges {
    /// Entry.
    pub entry_id: Option<i64>,
    /// Category.
    pub category_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// Slug.
    pub slug: Option<String>,
    /// Sanitised HTML.
    pub body_html: Option<String>,
    /// Plain text.
    pub body_text: Option<String>,
    /// Keywords.
    pub keywords: Option<String>,
    /// Visibility.
    pub visibility: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Latest published version.
    pub version: Option<i64>,
    /// Changed by.
    pub updated_by: Option<i64>,
    /// Changed at.
    pub updated_at: Option<NaiveDateTime>,
    /// Published at.
    pub published_at: Option<Option<NaiveDateTime>>,
}

/// Whose view a list or search takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbAudience {
    /// Administrators: everything.
    Everything,
    /// Agents: every article of these categories (whose group they read), and the published
    /// customer and public articles of all others.
    Agent(Vec<i64>),
    /// Customers: published customer and public articles.
    Customer,
    /// Anonymous readers: published public articles.
    Public,
}

/// Filters of a list.
#[derive(Debug, Clone, Default)]
pub struct KbFilter {
    /// Only these categories.
    pub category_ids: Option<Vec<i64>>,
    /// Only this language.
    pub language: Option<String>,
    /// Only these states.
    pub states: Option<Vec<String>>,
    /// Only these visibilities.
    pub visibilities: Option<Vec<String>>,
    /// Only the articles of this entry (its translations).
    pub entry_id: Option<i64>,
    /// An SQL condition on `kb_articles.id` from the search index.
    pub condition: Option<String>,
}

/// Inserts an article.
pub fn insert(conn: &mut DbConnection, new: &NewKbArticle<'_>) -> QueryResult<KbArticleRow> {
    diesel::insert_into(kb_articles::table)
        .values(new)
        .returning(kb_articles::all_columns)
        .get_result(conn)
}

/// One article.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<KbArticleRow>> {
    kb_articles::table
        .find(id)
        .select(KbArticleRow::as_select())
        .first(conn)
        .optional()
}

/// The article of `entry_id` in `language`, if there is one.
pub fn find_translation(
    conn: &mut DbConnection,
    entry_id: i64,
    language: &str,
) -> QueryResult<Option<KbArticleRow>> {
    kb_articles::table
        .filter(kb_articles::entry_id.eq(entry_id))
        .filter(kb_articles::language.eq(language))
        .select(KbArticleRow::as_select())
        .first(conn)
        .optional()
}

/// Changes an article.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    changes: &KbArticleChanges,
) -> QueryResult<KbArticleRow> {
    diesel::update(kb_articles::table.find(id))
        .set(changes)
        .returning(kb_articles::all_columns)
        .get_result(conn)
}

/// Deletes an article (versions, history, attachments and votes go with it).
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(kb_articles::table.find(id)).execute(conn)? == 1)
}

/// Counts one more view.
pub fn count_view(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(kb_articles::table.find(id))
        .set(kb_articles::view_count.eq(kb_articles::view_count + 1))
        .execute(conn)
        .map(drop)
}

/// Counts one more deflection.
pub fn count_deflection(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(kb_articles::table.find(id))
        .set(kb_articles::deflection_count.eq(kb_articles::deflection_count + 1))
        .execute(conn)
        .map(drop)
}

/// Adds `helpful` and `not_helpful` (each -1, 0 or 1) to the vote counters.
pub fn add_votes(
    conn: &mut DbConnection,
    id: i64,
    helpful: i64,
    not_helpful: i64,
) -> QueryResult<KbArticleRow> {
    diesel::update(kb_articles::table.find(id))
        .set((
            kb_articles::helpful_count.eq(kb_articles::helpful_count + helpful),
            kb_articles::not_helpful_count.eq(kb_articles::not_helpful_count + not_helpful),
        ))
        .returning(kb_articles::all_columns)
        .get_result(conn)
}

type Db = <DbConnection as diesel::Connection>::Backend;

/// The articles `audience` may see that pass `filter`, as a boxed query.
fn visible<'a>(audience: &KbAudience, filter: &KbFilter) -> kb_articles::BoxedQuery<'a, Db> {
    let shared = ["customer", "public"];
    let mut query = kb_articles::table.into_boxed();
    query = match audience {
        KbAudience::Everything => query,
        KbAudience::Agent(categories) => query.filter(
            kb_articles::category_id
                .eq_any(categories.clone())
                .or(kb_articles::state
                    .eq("published")
                    .and(kb_articles::visibility.eq_any(shared))),
        ),
        KbAudience::Customer => query
            .filter(kb_articles::state.eq("published"))
            .filter(kb_articles::visibility.eq_any(shared)),
        KbAudience::Public => query
            .filter(kb_articles::state.eq("published"))
            .filter(kb_articles::visibility.eq("public")),
    };
    if let Some(ids) = &filter.category_ids {
        query = query.filter(kb_articles::category_id.eq_any(ids.clone()));
    }
    if let Some(language) = &filter.language {
        query = query.filter(kb_articles::language.eq(language.clone()));
    }
    if let Some(states) = &filter.states {
        query = query.filter(kb_articles::state.eq_any(states.clone()));
    }
    if let Some(visibilities) = &filter.visibilities {
        query = query.filter(kb_articles::visibility.eq_any(visibilities.clone()));
    }
    if let Some(entry) = filter.entry_id {
        query = query.filter(kb_articles::entry_id.eq(entry));
    }
    if let Some(condition) = &filter.condition {
        query = query.filter(diesel::dsl::sql::<Bool>(condition));
    }
    query
}

/// A page of the visible articles, newest change first, skipping `offset`.
pub fn list(
    conn: &mut DbConnection,
    audience: &KbAudience,
    filter: &KbFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<KbArticleRow>> {
    visible(audience, filter)
        .select(KbArticleRow::as_select())
        .order((kb_articles::updated_at.desc(), kb_articles::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)
}

/// The ids of the visible articles (search candidates, at most `limit`), newest first.
pub fn visible_ids(
    conn: &mut DbConnection,
    audience: &KbAudience,
    filter: &KbFilter,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    visible(audience, filter)
        .select(kb_articles::id)
        .order(kb_articles::id.desc())
        .limit(limit)
        .load(conn)
}

/// The categories of the articles `audience` may see.
pub fn visible_categories(conn: &mut DbConnection, audience: &KbAudience) -> QueryResult<Vec<i64>> {
    visible(audience, &KbFilter::default())
        .select(kb_articles::category_id)
        .distinct()
        .load(conn)
}

/// The articles with these ids (any order).
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<KbArticleRow>> {
    kb_articles::table
        .filter(kb_articles::id.eq_any(ids.to_vec()))
        .select(KbArticleRow::as_select())
        .load(conn)
}

/// The articles of one entry (its translations), by language.
pub fn translations(conn: &mut DbConnection, entry_id: i64) -> QueryResult<Vec<KbArticleRow>> {
    kb_articles::table
        .filter(kb_articles::entry_id.eq(entry_id))
        .select(KbArticleRow::as_select())
        .order(kb_articles::language.asc())
        .load(conn)
}
