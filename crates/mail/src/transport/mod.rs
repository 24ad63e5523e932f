//! Delivering composed messages: SMTP (lettre), a local `sendmail`, or `.eml` files.
//!
//! Every failure is a [`MailError`] that knows whether it is temporary
//! ([`MailError::is_temporary`]: connection refused, timeout, SMTP 4xx, sendmail
//! `EX_TEMPFAIL`) or permanent (SMTP 5xx, invalid addresses), so an outbox can back off or
//! give up.

mod file;
mod sendmail;
mod smtp;

use std::path::PathBuf;
use std::time::Duration;

use crate::compose::Envelope;
use crate::error::{MailError, Result};

pub use smtp::SmtpTransport;

/// How to secure an SMTP, IMAP or POP3 connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text (only for servers on the same host or in tests).
    None,
    /// Plain connect, then `STARTTLS`/`STLS`; fails if the server does not offer it.
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS 465, IMAPS 993, POP3S 995).
    Tls,
}

/// An SMTP server to deliver through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Host name (also the name checked against the server certificate).
    pub host: String,
    /// Port, usually 25, 587 (STARTTLS) or 465 (TLS).
    pub port: u16,
    /// Connection security.
    pub tls: TlsMode,
    /// User name and password for `AUTH`, if the server wants them.
    pub credentials: Option<(String, String)>,
    /// Limit for connecting and for each SMTP command.
    pub timeout: Duration,
    /// Accept any certificate (self-signed test servers only).
    pub accept_invalid_certs: bool,
    /// Name sent in `EHLO`; the machine's host name when `None`.
    pub hello_name: Option<String>,
}

impl SmtpConfig {
    /// A configuration with STARTTLS, no authentication and a 30 s timeout.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        SmtpConfig {
            host: host.into(),
            port,
            tls: TlsMode::StartTls,
            credentials: None,
            timeout: Duration::from_secs(30),
            accept_invalid_certs: false,
            hello_name: None,
        }
    }
}

/// A local sendmail-compatible program (Postfix, Exim, OpenSMTPD, msmtp…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendmailConfig {
    /// The program; `/usr/sbin/sendmail` by default.
    pub program: PathBuf,
    /// Arguments; `-t -i` by default (recipients from the headers, a lone `.` is no end of
    /// input). `-f <envelope sender>` is appended when the envelope has a sender.
    pub args: Vec<String>,
    /// How long the program may run.
    pub timeout: Duration,
}

impl Default for SendmailConfig {
    fn default() -> Self {
        SendmailConfig {
            program: PathBuf::from("/usr/sbin/sendmail"),
            args: vec!["-t".into(), "-i".into()],
            timeout: Duration::from_secs(60),
        }
    }
}

/// Which transport to use: what a configuration file chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportConfig {
    /// Deliver over SMTP.
    Smtp(SmtpConfig),
    /// Hand over to a local sendmail program.
    Sendmail(SendmailConfig),
    /// Write each message as an `.eml` file into this folder (development).
    File(PathBuf),
}

/// A ready transport. Create it once and reuse it: the SMTP variant keeps a connection pool
/// (create and drop it inside a Tokio runtime).
#[derive(Debug)]
pub enum Transport {
    /// SMTP via lettre.
    Smtp(SmtpTransport),
    /// A local sendmail program.
    Sendmail(SendmailConfig),
    /// `.eml` files in a folder.
    File(PathBuf),
}

impl Transport {
    /// Builds the transport. Does not connect yet.
    pub fn new(config: &TransportConfig) -> Result<Self> {
        Ok(match config {
            TransportConfig::Smtp(smtp) => Transport::Smtp(SmtpTransport::new(smtp)?),
            TransportConfig::Sendmail(sendmail) => Transport::Sendmail(sendmail.clone()),
            TransportConfig::File(dir) => Transport::File(dir.clone()),
        })
    }

    /// Delivers `raw` (an RFC 5322 message) to the envelope's recipients.
    pub async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<()> {
        if envelope.recipients.is_empty() {
            return Err(MailError::Build("the envelope has no recipient".into()));
        }
        match self {
            Transport::Smtp(smtp) => smtp.send(envelope, raw).await,
            Transport::Sendmail(config) => sendmail::send(config, envelope, raw).await,
            Transport::File(dir) => file::send(dir, envelope, raw).await.map(|_| ()),
        }
    }
}
