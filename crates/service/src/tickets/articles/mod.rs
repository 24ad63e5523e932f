//! Articles: replies (customer-visible) and internal notes, their bodies (HTML sanitised on the
//! way in) and attachments (stored once per SHA-256).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use vakt_domain::rights::Right;
use vakt_domain::ticket::{Channel, HistoryKind, SenderType};
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::articles::{
    self, NewArticle as ArticleRow, NewAttachment as AttachmentInsert,
};
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, search};

use super::attachments::{
    AttachmentMeta, NewAttachment, attachment_text, clean_content_type, clean_filename, meta,
};
use super::update::{Plan, is_finished};
use super::view::{self, PersonRef, Ticket};
use super::{check_version, require, visible};
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::reference::Reference;
use crate::{Services, access};

mod load;
use load::load;

/// Longest plain-text body, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest HTML body, in bytes.
pub const MAX_HTML_BYTES: usize = 5 * 1024 * 1024;
/// Most attachments on one article.
pub const MAX_ATTACHMENTS: usize = 100;

/// Reply to the customer, or internal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleKind {
    /// Customer-visible (RT "correspond"); agents need `rw`.
    Reply,
    /// Internal (RT "comment"); agents need `note`; never shown to customers.
    Note,
}

/// A new article.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// Reply or note (customers always reply).
    pub kind: ArticleKind,
    /// Channel; defaults: agents' replies `email`, notes `note`, customers `web`.
    pub channel: Option<Channel>,
    /// Sender type override for agents recording what a customer said (`customer` on a phone
    /// ticket); defaults to the caller's kind.
    pub sender_type: Option<SenderType>,
    /// Subject (default: `Re: <title>` for replies, the title for notes).
    pub subject: Option<String>,
    /// Plain-text body (rendered from the HTML when empty).
    pub body: String,
    /// HTML body; sanitised before it is stored.
    pub body_html: Option<String>,
    /// To (default for replies: the customer's email).
    pub to: Option<String>,
    /// Cc.
    pub cc: Option<String>,
    /// Minutes of work to record (agents).
    pub time_accounted_minutes: Option<i64>,
    /// Attachments.
    pub attachments: Vec<NewAttachment>,
    /// Change the state in the same step (agents, needs `rw`).
    pub state_id: Option<i64>,
    /// Pending time for a pending state.
    pub pending_until: Option<DateTime<Utc>>,
    /// `If-Match` version.
    pub expected_version: Option<i64>,
    /// Article custom field values (customers: the fields they may edit).
    pub custom_fields: crate::custom_fields::FieldValues,
}

impl Default for NewArticle {
    fn default() -> Self {
        NewArticle {
            kind: ArticleKind::Note,
            channel: None,
            sender_type: None,
            subject: None,
            body: String::new(),
            body_html: None,
            to: None,
            cc: None,
            time_accounted_minutes: None,
            attachments: Vec::new(),
            state_id: None,
            pending_until: None,
            expected_version: None,
            custom_fields: crate::custom_fields::FieldValues::new(),
        }
    }
}

/// An article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Who wrote it.
    pub sender_type: SenderType,
    /// How it came or went.
    pub channel: Channel,
    /// Visible to the customer.
    pub customer_visible: bool,
    /// The user who wrote it.
    pub author: Option<PersonRef>,
    /// From.
    pub from: Option<String>,
    /// To.
    pub to: Option<String>,
    /// Cc.
    pub cc: Option<String>,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Sanitised HTML.
    pub body_html: Option<String>,
    /// Message-ID (email).
    pub message_id: Option<String>,
    /// In-Reply-To (email).
    pub in_reply_to: Option<String>,
    /// Minutes recorded (agents only).
    pub time_accounted_minutes: Option<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Attachments.
    pub attachments: Vec<AttachmentMeta>,
    /// Outbound email articles: whether the mail was sent.
    pub delivery: Option<crate::mail::Delivery>,
    /// Custom field values by key (customers: only the fields they may see).
    pub custom_fields: crate::custom_fields::FieldValues,
}

