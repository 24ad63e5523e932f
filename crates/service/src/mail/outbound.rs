//! The outbox: a customer-visible email article gets a delivery row and a `send_mail` job in
//! the transaction that creates it; the job composes the message (queue address, threading
//! headers, ticket tag, salutation and signature, attachments) and sends it through the
//! configured transport. Temporary failures are retried with backoff by the job system;
//! permanent ones (or running out of attempts) mark the delivery `failed` for the agent to see.

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::ticket::SenderType;
use vakt_mail::{Address, AutoSubmitted, ComposedMessage, OutgoingAttachment, OutgoingMessage};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::mail_outbox::{self, DeliveryRow};
use vakt_persistence::repo::{articles, tickets, users};
use vakt_persistence::time::{from_db, to_db};

use super::addresses::parse_list;
use super::settings;
use super::templates::{self, Vars};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{self, JobSpec};

/// The job kind that sends one article.
pub(crate) const SEND_MAIL: &str = "send_mail";

/// What an outbound article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    /// An agent's reply (or an agent-created email ticket).
    Reply,
    /// The automatic answer to a new ticket.
    AutoReply,
    /// The notice that a follow-up to a closed ticket was rejected.
    Reject,
}

impl DeliveryKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Reply => "reply",
            Self::AutoReply => "auto_reply",
            Self::Reject => "reject",
        }
    }
}

/// The delivery state of an outbound article, as the article API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `reply`, `auto_reply` or `reject`.
    pub kind: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    /// Send attempts so far.
    pub attempts: i32,
    /// The last failure (also while retrying).
    pub last_error: Option<String>,
    /// Sent at.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for Delivery {
    fn from(row: DeliveryRow) -> Self {
        Delivery {
            kind: row.kind,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            sent_at: row.sent_at.map(from_db),
        }
    }
}

/// Queues an article for sending (inside the caller's transaction).
pub(crate) fn queue_outbound(
    conn: &mut DbConnection,
    article_id: i64,
    kind: DeliveryKind,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    mail_outbox::queue_delivery(conn, article_id, kind.as_str(), to_db(now))?;
    // The job system's own limit is a backstop; the handler decides when to give up.
    let spec = JobSpec {
        max_attempts: 100,
        ..JobSpec::new(SEND_MAIL, json!({ "article_id": article_id }))
    };
    jobs::enqueue(conn, &spec, now)?;
    Ok(())
}

/// The deliveries of the given articles, by article id.
pub(crate) fn deliveries(
    conn: &mut DbConnection,
    article_ids: &[i64],
) -> ServiceResult<std::collections::HashMap<i64, Delivery>> {
    Ok(mail_outbox::deliveries_of(conn, article_ids)?
        .into_iter()
        .map(|row| (row.article_id, Delivery::from(row)))
        .collect())
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", html_escape(text).replace('\n', "<br>"))
}

/// The sender of a queue's mail: its sender name (default: the queue's name) and its address
/// (default: `VAKT_MAIL_FROM`).
pub(crate) fn queue_sender(
    cfg: &super::MailConfig,
    queue: &vakt_persistence::repo::queues::QueueRow,
    settings: &settings::QueueMailSettings,
) -> Address {
    Address {
        name: Some(
            settings
                .sender_name
                .clone()
                .unwrap_or_else(|| queue.name.clone()),
        ),
        address: queue
            .email_address
            .clone()
            .unwrap_or_else(|| cfg.default_sender.clone()),
    }
}

/// Hands a composed message to the configured transport (on the worker's runtime).
pub(crate) fn deliver(
    runtime: &tokio::runtime::Runtime,
    transport: &vakt_mail::TransportConfig,
    composed: &ComposedMessage,
) -> Result<(), vakt_mail::MailError> {
    runtime.block_on(async {
        let transport = vakt_mail::Transport::new(transport)?;
        transport.send(&composed.envelope, &composed.bytes).await
    })
}

/// A composed message ready for the transport.
pub(crate) struct Prepared {
    pub(crate) composed: ComposedMessage,
    pub(crate) attempts: i32,
}

