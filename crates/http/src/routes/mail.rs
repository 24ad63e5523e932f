//! Email: the mail gateway's inbound endpoint (`vakt mailgate` posts each message here) and
//! the received messages for administrators — the quarantine is `status=quarantined`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::mail::{
    Delivery, InboundOptions, IngestResult, MailAction, MailMessage, MailMessageStatus,
};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, MailGatewayCaller, ValidQuery};
use crate::{AppState, blocking};

/// The delivery state of an outbound email article.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDto {
    /// `reply`, `auto_reply` or `reject`.
    pub kind: String,
    /// `queued` (waiting or retrying), `sent` or `failed` (permanently; see `last_error`).
    pub status: String,
    /// Send attempts so far.
    pub attempts: i32,
    /// The last failure, also while retrying.
    pub last_error: Option<String>,
    /// Sent at.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for DeliveryDto {
    fn from(d: Delivery) -> Self {
        Self {
            kind: d.kind,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            sent_at: d.sent_at,
        }
    }
}

/// Where the gateway delivers a message.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboundQuery {
    /// Queue (name or id) of a new ticket when neither the thread nor a queue address routes
    /// the message.
    #[validate(length(min = 1, max = 200))]
    pub queue: Option<String>,
    /// `correspond` (default: customer-visible) or `comment` (internal).
    pub action: Option<String>,
}

/// What became of an inbound message.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundResponse {
    /// The stored message (`/api/v1/mail/messages/{id}`).
    pub mail_id: i64,
    /// `created`, `appended`, `rejected` (follow-up to a closed ticket refused), `ignored`
    /// (filter, mail loop) or `quarantined` (kept for an administrator).
    pub outcome: String,
    /// A new ticket was created.
    pub created: bool,
    /// The same bytes had been delivered before; this is what became of them.
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

impl From<IngestResult> for InboundResponse {
    fn from(r: IngestResult) -> Self {
        Self {
            mail_id: r.mail_id,
            outcome: r.outcome.as_str().to_owned(),
            created: r.outcome == vakt_service::mail::Outcome::Created && !r.duplicate,
            duplicate: r.duplicate,
            ticket_id: r.ticket_id,
            ticket_number: r.ticket_number,
            article_id: r.article_id,
            reason: r.reason,
        }
    }
}

async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !["message/rfc822", "application/octet-stream", "text/plain"]
        .contains(&content_type.as_str())
    {
        return Err(ApiError::new(
            "unsupported_media_type",
            "Send the raw message as `message/rfc822` (or `application/octet-stream`).",
        ));
    }
    let too_large = || {
        ApiError::new(
            "payload_too_large",
            format!("The message is larger than {limit} bytes."),
        )
    };
    if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n > limit)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new("bad_request", format!("The body could not be read: {e}"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(ApiError::new(
            "bad_request",
            "The body is empty; send the raw message.",
        ));
    }
    Ok(body)
}

/// Deliver an inbound email (the mail gateway).
///
/// The raw RFC 5322 message is the body (`message/rfc822`). It is stored before anything
/// else; then it becomes a new ticket, a follow-up (ticket tag in the subject, or
/// In-Reply-To/References of a stored article), is ignored (filter, mail loop), rejected
/// (follow-up to a closed ticket whose queue rejects those) or — if processing fails —
/// quarantined. Every 200 means the message is safely stored: only then may the MTA forget
/// it. Needs an administrator's token; a `mail_gateway` token is accepted here and nowhere
/// else.
#[utoipa::path(
    tag = "mail",
    operation_id = "deliver_inbound_mail",
    params(InboundQuery),
    request_body(content = Vec<u8>, content_type = "message/rfc822", description = "The raw message"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored; what became of it", body = InboundResponse),
        (status = 400, description = "Empty body"),
        (status = 403, description = "Not an administrator"),
        (status = 413, description = "Larger than `VAKT_MAX_MAIL_BYTES`"),
        (status = 415, description = "Not `message/rfc822` or `application/octet-stream`"),
        (status = 422, description = "Unknown queue or action"),
        (status = 503, description = "The database is unavailable; deliver again later"),
    )
)]
#[post("/mail/inbound")]
pub async fn deliver_inbound_mail(
    caller: MailGatewayCaller,
    state: web::Data<AppState>,
    query: ValidQuery<InboundQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<InboundResponse>, ApiError> {
    let q = query.into_inner();
    let action = match q.action.as_deref() {
        None => MailAction::Correspond,
        Some(value) => MailAction::parse(value).ok_or_else(|| {
            ApiError::from(vakt_service::ServiceError::invalid(
                "action",
                "invalid",
                "must be correspond or comment",
            ))
        })?,
    };
    let limit = state.services.config().mail.max_message_bytes;
    let raw = read_body(&req, payload, limit).await?;
    let options = InboundOptions {
        queue: q.queue,
        action,
    };
    let result = blocking(&state, move |s| {
        s.ingest_inbound(&caller.0.principal, &raw, &options)
    })
    .await?;
    Ok(web::Json(result.into()))
}

/// A received message.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailMessageResponse {
    /// Id.
    pub id: i64,
    /// `gateway` or `account`.
    pub source: String,
    /// The mail account it was fetched from.
    pub account_id: Option<i64>,
    /// `pending`, `processed`, `quarantined`, `ignored` or `deleted`.
    pub status: String,
    /// Why it was quarantined or ignored.
    pub reason: Option<String>,
    /// `created`, `appended`, `rejected`, `ignored` or `quarantined`.
    pub outcome: Option<String>,
    /// The queue the gateway asked for.
    pub requested_queue: Option<String>,
    /// `correspond` or `comment`.
    pub action: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the raw message.
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
    /// Next automatic retry (temporary failures).
    pub retry_at: Option<DateTime<Utc>>,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// Processed, ignored or quarantined at.
    pub processed_at: Option<DateTime<Utc>>,
}

