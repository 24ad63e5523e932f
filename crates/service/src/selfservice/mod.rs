//! Self-service accounts (issue 19 point 4): "forgot password" by email for customers and
//! agents. A request only enqueues a job (the same work for every address); the job mails a
//! single-use token (random, stored only as its hash, expiring) to a known user; presenting it
//! sets a new password and ends the user's sessions.

mod mail;
mod password_reset;

use chrono::Duration;

use crate::jobs::Registry;

/// Settings of self-service accounts.
#[derive(Debug, Clone)]
pub struct SelfServiceConfig {
    /// How long a mailed password-reset token is valid (`VAKT_PASSWORD_RESET_TTL_SECONDS`).
    pub password_reset_ttl: Duration,
}

impl Default for SelfServiceConfig {
    fn default() -> Self {
        SelfServiceConfig {
            password_reset_ttl: Duration::hours(1),
        }
    }
}

/// Registers the job that sends self-service mail.
pub fn register(registry: &mut Registry) {
    registry.handle(mail::SendPasswordReset);
}
