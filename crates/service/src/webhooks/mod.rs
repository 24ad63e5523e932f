//! Webhooks (issue 17, ADR 0011): administrators subscribe third-party systems to ticket and
//! knowledge base events. A dispatcher reads the history log by cursor (as the notification
//! dispatcher does) and writes one delivery per event and webhook in the same transaction that
//! moves the cursor; each delivery is a job that POSTs a signed JSON body, retried with
//! backoff. Deliveries of one ticket go out in order. This module holds the subscriptions and
//! their settings; [`dispatch`], [`deliver`] and [`deliveries`] the rest.

pub mod deliver;
pub mod deliveries;
pub mod dispatch;
pub mod events;
pub mod kb;
pub mod ssrf;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::settings;
use vakt_persistence::repo::webhooks::deliveries as delivery_repo;
use vakt_persistence::repo::webhooks::{self as repo, WebhookRow, WebhookValues};
use vakt_persistence::time::{from_db, to_db};

pub use events::EventType;
pub(crate) use kb::kb_published;

use crate::Services;
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::Registry;
use crate::users::require_admin;

/// Turns the resources of events into JSON exactly as the API returns them. The HTTP layer
/// installs its implementation ([`Services::set_resource_renderer`]), so a webhook body
/// carries the same ticket a `GET` would.
pub trait ResourceRenderer: Send + Sync + std::fmt::Debug {
    /// A ticket as `GET /api/v1/tickets/{id}` returns it.
    fn ticket(&self, ticket: crate::tickets::Ticket) -> serde_json::Value;
    /// A knowledge base article as `GET /api/v1/kb/articles/{id}` returns it.
    fn kb_article(&self, article: crate::kb::KbArticle) -> serde_json::Value;
}

/// Setting: webhooks may target loopback, private and link-local addresses.
const ALLOW_PRIVATE_KEY: &str = "webhooks.allow_private_targets";
/// Setting: failed attempts in a row after which a webhook is turned off.
const DISABLE_AFTER_KEY: &str = "webhooks.disable_after_failures";
/// Default of [`DISABLE_AFTER_KEY`]: more than a whole retry schedule of one delivery.
pub const DEFAULT_DISABLE_AFTER: i32 = 50;
/// Finished deliveries stay in the log this long (housekeeping removes older ones).
pub const KEEP_DELIVERIES: chrono::Duration = chrono::Duration::days(30);
/// Shortest secret accepted.
const MIN_SECRET: usize = 16;

/// Installation-wide webhook settings (administrators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WebhookSettings {
    /// Targets on loopback, private, link-local or unspecified addresses are allowed (off by
    /// default: a webhook must not become a way into the internal network).
    pub allow_private_targets: bool,
    /// Failed attempts in a row (over all deliveries of a webhook) after which it is turned
    /// off and administrators are notified.
    pub disable_after_failures: i32,
}

/// A webhook as administrators see it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// Event types.
    pub events: Vec<String>,
    /// Queues whose tickets' events are sent; `None`: every queue.
    pub queue_ids: Option<Vec<i64>>,
    /// Sending.
    pub enabled: bool,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// When it was turned off for failing.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why.
    pub disabled_reason: Option<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<WebhookRow> for Webhook {
    fn from(r: WebhookRow) -> Self {
        Webhook {
            id: r.id,
            events: serde_json::from_str(&r.events).unwrap_or_default(),
            queue_ids: r
                .queue_ids
                .as_deref()
                .and_then(|q| serde_json::from_str(q).ok()),
            name: r.name,
            url: r.url,
            enabled: r.enabled,
            consecutive_failures: r.consecutive_failures,
            disabled_at: r.disabled_at.map(from_db),
            disabled_reason: r.disabled_reason,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        }
    }
}

/// A new webhook (`name`, `url`, `events` and `secret` required), or the fields to change.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    /// Name.
    pub name: Option<String>,
    /// Target URL.
    pub url: Option<String>,
    /// Event types.
    pub events: Option<Vec<String>>,
    /// Queue filter: `Some(None)` every queue.
    pub queue_ids: Option<Option<Vec<i64>>>,
    /// HMAC key (write-only).
    pub secret: Option<String>,
    /// Sending (default true). Turning a webhook on again resets its failures and resumes its
    /// pending deliveries.
    pub enabled: Option<bool>,
}

/// What the audit log shows of a webhook (no secret).
#[derive(Serialize)]
struct Snapshot<'a> {
    name: &'a str,
    url: &'a str,
    events: &'a [String],
    queue_ids: &'a Option<Vec<i64>>,
    enabled: bool,
}

fn snapshot(w: &Webhook) -> Snapshot<'_> {
    Snapshot {
        name: &w.name,
        url: &w.url,
        events: &w.events,
        queue_ids: &w.queue_ids,
        enabled: w.enabled,
    }
}

/// Registers the dispatcher schedule and the delivery job.
pub(crate) fn register(registry: &mut Registry) {
    registry
        .handle(dispatch::Dispatch)
        .every(dispatch::schedule());
    registry.handle(deliver::Deliver).handle(kb::KbPublished);
}

