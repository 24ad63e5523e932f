//! The inbound entry points: store the raw message first (its own short transaction), then
//! process it; whatever fails after the message is stored quarantines it with the reason.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::Duration;
use sha2::{Digest, Sha256};
use vakt_domain::Principal;
use vakt_persistence::repo::mail_messages::{
    self, MailMessageRow, NewMailMessage, Outcome as Finish,
};
use vakt_persistence::repo::tickets;
use vakt_persistence::time::to_db;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;

/// RT's two ways of mailing a queue: correspondence (customer-visible) or comment (internal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailAction {
    /// A customer-visible article (or a new ticket).
    #[default]
    Correspond,
    /// An internal article.
    Comment,
}

impl MailAction {
    /// Stored/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correspond => "correspond",
            Self::Comment => "comment",
        }
    }

    /// Parses the stored/wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "correspond" => Some(Self::Correspond),
            "comment" => Some(Self::Comment),
            _ => None,
        }
    }
}

/// How the gateway delivers a message.
#[derive(Debug, Clone, Default)]
pub struct InboundOptions {
    /// Queue (name or id) for a new ticket when nothing else routes it.
    pub queue: Option<String>,
    /// Correspond or comment.
    pub action: MailAction,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new ticket.
    Created,
    /// A follow-up article on an existing ticket.
    Appended,
    /// A follow-up to a closed ticket refused by the queue's policy (a notice was sent).
    Rejected,
    /// Recorded and deliberately not turned into an article (filter, loop).
    Ignored,
    /// Processing failed; the message waits in the quarantine.
    Quarantined,
}

impl Outcome {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Appended => "appended",
            Self::Rejected => "rejected",
            Self::Ignored => "ignored",
            Self::Quarantined => "quarantined",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        [
            Self::Created,
            Self::Appended,
            Self::Rejected,
            Self::Ignored,
            Self::Quarantined,
        ]
        .into_iter()
        .find(|o| o.as_str() == value)
    }
}

/// The result of ingesting one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestResult {
    /// The stored message (see the quarantine API).
    pub mail_id: i64,
    /// What became of it.
    pub outcome: Outcome,
    /// The same bytes had arrived before; this is what became of them then.
    pub duplicate: bool,
    /// The ticket.
    pub ticket_id: Option<i64>,
    /// Its number.
    pub ticket_number: Option<String>,
    /// The article made from the message.
    pub article_id: Option<i64>,
    /// Why it was quarantined, ignored or rejected.
    pub reason: Option<String>,
}

/// Where a message came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    /// `POST /api/v1/mail/inbound`.
    Gateway,
    /// A polled account.
    Account(i64),
}

/// Processing attempts after which a temporarily failing message is left to administrators.
pub(crate) const MAX_AUTOMATIC_ATTEMPTS: i32 = 5;

impl Services {
    /// Ingests one raw message posted by the mail gateway (administrators; the HTTP layer also
    /// admits their `mail_gateway` tokens here and nowhere else).
    pub fn ingest_inbound(
        &self,
        actor: &Principal,
        raw: &[u8],
        options: &InboundOptions,
    ) -> ServiceResult<IngestResult> {
        require_admin(actor)?;
        if let Some(queue) = &options.queue {
            self.requested_queue(queue)?;
        }
        if raw.len() > self.config().mail.max_message_bytes {
            return Err(ServiceError::invalid(
                "body",
                "too_large",
                format!(
                    "must be at most {} bytes",
                    self.config().mail.max_message_bytes
                ),
            ));
        }
        self.ingest(raw, Source::Gateway, options)
    }

    /// Stores (or finds again) and processes a message.
    pub(crate) fn ingest(
        &self,
        raw: &[u8],
        source: Source,
        options: &InboundOptions,
    ) -> ServiceResult<IngestResult> {
        let row = self.store_raw(raw, source, options)?;
        match row.status.as_str() {
            "pending" | "quarantined" => self.process_stored(row.id),
            _ => with_number(self, result_of(&row, true)),
        }
    }