impl Services {
    /// Composes article `article_id` for sending; `None` when it is sent already or gone.
    /// Gives the article its Message-ID (kept for every retry) and In-Reply-To on first use.
    pub(crate) fn prepare_outbound(&self, article_id: i64) -> ServiceResult<Option<Prepared>> {
        let cfg = &self.config().mail;
        let mut conn = self.conn()?;
        let Some(delivery) = mail_outbox::delivery(&mut conn, article_id)? else {
            return Ok(None);
        };
        if delivery.status == "sent" {
            return Ok(None);
        }
        let Some(article) = articles::find(&mut conn, article_id)? else {
            return Ok(None);
        };
        let ticket =
            tickets::find(&mut conn, article.ticket_id)?.ok_or(ServiceError::NotFound("ticket"))?;
        let queue = vakt_persistence::repo::queues::find(&mut conn, ticket.queue_id)?
            .ok_or(ServiceError::NotFound("queue"))?;
        let queue_settings = settings::load(&mut conn, queue.id)?;
        let body = articles::list_for_ticket(&mut conn, ticket.id, true, Some(article_id - 1), 1)?
            .pop()
            .map(|(_, body)| body)
            .ok_or(ServiceError::NotFound("article"))?;
        let thread = mail_outbox::thread_ids(&mut conn, ticket.id, article_id)?;
        let in_reply_to = thread
            .iter()
            .rev()
            .find(|(_, sender, _)| sender == SenderType::Customer.as_str())
            .or(thread.last())
            .map(|(_, _, id)| id.clone());
        let references: Vec<String> = thread
            .iter()
            .rev()
            .take(20)
            .rev()
            .map(|(_, _, id)| id.clone())
            .collect();
        let message_id = match &article.message_id {
            Some(id) => id.clone(),
            None => {
                let id =
                    vakt_mail::normalize_message_id(&vakt_mail::generate_message_id(&cfg.domain))
                        .ok_or_else(|| {
                        ServiceError::Internal("generated an empty Message-ID".into())
                    })?;
                mail_outbox::set_message_id(&mut conn, article_id, &id, in_reply_to.as_deref())?;
                id
            }
        };
        let customer = match ticket.customer_id {
            Some(id) => users::find(&mut conn, id)?,
            None => None,
        };
        let agent = match article.author_id {
            Some(id) => users::find(&mut conn, id)?,
            None => None,
        };
        let deadline = templates::deadline_text(ticket.escalation_at);
        let vars = Vars {
            ticket_number: &ticket.number,
            ticket_title: &ticket.title,
            customer_name: customer.as_ref().map_or("", |c| c.name.as_str()),
            customer_email: customer.as_ref().map_or("", |c| c.email.as_str()),
            queue: &queue.name,
            subject: &article.subject,
            agent_name: agent.as_ref().map_or("", |a| a.name.as_str()),
            agent_email: agent.as_ref().map_or("", |a| a.email.as_str()),
            sla_deadline: &deadline,
        };
        let (mut text, mut html) = (body.body_text.clone(), body.body_html.clone());
        if delivery.kind == DeliveryKind::Reply.as_str() {
            if let Some(salutation) = &queue_settings.salutation {
                let rendered = templates::render(salutation, &vars);
                text = format!("{rendered}\n\n{text}");
                html = html.map(|h| format!("{}{h}", paragraph(&rendered)));
            }
            if let Some(signature) = &queue_settings.signature {
                let rendered = templates::render(signature, &vars);
                text = format!("{text}\n\n-- \n{rendered}");
                html = html.map(|h| format!("{h}{}", paragraph(&format!("-- \n{rendered}"))));
            }
        }
        let mut attachments = Vec::new();
        for row in articles::attachments_of(&mut conn, &[article_id])? {
            attachments.push(OutgoingAttachment {
                data: articles::blob_data(&mut conn, row.blob_id)?,
                filename: row.filename,
                content_type: row.content_type,
                content_id: row.content_id.filter(|_| row.inline),
            });
        }
        let to = parse_list(article.to_addresses.as_deref().unwrap_or_default());
        let cc = parse_list(article.cc_addresses.as_deref().unwrap_or_default());
        if to.is_empty() && cc.is_empty() {
            return Err(ServiceError::invalid(
                "to",
                "required",
                "the article has no recipient address",
            ));
        }
        let from = queue_sender(cfg, &queue, &queue_settings);
        let automatic = delivery.kind != DeliveryKind::Reply.as_str();
        let message = OutgoingMessage {
            from,
            to,
            cc,
            subject: vakt_mail::reply_subject(&article.subject, &cfg.ticket_tag, &ticket.number),
            text,
            html,
            attachments,
            message_id: Some(message_id),
            in_reply_to: article.in_reply_to.clone().or(in_reply_to),
            references,
            auto_submitted: automatic.then_some(AutoSubmitted::AutoReplied),
            extra_headers: vec![("X-Loop".into(), cfg.default_sender.clone())],
            ..OutgoingMessage::default()
        };
        let composed = vakt_mail::compose(&message, &cfg.domain)
            .map_err(|e| ServiceError::invalid("message", "invalid", e.to_string()))?;
        Ok(Some(Prepared {
            composed,
            attempts: delivery.attempts,
        }))
    }

    /// Records a send attempt's result on the article's delivery.
    pub(crate) fn record_delivery(
        &self,
        article_id: i64,
        status: &str,
        error: Option<&str>,
    ) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        mail_outbox::record_attempt(&mut conn, article_id, status, error, to_db(now))?;
        Ok(())
    }
}
