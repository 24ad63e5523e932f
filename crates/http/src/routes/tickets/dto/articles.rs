//! Wire types of articles and attachments: new articles (JSON or multipart), attachments sent
//! as base64 or files, and articles as read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::tickets::{Article, AttachmentMeta, NewAttachment};
use validator::Validate;

use super::{ArticleKindDto, ChannelDto, PersonDto, SenderTypeDto, TicketResponse};
use crate::extract::{NamedPart, UploadedFile};

/// An attachment sent inside a JSON body (small files; use multipart for large ones).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Base64Attachment {
    /// File name.
    #[validate(length(min = 1, max = 255))]
    pub filename: String,
    /// Media type.
    #[validate(length(max = 255))]
    pub content_type: Option<String>,
    /// The content, base64-encoded.
    pub content_base64: String,
    /// Content-ID of an inline image.
    #[validate(length(max = 255))]
    pub content_id: Option<String>,
    /// Shown inline.
    #[serde(default)]
    pub inline: bool,
}

/// The first article of a new ticket.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstArticleRequest {
    /// `reply` (customer-visible, the default) or `note` (internal).
    pub kind: Option<ArticleKindDto>,
    /// Channel (agents; default `phone`; customers always `web`).
    pub channel: Option<ChannelDto>,
    /// Sender type (agents; default `customer` for phone tickets, else `agent`).
    pub sender_type: Option<SenderTypeDto>,
    /// Subject (default: the title).
    #[validate(length(max = 500))]
    pub subject: Option<String>,
    /// Plain-text body.
    #[serde(default)]
    pub body: String,
    /// HTML body; sanitised before it is stored.
    pub body_html: Option<String>,
    /// To.
    #[validate(length(max = 2000))]
    pub to: Option<String>,
    /// Cc.
    #[validate(length(max = 2000))]
    pub cc: Option<String>,
    /// Minutes of work (agents).
    pub time_accounted_minutes: Option<i64>,
    /// Small attachments as base64 (or send multipart `attachments` files).
    #[validate(nested)]
    pub attachments: Option<Vec<Base64Attachment>>,
    /// Article custom field values by key (errors point at `article.custom_fields.<key>`).
    #[serde(default)]
    pub custom_fields: crate::routes::custom_fields::dto::CustomFieldInputMap,
}

/// A new article.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "note", "body": "Checked the toner; ordered a new drum.", "time_accounted_minutes": 10}))]
pub struct CreateArticleRequest {
    /// `reply` (customer-visible; agents need `rw`) or `note` (internal; agents need `note`).
    pub kind: ArticleKindDto,
    /// Channel (agents; default `email` for replies, `note` for notes).
    pub channel: Option<ChannelDto>,
    /// Sender type (agents recording a customer's words); default: the caller's.
    pub sender_type: Option<SenderTypeDto>,
    /// Subject (default `Re: <title>`).
    #[validate(length(max = 500))]
    pub subject: Option<String>,
    /// Plain-text body.
    #[serde(default)]
    pub body: String,
    /// HTML body; sanitised before it is stored.
    pub body_html: Option<String>,
    /// To (default for replies: the customer).
    #[validate(length(max = 2000))]
    pub to: Option<String>,
    /// Cc.
    #[validate(length(max = 2000))]
    pub cc: Option<String>,
    /// Minutes of work (agents).
    pub time_accounted_minutes: Option<i64>,
    /// Small attachments as base64 (or send multipart `attachments` files).
    #[validate(nested)]
    pub attachments: Option<Vec<Base64Attachment>>,
    /// Change the state in the same step (agents, `rw`).
    pub state_id: Option<i64>,
    /// Pending time for a pending state.
    pub pending_until: Option<DateTime<Utc>>,
    /// Article custom field values by key; required article fields that apply must be given
    /// (customers: those they may edit).
    #[serde(default)]
    pub custom_fields: crate::routes::custom_fields::dto::CustomFieldInputMap,
}

impl NamedPart for CreateArticleRequest {
    const PART: &'static str = "article";
}

