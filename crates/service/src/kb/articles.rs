//! Knowledge-base articles: creating (also as a translation of another), reading (counting the
//! view), changing (a published change is a new version) and deleting.

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_domain::kb::{
    ArticleState, Visibility, clean_keywords, join_keywords, slugify, split_keywords,
};
use vakt_domain::locale::check_language;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::kb::articles::{self, KbArticleChanges, KbArticleRow, NewKbArticle};
use vakt_persistence::repo::kb::categories;
use vakt_persistence::repo::kb::extras::{self, NewVersion};
use vakt_persistence::repo::users;
use vakt_persistence::search::kb::{self as index, KbText};
use vakt_persistence::time::{from_db, to_db};

use super::body::{bodies, validate};
use super::extras::{KbAttachment, attachment_view};
use super::{Reader, category};
use crate::Services;
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::{IdName, PersonRef, SearchHit};
use crate::users::require_agent;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 300;
/// Longest body, in characters.
pub const MAX_BODY: usize = 500_000;

/// Another language of the same entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Article id.
    pub id: i64,
    /// Language.
    pub language: String,
    /// Title.
    pub title: String,
    /// Slug.
    pub slug: String,
}

/// An article as the caller sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct KbArticle {
    /// Id.
    pub id: i64,
    /// Translations share this.
    pub entry_id: i64,
    /// Category.
    pub category: IdName,
    /// Language.
    pub language: String,
    /// Title.
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Plain text.
    pub body_text: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Who may read it once published.
    pub visibility: Visibility,
    /// State.
    pub state: ArticleState,
    /// Latest published version (0: never published).
    pub version: i64,
    /// Times read.
    pub view_count: i64,
    /// "Helpful" votes.
    pub helpful_count: i64,
    /// "Not helpful" votes.
    pub not_helpful_count: i64,
    /// Tickets it saved: customers who read it while writing one and left (agents only).
    pub deflection_count: Option<i64>,
    /// Files (single reads only).
    pub attachments: Vec<KbAttachment>,
    /// The entry's other languages the caller may read (single reads only).
    pub translations: Vec<Translation>,
    /// Author (agents only).
    pub created_by: Option<PersonRef>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed by (agents only).
    pub updated_by: Option<PersonRef>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
    /// First published at.
    pub published_at: Option<DateTime<Utc>>,
    /// The caller may change it.
    pub editable: bool,
    /// How it matched (search results only).
    pub search: Option<SearchHit>,
}

/// Input for creating or changing an article; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct KbArticleInput {
    /// Category (on creation: required unless `translation_of` is given).
    pub category_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// HTML body (sanitised; its text is derived).
    pub body_html: Option<String>,
    /// Plain-text body (when no HTML is given).
    pub body_text: Option<String>,
    /// Keywords.
    pub keywords: Option<Vec<String>>,
    /// Language (creation only).
    pub language: Option<String>,
    /// Visibility.
    pub visibility: Option<Visibility>,
    /// State.
    pub state: Option<ArticleState>,
    /// Creation only: the new article translates this one (same entry).
    pub translation_of: Option<i64>,
}

fn person(conn: &mut DbConnection, id: i64) -> ServiceResult<Option<PersonRef>> {
    Ok(users::find(conn, id)?.map(|u| PersonRef {
        id: u.id,
        name: u.name,
        email: u.email,
    }))
}

