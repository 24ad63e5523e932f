//! SMTP delivery through lettre's pooled async transport.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{SmtpConfig, TlsMode};
use crate::compose::Envelope;
use crate::error::{MailError, Result};

/// A pooled SMTP client for one server.
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    timeout: std::time::Duration,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport").finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// Builds the client; connects lazily on the first message.
    pub fn new(config: &SmtpConfig) -> Result<Self> {
        if config.host.trim().is_empty() {
            return Err(MailError::Config("SMTP host is empty".into()));
        }
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            mode => {
                let params = TlsParameters::builder(config.host.clone())
                    .dangerous_accept_invalid_certs(config.accept_invalid_certs)
                    .dangerous_accept_invalid_hostnames(config.accept_invalid_certs)
                    .build_rustls()
                    .map_err(|e| MailError::Tls(e.to_string()))?;
                if mode == TlsMode::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.clone())
                .port(config.port)
                .tls(tls)
                .timeout(Some(config.timeout));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        if let Some(name) = &config.hello_name {
            builder = builder.hello_name(ClientId::Domain(name.clone()));
        }
        Ok(SmtpTransport {
            inner: builder.build(),
            timeout: config.timeout,
        })
    }

    /// Sends one message.
    pub async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<()> {
        let parse = |a: &str| {
            a.parse::<lettre::Address>()
                .map_err(|e| MailError::InvalidAddress {
                    address: a.to_string(),
                    reason: e.to_string(),
                })
        };
        let sender = match envelope.sender.trim() {
            "" => None,
            s => Some(parse(s)?),
        };
        let recipients = envelope
            .recipients
            .iter()
            .map(|r| parse(r))
            .collect::<Result<Vec<_>>>()?;
        let envelope = lettre::address::Envelope::new(sender, recipients)
            .map_err(|e| MailError::Build(e.to_string()))?;
        // lettre's own timeout covers each step; this one bounds the whole delivery.
        let overall = self.timeout.saturating_mul(4);
        match tokio::time::timeout(overall, self.inner.send_raw(&envelope, raw)).await {
            Err(_) => Err(MailError::Timeout(overall)),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(map_error(&e)),
        }
    }
}

/// 5xx answers and client-side errors are permanent; everything else (refused connection,
/// timeouts, TLS trouble, 4xx) is worth retrying.
fn map_error(error: &lettre::transport::smtp::Error) -> MailError {
    let code = error.status().map(u16::from);
    let permanent = error.is_permanent() || error.is_client();
    MailError::Smtp {
        permanent,
        code,
        message: error.to_string(),
    }
}
