//! Settings: command-line flag > environment variable > TOML file (`VAKT_CONFIG`) > default.
//! One struct serves as the clap arguments and the file format, so the three cannot drift.

use std::path::PathBuf;

use clap::Args;
use serde::Deserialize;

mod sections;

/// Where a setting value may come from; every field is optional until resolved.
#[derive(Debug, Clone, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "VAKT_BIND", value_name = "ADDR:PORT")]
    pub bind: Option<String>,

    /// Database: sqlite://<path> or postgres://user:password@host:port/db [default: sqlite://./data/vakt.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Largest number of database connections of this process [default: 10]
    #[arg(long, env = "VAKT_DB_POOL_SIZE", value_name = "N")]
    pub db_pool_size: Option<u32>,

    /// Seconds to keep retrying the database at start-up (e.g. while PostgreSQL boots) [default: 30]
    #[arg(long, env = "VAKT_DB_CONNECT_TIMEOUT", value_name = "SECONDS")]
    pub db_connect_timeout: Option<u64>,

    /// Email of the administrator created on the first start against an empty database [default: admin@localhost]
    #[arg(long, env = "VAKT_ADMIN_EMAIL", value_name = "EMAIL")]
    pub admin_email: Option<String>,

    /// Password of that first administrator; when unset a random one is generated and printed once
    #[arg(
        long,
        env = "VAKT_ADMIN_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,

    /// Folder of the built web interface, served at / [default: ./frontend/dist]
    #[arg(long, env = "VAKT_STATIC_DIR", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// HTTP worker threads [default: number of CPUs]
    #[arg(long, env = "VAKT_WORKERS", value_name = "N")]
    pub workers: Option<usize>,

    /// Lifetime of an access token (JWT), in minutes [default: 15]
    #[arg(long, env = "VAKT_ACCESS_TOKEN_MINUTES", value_name = "MINUTES")]
    pub access_token_minutes: Option<i64>,

    /// Lifetime of a refresh token (how long a session may stay idle), in days [default: 30]
    #[arg(long, env = "VAKT_REFRESH_TOKEN_DAYS", value_name = "DAYS")]
    pub refresh_token_days: Option<i64>,

    /// Failed logins on one account within the lockout window before it is locked [default: 5]
    #[arg(long, env = "VAKT_LOGIN_MAX_FAILURES", value_name = "N")]
    pub login_max_failures: Option<i64>,

    /// Failed logins from one client address within the lockout window before it is locked [default: 30]
    #[arg(long, env = "VAKT_LOGIN_MAX_FAILURES_PER_ADDRESS", value_name = "N")]
    pub login_max_failures_per_address: Option<i64>,

    /// Length of the lockout window, in minutes [default: 15]
    #[arg(long, env = "VAKT_LOGIN_LOCKOUT_MINUTES", value_name = "MINUTES")]
    pub login_lockout_minutes: Option<i64>,

    /// Trust X-Forwarded-For for the client address (only behind your own reverse proxy) [default: false]
    #[arg(long, env = "VAKT_TRUST_FORWARDED_FOR", value_name = "BOOL")]
    pub trust_forwarded_for: Option<bool>,

    /// Largest JSON request body, in bytes [default: 1048576]
    #[arg(long, env = "VAKT_MAX_JSON_BODY_BYTES", value_name = "BYTES")]
    pub max_json_body_bytes: Option<usize>,

    /// If set, /metrics requires this bearer token
    #[arg(
        long,
        env = "VAKT_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// Seconds to let running requests finish after SIGTERM [default: 30]
    #[arg(long, env = "VAKT_SHUTDOWN_TIMEOUT", value_name = "SECONDS")]
    pub shutdown_timeout: Option<u64>,

    /// Ticket numbers: "date" (YYYYMMDD + system id + daily counter) or "counter" (system id + counter) [default: date]
    #[arg(long, env = "VAKT_TICKET_NUMBER_FORMAT", value_name = "FORMAT")]
    pub ticket_number_format: Option<String>,

    /// Installation id inside ticket numbers, 1-4 digits [default: 10]
    #[arg(long, env = "VAKT_SYSTEM_ID", value_name = "DIGITS")]
    pub system_id: Option<String>,

    /// Largest attachment, in bytes [default: 26214400 (25 MB)]
    #[arg(long, env = "VAKT_MAX_ATTACHMENT_BYTES", value_name = "BYTES")]
    pub max_attachment_bytes: Option<usize>,

    /// Largest multipart upload as a whole, in bytes [default: 104857600 (100 MB)]
    #[arg(long, env = "VAKT_MAX_UPLOAD_BYTES", value_name = "BYTES")]
    pub max_upload_bytes: Option<usize>,

    /// Days after closing when a ticket is archived: searches leave it out unless asked [default: 365]
    #[arg(long, env = "VAKT_ARCHIVE_AFTER_DAYS", value_name = "DAYS")]
    pub archive_after_days: Option<i64>,

    /// Longest a full-text search statement may run on PostgreSQL, in milliseconds; a longer one is answered 422 `too_broad` [default: 10000]
    #[arg(long, env = "VAKT_SEARCH_TIMEOUT_MS", value_name = "MS")]
    pub search_timeout_ms: Option<i64>,

    /// Background job worker threads in this process; 0 runs no background work here [default: 2]
    #[arg(long, env = "VAKT_JOB_WORKERS", value_name = "N")]
    pub job_workers: Option<usize>,

    /// Milliseconds an idle job worker waits before looking for due jobs again [default: 1000]
    #[arg(long, env = "VAKT_JOB_POLL_MS", value_name = "MS")]
    pub job_poll_ms: Option<u64>,

    /// Seconds a claimed job is reserved for its worker; a job whose process died is taken
    /// over after this (webhook deliveries, mail) [default: 300]
    #[arg(long, env = "VAKT_JOB_LEASE_SECONDS", value_name = "SECONDS")]
    pub job_lease_seconds: Option<i64>,

    /// Seconds between runs of the SLA escalation check and the pending check (pending auto
    /// changes, reminders) [default: 60]
    #[arg(long, env = "VAKT_SLA_CHECK_SECONDS", value_name = "SECONDS")]
    pub sla_check_seconds: Option<i64>,

    /// Log filter in env_logger syntax, e.g. "info" or "info,vakt::access=warn" [default: info]
    #[arg(long, env = "VAKT_LOG", value_name = "FILTER")]
    pub log: Option<String>,

    /// SMTP server for outgoing mail (unset: VAKT_SENDMAIL, else VAKT_MAIL_FILE_DIR, else mail waits in the outbox)
    #[arg(long, env = "VAKT_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port [default: 587 with starttls, 465 with tls, 25 with none]
    #[arg(long, env = "VAKT_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,

    /// SMTP connection security: starttls, tls or none [default: starttls]
    #[arg(long, env = "VAKT_SMTP_TLS", value_name = "MODE")]
    pub smtp_tls: Option<String>,

    /// SMTP user name (AUTH); unset sends without authentication
    #[arg(long, env = "VAKT_SMTP_USER", value_name = "USER")]
    pub smtp_user: Option<String>,

    /// SMTP password
    #[arg(
        long,
        env = "VAKT_SMTP_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,

    /// Send through this local sendmail program instead of SMTP, e.g. /usr/sbin/sendmail
    #[arg(long, env = "VAKT_SENDMAIL", value_name = "PATH")]
    pub sendmail: Option<std::path::PathBuf>,

    /// Write outgoing mail as .eml files into this folder instead of sending it (development)
    #[arg(long, env = "VAKT_MAIL_FILE_DIR", value_name = "DIR")]
    pub mail_file_dir: Option<std::path::PathBuf>,

    /// Domain of generated Message-IDs; mail with such a Message-ID is recognised as our own [default: vakt.localhost]
    #[arg(long, env = "VAKT_MAIL_DOMAIN", value_name = "DOMAIN")]
    pub mail_domain: Option<String>,

    /// Sender address of queues without their own address; also the X-Loop value [default: helpdesk@localhost]
    #[arg(long, env = "VAKT_MAIL_FROM", value_name = "EMAIL")]
    pub mail_from: Option<String>,

    /// The tag in subjects, [<tag>#<number>] [default: Ticket]
    #[arg(long, env = "VAKT_TICKET_TAG", value_name = "TAG")]
    pub ticket_tag: Option<String>,

    /// Automatic answers (auto-replies, rejections) per sender address and day [default: 40]
    #[arg(long, env = "VAKT_MAIL_AUTO_ANSWER_CAP", value_name = "N")]
    pub mail_auto_answer_cap: Option<i64>,

    /// Largest inbound email accepted, in bytes [default: 52428800 (50 MB)]
    #[arg(long, env = "VAKT_MAX_MAIL_BYTES", value_name = "BYTES")]
    pub max_mail_bytes: Option<usize>,

    /// Queue of new tickets from mail that nothing else routes [default: General]
    #[arg(long, env = "VAKT_MAIL_DEFAULT_QUEUE", value_name = "NAME")]
    pub mail_default_queue: Option<String>,

    /// Address of the web interface as users reach it, for links in notifications [default: http://<VAKT_BIND>]
    #[arg(long, env = "VAKT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Longest wait for a history entry whose transaction has not committed before notifications and live updates pass it (PostgreSQL usually decides sooner) [default: 60]
    #[arg(long, env = "VAKT_EVENT_GAP_SECONDS", value_name = "SECONDS")]
    pub event_gap_seconds: Option<i64>,

    /// How often each server process reads new events for its live-update streams, in milliseconds [default: 1000]
    #[arg(long, env = "VAKT_LIVE_POLL_MS", value_name = "MS")]
    pub live_poll_ms: Option<u64>,

    /// Seconds between heartbeats on an idle live-update stream [default: 15]
    #[arg(long, env = "VAKT_LIVE_HEARTBEAT_SECONDS", value_name = "SECONDS")]
    pub live_heartbeat_seconds: Option<u64>,

    /// How long a mailed password-reset link works, in seconds [default: 3600]
    #[arg(long, env = "VAKT_PASSWORD_RESET_TTL_SECONDS", value_name = "SECONDS")]
    pub password_reset_ttl_seconds: Option<i64>,
}