/// The view of `row` for `reader`; `full` adds attachments and translations.
pub(crate) fn view(
    conn: &mut DbConnection,
    reader: &Reader,
    row: KbArticleRow,
    full: bool,
) -> ServiceResult<KbArticle> {
    let category = categories::find(conn, row.category_id)?.map_or_else(
        || IdName {
            id: row.category_id,
            name: String::new(),
        },
        |c| IdName {
            id: c.id,
            name: c.name,
        },
    );
    let agent = reader.is_agent();
    let (attachments, translations) = if full {
        let files = extras::attachments(conn, row.id)?
            .into_iter()
            .map(attachment_view)
            .collect();
        let others = articles::translations(conn, row.entry_id)?
            .into_iter()
            .filter(|t| t.id != row.id && reader.sees(t))
            .map(|t| Translation {
                id: t.id,
                language: t.language,
                title: t.title,
                slug: t.slug,
            })
            .collect();
        (files, others)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(KbArticle {
        id: row.id,
        entry_id: row.entry_id,
        category,
        language: row.language,
        title: row.title,
        slug: row.slug,
        body_html: row.body_html,
        body_text: row.body_text,
        keywords: split_keywords(&row.keywords),
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Internal),
        state: ArticleState::parse(&row.state).unwrap_or(ArticleState::Draft),
        version: row.version,
        view_count: row.view_count,
        helpful_count: row.helpful_count,
        not_helpful_count: row.not_helpful_count,
        deflection_count: agent.then_some(row.deflection_count),
        attachments,
        translations,
        created_by: if agent {
            person(conn, row.created_by)?
        } else {
            None
        },
        created_at: from_db(row.created_at),
        updated_by: if agent {
            person(conn, row.updated_by)?
        } else {
            None
        },
        updated_at: from_db(row.updated_at),
        published_at: row.published_at.map(from_db),
        editable: reader.edits_category(row.category_id),
        search: None,
    })
}

/// Writes the article's search document.
pub(crate) fn reindex(conn: &mut DbConnection, row: &KbArticleRow) -> ServiceResult<()> {
    let author = users::find(conn, row.created_by)?
        .map(|u| u.email)
        .unwrap_or_default();
    index::index(
        conn,
        &KbText {
            article_id: row.id,
            title: &row.title,
            keywords: &row.keywords,
            body: &row.body_text,
            author: &author,
        },
    )?;
    Ok(())
}

/// Stores the current content of `row` as its version `row.version`.
pub(crate) fn store_version(
    conn: &mut DbConnection,
    row: &KbArticleRow,
    actor: i64,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    extras::insert_version(
        conn,
        &NewVersion {
            article_id: row.id,
            version: row.version,
            title: &row.title,
            body_html: &row.body_html,
            body_text: &row.body_text,
            keywords: &row.keywords,
            visibility: &row.visibility,
            created_by: actor,
            created_at: to_db(at),
        },
    )?;
    Ok(())
}

/// Loads an article the reader may see, or 404.
pub(crate) fn visible(
    conn: &mut DbConnection,
    reader: &Reader,
    id: i64,
) -> ServiceResult<KbArticleRow> {
    match articles::find(conn, id)? {
        Some(row) if reader.sees(&row) => Ok(row),
        _ => Err(ServiceError::NotFound("knowledge-base article")),
    }
}

/// Loads an article the reader may change: 404 when they cannot see it, 403 when they only read.
pub(crate) fn editable(
    conn: &mut DbConnection,
    reader: &Reader,
    id: i64,
) -> ServiceResult<KbArticleRow> {
    let row = visible(conn, reader, id)?;
    if !reader.edits_category(row.category_id) {
        return Err(ServiceError::Forbidden(
            "changing this article needs `rw` on its category's group".into(),
        ));
    }
    Ok(row)
}

fn require_editor(reader: &Reader, category_id: i64) -> ServiceResult<()> {
    if reader.edits_category(category_id) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "writing in this category needs `rw` on its group".into(),
        ))
    }
}