    /// Stores the raw message in its own transaction, unless the same bytes from the same
    /// source are stored already (a retried delivery, a message fetched again after a crash):
    /// then that row is returned.
    fn store_raw(
        &self,
        raw: &[u8],
        source: Source,
        options: &InboundOptions,
    ) -> ServiceResult<MailMessageRow> {
        let sha = hex::encode(Sha256::digest(raw));
        let (source_name, account_id) = match source {
            Source::Gateway => ("gateway", None),
            Source::Account(id) => ("account", Some(id)),
        };
        let now = self.now();
        let mut conn = self.conn()?;
        if let Some(seen) = mail_messages::find_same(&mut conn, &sha, source_name, account_id)? {
            return Ok(seen);
        }
        let id = conn.write_transaction(|conn| {
            // Every path that answers the sender ends in a synchronous commit (the processing
            // or the quarantine), which flushes this insert too; no need to wait here.
            conn.defer_flush()?;
            mail_messages::insert(
                conn,
                &NewMailMessage {
                    source: source_name,
                    account_id,
                    status: "pending",
                    requested_queue: options.queue.as_deref(),
                    action: options.action.as_str(),
                    sha256: &sha,
                    size: i64::try_from(raw.len()).unwrap_or(i64::MAX),
                    message_id: None,
                    sender: None,
                    subject: None,
                    received_at: to_db(now),
                },
                raw,
            )
        })?;
        mail_messages::find(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))
    }

    /// Processes a stored `pending` or `quarantined` message. Failures quarantine it (with a
    /// retry time when they look temporary); only when even that cannot be written does this
    /// return an error — the message then stays `pending` and is picked up again later.
    pub(crate) fn process_stored(&self, id: i64) -> ServiceResult<IngestResult> {
        let mut conn = self.conn()?;
        let row =
            mail_messages::find(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))?;
        let raw =
            mail_messages::raw(&mut conn, id)?.ok_or(ServiceError::NotFound("mail message"))?;
        drop(conn);
        let parsed = catch_unwind(AssertUnwindSafe(|| vakt_mail::parse(&raw)));
        let (parsed, error) = match parsed {
            Ok(parsed) => {
                let attempt = catch_unwind(AssertUnwindSafe(|| self.route(&row, &parsed)));
                match attempt {
                    Ok(Ok(result)) => return with_number(self, result),
                    Ok(Err(error)) => (Some(parsed), error),
                    Err(_) => (
                        Some(parsed),
                        ServiceError::Internal("processing panicked".into()),
                    ),
                }
            }
            Err(_) => (None, ServiceError::Internal("the parser panicked".into())),
        };
        let temporary = matches!(error, ServiceError::Unavailable(_));
        let reason = match &error {
            ServiceError::Validation(fields) => format!("invalid message: {fields}"),
            other => other.to_string(),
        };
        log::warn!("mail message {id} quarantined: {reason}");
        let meta = parsed.as_ref().map(Meta::of).unwrap_or_default();
        let now = self.now();
        let attempts = row.attempts + 1;
        let retry_at = (temporary && attempts < MAX_AUTOMATIC_ATTEMPTS)
            .then(|| to_db(now + Duration::minutes(1i64 << attempts.clamp(0, 10))));
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            mail_messages::count_attempt(conn, id)?;
            mail_messages::finish(
                conn,
                id,
                &Finish {
                    status: "quarantined",
                    reason: Some(&reason),
                    ticket_id: None,
                    article_id: None,
                    outcome: Some(Outcome::Quarantined.as_str()),
                    retry_at,
                    processed_at: Some(to_db(now)),
                    message_id: meta.message_id.as_deref(),
                    sender: meta.sender.as_deref(),
                    subject: meta.subject.as_deref(),
                },
            )
        })?;
        Ok(IngestResult {
            mail_id: id,
            outcome: Outcome::Quarantined,
            duplicate: false,
            ticket_id: None,
            ticket_number: None,
            article_id: None,
            reason: Some(reason),
        })
    }

    /// Resolves a requested queue (id or name) to an active queue's id.
    pub(crate) fn requested_queue(&self, key: &str) -> ServiceResult<i64> {
        let mut conn = self.conn()?;
        let queues = vakt_persistence::repo::queues::list(&mut conn)?;
        let key = key.trim();
        queues
            .iter()
            .filter(|q| q.active)
            .find(|q| {
                key.parse::<i64>().is_ok_and(|id| id == q.id) || q.name.eq_ignore_ascii_case(key)
            })
            .map(|q| q.id)
            .ok_or_else(|| ServiceError::invalid("queue", "not_found", "no such active queue"))
    }
}

/// The result recorded on a message row.
pub(crate) fn result_of(row: &MailMessageRow, duplicate: bool) -> IngestResult {
    IngestResult {
        mail_id: row.id,
        outcome: row.outcome.as_deref().and_then(Outcome::parse).unwrap_or(
            match row.status.as_str() {
                "processed" => Outcome::Appended,
                "ignored" => Outcome::Ignored,
                _ => Outcome::Quarantined,
            },
        ),
        duplicate,
        ticket_id: row.ticket_id,
        ticket_number: None,
        article_id: row.article_id,
        reason: row.reason.clone(),
    }
}

/// Fills in the ticket number of a result.
pub(crate) fn with_number(
    services: &Services,
    mut result: IngestResult,
) -> ServiceResult<IngestResult> {
    if let (Some(id), None) = (result.ticket_id, &result.ticket_number) {
        let mut conn = services.conn()?;
        result.ticket_number = tickets::find(&mut conn, id)?.map(|t| t.number);
    }
    Ok(result)
}

/// What the message rows show of a message: Message-ID, sender, subject (shortened).
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    pub(crate) message_id: Option<String>,
    pub(crate) sender: Option<String>,
    pub(crate) subject: Option<String>,
}

fn shorten(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl Meta {
    pub(crate) fn of(parsed: &vakt_mail::ParsedMessage) -> Meta {
        Meta {
            message_id: parsed.message_id.as_deref().map(|m| shorten(m, 998)),
            sender: parsed.from.as_ref().map(|a| shorten(&a.address, 320)),
            subject: parsed.subject.as_deref().map(|s| shorten(s, 500)),
        }
    }
}