/// The settings stored in the database.
pub(crate) fn load_settings(conn: &mut DbConnection) -> ServiceResult<WebhookSettings> {
    let allow = settings::get(conn, ALLOW_PRIVATE_KEY)?.is_some_and(|v| v == "true");
    let after = settings::get(conn, DISABLE_AFTER_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_DISABLE_AFTER);
    Ok(WebhookSettings {
        allow_private_targets: allow,
        disable_after_failures: after,
    })
}

fn field(errors: &mut FieldErrors, name: &str, code: &'static str, message: impl Into<String>) {
    errors.add(name, ValidationError::new(code, message));
}

impl Services {
    /// Installs the renderer of event resources (the HTTP layer does this at start).
    pub fn set_resource_renderer(&self, renderer: Arc<dyn ResourceRenderer>) {
        let _ = self.0.renderer.set(renderer);
    }

    pub(crate) fn resource_renderer(&self) -> Option<&Arc<dyn ResourceRenderer>> {
        self.0.renderer.get()
    }

    /// The webhook settings (administrators).
    pub fn webhook_settings(&self, actor: &Principal) -> ServiceResult<WebhookSettings> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        load_settings(&mut conn)
    }

    /// Replaces the webhook settings (administrators; audited).
    pub fn put_webhook_settings(
        &self,
        actor: &Principal,
        new: WebhookSettings,
    ) -> ServiceResult<WebhookSettings> {
        require_admin(actor)?;
        if !(1..=10_000).contains(&new.disable_after_failures) {
            return Err(ServiceError::invalid(
                "disable_after_failures",
                "out_of_range",
                "must be between 1 and 10000",
            ));
        }
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let before = load_settings(conn)?;
            let at = to_db(now);
            settings::put(
                conn,
                ALLOW_PRIVATE_KEY,
                if new.allow_private_targets {
                    "true"
                } else {
                    "false"
                },
                at,
            )?;
            settings::put(
                conn,
                DISABLE_AFTER_KEY,
                &new.disable_after_failures.to_string(),
                at,
            )?;
            audit::record(
                conn,
                Some(actor),
                now,
                Change::setting("update", "webhooks")
                    .before(before)
                    .after(new),
            )?;
            Ok(new)
        })
    }

    /// All webhooks (administrators).
    pub fn list_webhooks(&self, actor: &Principal) -> ServiceResult<Vec<Webhook>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        Ok(repo::list(&mut conn)?
            .into_iter()
            .map(Webhook::from)
            .collect())
    }

    /// One webhook (administrators).
    pub fn get_webhook(&self, actor: &Principal, id: i64) -> ServiceResult<Webhook> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        repo::find(&mut conn, id)?
            .map(Webhook::from)
            .ok_or(ServiceError::NotFound("webhook"))
    }

    /// Creates a webhook (`id: None`) or changes one (administrators; audited). The URL must
    /// resolve to public addresses only, unless the settings allow private targets.
    pub fn save_webhook(
        &self,
        actor: &Principal,
        id: Option<i64>,
        input: WebhookInput,
    ) -> ServiceResult<Webhook> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let existing = match id {
            Some(id) => Some(repo::find(&mut conn, id)?.ok_or(ServiceError::NotFound("webhook"))?),
            None => None,
        };
        let allow_private = load_settings(&mut conn)?.allow_private_targets;
        let values = merged(existing.as_ref(), input, allow_private, &mut conn)?;
        conn.write_transaction(|conn| {
            let events = serde_json::to_string(&values.events).unwrap_or_default();
            let queues = values
                .queue_ids
                .as_ref()
                .map(|q| serde_json::to_string(q).unwrap_or_default());
            let turned_on = values.enabled && existing.as_ref().is_some_and(|e| !e.enabled);
            let keep_failures = existing.as_ref().filter(|_| !turned_on).map(|e| {
                (
                    e.consecutive_failures,
                    e.disabled_at,
                    e.disabled_reason.clone(),
                )
            });
            let (failures, disabled_at, reason) = keep_failures.unwrap_or((0, None, None));
            let row = WebhookValues {
                name: &values.name,
                url: &values.url,
                events: &events,
                queue_ids: Some(queues.as_deref()),
                secret: &values.secret,
                enabled: values.enabled,
                consecutive_failures: failures,
                disabled_at: Some(disabled_at),
                disabled_reason: Some(reason.as_deref()),
                updated_at: to_db(now),
            };
            let id = match &existing {
                Some(e) => {
                    repo::update(conn, e.id, &row)?;
                    e.id
                }
                None => repo::insert(conn, &row, actor.user_id, to_db(now))?,
            };
            if turned_on {
                for delivery in delivery_repo::pending_ids(conn, id)? {
                    deliver::enqueue(conn, delivery, now)?;
                }
            }
            let saved =
                Webhook::from(repo::find(conn, id)?.ok_or(ServiceError::NotFound("webhook"))?);
            let before = existing.clone().map(Webhook::from);
            let change = Change::new(
                if existing.is_some() {
                    "update"
                } else {
                    "create"
                },
                "webhook",
                id,
                &saved.name,
            )
            .after(snapshot(&saved));
            let change = match &before {
                Some(b) => change.before(snapshot(b)),
                None => change,
            };
            audit::record(conn, Some(actor), now, change)?;
            Ok(saved)
        })
    }

    /// Deletes a webhook with its delivery log (administrators; audited).
    pub fn delete_webhook(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let existing =
                Webhook::from(repo::find(conn, id)?.ok_or(ServiceError::NotFound("webhook"))?);
            repo::delete(conn, id)?;
            audit::record(
                conn,
                Some(actor),
                now,
                Change::new("delete", "webhook", id, &existing.name).before(snapshot(&existing)),
            )
        })
    }
}

