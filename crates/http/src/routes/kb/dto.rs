//! Wire types of the knowledge-base API and their conversions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::kb::{ArticleState, Visibility};
use vakt_service::kb::{
    KbArticle, KbAttachment, KbCategory, KbHistoryEntry, KbVersion, KbVotes, Translation,
};
use validator::Validate;

use crate::extract::NamedPart;
use crate::routes::tickets::dto::{
    Base64Attachment, HighlightDto, IdNameDto, PersonDto, SearchHitDto, SnippetDto,
};

/// Who may read a published article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisibilityDto {
    /// Agents who read the category's group.
    Internal,
    /// Also signed-in customers.
    Customer,
    /// Everyone, without signing in.
    Public,
}

impl From<Visibility> for VisibilityDto {
    fn from(v: Visibility) -> Self {
        match v {
            Visibility::Internal => Self::Internal,
            Visibility::Customer => Self::Customer,
            Visibility::Public => Self::Public,
        }
    }
}

impl From<VisibilityDto> for Visibility {
    fn from(v: VisibilityDto) -> Self {
        match v {
            VisibilityDto::Internal => Self::Internal,
            VisibilityDto::Customer => Self::Customer,
            VisibilityDto::Public => Self::Public,
        }
    }
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KbStateDto {
    /// Being written (editors only).
    Draft,
    /// Readable by its audience.
    Published,
    /// Withdrawn (editors only).
    Archived,
}

impl From<ArticleState> for KbStateDto {
    fn from(v: ArticleState) -> Self {
        match v {
            ArticleState::Draft => Self::Draft,
            ArticleState::Published => Self::Published,
            ArticleState::Archived => Self::Archived,
        }
    }
}

impl From<KbStateDto> for ArticleState {
    fn from(v: KbStateDto) -> Self {
        match v {
            KbStateDto::Draft => Self::Draft,
            KbStateDto::Published => Self::Published,
            KbStateDto::Archived => Self::Archived,
        }
    }
}

/// A knowledge-base category.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryResponse {
    /// Id.
    pub id: i64,
    /// Parent (`null`: top level).
    pub parent_id: Option<i64>,
    /// Depth in the tree (0: top level).
    pub depth: usize,
    /// The owning group (agents only).
    pub group: Option<IdNameDto>,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order among its siblings.
    pub position: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<KbCategory> for KbCategoryResponse {
    fn from(c: KbCategory) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            depth: c.depth,
            group: c.group.map(Into::into),
            name: c.name,
            description: c.description,
            position: c.position,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// The categories, in tree order (depth first; each after its parent).
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryList {
    /// The categories you may browse.
    pub items: Vec<KbCategoryResponse>,
}

/// A new category.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Printing", "group_id": 1, "parent_id": null}))]
pub struct CreateKbCategoryRequest {
    /// Name.
    #[validate(length(max = 200))]
    pub name: String,
    /// The owning group: `ro` there reads internal articles, `rw` edits.
    pub group_id: i64,
    /// Parent category.
    pub parent_id: Option<i64>,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Order among siblings (lower first).
    pub position: Option<i64>,
}

/// Changes to a category.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateKbCategoryRequest {
    /// Name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// Owning group.
    pub group_id: Option<i64>,
    /// Parent; `null` moves it to the top level.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Order among siblings.
    pub position: Option<i64>,
}

/// A file of an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbAttachmentDto {
    /// Id.
    pub id: i64,
    /// File name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Added at.
    pub created_at: DateTime<Utc>,
}

impl From<KbAttachment> for KbAttachmentDto {
    fn from(a: KbAttachment) -> Self {
        Self {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            created_at: a.created_at,
        }
    }
}

/// Another language of the same entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationDto {
    /// Article id.
    pub id: i64,
    /// Language.
    pub language: String,
    /// Title.
    pub title: String,
    /// Slug.
    pub slug: String,
}

impl From<Translation> for TranslationDto {
    fn from(t: Translation) -> Self {
        Self {
            id: t.id,
            language: t.language,
            title: t.title,
            slug: t.slug,
        }
    }
}

