//! Mail accounts (IMAP/POP3) and polling them: each message is fetched, ingested (stored raw,
//! then processed) and deleted on the server only after that committed.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_mail::{FetchConfig, Fetcher, Protocol, TlsMode};
use vakt_persistence::repo::mail_accounts::{self, MailAccountRow, MailAccountValues};
use vakt_persistence::repo::mail_messages;
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::unique_violation;

use super::ingest::{InboundOptions, MAX_AUTOMATIC_ATTEMPTS, Outcome, Source};
use super::jobs::POLL_ACCOUNT;
use diesel::Connection as _;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{self, JobSpec};
use crate::users::require_admin;

/// Messages fetched per poll at most (the rest waits for the next poll).
const MAX_PER_POLL: usize = 200;

/// A mail account as administrators see it (never with its password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAccount {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `imap` or `pop3`.
    pub protocol: String,
    /// Host.
    pub host: String,
    /// Port.
    pub port: i32,
    /// `tls`, `starttls` or `none`.
    pub tls: String,
    /// Login.
    pub username: String,
    /// IMAP folder.
    pub folder: String,
    /// Target queue; `None` dispatches by recipient address.
    pub queue_id: Option<i64>,
    /// Seconds between polls.
    pub poll_interval_seconds: i32,
    /// Polled.
    pub enabled: bool,
    /// Self-signed certificates accepted.
    pub accept_invalid_certs: bool,
    /// Last poll.
    pub last_poll_at: Option<DateTime<Utc>>,
    /// Its error, if it failed.
    pub last_error: Option<String>,
    /// Next poll.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<MailAccountRow> for MailAccount {
    fn from(r: MailAccountRow) -> Self {
        MailAccount {
            id: r.id,
            name: r.name,
            protocol: r.protocol,
            host: r.host,
            port: r.port,
            tls: r.tls,
            username: r.username,
            folder: r.folder,
            queue_id: r.queue_id,
            poll_interval_seconds: r.poll_interval_seconds,
            enabled: r.enabled,
            accept_invalid_certs: r.accept_invalid_certs,
            last_poll_at: r.last_poll_at.map(from_db),
            last_error: r.last_error,
            next_poll_at: r.next_poll_at.map(from_db),
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        }
    }
}

/// A new account, or all fields of a changed one (`password: None` keeps the stored one).
#[derive(Debug, Clone, Default)]
pub struct MailAccountInput {
    /// Name.
    pub name: String,
    /// `imap` or `pop3`.
    pub protocol: String,
    /// Host.
    pub host: String,
    /// Port (default: 993/995 with TLS, else 143/110).
    pub port: Option<i32>,
    /// `tls`, `starttls` or `none` (default `tls`).
    pub tls: Option<String>,
    /// Login.
    pub username: String,
    /// Password (required for new accounts).
    pub password: Option<String>,
    /// IMAP folder (default `INBOX`).
    pub folder: Option<String>,
    /// Target queue; `None` dispatches by recipient.
    pub queue_id: Option<i64>,
    /// Seconds between polls, 10–86400 (default 60).
    pub poll_interval_seconds: Option<i32>,
    /// Polled (default true).
    pub enabled: Option<bool>,
    /// Accept self-signed certificates (default false).
    pub accept_invalid_certs: Option<bool>,
}

fn validate(services: &Services, input: &MailAccountInput, creating: bool) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    let mut text = |field: &str, value: &str, max: usize| {
        if value.trim().is_empty() {
            errors.add(field, ValidationError::new("required", "must not be empty"));
        } else if value.chars().count() > max || value.contains(['\r', '\n']) {
            errors.add(
                field,
                ValidationError::new(
                    "too_long",
                    format!("must be one line of at most {max} characters"),
                ),
            );
        }
    };
    text("name", &input.name, 100);
    text("host", &input.host, 255);
    text("username", &input.username, 255);
    if let Some(folder) = &input.folder {
        text("folder", folder, 255);
    }
    if !["imap", "pop3"].contains(&input.protocol.as_str()) {
        errors.add(
            "protocol",
            ValidationError::new("invalid", "must be imap or pop3"),
        );
    }
    if input
        .tls
        .as_deref()
        .is_some_and(|t| !["tls", "starttls", "none"].contains(&t))
    {
        errors.add(
            "tls",
            ValidationError::new("invalid", "must be tls, starttls or none"),
        );
    }
    if input.port.is_some_and(|p| !(1..=65535).contains(&p)) {
        errors.add(
            "port",
            ValidationError::new("out_of_range", "must be between 1 and 65535"),
        );
    }
    if input
        .poll_interval_seconds
        .is_some_and(|p| !(10..=86_400).contains(&p))
    {
        errors.add(
            "poll_interval_seconds",
            ValidationError::new("out_of_range", "must be between 10 and 86400"),
        );
    }
    match &input.password {
        None if creating => errors.add("password", ValidationError::new("required", "is required")),
        Some(p) if p.is_empty() || p.len() > 1000 => {
            errors.add(
                "password",
                ValidationError::new("invalid_length", "must be 1 to 1000 bytes"),
            );
        }
        _ => {}
    }
    if let Some(queue) = input.queue_id {
        let mut conn = services.conn()?;
        if vakt_persistence::repo::queues::find(&mut conn, queue)?.is_none() {
            errors.add(
                "queue_id",
                ValidationError::new("not_found", "no such queue"),
            );
        }
    }
    Ok(errors.into_result()?)
}

