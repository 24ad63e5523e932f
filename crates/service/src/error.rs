//! The service error type: what went wrong, in terms a caller can act on. The HTTP edge maps
//! each variant to a status and a stable problem code; internal causes are logged, never sent.

use vakt_domain::FieldErrors;
use vakt_persistence::PersistenceError;

/// Why authentication failed. All variants answer 401; the distinction is for logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No credentials were sent.
    Missing,
    /// Wrong email/password (or unknown email, or an inactive user: deliberately the same).
    InvalidCredentials,
    /// A token that is malformed, unknown, revoked, or belongs to an inactive user.
    InvalidToken,
    /// A token past its expiry.
    ExpiredToken,
    /// The password was right, but the account has a second factor and no code was sent.
    SecondFactorRequired,
    /// The password was right, but the second-factor code was wrong or already used.
    InvalidSecondFactor,
}

/// Errors of the use cases.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The caller is not authenticated (or the credentials are wrong).
    #[error("authentication failed: {0:?}")]
    Unauthorized(AuthFailure),
    /// The caller is authenticated but lacks the right.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The entity does not exist or the caller may not know it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input broke a rule; field-level messages.
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    /// The change conflicts with the current state (e.g. an email already taken).
    #[error("conflict ({code}): {detail}")]
    Conflict {
        /// Stable code, e.g. `email_taken`, `last_admin`.
        code: &'static str,
        /// Human-readable explanation.
        detail: String,
    },
    /// The thing named no longer works (a used or expired single-use link); 410 at the edge.
    #[error("gone ({code}): {detail}")]
    Gone {
        /// Stable problem code.
        code: &'static str,
        /// Explanation.
        detail: String,
    },
    /// An `If-Match` version did not match the current one.
    #[error("the resource was changed by someone else")]
    PreconditionFailed,
    /// Too many failed attempts; try again after the given number of seconds.
    #[error("too many failed attempts; retry after {retry_after_secs} s")]
    TooManyAttempts {
        /// Seconds until a new attempt may succeed.
        retry_after_secs: u64,
    },
    /// A dependency (the database pool) is temporarily unavailable.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure below; details are for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Shorthand for results of use cases.
pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// A validation error on one field.
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(
            field,
            vakt_domain::ValidationError::new(code, message),
        ))
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Validation(errors)
    }
}

impl From<PersistenceError> for ServiceError {
    fn from(error: PersistenceError) -> Self {
        match error {
            PersistenceError::Pool(e) => Self::Unavailable(format!("database pool: {e}")),
            PersistenceError::Connection(e) => Self::Unavailable(format!("database: {e}")),
            PersistenceError::Query(e) => Self::from(e),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &error {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Self::Unavailable("the database asked to retry a conflicting transaction".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable("the database connection was closed".into())
            }
            _ => Self::Internal(format!("database: {error}")),
        }
    }
}
