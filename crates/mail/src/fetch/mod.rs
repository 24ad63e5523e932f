//! Fetching mail from IMAP and POP3 accounts, one message at a time.
//!
//! The API separates *reading* from *removing*: [`Fetcher::list`] and [`Fetcher::fetch`]
//! never change the server, and [`Fetcher::delete`] is called by the caller only after the
//! message has been stored (committed). A crash in between leaves the message on the server,
//! so it is fetched again next time (the caller de-duplicates, e.g. by Message-ID or hash):
//! mail is never lost.
//!
//! ```no_run
//! # async fn poll(config: vakt_mail::FetchConfig) -> vakt_mail::Result<()> {
//! let mut fetcher = vakt_mail::Fetcher::connect(&config).await?;
//! for uid in fetcher.list().await? {
//!     let raw = fetcher.fetch(&uid).await?;
//!     // … store `raw` and commit …
//!     fetcher.delete(&uid).await?;
//! }
//! fetcher.close().await?; // POP3: QUIT makes the deletions final
//! # Ok(()) }
//! ```

mod imap;
mod pop3;
mod stream;

use std::time::Duration;

pub use imap::ImapFetcher;
pub use pop3::Pop3Fetcher;
pub use stream::MailStream;

use crate::error::Result;
use crate::transport::TlsMode;

/// The mail access protocol of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// IMAP4rev1 (143 with STARTTLS, 993 with TLS).
    Imap,
    /// POP3 (110 with STLS, 995 with TLS).
    Pop3,
}

/// A mail account to fetch from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// IMAP or POP3.
    pub protocol: Protocol,
    /// Server host name (also checked against its certificate).
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Connection security.
    pub tls: TlsMode,
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// IMAP folder to read (`INBOX`); ignored for POP3.
    pub folder: String,
    /// IMAP only: move fetched messages to this folder instead of deleting them.
    pub move_to: Option<String>,
    /// Accept any certificate (self-signed test servers only).
    pub accept_invalid_certs: bool,
    /// Limit for connecting and for each command (a message download may take 10×).
    pub timeout: Duration,
}

impl FetchConfig {
    /// An account with STARTTLS, folder `INBOX` and a 30 s timeout.
    pub fn new(
        protocol: Protocol,
        host: impl Into<String>,
        port: u16,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        FetchConfig {
            protocol,
            host: host.into(),
            port,
            tls: TlsMode::StartTls,
            username: username.into(),
            password: password.into(),
            folder: "INBOX".into(),
            move_to: None,
            accept_invalid_certs: false,
            timeout: Duration::from_secs(30),
        }
    }
}

/// A logged-in IMAP or POP3 session.
#[derive(Debug)]
pub enum Fetcher {
    /// IMAP session.
    Imap(ImapFetcher),
    /// POP3 session.
    Pop3(Pop3Fetcher),
}

impl Fetcher {
    /// Connects and logs in (and selects the folder, for IMAP).
    pub async fn connect(config: &FetchConfig) -> Result<Self> {
        Ok(match config.protocol {
            Protocol::Imap => Fetcher::Imap(ImapFetcher::connect(config).await?),
            Protocol::Pop3 => Fetcher::Pop3(Pop3Fetcher::connect(config).await?),
        })
    }

    /// The server's ids of the waiting messages, oldest first (IMAP UIDs, POP3 UIDLs).
    pub async fn list(&mut self) -> Result<Vec<String>> {
        match self {
            Fetcher::Imap(f) => f.list().await,
            Fetcher::Pop3(f) => f.list().await,
        }
    }

    /// Downloads one message; the server copy is not changed.
    pub async fn fetch(&mut self, uid: &str) -> Result<Vec<u8>> {
        match self {
            Fetcher::Imap(f) => f.fetch(uid).await,
            Fetcher::Pop3(f) => f.fetch(uid).await,
        }
    }

    /// Removes one message from the server; call after the message is stored. IMAP removes
    /// at once; POP3 at [`Fetcher::close`].
    pub async fn delete(&mut self, uid: &str) -> Result<()> {
        match self {
            Fetcher::Imap(f) => f.delete(uid).await,
            Fetcher::Pop3(f) => f.delete(uid).await,
        }
    }

    /// Ends the session (POP3: QUIT, which makes deletions final; IMAP: LOGOUT).
    pub async fn close(self) -> Result<()> {
        match self {
            Fetcher::Imap(f) => f.close().await,
            Fetcher::Pop3(f) => f.close().await,
        }
    }
}
