//! The webhook dispatcher: reads new history rows after its cursor (`webhooks` in
//! `event_cursors`, with the snapshot horizon of [`crate::live::horizon`] on PostgreSQL),
//! writes one delivery per event and subscribed webhook, and moves the cursor — in one
//! transaction under a lock on the cursor row. A crash before the commit leaves nothing behind
//! (the next run reads the same rows again); after it, every event has its deliveries, whose
//! jobs survive any restart. So an event is never lost, and never announced twice by the
//! dispatcher.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use vakt_domain::{Principal, UserKind};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::events;
use vakt_persistence::repo::history::HistoryRow;
use vakt_persistence::repo::notifications as cursors;
use vakt_persistence::repo::webhooks::deliveries::{self as repo, NewDelivery, PENDING, WAITING};
use vakt_persistence::repo::webhooks::{self as hooks, WebhookRow};
use vakt_persistence::time::{from_db, to_db};

use super::deliver;
use super::events::{EventType, history_event_id};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobContext, JobError, JobHandler, Schedule};
use crate::live::horizon::{self, Gap, GapPolicy};

/// The dispatcher's cursor in `event_cursors`.
pub(crate) const CURSOR: &str = "webhooks";
/// The job kind of a dispatcher run.
pub const DISPATCH: &str = "dispatch_webhooks";
/// How often the dispatcher runs.
pub const DISPATCH_EVERY: Duration = Duration::seconds(2);
/// History rows handled in one transaction.
const BATCH: i64 = 200;
/// Batches in one run at most (the next run goes on).
const MAX_BATCHES: usize = 25;

/// What a dispatcher run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookDispatchReport {
    /// History rows read.
    pub history_rows: usize,
    /// Deliveries written.
    pub deliveries: usize,
    /// Stopped at a history id that has not committed (yet).
    pub waiting: bool,
}

/// The periodic schedule of the dispatcher.
pub(crate) fn schedule() -> Schedule {
    Schedule {
        key: DISPATCH.into(),
        kind: DISPATCH.into(),
        payload: json!({}),
        every: DISPATCH_EVERY,
    }
}

/// Runs the dispatcher.
pub(crate) struct Dispatch;

impl JobHandler for Dispatch {
    fn kind(&self) -> &'static str {
        DISPATCH
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &Value) -> Result<(), JobError> {
        // As with notifications: a failed run leaves nothing behind and the next one is two
        // seconds away, where a failed job would back off for minutes.
        match ctx.services.dispatch_webhooks() {
            Ok(report) if report.deliveries > 0 => {
                log::debug!(
                    "webhooks: {} history rows, {} deliveries",
                    report.history_rows,
                    report.deliveries
                );
            }
            Ok(_) => {}
            Err(error) => log::error!("webhook dispatch failed; the next run tries again: {error}"),
        }
        Ok(())
    }
}

/// The principal event resources are rendered for: an administrator, who sees every ticket.
fn renderer_principal() -> Principal {
    Principal {
        user_id: 0,
        kind: UserKind::Agent,
        is_admin: true,
    }
}

impl Services {
    /// Turns the history rows written since the last run into webhook deliveries (the periodic
    /// job calls this; tests call it directly).
    pub fn dispatch_webhooks(&self) -> ServiceResult<WebhookDispatchReport> {
        let mut total = WebhookDispatchReport::default();
        for _ in 0..MAX_BATCHES {
            let batch = self.dispatch_webhook_batch()?;
            total.history_rows += batch.history_rows;
            total.deliveries += batch.deliveries;
            total.waiting = batch.waiting;
            if batch.waiting || batch.history_rows < BATCH as usize {
                break;
            }
        }
        Ok(total)
    }

    fn dispatch_webhook_batch(&self) -> ServiceResult<WebhookDispatchReport> {
        let now = self.now();
        let policy = GapPolicy::new(self.config().notifications.gap_timeout);
        let mut conn = self.conn()?;
        if let Some(cursor) = cursors::cursor(&mut conn, CURSOR)?
            && cursor.gap_since.is_none()
            && events::max_history_id(&mut conn)? <= cursor.last_id
        {
            return Ok(WebhookDispatchReport::default());
        }
        conn.write_transaction(|conn| {
            // The snapshot bounds must be read before the rows (see `horizon`).
            let snapshot = events::snapshot_bounds(conn)?;
            let cursor = cursors::lock_cursor(conn, CURSOR, events::max_history_id, to_db(now))?;
            let rows = events::history_after(conn, cursor.last_id, None, BATCH)?;
            let mut gap = Gap {
                since: cursor.gap_since.map(from_db),
                xmax: cursor.gap_xmax,
            };
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let ready = horizon::advance(cursor.last_id, &ids, &mut gap, now, snapshot, policy);
            let hooks = hooks::enabled(conn)?;
            let mut report = WebhookDispatchReport::default();
            if !hooks.is_empty() {
                let mut queues = HashMap::new();
                for row in &rows[..ready] {
                    report.deliveries += self.fan_out(conn, &hooks, row, &mut queues, now)?;
                }
            }
            let last = rows[..ready].last().map_or(cursor.last_id, |r| r.id);
            cursors::save_cursor(
                conn,
                CURSOR,
                last,
                gap.since.map(to_db),
                gap.xmax,
                to_db(now),
            )?;
            report.history_rows = ready;
            report.waiting = ready < rows.len();
            Ok(report)
        })
    }