/// An article ready to be stored (sender, channel and visibility decided).
pub(crate) struct ArticleSpec<'a> {
    pub(crate) sender_type: SenderType,
    pub(crate) channel: Channel,
    pub(crate) customer_visible: bool,
    pub(crate) author_id: Option<i64>,
    pub(crate) from: Option<&'a str>,
    pub(crate) to: Option<&'a str>,
    pub(crate) cc: Option<&'a str>,
    pub(crate) subject: &'a str,
    pub(crate) body: &'a str,
    pub(crate) body_html: Option<&'a str>,
    pub(crate) message_id: Option<&'a str>,
    pub(crate) in_reply_to: Option<&'a str>,
    pub(crate) minutes: i64,
    pub(crate) attachments: &'a [NewAttachment],
}

/// Checks body sizes, attachment count and sizes, minutes; `prefix` names the field's parent.
pub(crate) fn validate(input: &NewArticle, prefix: &str, max_attachment: usize) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let field = |name: &str| format!("{prefix}{name}");
    if input.body.trim().is_empty()
        && input
            .body_html
            .as_deref()
            .is_none_or(|h| h.trim().is_empty())
    {
        errors.add(
            field("body"),
            ValidationError::new("required", "must not be empty"),
        );
    }
    if input.body.len() > MAX_BODY_BYTES {
        errors.add(
            field("body"),
            ValidationError::new(
                "too_long",
                format!("must be at most {MAX_BODY_BYTES} bytes"),
            ),
        );
    }
    if input
        .body_html
        .as_ref()
        .is_some_and(|h| h.len() > MAX_HTML_BYTES)
    {
        errors.add(
            field("body_html"),
            ValidationError::new(
                "too_long",
                format!("must be at most {MAX_HTML_BYTES} bytes"),
            ),
        );
    }
    if input
        .subject
        .as_ref()
        .is_some_and(|s| s.chars().count() > 500)
    {
        errors.add(
            field("subject"),
            ValidationError::new("too_long", "must be at most 500 characters"),
        );
    }
    if input
        .time_accounted_minutes
        .is_some_and(|m| !(0..=100_000).contains(&m))
    {
        errors.add(
            field("time_accounted_minutes"),
            ValidationError::new("out_of_range", "must be between 0 and 100000"),
        );
    }
    if input.attachments.len() > MAX_ATTACHMENTS {
        errors.add(
            field("attachments"),
            ValidationError::new("too_many", format!("at most {MAX_ATTACHMENTS} attachments")),
        );
    }
    for (i, attachment) in input.attachments.iter().enumerate() {
        if attachment.data.len() > max_attachment {
            errors.add(
                format!("{prefix}attachments[{i}]"),
                ValidationError::new(
                    "too_large",
                    format!("must be at most {max_attachment} bytes"),
                ),
            );
        }
    }
    errors
}

/// The ticket an article is stored on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Onto<'a> {
    /// An existing ticket: the article is added to its search document and its SLA facts.
    Ticket(i64),
    /// A ticket inserted in this transaction (title, number): the article is its first, and
    /// the ticket's search document is written once, with it. The caller then computes the
    /// ticket's SLA with `sla::ticket_created`.
    NewTicket(&'a TicketRow),
}

impl Onto<'_> {
    fn ticket_id(&self) -> i64 {
        match self {
            Onto::Ticket(id) => *id,
            Onto::NewTicket(row) => row.id,
        }
    }
}

