//! The persistence error type and helpers to recognise constraint violations on both backends.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Everything that can go wrong below the service layer.
#[derive(Debug, thiserror::Error)]
pub enum PersistenceError {
    /// `DATABASE_URL` has a scheme or form we do not support.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The database could not be reached or refused the connection.
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    /// No pooled connection became free in time, or the pool could not be built.
    #[error("database connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// Applying or checking migrations failed.
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] DieselError),
    /// The SQLite file or its folder could not be prepared.
    #[error("database file: {0}")]
    Io(#[from] std::io::Error),
}

/// If `error` is a unique-constraint violation, the violated constraint as far as the backend
/// tells it (PostgreSQL: the index name, e.g. `users_email_key`; SQLite: the columns, e.g.
/// `users.email`). Callers match with [`str::contains`] on a table or column name.
pub fn unique_violation(error: &DieselError) -> Option<String> {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => Some(
            info.constraint_name()
                .map(str::to_owned)
                .unwrap_or_else(|| info.message().to_owned()),
        ),
        _ => None,
    }
}
