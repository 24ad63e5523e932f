#![doc = include_str!("../README.md")]

pub mod access;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod crypto;
pub mod custom_fields;
pub mod customers;
pub mod error;
pub mod health;
pub mod idempotency;
pub mod identity;
pub mod jobs;
pub mod kb;
pub mod live;
pub mod mail;
pub mod notifications;
pub mod organisation;
pub mod pagination;
pub mod queues;
pub mod reference;
pub mod relations;
pub mod reports;
pub mod saved_searches;
pub mod selfservice;
pub mod sla;
pub mod text_modules;
pub mod tickets;
pub mod tokens;
pub mod users;
pub mod webhooks;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use vakt_domain::Clock;
use vakt_domain::ticket::{SystemId, TicketNumberFormat};
use vakt_persistence::DbPool;
use vakt_persistence::pool::PooledConnection;

pub use auth::{AuthMethod, Authenticated, ClientInfo, SignInMethod, TokenPair};
pub use error::{AuthFailure, ServiceError, ServiceResult};
pub use pagination::{Page, PageRequest};
pub use tokens::TokenScope;
pub use users::User;
pub use vakt_persistence::repo::reference::NamedChanges;
pub use vakt_persistence::{Backend, PoolStatus};

/// Limits on failed logins (per account and per client address) within a sliding window.
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    /// Failed attempts on one account before it is locked for the rest of the window.
    pub max_failures_per_account: i64,
    /// Failed attempts from one client address before it is locked for the rest of the window.
    pub max_failures_per_address: i64,
    /// The sliding window.
    pub window: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            window: Duration::minutes(15),
        }
    }
}

/// Settings of the use cases, filled from the server configuration.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Lifetime of a JWT access token.
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token.
    pub refresh_token_ttl: Duration,
    /// Failed-login limits.
    pub lockout: LockoutPolicy,
    /// How ticket numbers are made.
    pub ticket_number_format: TicketNumberFormat,
    /// The installation's system id inside ticket numbers.
    pub system_id: SystemId,
    /// Largest attachment, in bytes.
    pub max_attachment_bytes: usize,
    /// Email settings.
    pub mail: mail::MailConfig,
    /// Tickets closed longer ago than this are archived: searches leave them out unless asked.
    pub archive_after: Duration,
    /// Longest a search statement may run (PostgreSQL); a search that needs longer is answered
    /// 422 `too_broad` on `q` instead of holding a connection and a core.
    pub search_timeout: std::time::Duration,
    /// Notification settings.
    pub notifications: notifications::NotificationConfig,
    /// Live-update settings.
    pub live: live::LiveConfig,
    /// Self-service account settings (password reset).
    pub selfservice: selfservice::SelfServiceConfig,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            access_token_ttl: Duration::minutes(15),
            refresh_token_ttl: Duration::days(30),
            lockout: LockoutPolicy::default(),
            ticket_number_format: TicketNumberFormat::Date,
            system_id: SystemId::default(),
            max_attachment_bytes: 25 * 1024 * 1024,
            mail: mail::MailConfig::default(),
            archive_after: Duration::days(365),
            search_timeout: std::time::Duration::from_secs(10),
            notifications: notifications::NotificationConfig::default(),
            live: live::LiveConfig::default(),
            selfservice: selfservice::SelfServiceConfig::default(),
        }
    }
}

/// The entry point to every use case; cheap to clone and share between threads.
#[derive(Clone, Debug)]
pub struct Services(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    pool: DbPool,
    clock: Arc<dyn Clock>,
    config: ServiceConfig,
    jwt: auth::JwtKeys,
    /// A secret derived from the JWT secret that keys the hashes of anonymous voters' addresses.
    voter_key: String,
    live: live::Hub,
    renderer: std::sync::OnceLock<Arc<dyn webhooks::ResourceRenderer>>,
}

impl Services {
    /// Wires the use cases to a pool, a clock, the configuration and the JWT signing secret
    /// (from [`bootstrap::bootstrap`]).
    pub fn new(
        pool: DbPool,
        clock: Arc<dyn Clock>,
        config: ServiceConfig,
        jwt_secret: &[u8],
    ) -> Self {
        Self(Arc::new(Inner {
            pool,
            clock,
            config,
            jwt: auth::JwtKeys::new(jwt_secret),
            voter_key: crypto::token_hash(&format!("vakt kb voter:{}", hex::encode(jwt_secret))),
            live: live::Hub::new(),
            renderer: std::sync::OnceLock::new(),
        }))
    }

    /// The key of anonymous voters' address hashes.
    pub(crate) fn voter_key(&self) -> &str {
        &self.0.voter_key
    }

    /// The connection pool.
    pub fn pool(&self) -> &DbPool {
        &self.0.pool
    }

    /// The clock every use case reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.0.clock
    }

    /// The configuration.
    pub fn config(&self) -> &ServiceConfig {
        &self.0.config
    }

    /// This process's broadcast of live events.
    pub fn live(&self) -> &live::Hub {
        &self.0.live
    }

    fn now(&self) -> DateTime<Utc> {
        self.0.clock.now()
    }

    fn conn(&self) -> ServiceResult<PooledConnection> {
        Ok(self.0.pool.get()?)
    }
}
