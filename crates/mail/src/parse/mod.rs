//! Inbound parsing: raw RFC 5322 bytes → [`ParsedMessage`].
//!
//! [`parse`] accepts anything and never panics: missing or broken MIME structure, unknown or
//! missing charsets, 8-bit headers and arbitrary binary input all produce a (possibly sparse)
//! [`ParsedMessage`]; what had to be guessed is listed in [`ParsedMessage::warnings`].

mod body;
mod charset;
mod headers;
pub(crate) mod html;
mod tnef;

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, FixedOffset};

use crate::dsn::Dsn;
pub use html::{REMOTE_SRC_ATTRIBUTE, SAFE_STYLE_PROPERTIES};

/// A mailbox: an address with an optional display name (decoded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Address {
    /// Display name, e.g. `Kari Nordmann`, decoded from RFC 2047 when needed.
    pub name: Option<String>,
    /// The address, e.g. `kari@example.no`, as written (not lower-cased).
    pub address: String,
}

/// One header field of the message's top level, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field name as written (e.g. `X-Loop`).
    pub name: String,
    /// The value, unfolded, trimmed, with RFC 2047 encoded words decoded.
    pub value: String,
}

/// A file carried by the message (attachment, inline image, forwarded message, TNEF content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Decoded filename without any directory part. Generated (`attachment-3.bin`,
    /// `<subject>.eml`) when the message gives none.
    pub filename: String,
    /// Lower-case `type/subtype`, without parameters.
    pub content_type: String,
    /// The `Content-ID` without angle brackets: an HTML body refers to it as `cid:<content_id>`.
    pub content_id: Option<String>,
    /// `true` for parts meant to be shown in the body (`Content-Disposition: inline`, or a
    /// `Content-ID` without a disposition).
    pub inline: bool,
    /// `true` when the file was unpacked from a `winmail.dat` (which is kept as well).
    pub from_tnef: bool,
    /// The decoded content. Text parts are stored as UTF-8, whatever their original charset;
    /// a nested `message/rfc822` part is stored as its raw bytes (a `.eml` file).
    pub data: Vec<u8>,
}

/// Everything a helpdesk needs from one inbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedMessage {
    /// `Message-ID`, normalised (no angle brackets, no whitespace).
    pub message_id: Option<String>,
    /// The first id in `In-Reply-To`, normalised.
    pub in_reply_to: Option<String>,
    /// The ids in `References`, normalised, in order.
    pub references: Vec<String>,
    /// The decoded subject (RFC 2047, raw 8-bit bytes as UTF-8 or Windows-1252).
    pub subject: Option<String>,
    /// The first `From` mailbox.
    pub from: Option<Address>,
    /// `Reply-To` mailboxes.
    pub reply_to: Vec<Address>,
    /// `To` mailboxes (groups are flattened).
    pub to: Vec<Address>,
    /// `Cc` mailboxes (groups are flattened).
    pub cc: Vec<Address>,
    /// Addresses from `Delivered-To` headers, in order.
    pub delivered_to: Vec<String>,
    /// Addresses from `X-Original-To` headers, in order.
    pub x_original_to: Vec<String>,
    /// Envelope recipients from `Envelope-To`, `X-Envelope-To`, `X-Rcpt-To` and the
    /// `for <…>` clause of `Received` headers, lower-cased and without duplicates.
    pub envelope_recipients: Vec<String>,
    /// The `Return-Path` address; `Some("")` for the null sender `<>` (bounces).
    pub return_path: Option<String>,
    /// The `Date` header, if it could be read.
    pub date: Option<DateTime<FixedOffset>>,
    /// All top-level header fields, decoded.
    pub headers: Vec<Header>,
    /// The plain-text body: the text parts, or a text rendering of the HTML body when the
    /// message has no text part. Empty when the message has no body.
    pub text: String,
    /// The HTML body, sanitised for display (see the crate README for what is kept).
    pub html: Option<String>,
    /// `true` when the HTML body referred to remote images (now in [`REMOTE_SRC_ATTRIBUTE`]).
    pub has_remote_images: bool,
    /// Attachments and inline parts, including nested messages as `.eml` files.
    pub attachments: Vec<Attachment>,
    /// The delivery status report, for RFC 3464 bounces.
    pub delivery_status: Option<Dsn>,
    /// What had to be guessed or repaired while parsing (empty for well-formed mail).
    pub warnings: Vec<String>,
}

impl ParsedMessage {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// All values of header `name` (case-insensitive), in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    fn empty() -> Self {
        ParsedMessage {
            message_id: None,
            in_reply_to: None,
            references: Vec::new(),
            subject: None,
            from: None,
            reply_to: Vec::new(),
            to: Vec::new(),
            cc: Vec::new(),
            delivered_to: Vec::new(),
            x_original_to: Vec::new(),
            envelope_recipients: Vec::new(),
            return_path: None,
            date: None,
            headers: Vec::new(),
            text: String::new(),
            html: None,
            has_remote_images: false,
            attachments: Vec::new(),
            delivery_status: None,
            warnings: Vec::new(),
        }
    }
}

/// Parses a raw message. Never fails and never panics: whatever cannot be understood is
/// degraded (see [`ParsedMessage::warnings`]), never dropped silently.
pub fn parse(raw: &[u8]) -> ParsedMessage {
    match catch_unwind(AssertUnwindSafe(|| parse_inner(raw))) {
        Ok(parsed) => parsed,
        Err(_) => catch_unwind(AssertUnwindSafe(|| headers_only(raw))).unwrap_or_else(|_| {
            let mut parsed = ParsedMessage::empty();
            parsed.text = charset::decode_unlabelled(raw).into_owned();
            parsed
                .warnings
                .push("the MIME parser failed; the whole message is shown as text".into());
            parsed
        }),
    }
}

