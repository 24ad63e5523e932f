//! Loop and bounce protection: is this mail from a person, or from a machine?

use crate::dsn::Dsn;
use crate::parse::{ParsedMessage, parse};

/// Who (or what) sent a message, as far as mail headers tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Automation {
    /// A person wrote it: it may be answered automatically.
    Human,
    /// Sent by a program on its own: out-of-office and vacation replies (`Auto-Submitted`,
    /// `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`, Exchange's
    /// `X-Auto-Response-Suppress: All|OOF|AutoReply`) and other automatic notices.
    AutoReply,
    /// Mass mail: `Precedence: bulk|junk|list`, mailing lists (`List-Id`, `List-Unsubscribe`).
    Bulk,
    /// A delivery failure notice: an RFC 3464 report, or mail from `MAILER-DAEMON`/`postmaster`.
    /// The [`Dsn`] is as complete as the report allows (empty for free-text bounces).
    Bounce(Dsn),
    /// Our own mail came back: our loop value in `X-Loop`, one of our addresses as sender, or a
    /// Message-ID generated on our domain.
    Loop,
}

/// What identifies mail sent by this helpdesk (for [`Automation::Loop`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassifyOptions {
    /// The value this system puts into `X-Loop` on everything it sends (e.g. the system
    /// address). Matched case-insensitively against every `X-Loop` header.
    pub loop_value: Option<String>,
    /// The system's own addresses (queue addresses): mail *from* them is a loop.
    pub own_addresses: Vec<String>,
    /// The domain of the Message-IDs this system generates: a message whose own Message-ID
    /// ends in `@<domain>` is one we sent.
    pub own_message_id_domain: Option<String>,
}

/// Local parts of senders that only machines use for bounces.
const BOUNCE_SENDERS: &[&str] = &["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"];
/// Local parts (or their beginnings) of senders that never read answers.
const NO_REPLY_SENDERS: &[&str] = &[
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
];

/// Classifies a message for loop and bounce protection. The first match wins, in this order:
/// loop, bounce, auto-reply, bulk, human. A foreign `X-Loop` header alone does not make a
/// message automatic (other helpdesks put it on their agents' mail too), but see
/// [`should_auto_answer`].
pub fn classify(message: &ParsedMessage, options: &ClassifyOptions) -> Automation {
    if is_loop(message, options) {
        return Automation::Loop;
    }
    if let Some(dsn) = bounce(message) {
        return Automation::Bounce(dsn);
    }
    if is_auto_reply(message) {
        return Automation::AutoReply;
    }
    if is_bulk(message) {
        return Automation::Bulk;
    }
    Automation::Human
}

/// `true` when an automatic answer (e.g. "we received your request") may be sent, with no
/// knowledge of our own loop value. Prefer [`should_auto_answer_with`] when it is known.
pub fn should_auto_answer(message: &ParsedMessage) -> bool {
    should_auto_answer_with(message, &ClassifyOptions::default())
}

/// `true` when an automatic answer may be sent (RFC 3834 §2): the message is
/// [`Automation::Human`], carries no `X-Loop` at all, does not come from the null sender `<>`
/// and has a sender address that is not a `noreply` address.
pub fn should_auto_answer_with(message: &ParsedMessage, options: &ClassifyOptions) -> bool {
    if classify(message, options) != Automation::Human || message.header("X-Loop").is_some() {
        return false;
    }
    if message.return_path.as_deref() == Some("") {
        return false;
    }
    let Some(from) = &message.from else {
        return false;
    };
    let local = local_part(&from.address);
    from.address.contains('@') && !NO_REPLY_SENDERS.iter().any(|n| local.starts_with(n))
}

fn local_part(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or(address, |(l, _)| l)
        .trim()
        .to_ascii_lowercase()
}

fn header_is(message: &ParsedMessage, name: &str, predicate: impl Fn(&str) -> bool) -> bool {
    message
        .header_values(name)
        .any(|v| predicate(&v.trim().to_ascii_lowercase()))
}

fn is_loop(message: &ParsedMessage, options: &ClassifyOptions) -> bool {
    if let Some(own) = options
        .loop_value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let own = own.to_ascii_lowercase();
        if header_is(message, "X-Loop", |v| {
            v.split([',', ' ']).any(|part| part == own) || v == own
        }) {
            return true;
        }
    }
    if let Some(from) = &message.from
        && options
            .own_addresses
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(from.address.trim()))
    {
        return true;
    }
    match (&options.own_message_id_domain, &message.message_id) {
        (Some(domain), Some(id)) if !domain.trim().is_empty() => id
            .rsplit_once('@')
            .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain.trim())),
        _ => false,
    }
}

