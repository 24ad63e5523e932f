//! "Forgot password": a mailed single-use token sets a new password. Requests answer the same
//! for known and unknown addresses and do the same work on both paths (a throttle record and a
//! job; the job looks the address up), so neither the answer nor its timing tells whether an
//! account exists. Requests are throttled per address typed and per client address with the login
//! lockout's limits and table.

use chrono::{DateTime, Utc};
use vakt_domain::FieldErrors;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::identity::sessions;
use vakt_persistence::repo::selfservice as repo;
use vakt_persistence::repo::{login_failures, users};
use vakt_persistence::time::{from_db, to_db};

use super::mail;
use crate::auth::ClientInfo;
use crate::crypto::{hash_password, token_hash};
use crate::error::{ServiceError, ServiceResult};
use crate::users::check_password;
use crate::{LockoutPolicy, Services};

/// The purpose of password-reset tokens in `account_tokens`.
pub(crate) const PASSWORD_RESET: &str = "password_reset";

impl Services {
    /// Asks for a password-reset mail. Always `Ok(())` for a well-formed request, whether or
    /// not the address belongs to anyone: this only enqueues the job that, for a known, active
    /// user with a local password, mails a link to `/reset-password?token=…` that supersedes
    /// their earlier links.
    pub fn request_password_reset(&self, email: &str, client: &ClientInfo) -> ServiceResult<()> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let mut conn = self.conn()?;
        let subjects = throttle_subjects(self.config().lockout, "request", Some(&email), client);
        self.check_throttle(&mut conn, &subjects, now)?;
        // The same work for every address: the job looks it up.
        conn.write_transaction(|conn| {
            record_attempt(conn, &subjects, now)?;
            mail::enqueue_reset(conn, &email, now)
        })?;
        Ok(())
    }

    /// Sets a new password with a mailed token: the token is used up, the user's sessions and
    /// refresh tokens end. An unknown, used, superseded or expired token is refused (410 at the
    /// edge), as is a password the policy refuses (422 on `password`, the token stays valid).
    pub fn confirm_password_reset(
        &self,
        token: &str,
        password: &str,
        client: &ClientInfo,
    ) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        let subjects = throttle_subjects(self.config().lockout, "confirm", None, client);
        self.check_throttle(&mut conn, &subjects, now)?;
        if let Err(error) = check_password(password) {
            return Err(FieldErrors::single("password", error).into());
        }
        let found = repo::find_by_hash(&mut conn, PASSWORD_RESET, &token_hash(token))?;
        let refusal = match &found {
            None => Some(TokenRefusal::Unknown),
            Some(t) if t.used_at.is_some() => Some(TokenRefusal::Used),
            Some(t) if from_db(t.expires_at) <= now => Some(TokenRefusal::Expired),
            Some(_) => None,
        };
        if let Some(refusal) = refusal {
            conn.write_transaction(|conn| record_attempt(conn, &subjects, now))?;
            return Err(refusal.into());
        }
        let Some(found) = found else {
            return Err(TokenRefusal::Unknown.into());
        };
        let password_hash = hash_password(password)?;
        conn.write_transaction(|conn| {
            // Only one of two concurrent uses wins.
            if !repo::burn(conn, found.id, to_db(now))? {
                return Err(TokenRefusal::Used.into());
            }
            let user = users::find(conn, found.user_id)?.filter(|u| u.active);
            let Some(user) = user else {
                return Err(TokenRefusal::Unknown.into());
            };
            users::update(
                conn,
                user.id,
                &users::UserChanges {
                    password_hash: Some(Some(password_hash.clone())),
                    updated_at: Some(to_db(now)),
                    ..users::UserChanges::default()
                },
            )?;
            sessions::end_all_for_user(conn, user.id, None, to_db(now))?;
            vakt_persistence::repo::refresh_tokens::revoke_all_for_user(conn, user.id, to_db(now))?;
            login_failures::clear(conn, &format!("account:{}", user.email))?;
            log::info!("user {} set a new password with a reset link", user.id);
            Ok::<_, ServiceError>(())
        })
    }

    /// Refuses with 429 when a subject reached the lockout policy's limits in its window.
    fn check_throttle(
        &self,
        conn: &mut DbConnection,
        subjects: &[(String, i64)],
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let policy = self.config().lockout;
        let mut unlock: Option<DateTime<Utc>> = None;
        for (subject, max) in subjects {
            let (count, oldest) = login_failures::since(conn, subject, to_db(now - policy.window))?;
            if count >= *max {
                let at = oldest.map_or(now, |t| from_db(t) + policy.window);
                unlock = Some(unlock.map_or(at, |u| u.max(at)));
            }
        }
        match unlock {
            Some(at) => {
                log::warn!("password reset throttled for {subjects:?}");
                Err(ServiceError::TooManyAttempts {
                    retry_after_secs: u64::try_from((at - now).num_seconds().max(1)).unwrap_or(1),
                })
            }
            None => Ok(()),
        }
    }
}

/// Why a reset token is refused.
#[derive(Debug, Clone, Copy)]
enum TokenRefusal {
    Unknown,
    Used,
    Expired,
}

impl From<TokenRefusal> for ServiceError {
    fn from(refusal: TokenRefusal) -> Self {
        let (code, detail) = match refusal {
            TokenRefusal::Unknown => (
                "reset_token_invalid",
                "This password-reset link is not valid. Ask for a new one.",
            ),
            TokenRefusal::Used => (
                "reset_token_used",
                "This password-reset link was already used or replaced by a newer one. Ask for a new one.",
            ),
            TokenRefusal::Expired => (
                "reset_token_expired",
                "This password-reset link has expired. Ask for a new one.",
            ),
        };
        ServiceError::Gone {
            code,
            detail: detail.into(),
        }
    }
}

/// The throttle subjects of a reset step with their limits: the address typed (requests only)
/// and the client address, in the login lockout's table under their own prefix.
fn throttle_subjects(
    policy: LockoutPolicy,
    step: &str,
    email: Option<&str>,
    client: &ClientInfo,
) -> Vec<(String, i64)> {
    let mut subjects = Vec::new();
    if let Some(email) = email {
        subjects.push((
            format!("reset-{step}:account:{email}"),
            policy.max_failures_per_account,
        ));
    }
    if let Some(address) = &client.address {
        subjects.push((
            format!("reset-{step}:address:{address}"),
            policy.max_failures_per_address,
        ));
    }
    subjects
}

fn record_attempt(
    conn: &mut DbConnection,
    subjects: &[(String, i64)],
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let names: Vec<&str> = subjects.iter().map(|(s, _)| s.as_str()).collect();
    login_failures::record(conn, &names, to_db(now))?;
    Ok(())
}