fn name_taken(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "a mail account with this name exists".into(),
        },
        None => error.into(),
    }
}

fn poll_job(id: i64) -> JobSpec {
    JobSpec {
        unique_key: Some(format!("{POLL_ACCOUNT}:{id}")),
        max_attempts: 1,
        ..JobSpec::new(POLL_ACCOUNT, json!({ "account_id": id }))
    }
}

impl Services {
    /// All mail accounts (administrators).
    pub fn list_mail_accounts(&self, actor: &Principal) -> ServiceResult<Vec<MailAccount>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        Ok(mail_accounts::list(&mut conn)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// One mail account (administrators).
    pub fn get_mail_account(&self, actor: &Principal, id: i64) -> ServiceResult<MailAccount> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        mail_accounts::find(&mut conn, id)?
            .map(Into::into)
            .ok_or(ServiceError::NotFound("mail account"))
    }

    /// Creates (`id: None`) or replaces a mail account, and plans its next poll now.
    pub fn save_mail_account(
        &self,
        actor: &Principal,
        id: Option<i64>,
        input: MailAccountInput,
    ) -> ServiceResult<MailAccount> {
        require_admin(actor)?;
        validate(self, &input, id.is_none())?;
        let now = self.now();
        let mut conn = self.conn()?;
        let existing = match id {
            Some(id) => Some(
                mail_accounts::find(&mut conn, id)?
                    .ok_or(ServiceError::NotFound("mail account"))?,
            ),
            None => None,
        };
        let tls = input.tls.clone().unwrap_or_else(|| "tls".into());
        let default_port = match (input.protocol.as_str(), tls.as_str()) {
            ("imap", "tls") => 993,
            ("imap", _) => 143,
            (_, "tls") => 995,
            _ => 110,
        };
        let password = match (&input.password, &existing) {
            (Some(p), _) => p.clone(),
            (None, Some(e)) => e.password.clone(),
            (None, None) => String::new(),
        };
        let enabled = input.enabled.unwrap_or(true);
        let values = MailAccountValues {
            name: input.name.trim(),
            protocol: &input.protocol,
            host: input.host.trim(),
            port: input.port.unwrap_or(default_port),
            tls: &tls,
            username: input.username.trim(),
            password: &password,
            folder: input.folder.as_deref().map_or("INBOX", str::trim),
            queue_id: Some(input.queue_id),
            poll_interval_seconds: input.poll_interval_seconds.unwrap_or(60),
            enabled,
            accept_invalid_certs: input.accept_invalid_certs.unwrap_or(false),
            next_poll_at: Some(enabled.then(|| to_db(now))),
            updated_at: to_db(now),
        };
        let id = conn.write_transaction(|conn| {
            let id = match id {
                Some(id) => {
                    mail_accounts::update(conn, id, &values).map_err(name_taken)?;
                    id
                }
                None => conn
                    .transaction(|conn| mail_accounts::insert(conn, &values, to_db(now)))
                    .map_err(name_taken)?,
            };
            if enabled {
                jobs::enqueue(conn, &poll_job(id), now)?;
            }
            Ok::<_, ServiceError>(id)
        })?;
        log::info!("user {} saved mail account {id}", actor.user_id);
        self.get_mail_account(actor, id)
    }

    /// Deletes a mail account (its received messages stay).
    pub fn delete_mail_account(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        if !mail_accounts::delete(&mut conn, id)? {
            return Err(ServiceError::NotFound("mail account"));
        }
        log::info!("user {} deleted mail account {id}", actor.user_id);
        Ok(())
    }

