//! The crate's one error type.

use std::time::Duration;

/// Everything that can go wrong in `vakt-mail`.
///
/// Delivery and fetch errors know whether they are worth retrying: see
/// [`MailError::is_temporary`]. Parsing never fails (see [`crate::parse()`]).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An email address could not be used (syntax, or not allowed in a header).
    #[error("invalid email address {address:?}: {reason}")]
    InvalidAddress {
        /// The address as given.
        address: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The outgoing message could not be built (bad header name or value, no recipient…).
    #[error("cannot build message: {0}")]
    Build(String),
    /// The SMTP server (or the way to it) failed.
    #[error("SMTP delivery failed{}: {message}", code.map(|c| format!(" ({c})")).unwrap_or_default())]
    Smtp {
        /// `true` for 5xx answers and other failures a retry cannot fix.
        permanent: bool,
        /// The SMTP reply code, when the server answered.
        code: Option<u16>,
        /// What went wrong.
        message: String,
    },
    /// The local sendmail program failed.
    #[error("sendmail failed: {message}")]
    Sendmail {
        /// `true` when the exit status says retrying cannot help (sysexits 64, 65, 67, 68, 77).
        permanent: bool,
        /// The exit status, when the program ran.
        exit_code: Option<i32>,
        /// What went wrong, including the program's standard error.
        message: String,
    },
    /// The IMAP server or session failed.
    #[error("IMAP error: {0}")]
    Imap(String),
    /// The POP3 server answered `-ERR` or broke the protocol.
    #[error("POP3 error: {0}")]
    Pop3(String),
    /// The server refused the credentials.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// TLS could not be set up (handshake, certificate, server name).
    #[error("TLS error: {0}")]
    Tls(String),
    /// A network operation did not finish in time.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The server does not have the message (any more).
    #[error("no message {0:?} on the server")]
    NotFound(String),
    /// The configuration cannot work (empty host, folder that does not exist…).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Reading or writing a file, a socket or a pipe failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl MailError {
    /// `true` when the same operation may succeed later (connection refused, timeout, SMTP 4xx,
    /// sendmail `EX_TEMPFAIL`…): an outbox should back off and retry. `false` means retrying
    /// cannot help (SMTP 5xx, invalid address, bad credentials) and the failure should be shown.
    pub fn is_temporary(&self) -> bool {
        match self {
            MailError::InvalidAddress { .. } | MailError::Build(_) | MailError::Config(_) => false,
            MailError::Smtp { permanent, .. } | MailError::Sendmail { permanent, .. } => !permanent,
            MailError::Auth(_) | MailError::NotFound(_) => false,
            MailError::Imap(_)
            | MailError::Pop3(_)
            | MailError::Tls(_)
            | MailError::Timeout(_)
            | MailError::Io(_) => true,
        }
    }

    /// The opposite of [`MailError::is_temporary`]: give up and report.
    pub fn is_permanent(&self) -> bool {
        !self.is_temporary()
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = MailError> = std::result::Result<T, E>;