/// Multipart form of `POST /tickets/{ticket}/articles`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct CreateArticleMultipart {
    /// The `CreateArticleRequest` as JSON.
    pub article: CreateArticleRequest,
    /// Files.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub attachments: Vec<Vec<u8>>,
}

/// Decodes base64 attachments and appends uploaded files.
pub fn attachments(
    base64: Option<Vec<Base64Attachment>>,
    files: Vec<UploadedFile>,
    field: &str,
) -> Result<Vec<NewAttachment>, FieldErrors> {
    let mut out = Vec::new();
    let mut errors = FieldErrors::new();
    for (i, a) in base64.unwrap_or_default().into_iter().enumerate() {
        match STANDARD.decode(a.content_base64.trim()) {
            Ok(data) => out.push(NewAttachment {
                filename: a.filename,
                content_type: a
                    .content_type
                    .unwrap_or_else(|| "application/octet-stream".into()),
                data,
                content_id: a.content_id,
                inline: a.inline,
            }),
            Err(_) => errors.add(
                format!("{field}[{i}].content_base64"),
                ValidationError::new("invalid_base64", "is not valid base64"),
            ),
        }
    }
    out.extend(files.into_iter().map(|f| NewAttachment {
        filename: f.filename,
        content_type: f.content_type,
        data: f.data,
        content_id: None,
        inline: false,
    }));
    errors.into_result().map(|()| out)
}

/// Attachment metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    /// Id.
    pub id: i64,
    /// File name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Content-ID of an inline image.
    pub content_id: Option<String>,
    /// Shown inline.
    pub inline: bool,
}

impl From<AttachmentMeta> for AttachmentDto {
    fn from(a: AttachmentMeta) -> Self {
        Self {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            content_id: a.content_id,
            inline: a.inline,
        }
    }
}

/// An article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleResponse {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Who wrote it.
    pub sender_type: SenderTypeDto,
    /// How it came or went.
    pub channel: ChannelDto,
    /// Visible to the customer.
    pub customer_visible: bool,
    /// The user who wrote it.
    pub author: Option<PersonDto>,
    /// From.
    pub from: Option<String>,
    /// To.
    pub to: Option<String>,
    /// Cc.
    pub cc: Option<String>,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Sanitised HTML (remote images are in `data-vakt-remote-src`, not `src`).
    pub body_html: Option<String>,
    /// Message-ID (email).
    pub message_id: Option<String>,
    /// In-Reply-To (email).
    pub in_reply_to: Option<String>,
    /// Minutes of work (absent for customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_accounted_minutes: Option<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Attachments.
    pub attachments: Vec<AttachmentDto>,
    /// Outbound email: whether the mail was sent (absent for articles that are not sent).
    pub delivery: Option<crate::routes::mail::DeliveryDto>,
    /// Article custom field values by key (customers: the fields they may see).
    pub custom_fields: crate::routes::custom_fields::dto::CustomFieldMap,
}

impl From<Article> for ArticleResponse {
    fn from(a: Article) -> Self {
        Self {
            id: a.id,
            ticket_id: a.ticket_id,
            sender_type: a.sender_type.into(),
            channel: a.channel.into(),
            customer_visible: a.customer_visible,
            author: a.author.map(Into::into),
            from: a.from,
            to: a.to,
            cc: a.cc,
            subject: a.subject,
            body: a.body,
            body_html: a.body_html,
            message_id: a.message_id,
            in_reply_to: a.in_reply_to,
            time_accounted_minutes: a.time_accounted_minutes,
            created_at: a.created_at,
            attachments: a.attachments.into_iter().map(Into::into).collect(),
            delivery: a.delivery.map(Into::into),
            custom_fields: crate::routes::custom_fields::dto::to_wire(a.custom_fields),
        }
    }
}

/// A new article and the ticket after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCreatedResponse {
    /// The article.
    pub article: ArticleResponse,
    /// The ticket, as changed by it.
    pub ticket: TicketResponse,
}

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    /// This page (oldest first).
    pub items: Vec<ArticleResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}
