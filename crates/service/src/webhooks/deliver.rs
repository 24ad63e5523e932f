//! Sending one delivery: the job `deliver_webhook`. The body is POSTed with an HMAC-SHA256
//! signature of `timestamp + "." + body`; a 2xx answer ends the delivery, anything else is a
//! failed attempt retried by the job with exponential backoff for more than a day. After the
//! last attempt the delivery has failed and the next one of its lane starts. A run of failed
//! attempts turns the webhook off and tells the administrators.

use std::io::Read;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::notifications::{self as inbox, NewNotification};
use vakt_persistence::repo::users;
use vakt_persistence::repo::webhooks::deliveries::{
    self as repo, AttemptOutcome, DeliveryRow, FAILED, PENDING, SUCCEEDED, WAITING,
};
use vakt_persistence::repo::webhooks::{self as hooks, WebhookRow};
use vakt_persistence::time::to_db;

use super::ssrf;
use crate::Services;
use crate::error::ServiceResult;
use crate::jobs::{self, JobContext, JobError, JobHandler, JobSpec};

/// The job kind of one delivery.
pub const DELIVER: &str = "deliver_webhook";
/// Attempts of one delivery: with the job backoff (30 s doubling, at most 6 h, ±20 %) the last
/// one is more than 26 hours after the first.
pub const MAX_ATTEMPTS: i32 = 15;
/// The notification event administrators get when a webhook is turned off.
pub const DISABLED_EVENT: &str = "webhook_disabled";
/// Characters of a response body kept in the log.
const EXCERPT: usize = 1000;

/// Header: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret>`.
pub const SIGNATURE_HEADER: &str = "X-Vakt-Signature";
/// Header: seconds since the Unix epoch when the request was signed.
pub const TIMESTAMP_HEADER: &str = "X-Vakt-Timestamp";
/// Header: the stable event id (deduplicate on it).
pub const EVENT_ID_HEADER: &str = "X-Vakt-Event-Id";
/// Header: the event type.
pub const EVENT_HEADER: &str = "X-Vakt-Event";
/// Header: the delivery id (differs between a delivery and its redelivery).
pub const DELIVERY_HEADER: &str = "X-Vakt-Delivery";

/// Enqueues the job of a pending delivery (inside the caller's transaction).
pub(crate) fn enqueue(
    conn: &mut DbConnection,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let spec = JobSpec {
        max_attempts: MAX_ATTEMPTS,
        unique_key: Some(format!("webhook_delivery:{delivery_id}")),
        ..JobSpec::new(DELIVER, json!({"delivery_id": delivery_id}))
    };
    jobs::enqueue(conn, &spec, now)?;
    Ok(())
}

/// The signature of `body` sent at `timestamp` (the `X-Vakt-Signature` value).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends deliveries.
pub(crate) struct Deliver;

impl JobHandler for Deliver {
    fn kind(&self) -> &'static str {
        DELIVER
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &Value) -> Result<(), JobError> {
        let Some(id) = payload["delivery_id"].as_i64() else {
            return Err(JobError::Permanent("the payload has no delivery_id".into()));
        };
        let last_attempt = ctx.job.attempts >= ctx.job.max_attempts;
        ctx.services
            .deliver_webhook(id, last_attempt)
            .map_err(|e| JobError::Temporary(e.to_string()))?
    }
}

/// What one HTTP attempt brought.
struct Attempt {
    status: Option<u16>,
    excerpt: Option<String>,
    error: Option<String>,
    duration_ms: i64,
}