/// Vote counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbVotesDto {
    /// "Helpful" votes.
    pub helpful: i64,
    /// "Not helpful" votes.
    pub not_helpful: i64,
    /// Your vote (signed in): `true` helpful.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
}

impl From<KbVotes> for KbVotesDto {
    fn from(v: KbVotes) -> Self {
        Self {
            helpful: v.helpful,
            not_helpful: v.not_helpful,
            mine: v.mine,
        }
    }
}

/// A knowledge-base article.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleResponse {
    /// Id.
    pub id: i64,
    /// Translations share this entry id.
    pub entry_id: i64,
    /// Category.
    pub category: IdNameDto,
    /// Language (`en`, `nl`, `nb`, `de`).
    pub language: String,
    /// Title.
    pub title: String,
    /// URL slug of the title.
    pub slug: String,
    /// The readable public address, `/kb/{slug}-{id}` (works without signing in for public
    /// articles).
    pub url: String,
    /// Sanitised HTML body.
    pub body_html: String,
    /// Plain-text body.
    pub body_text: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Who may read it once published.
    pub visibility: VisibilityDto,
    /// State.
    pub state: KbStateDto,
    /// Latest published version (0: never published).
    pub version: i64,
    /// Times read.
    pub view_count: i64,
    /// Votes.
    pub votes: KbVotesDto,
    /// Tickets it saved: customers who read it while writing one and left (agents only).
    pub deflection_count: Option<i64>,
    /// Files (single reads).
    pub attachments: Vec<KbAttachmentDto>,
    /// The entry's other languages you may read (single reads).
    pub translations: Vec<TranslationDto>,
    /// Author (agents only).
    pub created_by: Option<PersonDto>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed by (agents only).
    pub updated_by: Option<PersonDto>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
    /// First published at.
    pub published_at: Option<DateTime<Utc>>,
    /// You may change it.
    pub editable: bool,
    /// How it matched (searches only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchHitDto>,
}

impl From<KbArticle> for KbArticleResponse {
    fn from(a: KbArticle) -> Self {
        Self {
            url: format!("/kb/{}-{}", a.slug, a.id),
            id: a.id,
            entry_id: a.entry_id,
            category: a.category.into(),
            language: a.language,
            title: a.title,
            slug: a.slug,
            body_html: a.body_html,
            body_text: a.body_text,
            keywords: a.keywords,
            visibility: a.visibility.into(),
            state: a.state.into(),
            version: a.version,
            view_count: a.view_count,
            votes: KbVotesDto {
                helpful: a.helpful_count,
                not_helpful: a.not_helpful_count,
                mine: None,
            },
            deflection_count: a.deflection_count,
            attachments: a.attachments.into_iter().map(Into::into).collect(),
            translations: a.translations.into_iter().map(Into::into).collect(),
            created_by: a.created_by.map(Into::into),
            created_at: a.created_at,
            updated_by: a.updated_by.map(Into::into),
            updated_at: a.updated_at,
            published_at: a.published_at,
            editable: a.editable,
            search: a.search.map(|hit| SearchHitDto {
                rank: hit.rank,
                snippet: hit.snippet.map(|s| SnippetDto {
                    text: s.text,
                    highlights: s
                        .highlights
                        .into_iter()
                        .map(|(start, length)| HighlightDto { start, length })
                        .collect(),
                }),
            }),
        }
    }
}

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleList {
    /// This page.
    pub items: Vec<KbArticleResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Options of the article list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListKbArticlesQuery {
    /// Search words, in the ticket search's language (`docs/search.md`); ranked by relevance.
    #[validate(length(max = 500))]
    pub q: Option<String>,
    /// Only this category.
    pub category_id: Option<i64>,
    /// Only this language.
    pub language: Option<String>,
    /// Only these states, comma-separated (`draft,published,archived`).
    pub state: Option<String>,
    /// Only these visibilities, comma-separated (`internal,customer,public`).
    pub visibility: Option<String>,
    /// Only the articles of this entry (its translations).
    pub entry_id: Option<i64>,
    /// Page size (1–200, default 25).
    pub limit: Option<i64>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

/// A new article (also as a translation of another).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "category_id": 1, "title": "Printer on floor 3 is jammed", "language": "en",
    "body_html": "<p>Open the side door and pull the paper out.</p>",
    "keywords": ["printer", "paper jam"], "visibility": "public", "state": "published"
}))]
pub struct CreateKbArticleRequest {
    /// Category (defaults to that of `translation_of`).
    pub category_id: Option<i64>,
    /// Title.
    #[validate(length(max = 300))]
    pub title: String,
    /// Language (`en`, `nl`, `nb`, `de`).
    pub language: String,
    /// HTML body (sanitised; the text is derived from it).
    pub body_html: Option<String>,
    /// Plain-text body (when no HTML is sent).
    pub body_text: Option<String>,
    /// Keywords.
    pub keywords: Option<Vec<String>>,
    /// Visibility (default `internal`).
    pub visibility: Option<VisibilityDto>,
    /// State (default `draft`).
    pub state: Option<KbStateDto>,
    /// Translate this article: the new one joins its entry.
    pub translation_of: Option<i64>,
}