/// Stores an article, its body and attachments; returns its id.
pub(crate) fn insert(
    conn: &mut DbConnection,
    onto: Onto<'_>,
    spec: &ArticleSpec<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    let ticket_id = onto.ticket_id();
    let html = spec
        .body_html
        .filter(|h| !h.trim().is_empty())
        .map(|h| vakt_mail::html::sanitize(h).0);
    let text = if spec.body.trim().is_empty() {
        html.as_deref()
            .map(vakt_mail::html::to_text)
            .unwrap_or_default()
    } else {
        spec.body.to_owned()
    };
    let id = articles::insert(
        conn,
        &ArticleRow {
            ticket_id,
            sender_type: spec.sender_type.as_str(),
            channel: spec.channel.as_str(),
            customer_visible: spec.customer_visible,
            author_id: spec.author_id,
            from_address: spec.from,
            to_addresses: spec.to,
            cc_addresses: spec.cc,
            subject: spec.subject,
            message_id: spec.message_id,
            in_reply_to: spec.in_reply_to,
            time_accounted_minutes: spec.minutes,
            attachment_count: i64::try_from(spec.attachments.len()).unwrap_or(i64::MAX),
            created_at: to_db(now),
        },
        &text,
        html.as_deref(),
    )?;
    for attachment in spec.attachments {
        let sha = hex::encode(Sha256::digest(&attachment.data));
        let blob_id = articles::store_blob(conn, &sha, &attachment.data, to_db(now))?;
        articles::insert_attachment(
            conn,
            &AttachmentInsert {
                article_id: id,
                blob_id,
                filename: &clean_filename(&attachment.filename),
                content_type: &clean_content_type(&attachment.content_type),
                size: i64::try_from(attachment.data.len()).unwrap_or(i64::MAX),
                content_id: attachment.content_id.as_deref(),
                inline: attachment.inline,
                created_at: to_db(now),
            },
        )?;
    }
    let mut indexed = text;
    for attachment in spec.attachments {
        indexed.push('\n');
        indexed.push_str(&attachment.filename);
        // `kernel-panic.txt` is one token to PostgreSQL; its parts should be found too.
        indexed.push(' ');
        indexed.extend(
            attachment
                .filename
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' }),
        );
        if let Some(content) = attachment_text(attachment) {
            indexed.push('\n');
            indexed.push_str(&content);
        }
    }
    let indexed = search::ArticleText {
        article_id: id,
        ticket_id,
        customer_visible: spec.customer_visible,
        subject: spec.subject,
        sender: spec.from.unwrap_or_default(),
        text: &indexed,
    };
    match onto {
        Onto::Ticket(_) => {
            search::index_article(conn, &indexed)?;
            crate::sla::article_added(
                conn,
                ticket_id,
                spec.sender_type,
                spec.customer_visible,
                now,
            )?;
        }
        Onto::NewTicket(ticket) => {
            search::index_new_ticket(conn, &ticket.title, &ticket.number, &indexed)?;
        }
    }
    Ok(id)
}