fn bounce(message: &ParsedMessage) -> Option<Dsn> {
    if let Some(dsn) = &message.delivery_status {
        return Some(dsn.clone());
    }
    let is_report = header_is(message, "Content-Type", |v| {
        v.starts_with("multipart/report") && v.contains("delivery-status")
    });
    let from_daemon = message
        .from
        .as_ref()
        .is_some_and(|f| BOUNCE_SENDERS.contains(&local_part(&f.address).as_str()));
    if !is_report && !from_daemon {
        return None;
    }
    // A free-text bounce: look for the returned message to know what bounced.
    let original_message_id = message
        .attachments
        .iter()
        .filter(|a| a.content_type == "message/rfc822" || a.content_type == "text/rfc822-headers")
        .find_map(|a| parse(&a.data).message_id);
    Some(Dsn {
        original_message_id,
        ..Dsn::default()
    })
}

fn is_auto_reply(message: &ParsedMessage) -> bool {
    let auto_submitted = header_is(message, "Auto-Submitted", |v| {
        let keyword = v.split(';').next().unwrap_or("").trim();
        !keyword.is_empty() && keyword != "no"
    });
    let x_autoreply = [
        "X-Autoreply",
        "X-Autorespond",
        "X-Autoresponder",
        "X-Auto-Reply",
    ]
    .iter()
    .any(|name| header_is(message, name, |v| v != "no" && v != "false"));
    let precedence = header_is(message, "Precedence", |v| {
        v == "auto_reply" || v == "auto-reply"
    });
    let suppress = header_is(message, "X-Auto-Response-Suppress", |v| {
        v.split([',', ' '])
            .any(|token| matches!(token.trim(), "all" | "oof" | "autoreply"))
    });
    auto_submitted || x_autoreply || precedence || suppress
}

fn is_bulk(message: &ParsedMessage) -> bool {
    header_is(message, "Precedence", |v| {
        matches!(v, "bulk" | "junk" | "list")
    }) || message.header("List-Id").is_some()
        || message.header("List-Unsubscribe").is_some()
        || message.header("X-Mailing-List").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(headers: &str) -> ParsedMessage {
        parse(format!("From: Kari <kari@example.no>\r\nSubject: s\r\n{headers}\r\nbody").as_bytes())
    }

    fn opts() -> ClassifyOptions {
        ClassifyOptions {
            loop_value: Some("helpdesk@example.org".into()),
            own_addresses: vec!["Support@Example.org".into()],
            own_message_id_domain: Some("vakt.example.org".into()),
        }
    }

    #[test]
    fn plain_mail_is_human_and_answerable() {
        let m = mail("");
        assert_eq!(classify(&m, &opts()), Automation::Human);
        assert!(should_auto_answer(&m));
    }

    #[test]
    fn auto_submitted_no_is_human() {
        assert_eq!(
            classify(&mail("Auto-Submitted: no\r\n"), &opts()),
            Automation::Human
        );
        assert_eq!(
            classify(&mail("Auto-Submitted: auto-generated\r\n"), &opts()),
            Automation::AutoReply
        );
    }

    #[test]
    fn automatic_headers_are_recognised() {
        for h in [
            "Auto-Submitted: auto-replied; owner-email=\"x@y\"\r\n",
            "X-Autoreply: yes\r\n",
            "X-Autorespond: vacation\r\n",
            "Precedence: auto_reply\r\n",
            "X-Auto-Response-Suppress: DR, OOF, AutoReply\r\n",
        ] {
            assert_eq!(classify(&mail(h), &opts()), Automation::AutoReply, "{h}");
            assert!(!should_auto_answer(&mail(h)), "{h}");
        }
        for h in [
            "Precedence: bulk\r\n",
            "Precedence: JUNK\r\n",
            "List-Id: <l.example>\r\n",
            "List-Unsubscribe: <mailto:x@y>\r\n",
        ] {
            assert_eq!(classify(&mail(h), &opts()), Automation::Bulk, "{h}");
        }
    }

    #[test]
    fn loops_are_recognised() {
        assert_eq!(
            classify(&mail("X-Loop: HelpDesk@example.org\r\n"), &opts()),
            Automation::Loop
        );
        let foreign = mail("X-Loop: other@example.com\r\n");
        assert_eq!(classify(&foreign, &opts()), Automation::Human);
        assert!(!should_auto_answer(&foreign));
        let own_sender = parse(b"From: support@example.org\r\n\r\nx");
        assert_eq!(classify(&own_sender, &opts()), Automation::Loop);
        let own_id = mail("Message-ID: <123.abc@vakt.example.org>\r\n");
        assert_eq!(classify(&own_id, &opts()), Automation::Loop);
    }

    #[test]
    fn daemons_and_null_senders_are_not_answered() {
        let daemon = parse(b"From: MAILER-DAEMON@mx.example\r\n\r\nfailed");
        assert_eq!(
            classify(&daemon, &opts()),
            Automation::Bounce(Dsn::default())
        );
        let null_sender = mail("Return-Path: <>\r\n");
        assert!(!should_auto_answer(&null_sender));
        let noreply = parse(b"From: no-reply@shop.example\r\n\r\nx");
        assert!(!should_auto_answer(&noreply));
        assert!(!should_auto_answer(&parse(b"Subject: no sender\r\n\r\nx")));
    }
}