macro_rules! prefer {
    ($first:expr, $second:expr; $($field:ident),* $(,)?) => {
        Settings { $($field: $first.$field.or($second.$field),)* }
    };
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub bind: String,
    /// Database URL.
    pub database_url: String,
    /// Pool size.
    pub db_pool_size: u32,
    /// Start-up retry time for the database.
    pub db_connect_timeout: u64,
    /// First administrator's email.
    pub admin_email: String,
    /// First administrator's password, if configured.
    pub admin_password: Option<String>,
    /// SPA folder.
    pub static_dir: PathBuf,
    /// HTTP workers (0 = one per CPU).
    pub workers: usize,
    /// Access token lifetime (minutes).
    pub access_token_minutes: i64,
    /// Refresh token lifetime (days).
    pub refresh_token_days: i64,
    /// Per-account failure limit.
    pub login_max_failures: i64,
    /// Per-address failure limit.
    pub login_max_failures_per_address: i64,
    /// Lockout window (minutes).
    pub login_lockout_minutes: i64,
    /// Trust `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// JSON body limit.
    pub max_json_body_bytes: usize,
    /// Metrics token.
    pub metrics_token: Option<String>,
    /// Graceful shutdown time.
    pub shutdown_timeout: u64,
    /// Ticket number format.
    pub ticket_number_format: vakt_domain::ticket::TicketNumberFormat,
    /// System id in ticket numbers.
    pub system_id: vakt_domain::ticket::SystemId,
    /// Attachment limit.
    pub max_attachment_bytes: usize,
    /// Upload limit.
    pub max_upload_bytes: usize,
    /// Job worker threads.
    pub job_workers: usize,
    /// Idle job workers poll this often (milliseconds).
    pub job_poll_ms: u64,
    /// Job lease (seconds).
    pub job_lease_seconds: i64,
    /// Interval of the SLA checks (seconds).
    pub sla_check_seconds: i64,
    /// Archive age in days.
    pub archive_after_days: i64,
    /// Search statement limit (milliseconds).
    pub search_timeout_ms: i64,
    /// Log filter.
    pub log: String,
    /// Email settings.
    pub mail: vakt_service::mail::MailConfig,
    /// Notification settings.
    pub notifications: vakt_service::notifications::NotificationConfig,
    /// Live-update settings.
    pub live: vakt_service::live::LiveConfig,
    /// Lifetime of a password-reset link (seconds).
    pub password_reset_ttl_seconds: i64,
}