impl Services {
    /// Adds a reply or note. Customers reply to their visible tickets (a reply to a closed
    /// ticket reopens it); agents need `rw` to reply and `note` for notes.
    pub fn add_article(
        &self,
        actor: &Principal,
        key: &str,
        input: NewArticle,
    ) -> ServiceResult<(Article, Ticket)> {
        validate(&input, "", self.config().max_attachment_bytes).into_result()?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            check_version(&row, input.expected_version)?;
            // Writing to a merged ticket writes to the ticket it went into.
            let row = crate::relations::follow_merge(conn, &access, &reference, row)?;
            let customer = access.is_customer();
            if customer {
                if input.kind == ArticleKind::Note {
                    return Err(ServiceError::Forbidden(
                        "customers cannot write internal notes".into(),
                    ));
                }
                if input.state_id.is_some()
                    || input.time_accounted_minutes.is_some()
                    || input.sender_type.is_some()
                {
                    return Err(ServiceError::Forbidden("customers can only reply".into()));
                }
            } else {
                let right = if input.kind == ArticleKind::Reply {
                    Right::Rw
                } else {
                    Right::Note
                };
                require(&access, &reference, &row, right)?;
            }
            let author = users::find(conn, actor.user_id)?.ok_or(ServiceError::NotFound("user"))?;
            let customer_email = match row.customer_id {
                Some(id) => users::find(conn, id)?.map(|u| u.email),
                None => None,
            };
            let (sender, channel, visible_to_customer) = match (customer, input.kind) {
                (true, _) => (SenderType::Customer, Channel::Web, true),
                (false, ArticleKind::Reply) => (
                    input.sender_type.unwrap_or(SenderType::Agent),
                    input.channel.unwrap_or(Channel::Email),
                    true,
                ),
                (false, ArticleKind::Note) => (
                    input.sender_type.unwrap_or(SenderType::Agent),
                    input.channel.unwrap_or(Channel::Note),
                    false,
                ),
            };
            let subject = input.subject.clone().unwrap_or_else(|| match input.kind {
                ArticleKind::Reply => format!("Re: {}", row.title),
                ArticleKind::Note => row.title.clone(),
            });
            let to = match (&input.to, input.kind, customer) {
                (Some(to), _, _) => Some(to.clone()),
                (None, ArticleKind::Reply, false) => customer_email.clone(),
                _ => None,
            };
            let minutes = input.time_accounted_minutes.unwrap_or(0);
            let spec = ArticleSpec {
                sender_type: sender,
                channel,
                customer_visible: visible_to_customer,
                author_id: Some(author.id),
                from: Some(&author.email),
                to: to.as_deref(),
                cc: input.cc.as_deref(),
                subject: &subject,
                body: &input.body,
                body_html: input.body_html.as_deref(),
                message_id: None,
                in_reply_to: None,
                minutes,
                attachments: &input.attachments,
            };
            let article_id = insert(conn, Onto::Ticket(row.id), &spec, now)?;
            // The outbox: the mail exists exactly when the article committed.
            if !customer
                && input.kind == ArticleKind::Reply
                && channel == Channel::Email
                && sender == SenderType::Agent
            {
                crate::mail::queue_outbound(
                    conn,
                    article_id,
                    crate::mail::DeliveryKind::Reply,
                    now,
                )?;
                crate::relations::fan_out_reply(conn, &row, &author, &input, now)?;
            }
            let mut plan = Plan::new(row.clone(), Some(actor.user_id), now);
            plan.changes.article_count = Some(row.article_count + 1);
            super::fields::set_article(
                conn,
                &mut plan,
                customer,
                article_id,
                &input.custom_fields,
            )?;
            plan.record(
                HistoryKind::ArticleAdded,
                None,
                Some(format!(
                    "{} {} ({})",
                    sender.as_str(),
                    channel.as_str(),
                    if visible_to_customer {
                        "customer-visible"
                    } else {
                        "internal"
                    }
                )),
                Some(article_id),
            );
            if minutes > 0 {
                plan.changes.time_accounted_minutes = Some(row.time_accounted_minutes + minutes);
                plan.record(
                    HistoryKind::TimeAccounted,
                    None,
                    Some(minutes.to_string()),
                    Some(article_id),
                );
            }
            if customer && is_finished(&row.state_type) {
                let reopen = reference.reopen_state()?.id;
                plan.set_state(&reference, Some(reopen), None)?;
            } else if input.state_id.is_some() || input.pending_until.is_some() {
                require(&access, &reference, &row, Right::Rw)?;
                plan.set_state(&reference, input.state_id, input.pending_until.map(Some))?;
            }
            let new_type = plan.changes.state_type.clone().filter(|_| !customer);
            crate::relations::check_close(conn, &row, row.queue_id, new_type.as_deref())?;
            let before = row;
            let row = plan.commit(conn)?;
            crate::relations::after_state_change(
                conn,
                &reference,
                Some(actor.user_id),
                &before,
                &row,
                now,
            )?;
            let article = load(conn, row.id, true, Some(article_id - 1), 1)?
                .pop()
                .ok_or_else(|| ServiceError::Internal("the new article vanished".into()))?;
            let article = if customer {
                Article {
                    time_accounted_minutes: None,
                    ..article
                }
            } else {
                article
            };
            Ok((
                article,
                view::build_one(conn, &reference, &access, row, now)?,
            ))
        })
    }

    /// The articles of a ticket the caller may see (customers: customer-visible ones only).
    pub fn list_articles(
        &self,
        actor: &Principal,
        key: &str,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Article>> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = visible(&mut conn, &access, &reference, key, false)?;
        let items = load(
            &mut conn,
            row.id,
            access.sees_internal_articles(),
            page.after,
            page.fetch_limit(),
        )?;
        let page = page.page(items, |a| a.id);
        if page.next_cursor.is_none() {
            // The zoom shows the newest article: the agent has read the ticket.
            crate::relations::mark_read_if_newest(&mut conn, &access, &row, self.now())?;
        }
        Ok(page)
    }
}