/// The complete fields of a webhook after a change, validated.
struct Merged {
    name: String,
    url: String,
    events: Vec<String>,
    queue_ids: Option<Vec<i64>>,
    secret: String,
    enabled: bool,
}

fn merged(
    existing: Option<&WebhookRow>,
    input: WebhookInput,
    allow_private: bool,
    conn: &mut DbConnection,
) -> ServiceResult<Merged> {
    let mut errors = FieldErrors::new();
    let current = existing.cloned().map(Webhook::from);
    let name = input
        .name
        .or_else(|| current.as_ref().map(|c| c.name.clone()));
    let url = input
        .url
        .or_else(|| current.as_ref().map(|c| c.url.clone()));
    let events = input
        .events
        .or_else(|| current.as_ref().map(|c| c.events.clone()));
    let queue_ids = match input.queue_ids {
        Some(q) => q,
        None => current.as_ref().and_then(|c| c.queue_ids.clone()),
    };
    let secret = input.secret.or_else(|| existing.map(|e| e.secret.clone()));
    match name.as_deref().map(str::trim) {
        None | Some("") => field(&mut errors, "name", "required", "must not be empty"),
        Some(n) if n.chars().count() > 100 || n.contains(['\r', '\n']) => field(
            &mut errors,
            "name",
            "too_long",
            "must be one line of at most 100 characters",
        ),
        _ => {}
    }
    match url.as_deref() {
        None | Some("") => field(&mut errors, "url", "required", "must not be empty"),
        Some(u) if u.len() > 2000 => {
            field(
                &mut errors,
                "url",
                "too_long",
                "must be at most 2000 characters",
            );
        }
        Some(u) => match ssrf::check_url(u, allow_private) {
            Ok(_) => {}
            Err(ssrf::TargetError::NotPublic(ip)) => field(
                &mut errors,
                "url",
                "forbidden_target",
                format!(
                    "resolves to {ip}, which is not a public address; an administrator can \
                     allow private targets in the webhook settings"
                ),
            ),
            Err(ssrf::TargetError::Unresolvable(why)) => field(
                &mut errors,
                "url",
                "unresolvable",
                format!("the host does not resolve: {why}"),
            ),
            Err(ssrf::TargetError::Invalid(why)) => field(&mut errors, "url", "invalid_url", why),
        },
    }
    match events.as_deref() {
        None | Some([]) => field(
            &mut errors,
            "events",
            "required",
            "must name at least one event",
        ),
        Some(list) => {
            for (i, event) in list.iter().enumerate() {
                if EventType::parse(event).is_none() {
                    field(
                        &mut errors,
                        &format!("events[{i}]"),
                        "unknown_event",
                        format!(
                            "must be one of {}",
                            EventType::ALL.map(EventType::as_str).join(", ")
                        ),
                    );
                } else if list[..i].contains(event) {
                    field(
                        &mut errors,
                        &format!("events[{i}]"),
                        "duplicate",
                        "is listed twice",
                    );
                }
            }
        }
    }
    if let Some(queues) = &queue_ids {
        if queues.is_empty() {
            field(
                &mut errors,
                "queue_ids",
                "too_short",
                "must name a queue, or be null for every queue",
            );
        }
        for (i, queue) in queues.iter().enumerate() {
            if vakt_persistence::repo::queues::find(conn, *queue)?.is_none() {
                field(
                    &mut errors,
                    &format!("queue_ids[{i}]"),
                    "not_found",
                    "no such queue",
                );
            }
        }
    }
    match secret.as_deref() {
        None => field(&mut errors, "secret", "required", "is required"),
        Some(s) if s.len() < MIN_SECRET || s.len() > 500 => field(
            &mut errors,
            "secret",
            "invalid_length",
            format!("must be {MIN_SECRET} to 500 bytes"),
        ),
        _ => {}
    }
    errors.into_result()?;
    let mut events = events.unwrap_or_default();
    events
        .sort_by_key(|e| EventType::parse(e).map(|t| EventType::ALL.iter().position(|x| *x == t)));
    Ok(Merged {
        name: name.unwrap_or_default().trim().to_owned(),
        url: url.unwrap_or_default(),
        events,
        queue_ids,
        secret: secret.unwrap_or_default(),
        enabled: input
            .enabled
            .unwrap_or_else(|| current.as_ref().is_none_or(|c| c.enabled)),
    })
}
