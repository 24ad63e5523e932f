//! Top-level header fields: identifiers, addresses, recipients, date and the decoded list.

use chrono::{FixedOffset, TimeZone};
use mail_parser::{HeaderName, HeaderValue, Message};

use super::{Address, Header, ParsedMessage, charset};
use crate::thread::{normalize_message_id, parse_message_ids};

/// Fills the header-derived fields of `parsed`.
pub(super) fn fill(message: &Message<'_>, parsed: &mut ParsedMessage) {
    let raw = message.raw_message();
    parsed.headers = message
        .headers()
        .iter()
        .map(|h| Header {
            name: h.name().to_string(),
            value: header_value(raw, h),
        })
        .collect();

    parsed.message_id = parsed.header("Message-ID").and_then(first_id);
    parsed.in_reply_to = parsed.header("In-Reply-To").and_then(first_id);
    parsed.references = parsed
        .header_values("References")
        .flat_map(parse_message_ids)
        .collect();
    parsed.subject = message.subject().map(|s| s.trim().to_string());
    parsed.from = message.from().and_then(|a| addresses(a).into_iter().next());
    parsed.reply_to = message.reply_to().map(addresses).unwrap_or_default();
    parsed.to = message
        .header_values(HeaderName::To)
        .flat_map(value_addresses)
        .collect();
    parsed.cc = message
        .header_values(HeaderName::Cc)
        .flat_map(value_addresses)
        .collect();
    parsed.date = message.date().and_then(|d| {
        let offset_secs = (i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60)
            * if d.tz_before_gmt { -1 } else { 1 };
        let offset = FixedOffset::east_opt(offset_secs)?;
        offset
            .with_ymd_and_hms(
                i32::from(d.year),
                u32::from(d.month),
                u32::from(d.day),
                u32::from(d.hour),
                u32::from(d.minute),
                u32::from(d.second),
            )
            .single()
    });
    parsed.return_path = parsed
        .header("Return-Path")
        .map(|v| bare_address(v).to_string());
    parsed.delivered_to = bare_addresses(parsed, "Delivered-To");
    parsed.x_original_to = bare_addresses(parsed, "X-Original-To");

    let mut envelope: Vec<String> = Vec::new();
    for name in ["Envelope-To", "X-Envelope-To", "X-Rcpt-To"] {
        envelope.extend(
            bare_addresses(parsed, name)
                .iter()
                .map(|a| a.to_lowercase()),
        );
    }
    for value in parsed.header_values("Received") {
        if let Some(addr) = received_for(value) {
            envelope.push(addr.to_lowercase());
        }
    }
    let mut seen = std::collections::HashSet::new();
    envelope.retain(|a| !a.is_empty() && seen.insert(a.clone()));
    parsed.envelope_recipients = envelope;
}

fn first_id(value: &str) -> Option<String> {
    parse_message_ids(value)
        .into_iter()
        .next()
        .or_else(|| normalize_message_id(value))
}

/// The decoded value of one header: the raw value unfolded, or the parser's decoded text when
/// the raw value carries RFC 2047 encoded words.
fn header_value(raw: &[u8], header: &mail_parser::Header<'_>) -> String {
    let start = header.offset_start as usize;
    let end = (header.offset_end as usize).min(raw.len());
    let raw_value = raw
        .get(start..end)
        .map(charset::decode_unlabelled)
        .unwrap_or_default();
    let unfolded = unfold(&raw_value);
    if !unfolded.contains("=?") {
        return unfolded;
    }
    match &header.value {
        HeaderValue::Text(text) => text.trim().to_string(),
        HeaderValue::TextList(list) => list.join(", "),
        HeaderValue::Address(address) => format_addresses(&addresses(address)),
        _ => unfolded,
    }
}

/// Joins folded lines (CRLF or LF followed by white space) and trims.
fn unfold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i > 0 && !line.is_empty() {
            out.push(' ');
            out.push_str(line.trim_start());
        } else {
            out.push_str(line);
        }
    }
    out.trim().to_string()
}

fn format_addresses(list: &[Address]) -> String {
    list.iter()
        .map(|a| match &a.name {
            Some(name) => format!("{name} <{}>", a.address),
            None => a.address.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_addresses(value: &HeaderValue<'_>) -> Vec<Address> {
    match value {
        HeaderValue::Address(address) => addresses(address),
        _ => Vec::new(),
    }
}

/// Flattens a parsed address header (lists and groups) into mailboxes that have an address.
pub(super) fn addresses(address: &mail_parser::Address<'_>) -> Vec<Address> {
    let convert = |a: &mail_parser::Addr<'_>| {
        let address = a.address.as_deref()?.trim();
        if address.is_empty() {
            return None;
        }
        let name = a
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != address)
            .map(str::to_string);
        Some(Address {
            name,
            address: address.to_string(),
        })
    };
    match address {
        mail_parser::Address::List(list) => list.iter().filter_map(convert).collect(),
        mail_parser::Address::Group(groups) => groups
            .iter()
            .flat_map(|g| g.addresses.iter().filter_map(convert))
            .collect(),
    }
}

/// `"<a@b>"`, `"a@b"`, `"Name <a@b>"` → `"a@b"`; `"<>"` → `""`.
fn bare_address(value: &str) -> &str {
    let value = value.trim();
    match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => value[open + 1..close].trim(),
        _ => value,
    }
}

fn bare_addresses(parsed: &ParsedMessage, name: &str) -> Vec<String> {
    parsed
        .header_values(name)
        .flat_map(|v| v.split(','))
        .map(|v| bare_address(v).to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The address in the `for <addr>` clause of a `Received` header.
fn received_for(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let mut search_from = 0;
    while let Some(pos) = lower[search_from..].find("for ") {
        let at = search_from + pos;
        let boundary_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        search_from = at + 4;
        if !boundary_ok {
            continue;
        }
        let rest = value[search_from..].trim_start();
        let token = match rest.strip_prefix('<') {
            Some(inner) => inner.split('>').next().unwrap_or(""),
            None => rest
                .split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or(""),
        };
        if token.contains('@') {
            return Some(token.trim());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_for_clause_is_found() {
        assert_eq!(
            received_for("from a by b with ESMTP id 1 for <X@Example.org>; Sun, 1 Jan 2026"),
            Some("X@Example.org")
        );
        assert_eq!(received_for("from a by b; for me"), None);
        assert_eq!(received_for("from before@x by b for c@d;"), Some("c@d"));
    }

    #[test]
    fn folded_values_are_joined() {
        assert_eq!(unfold(" a\r\n\tb\n c \r\n"), "a b c");
    }

    #[test]
    fn bare_addresses_lose_brackets_and_names() {
        assert_eq!(bare_address("<>"), "");
        assert_eq!(bare_address("Kari <k@x>"), "k@x");
        assert_eq!(bare_address(" k@x "), "k@x");
    }
}