/// A configuration that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML file could not be read.
    #[error("cannot read the configuration file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The TOML file is malformed or has unknown keys.
    #[error("the configuration file {0} is invalid: {1}")]
    Parse(PathBuf, String),
    /// A value is out of range.
    #[error("invalid setting {0}: {1}")]
    Invalid(&'static str, String),
}

impl Settings {
    /// Reads a TOML file of settings (keys are the long flag names with `_`).
    pub fn from_file(path: &PathBuf) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.clone(), e))?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse(path.clone(), e.to_string()))
    }

    /// Values of `self` where given, else those of `fallback`.
    pub fn or(self, fallback: Settings) -> Settings {
        prefer!(self, fallback;
            bind, database_url, db_pool_size, db_connect_timeout, admin_email, admin_password,
            static_dir, workers, access_token_minutes, refresh_token_days, login_max_failures,
            login_max_failures_per_address, login_lockout_minutes, trust_forwarded_for,
            max_json_body_bytes, metrics_token, shutdown_timeout, ticket_number_format, system_id,
            max_attachment_bytes, max_upload_bytes, job_workers, job_poll_ms, job_lease_seconds,
            sla_check_seconds,
            archive_after_days, search_timeout_ms, log,
            smtp_host, smtp_port, smtp_tls, smtp_user, smtp_password, sendmail, mail_file_dir,
            mail_domain, mail_from, ticket_tag, mail_auto_answer_cap, max_mail_bytes,
            mail_default_queue, public_url, event_gap_seconds, live_poll_ms,
            live_heartbeat_seconds, password_reset_ttl_seconds,
        )
    }

    /// Applies the defaults and checks ranges.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let positive = |name: &'static str, value: i64| {
            if value > 0 {
                Ok(value)
            } else {
                Err(ConfigError::Invalid(
                    name,
                    format!("{value} must be greater than 0"),
                ))
            }
        };
        let mail = self.mail_config()?;
        let (notifications, live) = self.live_config()?;
        Ok(Config {
            mail,
            notifications,
            live,
            password_reset_ttl_seconds: positive(
                "password_reset_ttl_seconds",
                self.password_reset_ttl_seconds.unwrap_or(3600),
            )?,
            bind: self.bind.unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url: self
                .database_url
                .unwrap_or_else(|| vakt_persistence::connection::DEFAULT_DATABASE_URL.into()),
            db_pool_size: match self.db_pool_size.unwrap_or(10) {
                0 => {
                    return Err(ConfigError::Invalid(
                        "db_pool_size",
                        "must be at least 1".into(),
                    ));
                }
                n => n,
            },
            db_connect_timeout: self.db_connect_timeout.unwrap_or(30),
            admin_email: self.admin_email.unwrap_or_else(|| "admin@localhost".into()),
            admin_password: self.admin_password.filter(|p| !p.is_empty()),
            static_dir: self
                .static_dir
                .unwrap_or_else(|| PathBuf::from("./frontend/dist")),
            workers: self.workers.unwrap_or(0),
            access_token_minutes: positive(
                "access_token_minutes",
                self.access_token_minutes.unwrap_or(15),
            )?,
            refresh_token_days: positive(
                "refresh_token_days",
                self.refresh_token_days.unwrap_or(30),
            )?,
            login_max_failures: positive(
                "login_max_failures",
                self.login_max_failures.unwrap_or(5),
            )?,
            login_max_failures_per_address: positive(
                "login_max_failures_per_address",
                self.login_max_failures_per_address.unwrap_or(30),
            )?,
            login_lockout_minutes: positive(
                "login_lockout_minutes",
                self.login_lockout_minutes.unwrap_or(15),
            )?,
            trust_forwarded_for: self.trust_forwarded_for.unwrap_or(false),
            max_json_body_bytes: self.max_json_body_bytes.unwrap_or(1024 * 1024),
            metrics_token: self.metrics_token.filter(|t| !t.is_empty()),
            shutdown_timeout: self.shutdown_timeout.unwrap_or(30),
            ticket_number_format: match self.ticket_number_format.as_deref() {
                None => vakt_domain::ticket::TicketNumberFormat::Date,
                Some(value) => {
                    vakt_domain::ticket::TicketNumberFormat::parse(value).ok_or_else(|| {
                        ConfigError::Invalid(
                            "ticket_number_format",
                            format!("{value:?} must be date or counter"),
                        )
                    })?
                }
            },
            system_id: match self.system_id.as_deref() {
                None => vakt_domain::ticket::SystemId::default(),
                Some(value) => vakt_domain::ticket::SystemId::parse(value).map_err(|e| {
                    ConfigError::Invalid("system_id", format!("{value:?} {}", e.message))
                })?,
            },
            max_attachment_bytes: self.max_attachment_bytes.unwrap_or(25 * 1024 * 1024),
            max_upload_bytes: self.max_upload_bytes.unwrap_or(100 * 1024 * 1024),
            job_workers: self.job_workers.unwrap_or(2),
            job_poll_ms: match self.job_poll_ms.unwrap_or(1000) {
                0 => {
                    return Err(ConfigError::Invalid(
                        "job_poll_ms",
                        "must be at least 1".into(),
                    ));
                }
                n => n,
            },
            job_lease_seconds: positive(
                "job_lease_seconds",
                self.job_lease_seconds.unwrap_or(300),
            )?,
            sla_check_seconds: positive("sla_check_seconds", self.sla_check_seconds.unwrap_or(60))?,
            archive_after_days: positive(
                "archive_after_days",
                self.archive_after_days.unwrap_or(365),
            )?,
            search_timeout_ms: positive(
                "search_timeout_ms",
                self.search_timeout_ms.unwrap_or(10_000),
            )?,
            log: self.log.unwrap_or_else(|| "info".into()),
        })
    }
}

