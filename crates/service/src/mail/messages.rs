//! Received messages for administrators: list (by status: the quarantine is
//! `status=quarantined`), inspect, download raw, retry, delete.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_persistence::repo::mail_messages::{self, MailMessageRow};
use vakt_persistence::time::{from_db, to_db};

use super::ingest::{IngestResult, with_number};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::require_admin;

/// The states of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailMessageStatus {
    /// Stored, not processed yet (or its processor died; retried automatically).
    Pending,
    /// Became a ticket or article.
    Processed,
    /// Could not be processed; waits for an administrator (or an automatic retry).
    Quarantined,
    /// Deliberately not made into an article (filter, loop, rejected follow-up).
    Ignored,
    /// Deleted by an administrator (the bytes are gone, the record stays).
    Deleted,
}

impl MailMessageStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processed => "processed",
            Self::Quarantined => "quarantined",
            Self::Ignored => "ignored",
            Self::Deleted => "deleted",
        }
    }

    /// Parses the wire name.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Processed,
            Self::Quarantined,
            Self::Ignored,
            Self::Deleted,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// A received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    /// Id.
    pub id: i64,
    /// `gateway` or `account`.
    pub source: String,
    /// The account it was fetched from.
    pub account_id: Option<i64>,
    /// Status.
    pub status: String,
    /// Why it was quarantined or ignored.
    pub reason: Option<String>,
    /// What became of it (`created`, `appended`, `rejected`, `ignored`, `quarantined`).
    pub outcome: Option<String>,
    /// The queue the gateway asked for.
    pub requested_queue: Option<String>,
    /// `correspond` or `comment`.
    pub action: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Message-ID.
    pub message_id: Option<String>,
    /// From.
    pub sender: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// The ticket it went to.
    pub ticket_id: Option<i64>,
    /// The article it became.
    pub article_id: Option<i64>,
    /// Processing attempts.
    pub attempts: i32,
    /// Next automatic retry.
    pub retry_at: Option<DateTime<Utc>>,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// Processed at.
    pub processed_at: Option<DateTime<Utc>>,
}

impl From<MailMessageRow> for MailMessage {
    fn from(r: MailMessageRow) -> Self {
        MailMessage {
            id: r.id,
            source: r.source,
            account_id: r.account_id,
            status: r.status,
            reason: r.reason,
            outcome: r.outcome,
            requested_queue: r.requested_queue,
            action: r.action,
            size: r.size,
            sha256: r.sha256,
            message_id: r.message_id,
            sender: r.sender,
            subject: r.subject,
            ticket_id: r.ticket_id,
            article_id: r.article_id,
            attempts: r.attempts,
            retry_at: r.retry_at.map(from_db),
            received_at: from_db(r.received_at),
            processed_at: r.processed_at.map(from_db),
        }
    }
}

fn not_quarantined(row: &MailMessageRow, what: &str) -> ServiceError {
    ServiceError::Conflict {
        code: "not_quarantined",
        detail: format!(
            "only quarantined messages can be {what}; this one is {}",
            row.status
        ),
    }
}

impl Services {
    /// Received messages, newest first, optionally of one status (administrators).
    pub fn list_mail_messages(
        &self,
        actor: &Principal,
        status: Option<MailMessageStatus>,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<MailMessage>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        let rows = mail_messages::list(
            &mut conn,
            status.map(|s| s.as_str()),
            page.after,
            page.fetch_limit(),
        )?;
        Ok(page.page(rows, |r| r.id).map(MailMessage::from))
    }

    /// One received message (administrators).
    pub fn get_mail_message(&self, actor: &Principal, id: i64) -> ServiceResult<MailMessage> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        mail_messages::find(&mut conn, id)?
            .map(Into::into)
            .ok_or(ServiceError::NotFound("mail message"))
    }

    /// The raw bytes of a received message (administrators).
    pub fn mail_message_raw(&self, actor: &Principal, id: i64) -> ServiceResult<Vec<u8>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        mail_messages::raw(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))
    }

    /// Processes a quarantined (or stalled pending) message again (administrators).
    pub fn retry_mail_message(&self, actor: &Principal, id: i64) -> ServiceResult<IngestResult> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        let row =
            mail_messages::find(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))?;
        if !["quarantined", "pending"].contains(&row.status.as_str()) {
            return Err(not_quarantined(&row, "retried"));
        }
        drop(conn);
        log::info!("user {} retries mail message {id}", actor.user_id);
        let result = self.process_stored(id)?;
        with_number(self, result)
    }

    /// Deletes a quarantined or ignored message's bytes; its record stays as `deleted`.
    pub fn delete_mail_message(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row =
            mail_messages::find(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))?;
        let reason = format!("deleted by user {}", actor.user_id);
        let deleted =
            conn.write_transaction(|conn| mail_messages::delete(conn, id, &reason, to_db(now)))?;
        if !deleted {
            return Err(not_quarantined(&row, "deleted"));
        }
        log::info!("user {} deleted mail message {id}", actor.user_id);
        Ok(())
    }
}
