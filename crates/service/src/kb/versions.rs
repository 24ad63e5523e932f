//! Versions and history of knowledge-base articles: every published change is a version;
//! agents who read the category list, view and restore them, and read who changed what.

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_domain::kb::{ArticleState, Visibility, split_keywords};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::kb::articles::{self, KbArticleChanges, KbArticleRow};
use vakt_persistence::repo::kb::extras::{self, HistoryRow, VersionRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use super::Reader;
use super::articles::{KbArticle, editable, reindex, store_version, view, visible};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::PersonRef;
use crate::users::require_agent;

/// A published version of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbVersion {
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
    pub visibility: Visibility,
    /// Who published it.
    pub created_by: Option<PersonRef>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// One entry of an article's history.
#[derive(Debug, Clone, PartialEq)]
pub struct KbHistoryEntry {
    /// Id.
    pub id: i64,
    /// Who (`None`: deleted user).
    pub actor: Option<PersonRef>,
    /// `created`, `updated`, `published`, `unpublished`, `archived`, `restored`,
    /// `attachment_added`, `attachment_removed`.
    pub action: String,
    /// Details: changed fields, version numbers, file names.
    pub detail: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

fn person(conn: &mut DbConnection, id: i64) -> ServiceResult<Option<PersonRef>> {
    Ok(users::find(conn, id)?.map(|u| PersonRef {
        id: u.id,
        name: u.name,
        email: u.email,
    }))
}

fn version_view(conn: &mut DbConnection, row: VersionRow) -> ServiceResult<KbVersion> {
    Ok(KbVersion {
        version: row.version,
        title: row.title,
        body_html: row.body_html,
        body_text: row.body_text,
        keywords: split_keywords(&row.keywords),
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Internal),
        created_by: person(conn, row.created_by)?,
        created_at: from_db(row.created_at),
    })
}

fn history_view(conn: &mut DbConnection, row: HistoryRow) -> ServiceResult<KbHistoryEntry> {
    Ok(KbHistoryEntry {
        id: row.id,
        actor: match row.actor_id {
            Some(id) => person(conn, id)?,
            None => None,
        },
        action: row.action,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
        at: from_db(row.at),
    })
}

/// An article whose versions and history the reader may see: agents with `ro` on the
/// category's group; 403 for other readers of the article, 404 for the rest.
fn with_past(conn: &mut DbConnection, reader: &Reader, id: i64) -> ServiceResult<KbArticleRow> {
    let row = visible(conn, reader, id)?;
    if !reader.reads_category(row.category_id) {
        return Err(ServiceError::Forbidden(
            "versions and history need `ro` on the category's group".into(),
        ));
    }
    Ok(row)
}

impl Services {
    /// An article's published versions, newest first.
    pub fn list_kb_versions(&self, actor: &Principal, id: i64) -> ServiceResult<Vec<KbVersion>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        with_past(&mut conn, &reader, id)?;
        extras::versions(&mut conn, id)?
            .into_iter()
            .map(|row| version_view(&mut conn, row))
            .collect()
    }

    /// One version of an article.
    pub fn get_kb_version(
        &self,
        actor: &Principal,
        id: i64,
        version: i64,
    ) -> ServiceResult<KbVersion> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        with_past(&mut conn, &reader, id)?;
        let row = extras::find_version(&mut conn, id, version)?
            .ok_or(ServiceError::NotFound("version"))?;
        version_view(&mut conn, row)
    }

    /// Makes an old version's content current (agents with `rw`); for a published article that
    /// is a new version itself.
    pub fn restore_kb_version(
        &self,
        actor: &Principal,
        id: i64,
        version: i64,
    ) -> ServiceResult<KbArticle> {
        require_agent(actor)?;
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        let row = conn.write_transaction(|conn| {
            let before = editable(conn, &reader, id)?;
            let old = extras::find_version(conn, id, version)?
                .ok_or(ServiceError::NotFound("version"))?;
            let published = before.state == ArticleState::Published.as_str();
            let changes = KbArticleChanges {
                slug: Some(vakt_domain::kb::slugify(&old.title)),
                title: Some(old.title),
                body_html: Some(old.body_html),
                body_text: Some(old.body_text),
                keywords: Some(old.keywords),
                visibility: Some(old.visibility),
                version: published.then_some(before.version + 1),
                updated_by: Some(actor.user_id),
                updated_at: Some(to_db(at)),
                ..KbArticleChanges::default()
            };
            let row = articles::update(conn, id, &changes)?;
            if published {
                store_version(conn, &row, actor.user_id, at)?;
            }
            let detail = json!({"from_version": version, "version": row.version});
            extras::record(
                conn,
                id,
                actor.user_id,
                "restored",
                &detail.to_string(),
                to_db(at),
            )?;
            reindex(conn, &row)?;
            Ok::<_, ServiceError>(row)
        })?;
        view(&mut conn, &reader, row, true)
    }

    /// Who changed what in an article, oldest first.
    pub fn kb_article_history(
        &self,
        actor: &Principal,
        id: i64,
    ) -> ServiceResult<Vec<KbHistoryEntry>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        with_past(&mut conn, &reader, id)?;
        extras::history(&mut conn, id)?
            .into_iter()
            .map(|row| history_view(&mut conn, row))
            .collect()
    }
}