/// Changes to an article; publishing, or changing a published one, makes a new version.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateKbArticleRequest {
    /// Category.
    pub category_id: Option<i64>,
    /// Title.
    #[validate(length(max = 300))]
    pub title: Option<String>,
    /// HTML body.
    pub body_html: Option<String>,
    /// Plain-text body.
    pub body_text: Option<String>,
    /// Keywords.
    pub keywords: Option<Vec<String>>,
    /// Visibility.
    pub visibility: Option<VisibilityDto>,
    /// State.
    pub state: Option<KbStateDto>,
}

/// A published version.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbVersionResponse {
    /// Number (1, 2, …).
    pub version: i64,
    /// Title.
    pub title: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Plain text.
    pub body_text: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Visibility.
    pub visibility: VisibilityDto,
    /// Who published it.
    pub created_by: Option<PersonDto>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<KbVersion> for KbVersionResponse {
    fn from(v: KbVersion) -> Self {
        Self {
            version: v.version,
            title: v.title,
            body_html: v.body_html,
            body_text: v.body_text,
            keywords: v.keywords,
            visibility: v.visibility.into(),
            created_by: v.created_by.map(Into::into),
            created_at: v.created_at,
        }
    }
}

/// An article's versions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbVersionList {
    /// Versions.
    pub items: Vec<KbVersionResponse>,
}

/// One entry of an article's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbHistoryDto {
    /// Id.
    pub id: i64,
    /// Who.
    pub actor: Option<PersonDto>,
    /// `created`, `updated`, `published`, `unpublished`, `archived`, `restored`,
    /// `attachment_added`, `attachment_removed`.
    pub action: String,
    /// Details: changed `fields`, `version` numbers, file names.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<KbHistoryEntry> for KbHistoryDto {
    fn from(h: KbHistoryEntry) -> Self {
        Self {
            id: h.id,
            actor: h.actor.map(Into::into),
            action: h.action,
            detail: h.detail,
            at: h.at,
        }
    }
}

/// An article's history, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbHistoryList {
    /// Entries.
    pub items: Vec<KbHistoryDto>,
}

/// An article's files.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbAttachmentList {
    /// Files, in the order they were added.
    pub items: Vec<KbAttachmentDto>,
}

/// Files to add: base64 in JSON, or `attachments` parts of a multipart upload (with this
/// document as the `upload` part).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddKbAttachmentsRequest {
    /// Base64-encoded files.
    #[validate(nested)]
    pub attachments: Option<Vec<Base64Attachment>>,
}

impl NamedPart for AddKbAttachmentsRequest {
    const PART: &'static str = "upload";
}

/// A vote.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KbVoteRequest {
    /// `true`: helpful; `false`: not helpful.
    pub helpful: bool,
}

/// What to suggest articles for.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KbSuggestionsQuery {
    /// A ticket's title and text, or what a customer is writing.
    #[validate(length(min = 1, max = 5000))]
    pub text: String,
    /// Only articles in this language.
    pub language: Option<String>,
    /// How many (1–10, default 5).
    #[validate(range(min = 1, max = 10))]
    pub limit: Option<usize>,
}
