//! Resolving the settings of two sections: email (transport, addresses, limits) and
//! notifications with live updates (public address, history wait, poll and heartbeat).

use super::{ConfigError, Settings};

impl Settings {
    /// Notification and live-update settings: the public address for links, the wait for
    /// uncommitted history ids, the poll and heartbeat intervals.
    pub(super) fn live_config(
        &self,
    ) -> Result<
        (
            vakt_service::notifications::NotificationConfig,
            vakt_service::live::LiveConfig,
        ),
        ConfigError,
    > {
        use std::time::Duration as StdDuration;
        let public_url = match &self.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => {
                return Err(ConfigError::Invalid(
                    "public_url",
                    format!("{url:?} must start with http:// or https://"),
                ));
            }
            None => format!(
                "http://{}",
                self.bind
                    .as_deref()
                    .unwrap_or("127.0.0.1:8080")
                    .replace("0.0.0.0", "localhost")
            ),
        };
        let gap = self.event_gap_seconds.unwrap_or(60);
        if gap < 1 {
            return Err(ConfigError::Invalid(
                "event_gap_seconds",
                format!("{gap} must be at least 1"),
            ));
        }
        let poll = self.live_poll_ms.unwrap_or(1000);
        let heartbeat = self.live_heartbeat_seconds.unwrap_or(15);
        if !(50..=60_000).contains(&poll) || !(1..=3600).contains(&heartbeat) {
            return Err(ConfigError::Invalid(
                "live_poll_ms",
                "live_poll_ms must be 50–60000 and live_heartbeat_seconds 1–3600".into(),
            ));
        }
        let notifications = vakt_service::notifications::NotificationConfig {
            public_url,
            gap_timeout: chrono::Duration::seconds(gap),
            ..Default::default()
        };
        let live = vakt_service::live::LiveConfig {
            poll_interval: StdDuration::from_millis(poll),
            heartbeat: StdDuration::from_secs(heartbeat),
            ..Default::default()
        };
        Ok((notifications, live))
    }

    /// The email settings: transport (SMTP, else sendmail, else files, else none), Message-ID
    /// domain, sender, ticket tag and limits.
    pub(super) fn mail_config(&self) -> Result<vakt_service::mail::MailConfig, ConfigError> {
        use vakt_service::mail::MailConfig;
        let defaults = MailConfig::default();
        let tls = match self.smtp_tls.as_deref().unwrap_or("starttls") {
            "starttls" => vakt_mail::TlsMode::StartTls,
            "tls" => vakt_mail::TlsMode::Tls,
            "none" => vakt_mail::TlsMode::None,
            other => {
                return Err(ConfigError::Invalid(
                    "smtp_tls",
                    format!("{other:?} must be starttls, tls or none"),
                ));
            }
        };
        let transport = if let Some(host) = self.smtp_host.clone().filter(|h| !h.is_empty()) {
            let port = self.smtp_port.unwrap_or(match tls {
                vakt_mail::TlsMode::StartTls => 587,
                vakt_mail::TlsMode::Tls => 465,
                vakt_mail::TlsMode::None => 25,
            });
            let mut smtp = vakt_mail::SmtpConfig::new(host, port);
            smtp.tls = tls;
            smtp.credentials = self
                .smtp_user
                .clone()
                .filter(|u| !u.is_empty())
                .map(|u| (u, self.smtp_password.clone().unwrap_or_default()));
            Some(vakt_mail::TransportConfig::Smtp(smtp))
        } else if let Some(program) = &self.sendmail {
            Some(vakt_mail::TransportConfig::Sendmail(
                vakt_mail::SendmailConfig {
                    program: program.clone(),
                    ..Default::default()
                },
            ))
        } else {
            self.mail_file_dir
                .clone()
                .map(vakt_mail::TransportConfig::File)
        };
        let cap = self
            .mail_auto_answer_cap
            .unwrap_or(defaults.auto_answer_cap);
        if cap < 0 {
            return Err(ConfigError::Invalid(
                "mail_auto_answer_cap",
                format!("{cap} must not be negative"),
            ));
        }
        let tag = self.ticket_tag.clone().unwrap_or(defaults.ticket_tag);
        if tag.trim().is_empty() || tag.contains(['[', ']', '#']) {
            return Err(ConfigError::Invalid(
                "ticket_tag",
                format!("{tag:?} must be a word without [, ] or #"),
            ));
        }
        let from = self.mail_from.clone().unwrap_or(defaults.default_sender);
        if vakt_domain::EmailAddress::parse(&from).is_err() {
            return Err(ConfigError::Invalid(
                "mail_from",
                format!("{from:?} is not an email address"),
            ));
        }
        Ok(MailConfig {
            ticket_tag: tag,
            domain: self.mail_domain.clone().unwrap_or(defaults.domain),
            default_sender: from,
            transport,
            auto_answer_cap: cap,
            max_message_bytes: self.max_mail_bytes.unwrap_or(defaults.max_message_bytes),
            default_queue: self
                .mail_default_queue
                .clone()
                .unwrap_or(defaults.default_queue),
            send_attempts: defaults.send_attempts,
        })
    }
}