impl Config {
    /// The use-case settings.
    pub fn service_config(&self) -> vakt_service::ServiceConfig {
        use chrono::Duration;
        vakt_service::ServiceConfig {
            access_token_ttl: Duration::minutes(self.access_token_minutes),
            refresh_token_ttl: Duration::days(self.refresh_token_days),
            lockout: vakt_service::LockoutPolicy {
                max_failures_per_account: self.login_max_failures,
                max_failures_per_address: self.login_max_failures_per_address,
                window: Duration::minutes(self.login_lockout_minutes),
            },
            ticket_number_format: self.ticket_number_format,
            system_id: self.system_id.clone(),
            max_attachment_bytes: self.max_attachment_bytes,
            mail: self.mail.clone(),
            archive_after: Duration::days(self.archive_after_days),
            search_timeout: std::time::Duration::from_millis(
                u64::try_from(self.search_timeout_ms).unwrap_or(10_000),
            ),
            notifications: self.notifications.clone(),
            live: self.live.clone(),
            selfservice: vakt_service::selfservice::SelfServiceConfig {
                password_reset_ttl: Duration::seconds(self.password_reset_ttl_seconds),
            },
        }
    }

    /// The job worker settings (this process's name in leases is the default).
    pub fn worker_options(&self) -> vakt_service::jobs::WorkerOptions {
        vakt_service::jobs::WorkerOptions {
            workers: self.job_workers,
            poll_interval: std::time::Duration::from_millis(self.job_poll_ms),
            lease: chrono::Duration::seconds(self.job_lease_seconds),
            ..vakt_service::jobs::WorkerOptions::default()
        }
    }

