//! The periodic clean-up: finished jobs, expired refresh tokens, old login failures and
//! idempotency keys.

use chrono::Duration;
use vakt_persistence::repo::{idempotency, jobs, login_failures, refresh_tokens};
use vakt_persistence::time::to_db;

use super::{JobContext, JobError, JobHandler, Schedule};

/// Kind of the housekeeping job.
pub const KIND: &str = "housekeeping";

/// Deletes what nobody needs any more.
#[derive(Debug, Default)]
pub struct Housekeeping;

impl JobHandler for Housekeeping {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        let now = ctx.services.now();
        let mut conn = ctx
            .services
            .pool()
            .get()
            .map_err(|e| JobError::Temporary(e.to_string()))?;
        let temporary = |e: vakt_persistence::QueryError| JobError::Temporary(e.to_string());
        let jobs =
            jobs::purge_done(&mut conn, to_db(now - Duration::days(7))).map_err(temporary)?;
        let tokens = refresh_tokens::purge_expired(&mut conn, to_db(now - Duration::days(1)))
            .map_err(temporary)?;
        let idle_before = now - ctx.services.config().refresh_token_ttl - Duration::days(1);
        let sessions =
            vakt_persistence::repo::identity::sessions::purge_before(&mut conn, to_db(idle_before))
                .map_err(temporary)?;
        let failures = login_failures::purge_before(&mut conn, to_db(now - Duration::days(1)))
            .map_err(temporary)?;
        let keys = idempotency::purge_before(&mut conn, to_db(now - Duration::days(1)))
            .map_err(temporary)?;
        let deliveries = vakt_persistence::repo::webhooks::deliveries::purge_finished_before(
            &mut conn,
            to_db(now - crate::webhooks::KEEP_DELIVERIES),
        )
        .map_err(temporary)?;
        let account_tokens = vakt_persistence::repo::selfservice::purge_expired(
            &mut conn,
            to_db(now - Duration::days(1)),
        )
        .map_err(temporary)?;
        if jobs + tokens + sessions + failures + keys + deliveries + account_tokens > 0 {
            log::info!(
                "housekeeping removed {jobs} finished jobs, {tokens} expired refresh tokens, {sessions} old sessions, {failures} old login failures, {keys} idempotency keys, {deliveries} old webhook deliveries, {account_tokens} expired account tokens"
            );
        }
        Ok(())
    }
}

/// Runs housekeeping every hour.
pub fn schedule() -> Schedule {
    Schedule {
        key: KIND.into(),
        kind: KIND.into(),
        payload: serde_json::json!({}),
        every: Duration::hours(1),
    }
}
