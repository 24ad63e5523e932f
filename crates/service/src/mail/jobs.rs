//! The mail jobs: `send_mail` (one outbound article), `poll_mail_account` (one account) and the
//! periodic `mail_housekeeping` (enqueue due polls, retry stale or temporarily failed messages).

use chrono::Duration;
use serde_json::json;

use super::outbound::SEND_MAIL;
use crate::error::ServiceError;
use crate::jobs::{JobContext, JobError, JobHandler, Registry, Schedule};

/// The job kind that polls one mail account.
pub(crate) const POLL_ACCOUNT: &str = "poll_mail_account";
/// The periodic mail housekeeping job.
pub(crate) const HOUSEKEEPING: &str = "mail_housekeeping";

/// Registers the mail jobs and the housekeeping schedule.
pub fn register(registry: &mut Registry) {
    registry
        .handle(SendMail)
        .handle(PollAccount)
        .handle(Housekeeping)
        .every(Schedule {
            key: HOUSEKEEPING.into(),
            kind: HOUSEKEEPING.into(),
            payload: json!({}),
            every: Duration::seconds(15),
        });
}

fn id_of(payload: &serde_json::Value, field: &str) -> Result<i64, JobError> {
    payload[field]
        .as_i64()
        .ok_or_else(|| JobError::Permanent(format!("the payload has no {field}")))
}

/// Sends one outbound article.
struct SendMail;

impl JobHandler for SendMail {
    fn kind(&self) -> &'static str {
        SEND_MAIL
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let article_id = id_of(payload, "article_id")?;
        let services = ctx.services;
        let cfg = &services.config().mail;
        let record = |status: &str, error: Option<&str>| {
            services
                .record_delivery(article_id, status, error)
                .map_err(|e| JobError::Temporary(format!("cannot record the delivery: {e}")))
        };
        let prepared = match services.prepare_outbound(article_id) {
            Ok(Some(prepared)) => prepared,
            Ok(None) => return Ok(()),
            Err(error @ (ServiceError::Validation(_) | ServiceError::NotFound(_))) => {
                let message = error.to_string();
                record("failed", Some(&message))?;
                return Err(JobError::Permanent(message));
            }
            Err(error) => return Err(JobError::Temporary(error.to_string())),
        };
        let Some(transport) = &cfg.transport else {
            let message = "no mail transport is configured (VAKT_SMTP_HOST, VAKT_SENDMAIL or VAKT_MAIL_FILE_DIR); the mail waits in the outbox";
            record("queued", Some(message))?;
            return Err(JobError::Temporary(message.into()));
        };
        let composed = &prepared.composed;
        let sent = super::outbound::deliver(ctx.runtime, transport, composed);
        match sent {
            Ok(()) => {
                record("sent", None)?;
                log::info!("article {article_id} sent as <{}>", composed.message_id);
                Ok(())
            }
            Err(error) => {
                let message = error.to_string();
                if error.is_temporary() && prepared.attempts + 1 < cfg.send_attempts {
                    record("queued", Some(&message))?;
                    Err(JobError::Temporary(message))
                } else {
                    record("failed", Some(&message))?;
                    Err(JobError::Permanent(message))
                }
            }
        }
    }
}

/// Polls one mail account.
struct PollAccount;

impl JobHandler for PollAccount {
    fn kind(&self) -> &'static str {
        POLL_ACCOUNT
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let account_id = id_of(payload, "account_id")?;
        ctx.services
            .poll_mail_account(ctx.runtime, account_id)
            .map(|_| ())
            .map_err(|e| JobError::Temporary(e.to_string()))
    }
}

/// Enqueues due polls and retries messages whose processing stalled or failed temporarily.
struct Housekeeping;

impl JobHandler for Housekeeping {
    fn kind(&self) -> &'static str {
        HOUSEKEEPING
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        ctx.services
            .mail_housekeeping()
            .map(|_| ())
            .map_err(|e| JobError::Temporary(e.to_string()))
    }
}
