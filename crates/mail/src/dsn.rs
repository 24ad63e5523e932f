//! RFC 3464 delivery status notifications (bounces).

use mail_parser::{Message, MimeHeaders, PartType};

use crate::thread::normalize_message_id;

/// A parsed delivery status notification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dsn {
    /// `Reporting-MTA`, without the `dns;` type.
    pub reporting_mta: Option<String>,
    /// The Message-ID of the message that bounced (from the returned message or its headers),
    /// normalised: match it against the Message-IDs you sent.
    pub original_message_id: Option<String>,
    /// One entry per recipient the report is about.
    pub recipients: Vec<DsnRecipient>,
}

/// The status of one recipient in a [`Dsn`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DsnRecipient {
    /// `Final-Recipient` address (without `rfc822;`).
    pub final_recipient: Option<String>,
    /// `Original-Recipient` address (without `rfc822;`), when the MTA kept it.
    pub original_recipient: Option<String>,
    /// `Action`, lower-case: `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    pub action: Option<String>,
    /// `Status`, e.g. `5.1.1`.
    pub status: Option<String>,
    /// `Diagnostic-Code` (without `smtp;`), e.g. the remote server's answer.
    pub diagnostic: Option<String>,
}

impl DsnRecipient {
    /// `true` when delivery to this recipient failed for good (`Action: failed` or a 5.x.x
    /// status).
    pub fn is_permanent_failure(&self) -> bool {
        self.action.as_deref() == Some("failed")
            || self
                .status
                .as_deref()
                .is_some_and(|s| s.trim_start().starts_with('5'))
    }
}

impl Dsn {
    /// `true` when at least one recipient failed for good; `false` for pure delay or success
    /// notices.
    pub fn is_permanent_failure(&self) -> bool {
        self.recipients
            .iter()
            .any(DsnRecipient::is_permanent_failure)
    }
}

/// Reads the delivery status part of `message`, if it has one.
pub(crate) fn extract(message: &Message<'_>) -> Option<Dsn> {
    let status_text = message.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        let sub = ct.subtype()?.to_ascii_lowercase();
        let is_status = ct.ctype().eq_ignore_ascii_case("message")
            && (sub == "delivery-status" || sub == "global-delivery-status");
        is_status.then(|| part_text(&part.body))
    })?;
    let mut dsn = parse_status_fields(&status_text);
    dsn.original_message_id = original_message_id(message);
    Some(dsn)
}

/// The Message-ID of a returned message (`message/rfc822`) or returned headers
/// (`text/rfc822-headers`) inside `message`.
pub(crate) fn original_message_id(message: &Message<'_>) -> Option<String> {
    message.parts.iter().find_map(|part| {
        if let PartType::Message(inner) = &part.body {
            return inner.message_id().and_then(normalize_message_id);
        }
        let ct = part.content_type()?;
        let is_headers = ct.ctype().eq_ignore_ascii_case("text")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("rfc822-headers"));
        if !is_headers {
            return None;
        }
        let text = part_text(&part.body);
        let headers = mail_parser::MessageParser::new().parse_headers(text.as_bytes())?;
        headers.message_id().and_then(normalize_message_id)
    })
}

fn part_text(body: &PartType<'_>) -> String {
    match body {
        PartType::Text(t) | PartType::Html(t) => t.to_string(),
        PartType::Binary(b) | PartType::InlineBinary(b) => String::from_utf8_lossy(b).into_owned(),
        PartType::Message(m) => String::from_utf8_lossy(m.raw_message()).into_owned(),
        PartType::Multipart(_) => String::new(),
    }
}

/// Parses the `message/delivery-status` body: a per-message block, then per-recipient blocks.
pub(crate) fn parse_status_fields(text: &str) -> Dsn {
    let mut dsn = Dsn::default();
    for (index, block) in blocks(text).into_iter().enumerate() {
        let mut recipient = DsnRecipient::default();
        for (name, value) in block {
            match name.as_str() {
                "reporting-mta" => dsn.reporting_mta = Some(strip_type(&value)),
                "final-recipient" => recipient.final_recipient = Some(strip_type(&value)),
                "original-recipient" => recipient.original_recipient = Some(strip_type(&value)),
                "action" => recipient.action = Some(value.to_ascii_lowercase()),
                "status" => recipient.status = Some(value),
                "diagnostic-code" => recipient.diagnostic = Some(strip_type(&value)),
                _ => {}
            }
        }
        let has_recipient_fields = recipient != DsnRecipient::default();
        if has_recipient_fields && (index > 0 || recipient.final_recipient.is_some()) {
            dsn.recipients.push(recipient);
        }
    }
    dsn
}

/// Splits into blank-line separated blocks of unfolded `(lower-case name, value)` fields.
fn blocks(text: &str) -> Vec<Vec<(String, String)>> {
    let mut blocks = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            current.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// `rfc822; a@b` → `a@b`, `dns; mx.example` → `mx.example`.
fn strip_type(value: &str) -> String {
    match value.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') => rest.trim().to_string(),
        _ => value.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_per_recipient() {
        let dsn = parse_status_fields(
            "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@x\nAction: failed\n\
             Status: 5.1.1\nDiagnostic-Code: smtp; 550 no\n  such user\n\n\
             Final-Recipient: rfc822;b@x\nAction: Delayed\nStatus: 4.4.1\n",
        );
        assert_eq!(dsn.reporting_mta.as_deref(), Some("mx.example"));
        assert_eq!(dsn.recipients.len(), 2);
        assert_eq!(
            dsn.recipients[0].diagnostic.as_deref(),
            Some("550 no such user")
        );
        assert!(dsn.recipients[0].is_permanent_failure());
        assert_eq!(dsn.recipients[1].action.as_deref(), Some("delayed"));
        assert!(!dsn.recipients[1].is_permanent_failure());
    }
}