impl Attempt {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

impl Services {
    /// Makes one attempt at delivery `id`; the job's outcome (`last_attempt`: no retry follows).
    fn deliver_webhook(&self, id: i64, last_attempt: bool) -> ServiceResult<Result<(), JobError>> {
        let mut conn = self.conn()?;
        let Some(delivery) = repo::find(&mut conn, id)? else {
            return Ok(Ok(()));
        };
        if delivery.status != PENDING {
            // Finished by an earlier run whose job outcome was not recorded (a crash).
            return Ok(Ok(()));
        }
        let Some(hook) = hooks::find(&mut conn, delivery.webhook_id)? else {
            return Ok(Ok(()));
        };
        if !hook.enabled {
            // Stays pending; turning the webhook on again resumes it.
            return Ok(Ok(()));
        }
        let allow_private = super::load_settings(&mut conn)?.allow_private_targets;
        drop(conn);
        let attempt = self.send(&hook, &delivery, allow_private);
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            // Lane decisions one at a time (see `dispatch::add_delivery`).
            hooks::lock(conn, hook.id)?;
            let outcome = AttemptOutcome {
                response_status: attempt.status.map(i32::from),
                response_excerpt: attempt.excerpt.as_deref(),
                error: attempt.error.as_deref(),
                duration_ms: Some(attempt.duration_ms),
                last_attempt_at: Some(to_db(now)),
            };
            if attempt.succeeded() {
                if repo::record_attempt(conn, id, &outcome, Some((SUCCEEDED, to_db(now))))? {
                    hooks::record_success(conn, hook.id)?;
                    start_next(conn, &delivery, now)?;
                }
                return Ok(Ok(()));
            }
            let why = attempt
                .error
                .clone()
                .or_else(|| attempt.status.map(|s| format!("the receiver answered {s}")))
                .unwrap_or_else(|| "failed".into());
            let finish = last_attempt.then(|| (FAILED, to_db(now)));
            if !repo::record_attempt(conn, id, &outcome, finish)? {
                return Ok(Ok(()));
            }
            let failures = hooks::record_failure(conn, hook.id)?;
            let limit = super::load_settings(conn)?.disable_after_failures;
            let disabled =
                failures >= limit && self.disable(conn, &hook, &delivery, failures, now)?;
            if last_attempt {
                start_next(conn, &delivery, now)?;
                return Ok(Err(JobError::Permanent(format!("gave up: {why}"))));
            }
            if disabled {
                return Ok(Ok(()));
            }
            Ok(Err(JobError::Temporary(why)))
        })
    }

    /// POSTs the delivery's body to the webhook's URL.
    fn send(&self, hook: &WebhookRow, delivery: &DeliveryRow, allow_private: bool) -> Attempt {
        let started = Instant::now();
        let timestamp = self.now().timestamp();
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(StdDuration::from_secs(5))
            .timeout(StdDuration::from_secs(10))
            .redirects(0)
            .user_agent(concat!("Vakt-Webhooks/", env!("CARGO_PKG_VERSION")))
            // The addresses are checked where they are used, so a name cannot resolve to a
            // public address when the webhook is saved and to a private one now.
            .resolver(move |netloc: &str| {
                let (host, port) = split_netloc(netloc)?;
                ssrf::resolve_checked(&host, port, allow_private).map_err(|e| {
                    std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string())
                })
            })
            .build();
        let result = agent
            .post(&hook.url)
            .set("Content-Type", "application/json")
            .set(EVENT_ID_HEADER, &delivery.event_id)
            .set(EVENT_HEADER, &delivery.event_type)
            .set(DELIVERY_HEADER, &delivery.id.to_string())
            .set(TIMESTAMP_HEADER, &timestamp.to_string())
            .set(
                SIGNATURE_HEADER,
                &signature(&hook.secret, timestamp, &delivery.payload),
            )
            .send_string(&delivery.payload);
        let elapsed = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => Attempt {
                status: Some(response.status()),
                excerpt: Some(excerpt(response)),
                error: None,
                duration_ms: elapsed,
            },
            Err(ureq::Error::Transport(error)) => Attempt {
                status: None,
                excerpt: None,
                error: Some(error.to_string()),
                duration_ms: elapsed,
            },
        }
    }

    /// Turns `hook` off after `failures` failed attempts and notifies the administrators
    /// in-app (about the ticket whose event failed last); false when it was off already.
    fn disable(
        &self,
        conn: &mut DbConnection,
        hook: &WebhookRow,
        delivery: &DeliveryRow,
        failures: i32,
        now: DateTime<Utc>,
    ) -> ServiceResult<bool> {
        let reason = format!("{failures} failed attempts in a row");
        if !hooks::disable(conn, hook.id, &reason, to_db(now))? {
            return Ok(false);
        }
        log::warn!("webhook {} ({}) turned off: {reason}", hook.id, hook.url);
        let history_id = delivery
            .event_id
            .strip_prefix("evt_h")
            .and_then(|h| h.parse::<i64>().ok());
        let (Some(ticket_id), Some(history_id)) = (delivery.ticket_id, history_id) else {
            return Ok(true);
        };
        let subject = format!("Webhook \"{}\" was turned off", hook.name);
        let body = format!(
            "The webhook \"{}\" ({}) was turned off after {reason}. Its pending deliveries wait; \
             turn it on again in the webhook settings once the receiver works.",
            hook.name, hook.url
        );
        for admin in users::active_admin_ids(conn)? {
            inbox::insert(
                conn,
                &NewNotification {
                    user_id: admin,
                    event: DISABLED_EVENT,
                    ticket_id,
                    history_id,
                    actor_id: None,
                    subject: &subject,
                    body: &body,
                    created_at: to_db(now),
                },
            )?;
        }
        Ok(true)
    }
}

/// Starts the next waiting delivery of `finished`'s lane.
fn start_next(
    conn: &mut DbConnection,
    finished: &DeliveryRow,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if let Some(next) = repo::next_waiting(conn, finished.webhook_id, &finished.lane)?
        && repo::set_status(conn, next, WAITING, PENDING)?
    {
        enqueue(conn, next, now)?;
    }
    Ok(())
}

/// `host:port` (IPv6 hosts in brackets) as ureq hands it to the resolver.
fn split_netloc(netloc: &str) -> std::io::Result<(String, u16)> {
    let bad = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("bad address {netloc}"),
        )
    };
    let (host, port) = netloc.rsplit_once(':').ok_or_else(bad)?;
    let port = port.parse().map_err(|_| bad())?;
    Ok((
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port,
    ))
}

/// The start of a response body, as text.
fn excerpt(response: ureq::Response) -> String {
    let mut buf = Vec::new();
    let _ = response
        .into_reader()
        .take(EXCERPT as u64 * 4)
        .read_to_end(&mut buf);
    String::from_utf8_lossy(&buf)
        .chars()
        .take(EXCERPT)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'secret-secret-secret'
        let sig = signature("secret-secret-secret", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(
            sig,
            "sha256=fa345d5b654e6667128855e14a4938c54b5b813699e6b72c5c4f501aa493ba92"
        );
        assert_ne!(
            sig,
            signature("secret-secret-secret", 1_700_000_001, r#"{"a":1}"#)
        );
    }

    #[test]
    fn netlocs_split_into_host_and_port() {
        assert_eq!(
            split_netloc("example.com:443").unwrap(),
            ("example.com".into(), 443)
        );
        assert_eq!(split_netloc("[::1]:8080").unwrap(), ("::1".into(), 8080));
        assert!(split_netloc("example.com").is_err());
    }
}
