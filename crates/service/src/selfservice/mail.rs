//! `send_password_reset`: the job behind every password-reset request. The request only
//! enqueues it (the same work for known and unknown addresses); the job looks the address up
//! and, for an active user with a local password, stores a new token (superseding older ones)
//! and mails the link through the configured transport, with the job system's retries. The
//! token exists in clear only in the mail: neither the token table nor the job holds it. A retry
//! after a failed send makes a new token, which supersedes the one that was never delivered.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vakt_mail::{Address, AutoSubmitted, ComposedMessage, OutgoingMessage};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::selfservice::{self as repo, NewAccountToken};
use vakt_persistence::repo::users;
use vakt_persistence::time::to_db;

use super::password_reset::PASSWORD_RESET;
use crate::Services;
use crate::crypto::{random_token, token_hash};
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{self, JobContext, JobError, JobHandler, JobSpec};

/// The job kind that handles one password-reset request.
pub(crate) const SEND_PASSWORD_RESET: &str = "send_password_reset";
/// Random bytes in a token (base64url in the link).
const TOKEN_BYTES: usize = 32;

/// The job's payload: the address as typed (trimmed, lower case).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ResetRequest {
    email: String,
}

/// Enqueues the job for a request inside the caller's transaction.
pub(crate) fn enqueue_reset(
    conn: &mut DbConnection,
    email: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let payload = serde_json::json!({ "email": email });
    jobs::enqueue(conn, &JobSpec::new(SEND_PASSWORD_RESET, payload), now)?;
    Ok(())
}

/// A self-service email to compose.
struct AccountMail {
    /// Unique per mail; also the Message-ID's local part.
    key: String,
    /// `password_reset`.
    purpose: &'static str,
    to: String,
    name: String,
    subject: String,
    body: String,
}

impl Services {
    /// Stores a new reset token for the address's user, if it has an active one with a local
    /// password, and returns the mail with its link.
    fn prepare_reset_mail(&self, email: &str) -> ServiceResult<Option<AccountMail>> {
        let now = self.now();
        let mut conn = self.conn()?;
        let Some(user) = users::find_by_email(&mut conn, email)?
            .filter(|u| u.active && u.password_hash.is_some())
        else {
            return Ok(None);
        };
        let ttl = self.config().selfservice.password_reset_ttl;
        let token = random_token(TOKEN_BYTES);
        let id = conn.write_transaction(|conn| {
            repo::supersede(conn, user.id, PASSWORD_RESET, to_db(now))?;
            repo::insert(
                conn,
                &NewAccountToken {
                    user_id: user.id,
                    purpose: PASSWORD_RESET,
                    token_hash: &token_hash(&token),
                    created_at: to_db(now),
                    expires_at: to_db(now + ttl),
                },
            )
        })?;
        let base = self.config().notifications.public_url.trim_end_matches('/');
        let link = format!("{base}/reset-password?token={token}");
        let minutes = ttl.num_minutes().max(1);
        let body = format!(
            "Hello {name},\n\nsomeone (hopefully you) asked to reset the password of your account \
             {email}. To choose a new password, open this link within {minutes} minutes:\n\n\
             {link}\n\nThe link works once. If you did not ask for this, ignore this mail: your \
             password stays as it is.\n",
            name = user.name,
            email = user.email,
        );
        log::info!("password reset token {id} made for user {}", user.id);
        Ok(Some(AccountMail {
            key: format!("account-token:{id}"),
            purpose: PASSWORD_RESET,
            to: user.email,
            name: user.name,
            subject: "Reset your password".into(),
            body,
        }))
    }

    /// Composes a self-service email from the default sender.
    fn compose_account_mail(&self, mail: &AccountMail) -> ServiceResult<ComposedMessage> {
        let cfg = &self.config().mail;
        let local: String = mail
            .key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
            .collect();
        let message = OutgoingMessage {
            from: Address {
                name: None,
                address: cfg.default_sender.clone(),
            },
            to: vec![Address {
                name: Some(mail.name.clone()).filter(|n| !n.is_empty()),
                address: mail.to.clone(),
            }],
            subject: mail.subject.clone(),
            text: mail.body.clone(),
            message_id: Some(format!("{local}@{}", cfg.domain)),
            auto_submitted: Some(AutoSubmitted::AutoGenerated),
            extra_headers: vec![
                ("X-Loop".into(), cfg.default_sender.clone()),
                ("X-Auto-Response-Suppress".into(), "All".into()),
                ("X-Vakt-Account-Mail".into(), mail.purpose.into()),
            ],
            ..OutgoingMessage::default()
        };
        vakt_mail::compose(&message, &cfg.domain)
            .map_err(|e| ServiceError::invalid("message", "invalid", e.to_string()))
    }
}

/// Handles one password-reset request: a token and a mail for a known address, nothing else.
pub(crate) struct SendPasswordReset;

impl JobHandler for SendPasswordReset {
    fn kind(&self) -> &'static str {
        SEND_PASSWORD_RESET
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let request: ResetRequest = serde_json::from_value(payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        let services = ctx.services;
        // Checked before a token is made, so that waiting for a transport makes none.
        let Some(transport) = &services.config().mail.transport else {
            return Err(JobError::Temporary(
                "no mail transport is configured; the password reset waits".into(),
            ));
        };
        let mail = match services.prepare_reset_mail(&request.email) {
            Ok(Some(mail)) => mail,
            Ok(None) => return Ok(()),
            Err(error) => return Err(JobError::Temporary(error.to_string())),
        };
        let composed = services
            .compose_account_mail(&mail)
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        match crate::mail::deliver(ctx.runtime, transport, &composed) {
            Ok(()) => {
                log::info!(
                    "account mail {} sent as <{}>",
                    mail.purpose,
                    composed.message_id
                );
                Ok(())
            }
            Err(error) if error.is_temporary() => Err(JobError::Temporary(error.to_string())),
            Err(error) => Err(JobError::Permanent(error.to_string())),
        }
    }
}