    /// The intervals of the periodic SLA jobs.
    pub fn sla_job_options(&self) -> vakt_service::sla::SlaJobOptions {
        vakt_service::sla::SlaJobOptions {
            check_every: chrono::Duration::seconds(self.sla_check_seconds),
        }
    }

    /// The HTTP settings.
    pub fn http_config(&self) -> vakt_http::HttpConfig {
        vakt_http::HttpConfig {
            max_json_body_bytes: self.max_json_body_bytes,
            trust_forwarded_for: self.trust_forwarded_for,
            static_dir: Some(self.static_dir.clone()),
            metrics_token: self.metrics_token.clone(),
            max_attachment_bytes: self.max_attachment_bytes,
            max_upload_bytes: self.max_upload_bytes.max(self.max_attachment_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_defaults_fill_the_rest() {
        let cli = Settings {
            bind: Some("0.0.0.0:9000".into()),
            ..Default::default()
        };
        let file: Settings = toml::from_str("bind = \"127.0.0.1:1\"\ndb_pool_size = 4\n").unwrap();
        let config = cli.or(file).resolve().unwrap();
        assert_eq!(config.bind, "0.0.0.0:9000");
        assert_eq!(config.db_pool_size, 4);
        assert_eq!(config.database_url, "sqlite://./data/vakt.db");
        assert_eq!(config.admin_email, "admin@localhost");
    }

    #[test]
    fn unknown_file_keys_and_bad_values_are_errors() {
        assert!(toml::from_str::<Settings>("bnid = \"x\"").is_err());
        let zero = Settings {
            login_max_failures: Some(0),
            ..Default::default()
        };
        assert!(zero.resolve().is_err());
    }
}