impl Services {
    /// Writes a new article (agents with `rw` on the category's group).
    pub fn create_kb_article(
        &self,
        actor: &Principal,
        input: KbArticleInput,
    ) -> ServiceResult<KbArticle> {
        require_agent(actor)?;
        validate(&input)?;
        let title = input
            .title
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        if title.is_empty() {
            return Err(ServiceError::invalid(
                "title",
                "required",
                "must not be empty",
            ));
        }
        let language = match &input.language {
            Some(tag) => check_language(tag)
                .map_err(|e| ServiceError::invalid("language", e.code, e.message))?,
            None => return Err(ServiceError::invalid("language", "required", "is required")),
        };
        let (html, text) =
            bodies(input.body_html.as_deref(), input.body_text.as_deref()).unwrap_or_default();
        let keywords = join_keywords(&clean_keywords(
            input.keywords.as_deref().unwrap_or_default(),
        ));
        let visibility = input.visibility.unwrap_or(Visibility::Internal);
        let state = input.state.unwrap_or(ArticleState::Draft);
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        let row = conn.write_transaction(|conn| {
            let (entry_id, category_id) = match input.translation_of {
                Some(source) => {
                    let source = visible(conn, &reader, source).map_err(|_| {
                        ServiceError::invalid("translation_of", "not_found", "no such article")
                    })?;
                    if articles::find_translation(conn, source.entry_id, &language)?.is_some() {
                        return Err(ServiceError::invalid(
                            "language",
                            "taken",
                            "the entry already has an article in this language",
                        ));
                    }
                    (
                        source.entry_id,
                        input.category_id.unwrap_or(source.category_id),
                    )
                }
                None => match input.category_id {
                    Some(id) => (0, id),
                    None => {
                        return Err(ServiceError::invalid(
                            "category_id",
                            "required",
                            "is required",
                        ));
                    }
                },
            };
            if categories::find(conn, category_id)?.is_none() {
                return Err(ServiceError::invalid(
                    "category_id",
                    "not_found",
                    "no such category",
                ));
            }
            require_editor(&reader, category_id)?;
            let published = state == ArticleState::Published;
            let slug = slugify(&title);
            let row = articles::insert(
                conn,
                &NewKbArticle {
                    entry_id,
                    category_id,
                    language: &language,
                    title: &title,
                    slug: &slug,
                    body_html: &html,
                    body_text: &text,
                    keywords: &keywords,
                    visibility: visibility.as_str(),
                    state: state.as_str(),
                    version: i64::from(published),
                    view_count: 0,
                    helpful_count: 0,
                    not_helpful_count: 0,
                    created_by: actor.user_id,
                    created_at: to_db(at),
                    updated_by: actor.user_id,
                    updated_at: to_db(at),
                    published_at: published.then(|| to_db(at)),
                },
            )?;
            let row = if entry_id == 0 {
                articles::update(
                    conn,
                    row.id,
                    &KbArticleChanges {
                        entry_id: Some(row.id),
                        ..KbArticleChanges::default()
                    },
                )?
            } else {
                row
            };
            let detail = json!({"language": row.language, "translation_of": input.translation_of});
            extras::record(
                conn,
                row.id,
                actor.user_id,
                "created",
                &detail.to_string(),
                to_db(at),
            )?;
            if published {
                crate::webhooks::kb_published(conn, row.id, 1, at)?;
                store_version(conn, &row, actor.user_id, at)?;
                extras::record(
                    conn,
                    row.id,
                    actor.user_id,
                    "published",
                    &json!({"version": 1}).to_string(),
                    to_db(at),
                )?;
            }
            reindex(conn, &row)?;
            Ok::<_, ServiceError>(row)
        })?;
        view(&mut conn, &reader, row, true)
    }

    /// One article the caller may read; a published one counts the view.
    pub fn get_kb_article(&self, actor: Option<&Principal>, id: i64) -> ServiceResult<KbArticle> {
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        let mut row = visible(&mut conn, &reader, id)?;
        if row.state == ArticleState::Published.as_str() {
            articles::count_view(&mut conn, id)?;
            row.view_count += 1;
        }
        view(&mut conn, &reader, row, true)
    }

