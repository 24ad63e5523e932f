//! Request and response bodies of the webhook endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::webhooks::deliveries::Delivery;
use vakt_service::webhooks::{Webhook, WebhookInput, WebhookSettings};
use validator::Validate;

/// A webhook (its secret is never returned).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResponse {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Target URL (`http` or `https`).
    pub url: String,
    /// Event types: `ticket.created`, `ticket.updated`, `ticket.state_changed`,
    /// `ticket.article_added`, `ticket.escalation_warned`, `ticket.escalation_breached`,
    /// `ticket.merged`, `kb.published`.
    pub events: Vec<String>,
    /// Queues whose tickets' events are sent; `null`: every queue.
    pub queue_ids: Option<Vec<i64>>,
    /// Sending. Turned off automatically after a run of failed attempts.
    pub enabled: bool,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// When it was turned off for failing.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why it was turned off.
    pub disabled_reason: Option<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<Webhook> for WebhookResponse {
    fn from(w: Webhook) -> Self {
        Self {
            id: w.id,
            name: w.name,
            url: w.url,
            events: w.events,
            queue_ids: w.queue_ids,
            enabled: w.enabled,
            consecutive_failures: w.consecutive_failures,
            disabled_at: w.disabled_at,
            disabled_reason: w.disabled_reason,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// All webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// By id.
    pub items: Vec<WebhookResponse>,
}

/// A new webhook.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "CRM sync",
    "url": "https://crm.example.org/hooks/vakt",
    "events": ["ticket.created", "ticket.state_changed"],
    "queue_ids": [1],
    "secret": "a-long-random-shared-secret"
}))]
pub struct CreateWebhookRequest {
    /// Name (one line, at most 100 characters).
    pub name: String,
    /// Target URL; it must resolve to public addresses unless the webhook settings allow
    /// private targets (`422 forbidden_target` on `url`).
    pub url: String,
    /// Event types (at least one).
    pub events: Vec<String>,
    /// Queues whose tickets' events are sent; absent or `null`: every queue.
    pub queue_ids: Option<Vec<i64>>,
    /// The HMAC-SHA256 key of the signature, 16–500 bytes (write-only).
    pub secret: String,
    /// Sending (default true).
    pub enabled: Option<bool>,
}

impl From<CreateWebhookRequest> for WebhookInput {
    fn from(r: CreateWebhookRequest) -> Self {
        WebhookInput {
            name: Some(r.name),
            url: Some(r.url),
            events: Some(r.events),
            queue_ids: Some(r.queue_ids),
            secret: Some(r.secret),
            enabled: r.enabled,
        }
    }
}

/// Changes to a webhook; fields left out stay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct UpdateWebhookRequest {
    /// Name.
    pub name: Option<String>,
    /// Target URL.
    pub url: Option<String>,
    /// Event types.
    pub events: Option<Vec<String>>,
    /// Queues; `null`: every queue.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub queue_ids: Option<Option<Vec<i64>>>,
    /// A new secret.
    pub secret: Option<String>,
    /// Sending. Turning a webhook on again resets its failures and resumes its pending
    /// deliveries, in order.
    pub enabled: Option<bool>,
}

impl From<UpdateWebhookRequest> for WebhookInput {
    fn from(r: UpdateWebhookRequest) -> Self {
        WebhookInput {
            name: r.name,
            url: r.url,
            events: r.events,
            queue_ids: r.queue_ids,
            secret: r.secret,
            enabled: r.enabled,
        }
    }
}

/// Installation-wide webhook settings.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettingsDto {
    /// Allow targets on loopback, private, link-local and unspecified addresses (default
    /// false; for receivers inside your own network, and tests).
    pub allow_private_targets: bool,
    /// Failed attempts in a row after which a webhook is turned off and administrators are
    /// notified, 1–10000 (default 50).
    pub disable_after_failures: i32,
}

impl From<WebhookSettings> for WebhookSettingsDto {
    fn from(s: WebhookSettings) -> Self {
        Self {
            allow_private_targets: s.allow_private_targets,
            disable_after_failures: s.disable_after_failures,
        }
    }
}

impl From<WebhookSettingsDto> for WebhookSettings {
    fn from(s: WebhookSettingsDto) -> Self {
        Self {
            allow_private_targets: s.allow_private_targets,
            disable_after_failures: s.disable_after_failures,
        }
    }
}

/// One delivery of an event to a webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Id (the `X-Vakt-Delivery` header).
    pub id: i64,
    /// Webhook.
    pub webhook_id: i64,
    /// Stable event id (the body's `id`, the `X-Vakt-Event-Id` header): the same on every
    /// retry and redelivery, for deduplication.
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// Ticket of a ticket event.
    pub ticket_id: Option<i64>,
    /// `waiting` (for an earlier delivery of the same ticket), `pending` (being tried, or
    /// held while the webhook is off), `succeeded`, `failed` (every attempt failed).
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// HTTP status of the last attempt.
    pub response_status: Option<i32>,
    /// Start of the last response body (at most 1000 characters).
    pub response_excerpt: Option<String>,
    /// Why the last attempt failed without an answer (refused, timeout, forbidden target).
    pub error: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub duration_ms: Option<i64>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The delivery this one sends again.
    pub redelivery_of: Option<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Succeeded or given up at.
    pub finished_at: Option<DateTime<Utc>>,
    /// The JSON body sent (single-delivery reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

impl DeliveryResponse {
    /// The delivery, with its body when `with_payload`.
    pub fn new(d: Delivery, with_payload: bool) -> Self {
        Self {
            id: d.id,
            webhook_id: d.webhook_id,
            event_id: d.event_id,
            event_type: d.event_type,
            ticket_id: d.ticket_id,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            response_excerpt: d.response_excerpt,
            error: d.error,
            duration_ms: d.duration_ms,
            last_attempt_at: d.last_attempt_at,
            redelivery_of: d.redelivery_of,
            created_at: d.created_at,
            finished_at: d.finished_at,
            payload: with_payload.then_some(d.payload),
        }
    }
}

/// A page of deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<DeliveryResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}
