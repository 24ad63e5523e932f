//! The r2d2 pool of [`DbConnection`]s.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::connection::{Backend, DatabaseUrl, DbConnection};
use crate::error::PersistenceError;

/// Creates connections for the pool from a parsed URL.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

/// Why a pooled connection could not be made or checked.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ManagerError(#[from] PersistenceError);

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConnection, ManagerError> {
        Ok(self.url.connect()?)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ManagerError(e.into()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Pool sizing and timeouts.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Most connections held open at once.
    pub max_size: u32,
    /// How long a request waits for a free connection before failing with "unavailable".
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 10,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// A cloneable handle to the connection pool.
#[derive(Clone)]
pub struct DbPool {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    url: DatabaseUrl,
}

impl std::fmt::Debug for DbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbPool")
            .field("url", &self.url.redacted())
            .finish_non_exhaustive()
    }
}

/// A snapshot of the pool for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections currently open.
    pub connections: u32,
    /// Open connections not in use.
    pub idle: u32,
    /// Configured maximum.
    pub max_size: u32,
}

/// A connection borrowed from the pool; returned when dropped.
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

impl DbPool {
    /// Builds a pool and opens its first connection (failing fast if the database is unreachable).
    pub fn connect(url: &DatabaseUrl, settings: PoolSettings) -> Result<Self, PersistenceError> {
        let pool = r2d2::Pool::builder()
            .max_size(settings.max_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(settings.acquire_timeout)
            .test_on_check_out(false)
            .build(ConnectionManager { url: url.clone() })?;
        Ok(Self {
            pool,
            backend: url.backend(),
            url: url.clone(),
        })
    }

    /// Borrows a connection, waiting up to the acquire timeout.
    pub fn get(&self) -> Result<PooledConnection, PersistenceError> {
        Ok(self.pool.get()?)
    }

    /// The backend behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL with its password hidden.
    pub fn redacted_url(&self) -> String {
        self.url.redacted()
    }

    /// Current pool usage.
    pub fn status(&self) -> PoolStatus {
        let state = self.pool.state();
        PoolStatus {
            connections: state.connections,
            idle: state.idle_connections,
            max_size: self.pool.max_size(),
        }
    }
}