    /// Changes an article (agents with `rw` on its category's group). A change that leaves it
    /// published — publishing it, or changing a published article's content — stores a new
    /// version.
    pub fn update_kb_article(
        &self,
        actor: &Principal,
        id: i64,
        input: KbArticleInput,
    ) -> ServiceResult<KbArticle> {
        require_agent(actor)?;
        validate(&input)?;
        if input.language.is_some() || input.translation_of.is_some() {
            let field = if input.language.is_some() {
                "language"
            } else {
                "translation_of"
            };
            return Err(ServiceError::invalid(
                field,
                "read_only",
                "cannot be changed; add a translation instead",
            ));
        }
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        let row = conn.write_transaction(|conn| {
            let before = editable(conn, &reader, id)?;
            if let Some(category_id) = input.category_id {
                category(conn, category_id).map_err(|_| {
                    ServiceError::invalid("category_id", "not_found", "no such category")
                })?;
                require_editor(&reader, category_id)?;
            }
            let mut changes = KbArticleChanges {
                category_id: input.category_id.filter(|c| *c != before.category_id),
                updated_by: Some(actor.user_id),
                updated_at: Some(to_db(at)),
                ..KbArticleChanges::default()
            };
            let mut fields = Vec::new();
            if changes.category_id.is_some() {
                fields.push("category");
            }
            if let Some(title) = input.title.as_deref().map(str::trim)
                && title != before.title
            {
                if title.is_empty() {
                    return Err(ServiceError::invalid(
                        "title",
                        "required",
                        "must not be empty",
                    ));
                }
                changes.title = Some(title.to_owned());
                changes.slug = Some(slugify(title));
                fields.push("title");
            }
            if let Some((html, text)) =
                bodies(input.body_html.as_deref(), input.body_text.as_deref())
                && (html != before.body_html || text != before.body_text)
            {
                changes.body_html = Some(html);
                changes.body_text = Some(text);
                fields.push("body");
            }
            if let Some(keywords) = &input.keywords {
                let keywords = join_keywords(&clean_keywords(keywords));
                if keywords != before.keywords {
                    changes.keywords = Some(keywords);
                    fields.push("keywords");
                }
            }
            if let Some(visibility) = input.visibility
                && visibility.as_str() != before.visibility
            {
                changes.visibility = Some(visibility.as_str().to_owned());
                fields.push("visibility");
            }
            let old_state = ArticleState::parse(&before.state).unwrap_or(ArticleState::Draft);
            let new_state = input.state.unwrap_or(old_state);
            if new_state != old_state {
                changes.state = Some(new_state.as_str().to_owned());
            }
            let content_changed = fields.iter().any(|f| *f != "category");
            let new_version = new_state == ArticleState::Published
                && (old_state != ArticleState::Published || content_changed);
            if new_version {
                changes.version = Some(before.version + 1);
                if before.published_at.is_none() {
                    changes.published_at = Some(Some(to_db(at)));
                }
            }
            if fields.is_empty() && new_state == old_state {
                return Ok(before);
            }
            let row = articles::update(conn, id, &changes)?;
            if !fields.is_empty() {
                let detail = json!({"fields": fields});
                extras::record(
                    conn,
                    id,
                    actor.user_id,
                    "updated",
                    &detail.to_string(),
                    to_db(at),
                )?;
            }
            if new_version {
                store_version(conn, &row, actor.user_id, at)?;
                crate::webhooks::kb_published(conn, row.id, row.version, at)?;
            }
            if new_state != old_state || new_version {
                let action = match new_state {
                    ArticleState::Published => "published",
                    ArticleState::Archived => "archived",
                    ArticleState::Draft => "unpublished",
                };
                let detail = json!({"from": old_state.as_str(), "version": row.version});
                extras::record(
                    conn,
                    id,
                    actor.user_id,
                    action,
                    &detail.to_string(),
                    to_db(at),
                )?;
            }
            reindex(conn, &row)?;
            Ok::<_, ServiceError>(row)
        })?;
        view(&mut conn, &reader, row, true)
    }

    /// Deletes an article with its versions, history and files (agents with `rw`); the
    /// administrators' audit log keeps a record.
    pub fn delete_kb_article(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_agent(actor)?;
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        conn.write_transaction(|conn| {
            let row = editable(conn, &reader, id)?;
            index::forget(conn, id)?;
            articles::delete(conn, id)?;
            let change = Change::new("delete", "kb_article", id, &row.title).before(
                json!({"title": row.title, "language": row.language, "state": row.state,
                               "visibility": row.visibility, "version": row.version}),
            );
            audit::record(conn, Some(actor), at, change)?;
            Ok(())
        })
    }
}

/// A KB article in full as an administrator reads it, on `conn`, without counting a view
/// (webhook bodies).
pub(crate) fn admin_view(conn: &mut DbConnection, id: i64) -> ServiceResult<Option<KbArticle>> {
    let Some(row) = articles::find(conn, id)? else {
        return Ok(None);
    };
    let admin = Principal {
        user_id: 0,
        kind: vakt_domain::UserKind::Agent,
        is_admin: true,
    };
    let reader = Reader::load(conn, Some(&admin))?;
    view(conn, &reader, row, true).map(Some)
}
