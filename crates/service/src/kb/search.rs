//! Listing and searching knowledge-base articles: the caller's audience decides what is found
//! (agents: internal articles of the categories they read, and every published customer and
//! public article; customers: published customer and public ones; anonymous readers: published
//! public ones). Searches use the ticket search's query language and are ranked with snippets.

use vakt_domain::Principal;
use vakt_domain::kb::{ArticleState, Visibility};
use vakt_domain::search::{Query, snippet};
use vakt_persistence::repo::kb::articles::{self, KbFilter};
use vakt_persistence::search::kb as index;

use super::Reader;
use super::articles::{KbArticle, view};
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::SearchHit;
use crate::{Page, PageRequest, Services};

/// The most matches a search ranks; more are left out (add words).
pub const MAX_RANKED: i64 = 500;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 200;

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct KbListQuery {
    /// Search words (`docs/search.md`); ranked by relevance.
    pub q: Option<String>,
    /// Only this category (and not its sub-categories).
    pub category_id: Option<i64>,
    /// Only this language.
    pub language: Option<String>,
    /// Only these states.
    pub states: Option<Vec<ArticleState>>,
    /// Only these visibilities.
    pub visibilities: Option<Vec<Visibility>>,
    /// Only this entry's articles (its translations).
    pub entry_id: Option<i64>,
}

impl Services {
    /// A page of the articles the caller may read: newest change first, or by relevance with `q`.
    pub fn list_kb_articles(
        &self,
        actor: Option<&Principal>,
        query: &KbListQuery,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<KbArticle>> {
        let search = query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(Query::parse);
        if search.as_ref().is_some_and(Query::is_empty) {
            return Err(ServiceError::invalid(
                "q",
                "empty_query",
                "has nothing to search for",
            ));
        }
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        let audience = reader.audience();
        let mut filter = KbFilter {
            category_ids: query.category_id.map(|c| vec![c]),
            language: query.language.clone(),
            states: query
                .states
                .as_ref()
                .map(|s| s.iter().map(|s| s.as_str().to_owned()).collect()),
            visibilities: query
                .visibilities
                .as_ref()
                .map(|v| v.iter().map(|v| v.as_str().to_owned()).collect()),
            entry_id: query.entry_id,
            condition: None,
        };
        let offset = page.after.unwrap_or(0).max(0);
        let Some(search) = search else {
            let rows = articles::list(&mut conn, &audience, &filter, offset, page.limit + 1)?;
            let items = rows
                .into_iter()
                .map(|row| view(&mut conn, &reader, row, false))
                .collect::<ServiceResult<Vec<_>>>()?;
            return Ok(page.page(items, |_| offset + page.limit));
        };
        filter.condition = index::condition(&mut conn, &search)?;
        let ids = articles::visible_ids(&mut conn, &audience, &filter, MAX_RANKED)?;
        let mut ranked = index::ranks(&mut conn, &search, &ids)?;
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let wanted: Vec<(i64, f64)> = ranked
            .into_iter()
            .skip(start)
            .take(usize::try_from(page.limit + 1).unwrap_or(usize::MAX))
            .collect();
        let ids: Vec<i64> = wanted.iter().map(|(id, _)| *id).collect();
        let mut rows = articles::by_ids(&mut conn, &ids)?;
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
        let words = search.highlight_words();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let rank = wanted.iter().find(|(id, _)| *id == row.id).map(|(_, r)| *r);
            let hit = snippet(&row.body_text, &words, SNIPPET_CHARS)
                .or_else(|| snippet(&row.title, &words, SNIPPET_CHARS));
            let mut article = view(&mut conn, &reader, row, false)?;
            article.search = Some(SearchHit { rank, snippet: hit });
            items.push(article);
        }
        Ok(page.page(items, |_| offset + page.limit))
    }
}

/// Most suggestions.
pub const MAX_SUGGESTIONS: usize = 10;
/// Most words of a text looked up for suggestions.
const SUGGESTION_WORDS: usize = 8;

/// The words of `text` worth looking up: at least four letters, the longest first, each once.
fn significant_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    words.dedup();
    words.truncate(SUGGESTION_WORDS);
    words
}

impl Services {
    /// Published articles the caller may read that match the words of `text` (a ticket's title
    /// and text, or what a customer is writing): those sharing the most words first, then by
    /// relevance. In `language` when given.
    pub fn suggest_kb_articles(
        &self,
        actor: Option<&Principal>,
        text: &str,
        language: Option<&str>,
        limit: usize,
    ) -> ServiceResult<Vec<KbArticle>> {
        let limit = limit.clamp(1, MAX_SUGGESTIONS);
        let page = PageRequest {
            limit: 50,
            after: None,
        };
        let mut scored: Vec<(usize, f64, KbArticle)> = Vec::new();
        for word in significant_words(text) {
            let query = KbListQuery {
                q: Some(word),
                language: language.map(str::to_owned),
                states: Some(vec![ArticleState::Published]),
                ..KbListQuery::default()
            };
            for article in self.list_kb_articles(actor, &query, &page)?.items {
                let rank = article.search.as_ref().and_then(|h| h.rank).unwrap_or(0.0);
                match scored.iter_mut().find(|(_, _, a)| a.id == article.id) {
                    Some(entry) => {
                        entry.0 += 1;
                        entry.1 += rank;
                    }
                    None => scored.push((1, rank, article)),
                }
            }
        }
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(b.2.id.cmp(&a.2.id))
        });
        Ok(scored.into_iter().take(limit).map(|(_, _, a)| a).collect())
    }

    /// Records that a customer read this article while writing a new ticket and left without
    /// submitting it (customers; the article must be theirs to read).
    pub fn record_kb_deflection(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        if actor.is_agent() {
            return Err(ServiceError::Forbidden(
                "deflections are recorded for customers".into(),
            ));
        }
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        super::articles::visible(&mut conn, &reader, id)?;
        articles::count_deflection(&mut conn, id)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_look_up_the_longest_words_once() {
        assert_eq!(
            significant_words("The printer printer on floor 3 is jammed, jammed!"),
            vec!["printer", "jammed", "floor"]
        );
        assert!(significant_words("a to be or").is_empty());
    }
}