impl From<MailMessage> for MailMessageResponse {
    fn from(m: MailMessage) -> Self {
        Self {
            id: m.id,
            source: m.source,
            account_id: m.account_id,
            status: m.status,
            reason: m.reason,
            outcome: m.outcome,
            requested_queue: m.requested_queue,
            action: m.action,
            size: m.size,
            sha256: m.sha256,
            message_id: m.message_id,
            sender: m.sender,
            subject: m.subject,
            ticket_id: m.ticket_id,
            article_id: m.article_id,
            attempts: m.attempts,
            retry_at: m.retry_at,
            received_at: m.received_at,
            processed_at: m.processed_at,
        }
    }
}

/// A page of received messages.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailMessageList {
    /// Newest first.
    pub items: Vec<MailMessageResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Filters of the message list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListMailMessagesQuery {
    /// `pending`, `processed`, `quarantined` (the quarantine), `ignored` or `deleted`; all when absent.
    pub status: Option<String>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List received messages (the quarantine: `status=quarantined`).
#[utoipa::path(
    tag = "mail",
    operation_id = "list_mail_messages",
    params(ListMailMessagesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of messages, newest first", body = MailMessageList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/mail/messages")]
pub async fn list_mail_messages(
    caller: AdminCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListMailMessagesQuery>,
) -> Result<web::Json<MailMessageList>, ApiError> {
    let q = query.into_inner();
    let status = match q.status.as_deref() {
        None => None,
        Some(value) => Some(MailMessageStatus::parse(value).ok_or_else(|| {
            ApiError::from(vakt_service::ServiceError::invalid(
                "status",
                "invalid",
                "must be pending, processed, quarantined, ignored or deleted",
            ))
        })?),
    };
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
        s.list_mail_messages(&caller.0.principal, status, &page)
    })
    .await?;
    Ok(web::Json(MailMessageList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get a received message.
#[utoipa::path(
    tag = "mail",
    operation_id = "get_mail_message",
    params(("id" = i64, Path, description = "Message id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The message", body = MailMessageResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such message"),
    )
)]
#[get("/mail/messages/{id}")]
pub async fn get_mail_message(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<MailMessageResponse>, ApiError> {
    let id = id.into_inner();
    let message = blocking(&state, move |s| s.get_mail_message(&caller.0.principal, id)).await?;
    Ok(web::Json(message.into()))
}

/// Download a received message exactly as it arrived.
#[utoipa::path(
    tag = "mail",
    operation_id = "download_mail_message",
    params(("id" = i64, Path, description = "Message id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The raw message", content_type = "message/rfc822", body = Vec<u8>),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such message, or deleted"),
    )
)]
#[get("/mail/messages/{id}/raw")]
pub async fn download_mail_message(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let raw = blocking(&state, move |s| s.mail_message_raw(&caller.0.principal, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("message/rfc822")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"message-{id}.eml\""),
        ))
        .body(raw))
}

/// Process a quarantined message again.
///
/// For quarantined (and stalled pending) messages, e.g. after fixing a filter or a queue.
/// Answers what became of it, as the inbound endpoint does.
#[utoipa::path(
    tag = "mail",
    operation_id = "retry_mail_message",
    params(("id" = i64, Path, description = "Message id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What became of it", body = InboundResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such message"),
        (status = 409, description = "The message is not quarantined (`not_quarantined`)"),
    )
)]
#[post("/mail/messages/{id}/retry")]
pub async fn retry_mail_message(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<InboundResponse>, ApiError> {
    let id = id.into_inner();
    let result = blocking(&state, move |s| {
        s.retry_mail_message(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(result.into()))
}

/// Delete a quarantined or ignored message.
///
/// Its bytes are removed; the record stays with status `deleted` (who deleted it is the
/// reason).
#[utoipa::path(
    tag = "mail",
    operation_id = "delete_mail_message",
    params(("id" = i64, Path, description = "Message id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such message"),
        (status = 409, description = "Only quarantined or ignored messages can be deleted (`not_quarantined`)"),
    )
)]
#[delete("/mail/messages/{id}")]
pub async fn delete_mail_message(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_mail_message(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
