#![doc = include_str!("../README.md")]

pub mod cli;
pub mod config;
pub mod logging;
pub mod mailgate;
pub mod seed;
pub mod serve;

use std::sync::Arc;
use std::time::{Duration, Instant};

use vakt_domain::SystemClock;
use vakt_persistence::{DatabaseUrl, DbPool, PoolSettings, migrations};

use crate::config::Config;

/// A failure of a `vakt` command, printed to stderr; the process exits with 1.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Configuration problem.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// Database problem.
    #[error(transparent)]
    Persistence(#[from] vakt_persistence::PersistenceError),
    /// A use case refused.
    #[error("{0}")]
    Service(#[from] vakt_service::ServiceError),
    /// I/O problem (binding the port, …).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Connects to the database, retrying for up to `db_connect_timeout` seconds (a PostgreSQL
/// container may still be starting), then applies pending migrations.
pub fn open_database(config: &Config) -> Result<DbPool, CommandError> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    let deadline = Instant::now() + Duration::from_secs(config.db_connect_timeout);
    let settings = PoolSettings {
        max_size: config.db_pool_size,
        ..PoolSettings::default()
    };
    let pool = loop {
        match DbPool::connect(&url, settings) {
            Ok(pool) => break pool,
            Err(error) if Instant::now() < deadline => {
                log::warn!(
                    "database {} not reachable yet ({error}); retrying",
                    url.redacted()
                );
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(error) => return Err(error.into()),
        }
    };
    let applied = migrations::run_pending(&mut *pool.get()?)?;
    for name in &applied {
        log::info!("applied migration {name}");
    }
    log::info!(
        "database {} ({}) is up to date",
        pool.redacted_url(),
        pool.backend().name()
    );
    Ok(pool)
}

/// The clock of a real server.
pub fn system_clock() -> Arc<dyn vakt_domain::Clock> {
    Arc::new(SystemClock)
}

impl From<vakt_persistence::QueryError> for CommandError {
    fn from(error: vakt_persistence::QueryError) -> Self {
        CommandError::Persistence(error.into())
    }
}
