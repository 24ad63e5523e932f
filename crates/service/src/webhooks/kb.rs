//! `kb.published`: publishing a KB article (or a new version of a published one) enqueues a
//! job in the same transaction (the job table is the outbox here, as KB changes are not ticket
//! history); the job writes one delivery per subscribed webhook, lane `kb:<article>`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::webhooks::{self as hooks, deliveries as repo};

use super::dispatch::{NewEvent, add_delivery, subscribes};
use super::events::{EventType, kb_event_id};
use crate::Services;
use crate::error::ServiceResult;
use crate::jobs::{self, JobContext, JobError, JobHandler, JobSpec};

/// The job kind that fans a publication out to the webhooks.
pub const KB_PUBLISHED: &str = "webhook_kb_published";

/// Records the publication of version `version` of article `article_id` (inside the
/// publishing transaction).
pub(crate) fn kb_published(
    conn: &mut DbConnection,
    article_id: i64,
    version: i64,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let spec = JobSpec {
        unique_key: Some(format!("webhook_kb:{article_id}:{version}")),
        ..JobSpec::new(
            KB_PUBLISHED,
            json!({"article_id": article_id, "version": version}),
        )
    };
    jobs::enqueue(conn, &spec, now)?;
    Ok(())
}

/// Writes the deliveries of one publication.
pub(crate) struct KbPublished;

impl JobHandler for KbPublished {
    fn kind(&self) -> &'static str {
        KB_PUBLISHED
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &Value) -> Result<(), JobError> {
        let (Some(article), Some(version)) =
            (payload["article_id"].as_i64(), payload["version"].as_i64())
        else {
            return Err(JobError::Permanent("the payload names no article".into()));
        };
        ctx.services
            .fan_out_kb_published(article, version)
            .map_err(|e| JobError::Temporary(e.to_string()))
    }
}

impl Services {
    fn fan_out_kb_published(&self, article_id: i64, version: i64) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let subscribed: Vec<_> = hooks::enabled(conn)?
                .into_iter()
                .filter(|h| subscribes(h, EventType::KbPublished, None))
                .collect();
            if subscribed.is_empty() {
                return Ok(());
            }
            let Some(article) = crate::kb::admin_view(conn, article_id)? else {
                return Ok(());
            };
            let resource = match self.resource_renderer() {
                Some(renderer) => renderer.kb_article(article),
                None => json!({"id": article.id, "title": article.title}),
            };
            let event_id = kb_event_id(article_id, version);
            let body = json!({
                "id": event_id,
                "type": EventType::KbPublished.as_str(),
                "time": now,
                "data": {"kb_article": resource, "version": version},
            })
            .to_string();
            let lane = format!("kb:{article_id}");
            for hook in subscribed {
                // A run cut off after its commit must not send the event twice.
                if repo::has_event(conn, hook.id, &event_id)? {
                    continue;
                }
                add_delivery(
                    conn,
                    &NewEvent {
                        webhook_id: hook.id,
                        event_id: &event_id,
                        event_type: EventType::KbPublished.as_str(),
                        lane: &lane,
                        ticket_id: None,
                        payload: &body,
                        redelivery_of: None,
                    },
                    now,
                )?;
            }
            Ok(())
        })
    }
}
