//! Files and votes of knowledge-base articles.

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use vakt_domain::Principal;
use vakt_persistence::repo::articles::{blob_data, store_blob};
use vakt_persistence::repo::kb::articles;
use vakt_persistence::repo::kb::extras::{self, KbAttachmentRow, NewKbAttachment};
use vakt_persistence::time::{from_db, to_db};

use super::Reader;
use super::articles::{editable, visible};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::NewAttachment;
use crate::users::require_agent;

/// A file of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbAttachment {
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

/// The vote counts of an article, and the caller's own vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbVotes {
    /// "Helpful" votes.
    pub helpful: i64,
    /// "Not helpful" votes.
    pub not_helpful: i64,
    /// The caller's vote (signed-in callers).
    pub mine: Option<bool>,
}

pub(crate) fn attachment_view(row: KbAttachmentRow) -> KbAttachment {
    KbAttachment {
        id: row.id,
        filename: row.filename,
        content_type: row.content_type,
        size: row.size,
        created_at: from_db(row.created_at),
    }
}

impl Services {
    /// Adds files to an article (agents with `rw`).
    pub fn add_kb_attachments(
        &self,
        actor: &Principal,
        id: i64,
        files: Vec<NewAttachment>,
    ) -> ServiceResult<Vec<KbAttachment>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        editable(&mut conn, &reader, id)?;
        if files.is_empty() {
            return Err(ServiceError::invalid(
                "attachments",
                "required",
                "send at least one file",
            ));
        }
        let limit = self.config().max_attachment_bytes;
        if let Some(i) = files.iter().position(|f| f.data.len() > limit) {
            return Err(ServiceError::invalid(
                &format!("attachments[{i}]"),
                "too_large",
                format!("is larger than {limit} bytes"),
            ));
        }
        let at = self.now();
        conn.write_transaction(|conn| {
            editable(conn, &reader, id)?;
            let mut added = Vec::new();
            for file in &files {
                let filename = crate::tickets::clean_filename(&file.filename);
                let content_type = crate::tickets::clean_content_type(&file.content_type);
                let hash = hex::encode(Sha256::digest(&file.data));
                let blob_id = store_blob(conn, &hash, &file.data, to_db(at))?;
                let row = extras::insert_attachment(
                    conn,
                    &NewKbAttachment {
                        article_id: id,
                        blob_id,
                        filename: &filename,
                        content_type: &content_type,
                        size: i64::try_from(file.data.len()).unwrap_or(i64::MAX),
                        created_by: actor.user_id,
                        created_at: to_db(at),
                    },
                )?;
                let detail = json!({"attachment_id": row.id, "filename": filename});
                extras::record(
                    conn,
                    id,
                    actor.user_id,
                    "attachment_added",
                    &detail.to_string(),
                    to_db(at),
                )?;
                added.push(attachment_view(row));
            }
            Ok(added)
        })
    }

    /// An article's files.
    pub fn list_kb_attachments(
        &self,
        actor: Option<&Principal>,
        id: i64,
    ) -> ServiceResult<Vec<KbAttachment>> {
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        visible(&mut conn, &reader, id)?;
        Ok(extras::attachments(&mut conn, id)?
            .into_iter()
            .map(attachment_view)
            .collect())
    }

    /// One file with its content.
    pub fn get_kb_attachment(
        &self,
        actor: Option<&Principal>,
        id: i64,
        attachment_id: i64,
    ) -> ServiceResult<(KbAttachment, Vec<u8>)> {
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        visible(&mut conn, &reader, id)?;
        let row = extras::find_attachment(&mut conn, attachment_id)?
            .filter(|a| a.article_id == id)
            .ok_or(ServiceError::NotFound("attachment"))?;
        let data = blob_data(&mut conn, row.blob_id)?;
        Ok((attachment_view(row), data))
    }

    /// Removes a file (agents with `rw`).
    pub fn delete_kb_attachment(
        &self,
        actor: &Principal,
        id: i64,
        attachment_id: i64,
    ) -> ServiceResult<()> {
        require_agent(actor)?;
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, Some(actor))?;
        conn.write_transaction(|conn| {
            editable(conn, &reader, id)?;
            let row = extras::find_attachment(conn, attachment_id)?
                .filter(|a| a.article_id == id)
                .ok_or(ServiceError::NotFound("attachment"))?;
            extras::delete_attachment(conn, attachment_id)?;
            let detail = json!({"attachment_id": row.id, "filename": row.filename});
            extras::record(
                conn,
                id,
                actor.user_id,
                "attachment_removed",
                &detail.to_string(),
                to_db(at),
            )?;
            Ok(())
        })
    }

    /// Votes an article helpful or not. A signed-in caller has one vote, an anonymous reader one
    /// per address (`anonymous_address`; stored only as a keyed hash); voting again changes it.
    pub fn vote_kb_article(
        &self,
        actor: Option<&Principal>,
        id: i64,
        helpful: bool,
        anonymous_address: Option<&str>,
    ) -> ServiceResult<KbVotes> {
        let at = self.now();
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        let voter = anonymous_address.map(|address| self.anonymous_voter(id, address));
        conn.write_transaction(|conn| {
            visible(conn, &reader, id)?;
            let (plus, minus) = (i64::from(helpful), i64::from(!helpful));
            // One vote per signed-in user, or per address and article for anonymous readers;
            // voting again changes the vote. (An unknown address counts as it comes.)
            let previous = if let Some(p) = reader.principal() {
                let previous = extras::vote_of(conn, id, p.user_id)?;
                extras::set_vote(conn, id, p.user_id, helpful, to_db(at))?;
                previous
            } else if let Some(voter) = &voter {
                let previous = extras::anonymous_vote_of(conn, id, voter)?;
                extras::set_anonymous_vote(conn, id, voter, helpful, to_db(at))?;
                previous
            } else {
                None
            };
            let row = match previous {
                Some(before) if before == helpful => articles::add_votes(conn, id, 0, 0)?,
                Some(_) => articles::add_votes(conn, id, plus - minus, minus - plus)?,
                None => articles::add_votes(conn, id, plus, minus)?,
            };
            Ok(KbVotes {
                helpful: row.helpful_count,
                not_helpful: row.not_helpful_count,
                mine: reader.principal().map(|_| helpful),
            })
        })
    }

    /// The key an anonymous reader's votes on `article_id` are stored under: an HMAC-like hash of
    /// the address with a key derived from the installation's secret, so the table holds no
    /// addresses and one reader's keys differ between articles.
    fn anonymous_voter(&self, article_id: i64, address: &str) -> String {
        crate::crypto::token_hash(&format!("{}:{article_id}:{address}", self.voter_key()))
    }
}
