//! The delivery log of a webhook (administrators) and redelivering an event.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_persistence::repo::webhooks::deliveries::{self as repo, DeliveryRow};
use vakt_persistence::repo::webhooks::{self as hooks};
use vakt_persistence::time::from_db;

use super::dispatch::{NewEvent, add_delivery};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::require_admin;

/// Statuses a delivery can have.
pub const STATUSES: [&str; 4] = [repo::WAITING, repo::PENDING, repo::SUCCEEDED, repo::FAILED];

/// One delivery as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// Webhook.
    pub webhook_id: i64,
    /// Stable event id.
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// Ticket of a ticket event.
    pub ticket_id: Option<i64>,
    /// `waiting` (for an earlier delivery of its ticket), `pending` (being tried), `succeeded`,
    /// `failed` (every attempt failed).
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// HTTP status of the last attempt.
    pub response_status: Option<i32>,
    /// Start of the last response body.
    pub response_excerpt: Option<String>,
    /// Why the last attempt failed (connection refused, timeout, refused target).
    pub error: Option<String>,
    /// How long the last attempt took.
    pub duration_ms: Option<i64>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The delivery this one sends again.
    pub redelivery_of: Option<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Succeeded or given up at.
    pub finished_at: Option<DateTime<Utc>>,
    /// The JSON body sent.
    pub payload: String,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        Delivery {
            id: r.id,
            webhook_id: r.webhook_id,
            event_id: r.event_id,
            event_type: r.event_type,
            ticket_id: r.ticket_id,
            status: r.status,
            attempts: r.attempts,
            response_status: r.response_status,
            response_excerpt: r.response_excerpt,
            error: r.error,
            duration_ms: r.duration_ms,
            last_attempt_at: r.last_attempt_at.map(from_db),
            redelivery_of: r.redelivery_of,
            created_at: from_db(r.created_at),
            finished_at: r.finished_at.map(from_db),
            payload: r.payload,
        }
    }
}

impl Services {
    /// A webhook's deliveries, newest first (administrators).
    pub fn list_webhook_deliveries(
        &self,
        actor: &Principal,
        webhook_id: i64,
        status: Option<&str>,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Delivery>> {
        require_admin(actor)?;
        if let Some(status) = status
            && !STATUSES.contains(&status)
        {
            return Err(ServiceError::invalid(
                "status",
                "invalid",
                "must be waiting, pending, succeeded or failed",
            ));
        }
        let mut conn = self.conn()?;
        hooks::find(&mut conn, webhook_id)?.ok_or(ServiceError::NotFound("webhook"))?;
        let rows = repo::list(
            &mut conn,
            webhook_id,
            status,
            page.after,
            page.fetch_limit(),
        )?;
        Ok(page.page(rows, |r| r.id).map(Delivery::from))
    }

    /// One delivery of a webhook (administrators).
    pub fn get_webhook_delivery(
        &self,
        actor: &Principal,
        webhook_id: i64,
        id: i64,
    ) -> ServiceResult<Delivery> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        repo::find(&mut conn, id)?
            .filter(|d| d.webhook_id == webhook_id)
            .map(Delivery::from)
            .ok_or(ServiceError::NotFound("delivery"))
    }

    /// Sends a delivery's event again as a new delivery with the same event id and body, at
    /// the end of its ticket's lane (administrators).
    pub fn redeliver_webhook(
        &self,
        actor: &Principal,
        webhook_id: i64,
        id: i64,
    ) -> ServiceResult<Delivery> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let original = repo::find(conn, id)?
                .filter(|d| d.webhook_id == webhook_id)
                .ok_or(ServiceError::NotFound("delivery"))?;
            let new_id = add_delivery(
                conn,
                &NewEvent {
                    webhook_id,
                    event_id: &original.event_id,
                    event_type: &original.event_type,
                    lane: &original.lane,
                    ticket_id: original.ticket_id,
                    payload: &original.payload,
                    redelivery_of: Some(original.id),
                },
                now,
            )?;
            log::info!(
                "user {} redelivers event {} of webhook {webhook_id} (delivery {new_id})",
                actor.user_id,
                original.event_id
            );
            repo::find(conn, new_id)?
                .map(Delivery::from)
                .ok_or(ServiceError::NotFound("delivery"))
        })
    }
}