    /// Asks for a poll of an account now (administrators).
    pub fn poll_mail_account_now(&self, actor: &Principal, id: i64) -> ServiceResult<MailAccount> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        mail_accounts::find(&mut conn, id)?.ok_or(ServiceError::NotFound("mail account"))?;
        jobs::enqueue(&mut conn, &poll_job(id), now)?;
        self.get_mail_account(actor, id)
    }

    /// Polls one account: fetch, ingest, and delete each message on the server once it is
    /// processed (or ignored, or left in the quarantine after repeated failures). A message
    /// whose processing failed stays on the server and is tried again next poll. Returns how
    /// many messages were removed from the server.
    pub fn poll_mail_account(
        &self,
        runtime: &tokio::runtime::Runtime,
        id: i64,
    ) -> ServiceResult<usize> {
        let mut conn = self.conn()?;
        let Some(account) = mail_accounts::find(&mut conn, id)? else {
            return Ok(0);
        };
        drop(conn);
        if !account.enabled {
            return Ok(0);
        }
        let started = self.now();
        let result = runtime.block_on(self.fetch_all(&account));
        let error = result.as_ref().err().map(ToString::to_string);
        if let Some(error) = &error {
            log::warn!(
                "polling mail account {} ({}) failed: {error}",
                account.id,
                account.name
            );
        }
        let next = started + Duration::seconds(i64::from(account.poll_interval_seconds.max(10)));
        let mut conn = self.conn()?;
        mail_accounts::record_poll(
            &mut conn,
            id,
            to_db(self.now()),
            error.as_deref(),
            to_db(next),
        )?;
        result
    }

    async fn fetch_all(&self, account: &MailAccountRow) -> ServiceResult<usize> {
        let config = FetchConfig {
            protocol: if account.protocol == "pop3" {
                Protocol::Pop3
            } else {
                Protocol::Imap
            },
            host: account.host.clone(),
            port: u16::try_from(account.port).unwrap_or(143),
            tls: match account.tls.as_str() {
                "none" => TlsMode::None,
                "starttls" => TlsMode::StartTls,
                _ => TlsMode::Tls,
            },
            username: account.username.clone(),
            password: account.password.clone(),
            folder: account.folder.clone(),
            move_to: None,
            accept_invalid_certs: account.accept_invalid_certs,
            timeout: std::time::Duration::from_secs(30),
        };
        let unavailable =
            |e: vakt_mail::MailError| ServiceError::Unavailable(format!("mail server: {e}"));
        let mut fetcher = Fetcher::connect(&config).await.map_err(unavailable)?;
        let uids = fetcher.list().await.map_err(unavailable)?;
        let mut removed = 0;
        let mut failure = None;
        for uid in uids.iter().take(MAX_PER_POLL) {
            let raw = match fetcher.fetch(uid).await {
                Ok(raw) => raw,
                Err(error) => {
                    failure = Some(unavailable(error));
                    break;
                }
            };
            let options = InboundOptions::default();
            let result = match self.ingest(&raw, Source::Account(account.id), &options) {
                Ok(result) => result,
                Err(error) => {
                    // Not even stored: leave it on the server and stop (the database is down).
                    failure = Some(error);
                    break;
                }
            };
            let settled = result.outcome != Outcome::Quarantined || {
                let mut conn = self.conn()?;
                mail_messages::find(&mut conn, result.mail_id)?
                    .is_some_and(|m| m.attempts >= MAX_AUTOMATIC_ATTEMPTS)
            };
            if settled {
                if let Err(error) = fetcher.delete(uid).await {
                    failure = Some(unavailable(error));
                    break;
                }
                removed += 1;
            }
        }
        let closed = fetcher.close().await.map_err(unavailable);
        match failure {
            Some(error) => Err(error),
            None => closed.map(|()| removed),
        }
    }

    /// Enqueues the polls that are due and retries messages whose processing stalled
    /// (`pending` for over two minutes) or failed temporarily. Returns how many it touched.
    pub fn mail_housekeeping(&self) -> ServiceResult<usize> {
        let now = self.now();
        let mut conn = self.conn()?;
        let due = mail_accounts::due(&mut conn, to_db(now))?;
        for id in &due {
            jobs::enqueue(&mut conn, &poll_job(*id), now)?;
        }
        let stale = to_db(now - Duration::minutes(2));
        let retry = mail_messages::due_for_retry(&mut conn, to_db(now), stale, 50)?;
        drop(conn);
        for id in &retry {
            self.process_stored(*id)?;
        }
        Ok(due.len() + retry.len())
    }
}