    /// Writes the deliveries of one history row; how many.
    fn fan_out(
        &self,
        conn: &mut DbConnection,
        hooks: &[WebhookRow],
        row: &HistoryRow,
        queues: &mut HashMap<i64, Option<i64>>,
        now: DateTime<Utc>,
    ) -> ServiceResult<usize> {
        let Some(event) = EventType::of_history(&row.kind) else {
            return Ok(0);
        };
        let queue = match queues.get(&row.ticket_id) {
            Some(q) => *q,
            None => {
                let q = events::ticket_facts(conn, &[row.ticket_id])?
                    .pop()
                    .map(|t| t.queue_id);
                queues.insert(row.ticket_id, q);
                q
            }
        };
        let Some(queue) = queue else {
            return Ok(0);
        };
        let subscribed: Vec<&WebhookRow> = hooks
            .iter()
            .filter(|h| subscribes(h, event, Some(queue)))
            .collect();
        if subscribed.is_empty() {
            return Ok(0);
        }
        let ticket = match crate::tickets::load_ticket(
            conn,
            &renderer_principal(),
            &row.ticket_id.to_string(),
            now,
        ) {
            Ok(mut ticket) => {
                ticket.unread = None;
                self.render_ticket(ticket)
            }
            Err(ServiceError::NotFound(_)) => return Ok(0),
            Err(error) => return Err(error),
        };
        let event_id = history_event_id(row.id);
        let mut data = json!({"ticket": ticket});
        if let Some(article) = row.article_id {
            data["article_id"] = json!(article);
        }
        if event != EventType::TicketCreated && event != EventType::TicketArticleAdded {
            data["change"] = json!({
                "kind": row.kind,
                "old_value": row.old_value,
                "new_value": row.new_value,
            });
        }
        let body = json!({
            "id": event_id,
            "type": event.as_str(),
            "time": from_db(row.created_at),
            "actor_id": row.actor_id,
            "data": data,
        })
        .to_string();
        let lane = format!("ticket:{}", row.ticket_id);
        for hook in &subscribed {
            add_delivery(
                conn,
                &NewEvent {
                    webhook_id: hook.id,
                    event_id: &event_id,
                    event_type: event.as_str(),
                    lane: &lane,
                    ticket_id: Some(row.ticket_id),
                    payload: &body,
                    redelivery_of: None,
                },
                now,
            )?;
        }
        Ok(subscribed.len())
    }

    fn render_ticket(&self, ticket: crate::tickets::Ticket) -> Value {
        match self.resource_renderer() {
            Some(renderer) => renderer.ticket(ticket),
            None => json!({"id": ticket.id, "number": ticket.number, "title": ticket.title}),
        }
    }
}

/// Whether `hook` wants `event` of a ticket in `queue` (`None`: not a ticket event).
pub(crate) fn subscribes(hook: &WebhookRow, event: EventType, queue: Option<i64>) -> bool {
    let events: Vec<String> = serde_json::from_str(&hook.events).unwrap_or_default();
    if !events.iter().any(|e| e == event.as_str()) {
        return false;
    }
    match (queue, hook.queue_ids.as_deref()) {
        (Some(queue), Some(filter)) => serde_json::from_str::<Vec<i64>>(filter)
            .map(|ids| ids.contains(&queue))
            .unwrap_or(false),
        _ => true,
    }
}

/// A delivery to write.
pub(crate) struct NewEvent<'a> {
    pub(crate) webhook_id: i64,
    pub(crate) event_id: &'a str,
    pub(crate) event_type: &'a str,
    pub(crate) lane: &'a str,
    pub(crate) ticket_id: Option<i64>,
    pub(crate) payload: &'a str,
    pub(crate) redelivery_of: Option<i64>,
}

/// Writes a delivery at the end of its lane: pending with its job when the lane is idle,
/// otherwise waiting for the one before it. Returns its id.
pub(crate) fn add_delivery(
    conn: &mut DbConnection,
    new: &NewEvent<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    // A delivery finishing concurrently starts the next waiting one of its lane; without the
    // lock it could miss this one (not yet committed) while this sees it still pending, and
    // this one would wait for ever.
    hooks::lock(conn, new.webhook_id)?;
    let busy = repo::lane_busy(conn, new.webhook_id, new.lane)?;
    let id = repo::insert(
        conn,
        &NewDelivery {
            webhook_id: new.webhook_id,
            event_id: new.event_id,
            event_type: new.event_type,
            lane: new.lane,
            ticket_id: new.ticket_id,
            payload: new.payload,
            status: if busy { WAITING } else { PENDING },
            redelivery_of: new.redelivery_of,
            created_at: to_db(now),
        },
    )?;
    if !busy {
        deliver::enqueue(conn, id, now)?;
    }
    Ok(id)
}
