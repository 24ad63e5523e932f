//! The knowledge base (ADR 0009): categories owned by agent groups, articles with translations,
//! versions, history, attachments, votes and views, and search filtered by audience. Agents
//! with `ro` on a category's group read all its articles, `rw` edits and publishes them; other
//! agents and customers read the published customer and public ones, anonymous readers only
//! public ones.

use std::collections::HashSet;

use vakt_domain::Principal;
use vakt_domain::kb::{ArticleState, Visibility};
use vakt_domain::rights::Right;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::kb::articles::{KbArticleRow, KbAudience};
use vakt_persistence::repo::kb::categories::{self, CategoryRow};

use crate::access;
use crate::error::{ServiceError, ServiceResult};

mod articles;
mod body;
mod categories_admin;
mod extras;
mod search;
mod versions;

pub(crate) use articles::admin_view;
pub use articles::{KbArticle, KbArticleInput, Translation};
pub use categories_admin::{KbCategory, KbCategoryInput};
pub use extras::{KbAttachment, KbVotes};
pub use search::{KbListQuery, MAX_RANKED, MAX_SUGGESTIONS};
pub use versions::{KbHistoryEntry, KbVersion};

/// What a caller may do in the knowledge base, loaded once per use case.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    /// `None`: anonymous.
    principal: Option<Principal>,
    /// Categories whose articles this agent reads in full (all of them for administrators).
    readable: HashSet<i64>,
    /// Categories whose articles this agent edits.
    editable: HashSet<i64>,
}

impl Reader {
    pub(crate) fn load(conn: &mut DbConnection, actor: Option<&Principal>) -> ServiceResult<Self> {
        let mut reader = Reader {
            principal: actor.cloned(),
            readable: HashSet::new(),
            editable: HashSet::new(),
        };
        let Some(actor) = actor else {
            return Ok(reader);
        };
        let access = access::load(conn, actor)?;
        if actor.is_agent() {
            for category in categories::all(conn)? {
                if actor.is_admin() || access.has(category.group_id, Right::Ro) {
                    reader.readable.insert(category.id);
                }
                if actor.is_admin() || access.has(category.group_id, Right::Rw) {
                    reader.editable.insert(category.id);
                }
            }
        }
        Ok(reader)
    }

    /// The caller, if signed in.
    pub(crate) fn principal(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }

    /// True for agents.
    pub(crate) fn is_agent(&self) -> bool {
        self.principal.as_ref().is_some_and(Principal::is_agent)
    }

    /// The audience of lists and searches.
    pub(crate) fn audience(&self) -> KbAudience {
        match &self.principal {
            None => KbAudience::Public,
            Some(p) if p.is_admin() => KbAudience::Everything,
            Some(p) if p.is_agent() => {
                let mut readable: Vec<i64> = self.readable.iter().copied().collect();
                readable.sort_unstable();
                KbAudience::Agent(readable)
            }
            Some(_) => KbAudience::Customer,
        }
    }

    /// Whether the caller reads this category's articles in full (drafts, internal, versions).
    pub(crate) fn reads_category(&self, category_id: i64) -> bool {
        self.readable.contains(&category_id)
    }

    /// Whether the caller edits this category's articles.
    pub(crate) fn edits_category(&self, category_id: i64) -> bool {
        self.editable.contains(&category_id)
    }

    /// Whether the caller may read this article.
    pub(crate) fn sees(&self, row: &KbArticleRow) -> bool {
        if self.reads_category(row.category_id) {
            return true;
        }
        let published = ArticleState::parse(&row.state) == Some(ArticleState::Published);
        let visibility = Visibility::parse(&row.visibility).unwrap_or(Visibility::Internal);
        published
            && match &self.principal {
                None => visibility == Visibility::Public,
                Some(_) => visibility >= Visibility::Customer,
            }
    }
}

/// Loads a category or answers 404.
pub(crate) fn category(conn: &mut DbConnection, id: i64) -> ServiceResult<CategoryRow> {
    categories::find(conn, id)?.ok_or(ServiceError::NotFound("knowledge-base category"))
}