/// Fallback when the MIME body could not be parsed: the headers are read as usual and the
/// raw body becomes the text.
fn headers_only(raw: &[u8]) -> ParsedMessage {
    let header_len = charset::header_block_len(raw);
    let header = charset::transcode_header_lines(&raw[..header_len])
        .unwrap_or_else(|| raw[..header_len].to_vec());
    let parser = mail_parser::MessageParser::new().default_header_text();
    let mut parsed = ParsedMessage::empty();
    if let Some(message) = parser.parse_headers(&header) {
        headers::fill(&message, &mut parsed);
    }
    parsed.text = charset::decode_unlabelled(&raw[header_len..]).replace("\r\n", "\n");
    parsed
        .warnings
        .push("the MIME structure could not be parsed; the raw body is shown as text".into());
    parsed
}

fn parse_inner(raw: &[u8]) -> ParsedMessage {
    let mut warnings = Vec::new();
    let header_len = charset::header_block_len(raw);
    let repaired = charset::transcode_header_lines(&raw[..header_len]).map(|mut fixed| {
        warnings
            .push("8-bit header bytes that are not UTF-8 were read as Windows-1252".to_string());
        fixed.extend_from_slice(&raw[header_len..]);
        fixed
    });
    let input = repaired.as_deref().unwrap_or(raw);

    let parser = mail_parser::MessageParser::new().default_header_text();
    let Some(message) = parser.parse(input) else {
        let mut parsed = ParsedMessage::empty();
        parsed.text = charset::decode_unlabelled(raw).into_owned();
        parsed
            .warnings
            .push("no message headers found; the input is shown as text".into());
        return parsed;
    };

    if let Some(fixed) = missing_boundary_repair(&message, input, header_len) {
        let reparsed = parser.parse(&fixed);
        if let Some(message) = reparsed {
            warnings.push(
                "a multipart message without boundary parameter was split at the first '--' line"
                    .into(),
            );
            return finish(&message, warnings);
        }
    }
    finish(&message, warnings)
}

fn finish(message: &mail_parser::Message<'_>, mut warnings: Vec<String>) -> ParsedMessage {
    let mut parsed = ParsedMessage::empty();
    headers::fill(message, &mut parsed);
    body::fill(message, &mut parsed, &mut warnings);
    parsed.delivery_status = crate::dsn::extract(message);
    parsed.warnings.extend(warnings);
    parsed
}

/// For a top-level `multipart/*` without `boundary` parameter (some broken mailers), guesses
/// the boundary from the first body line starting with `--` and returns the input with the
/// parameter added to the `Content-Type` field.
fn missing_boundary_repair(
    message: &mail_parser::Message<'_>,
    input: &[u8],
    header_len: usize,
) -> Option<Vec<u8>> {
    use mail_parser::MimeHeaders;
    let content_type = message.root_part().content_type()?;
    if !content_type.ctype().eq_ignore_ascii_case("multipart")
        || content_type.attribute("boundary").is_some()
    {
        return None;
    }
    let body = input.get(header_len..)?;
    let boundary = body
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .find_map(|line| line.strip_prefix(b"--"))?;
    let boundary = boundary.strip_suffix(b"--").unwrap_or(boundary);
    let boundary = std::str::from_utf8(boundary).ok()?.trim();
    if boundary.is_empty() || boundary.len() > 200 || boundary.contains('"') {
        return None;
    }
    let header = input.get(..header_len)?;
    let field_end = content_type_field_end(header)?;
    let mut fixed = Vec::with_capacity(input.len() + boundary.len() + 16);
    fixed.extend_from_slice(&header[..field_end]);
    fixed.extend_from_slice(format!("; boundary=\"{boundary}\"").as_bytes());
    fixed.extend_from_slice(&input[field_end..]);
    Some(fixed)
}

/// Byte offset of the line ending that ends the (possibly folded) `Content-Type` field.
fn content_type_field_end(header: &[u8]) -> Option<usize> {
    let mut pos = 0;
    let mut in_field = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        let continuation = line.first().is_some_and(|&b| b == b' ' || b == b'\t');
        if in_field && !continuation {
            return Some(pos - line_ending_len(&header[..pos]));
        }
        if !continuation {
            in_field = line.len() >= 13 && line[..13].eq_ignore_ascii_case(b"content-type:");
        }
        pos += line.len();
    }
    in_field.then(|| pos - line_ending_len(&header[..pos]))
}

fn line_ending_len(before: &[u8]) -> usize {
    if before.ends_with(b"\r\n") {
        2
    } else if before.ends_with(b"\n") {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_empty_input_do_not_panic() {
        for input in [
            &b""[..],
            b"\0\0\0",
            b"\xff\xfe",
            b"::::\r\n\r\n",
            b"Content-Type: multipart/mixed\r\n",
        ] {
            let parsed = parse(input);
            assert!(parsed.attachments.is_empty());
        }
    }

    #[test]
    fn a_missing_boundary_is_guessed() {
        let parsed = parse(
            b"Subject: x\r\nContent-Type: multipart/mixed\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--zz--\r\n",
        );
        assert_eq!(parsed.text, "hello");
        assert!(parsed.attachments.is_empty());
    }

    #[test]
    fn header_lookup_is_case_insensitive() {
        let parsed = parse(b"X-Loop: a\r\nx-loop: b\r\nSubject: s\r\n\r\nbody");
        assert_eq!(parsed.header("X-LOOP"), Some("a"));
        assert_eq!(
            parsed.header_values("x-loop").collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
