//! Routing decisions for inbound mail as pure functions (no database): which thread keys a
//! message carries, which addresses it was sent to, which queue an address picks, and what
//! the postmaster filters say. The service looks the keys up and applies the decision; the
//! fuzz target `route` runs these on arbitrary input.

use regex::{Regex, RegexBuilder};

use crate::parse::ParsedMessage;
use crate::thread::find_ticket_number;

/// What can tie a message to an existing ticket, strongest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadKeys {
    /// The ticket number in the subject's `[<tag>#<number>]`.
    pub ticket_number: Option<String>,
    /// In-Reply-To, then References from the newest back (normalised, no duplicates, at most
    /// 50): look them up among the Message-IDs of stored articles.
    pub message_ids: Vec<String>,
}

/// Most referenced ids looked up per message (long threads carry hundreds).
pub const MAX_THREAD_IDS: usize = 50;

/// The thread keys of a message.
pub fn thread_keys(message: &ParsedMessage, system_tag: &str) -> ThreadKeys {
    let ticket_number = message
        .subject
        .as_deref()
        .and_then(|s| find_ticket_number(s, system_tag));
    let mut message_ids: Vec<String> = Vec::new();
    let candidates = message
        .in_reply_to
        .iter()
        .cloned()
        .chain(message.references.iter().rev().cloned());
    for id in candidates {
        if message_ids.len() >= MAX_THREAD_IDS {
            break;
        }
        if !id.is_empty() && id.len() <= 998 && !message_ids.contains(&id) {
            message_ids.push(id);
        }
    }
    ThreadKeys {
        ticket_number,
        message_ids,
    }
}

/// The addresses a message was sent to, lower-case, without duplicates: To, Cc,
/// Delivered-To, X-Original-To and envelope recipients, in that order.
pub fn recipients(message: &ParsedMessage) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let all = message
        .to
        .iter()
        .chain(message.cc.iter())
        .map(|a| a.address.as_str())
        .chain(message.delivered_to.iter().map(String::as_str))
        .chain(message.x_original_to.iter().map(String::as_str))
        .chain(message.envelope_recipients.iter().map(String::as_str));
    for address in all {
        let address = address.trim().trim_matches(['<', '>']).to_lowercase();
        if address.contains('@') && !out.contains(&address) {
            out.push(address);
        }
    }
    out
}

/// The first queue (in recipient order) whose address received the message.
pub fn queue_for_recipients(recipients: &[String], queues: &[(i64, String)]) -> Option<i64> {
    recipients.iter().find_map(|r| {
        queues
            .iter()
            .find(|(_, address)| address.trim().eq_ignore_ascii_case(r))
            .map(|(id, _)| *id)
    })
}

/// One condition of a postmaster filter: a regular expression on a part of the message.
#[derive(Debug, Clone)]
pub struct Condition {
    /// `from`, `to`, `cc`, `subject`, `body`, or any header name (e.g. `X-Spam-Flag`).
    pub field: String,
    /// The expression (Rust `regex` syntax; `(?i)` for case-insensitive).
    pub pattern: Regex,
    /// Match when the expression does *not* match.
    pub negate: bool,
}

/// What a matching filter sets; later matches override earlier ones field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterActions {
    /// Queue of a new ticket.
    pub queue_id: Option<i64>,
    /// Priority of a new ticket.
    pub priority_id: Option<i64>,
    /// Type of a new ticket.
    pub type_id: Option<i64>,
    /// State of a new ticket.
    pub state_id: Option<i64>,
    /// Customer (email) of a new ticket instead of the sender.
    pub customer_email: Option<String>,
    /// Record the message as ignored; no ticket.
    pub ignore: bool,
    /// Custom fields of a new ticket: key → value as text (a later filter's value wins).
    pub custom_fields: std::collections::BTreeMap<String, String>,
}

/// A compiled postmaster filter.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Id (for the record of what matched).
    pub id: i64,
    /// All conditions must hold.
    pub conditions: Vec<Condition>,
    /// What it sets.
    pub actions: FilterActions,
    /// No later filter runs once this one matched.
    pub stop_after_match: bool,
}

/// Largest compiled expression (bytes of the automaton), to keep matching cheap.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a filter expression, refusing huge ones.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

/// The values of a field of the message that a condition matches against.
fn values<'a>(message: &'a ParsedMessage, field: &'a str) -> Vec<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    let address = |a: &'a crate::parse::Address| -> Cow<'a, str> {
        match &a.name {
            Some(name) => Cow::Owned(format!("{name} <{}>", a.address)),
            None => Cow::Borrowed(a.address.as_str()),
        }
    };
    match field.to_ascii_lowercase().as_str() {
        "from" => message.from.iter().map(address).collect(),
        "to" => message.to.iter().map(address).collect(),
        "cc" => message.cc.iter().map(address).collect(),
        "subject" => message
            .subject
            .iter()
            .map(|s| Cow::Borrowed(s.as_str()))
            .collect(),
        "body" => vec![Cow::Borrowed(message.text.as_str())],
        _ => message.header_values(field).map(Cow::Borrowed).collect(),
    }
}

fn holds(message: &ParsedMessage, condition: &Condition) -> bool {
    let found = values(message, &condition.field)
        .iter()
        .any(|v| condition.pattern.is_match(v));
    found != condition.negate
}

/// The result of running the filters: the merged actions and the ids that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterOutcome {
    /// Merged actions.
    pub actions: FilterActions,
    /// Ids of the filters that matched, in order.
    pub matched: Vec<i64>,
}

/// Runs the filters in order: each whose conditions all hold (a filter without conditions
/// always matches) merges its actions; `stop_after_match` ends the run.
pub fn apply_filters(filters: &[Filter], message: &ParsedMessage) -> FilterOutcome {
    let mut outcome = FilterOutcome::default();
    for filter in filters {
        if !filter.conditions.iter().all(|c| holds(message, c)) {
            continue;
        }
        outcome.matched.push(filter.id);
        let a = &filter.actions;
        let merged = &mut outcome.actions;
        merged.queue_id = a.queue_id.or(merged.queue_id);
        merged.priority_id = a.priority_id.or(merged.priority_id);
        merged.type_id = a.type_id.or(merged.type_id);
        merged.state_id = a.state_id.or(merged.state_id);
        if a.customer_email.is_some() {
            merged.customer_email.clone_from(&a.customer_email);
        }
        merged.ignore |= a.ignore;
        for (key, value) in &a.custom_fields {
            merged.custom_fields.insert(key.clone(), value.clone());
        }
        if filter.stop_after_match {
            break;
        }
    }
    outcome
}

/// Where a new ticket goes, first answer wins: a filter's queue, the queue whose address
/// received the message, the account's or requested queue, the default queue.
pub fn choose_queue(
    filter_queue: Option<i64>,
    by_recipient: Option<i64>,
    requested: Option<i64>,
    default: i64,
) -> i64 {
    filter_queue
        .or(by_recipient)
        .or(requested)
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    const MAIL: &[u8] = b"From: Kari <kari@example.org>\r\nTo: Help <HELP@uio.example>\r\n\
Cc: boss@example.org\r\nDelivered-To: it@uio.example\r\nSubject: Re: [Ticket#2026112410000017] Printer\r\n\
Message-ID: <m2@example.org>\r\nIn-Reply-To: <a1@vakt.example>\r\nReferences: <a0@vakt.example> <a1@vakt.example>\r\n\
X-Spam-Flag: YES\r\n\r\nThe printer is on fire.\r\n";

    #[test]
    fn thread_keys_have_the_tag_and_the_newest_ids_first() {
        let keys = thread_keys(&parse(MAIL), "ticket");
        assert_eq!(keys.ticket_number.as_deref(), Some("2026112410000017"));
        assert_eq!(keys.message_ids, vec!["a1@vakt.example", "a0@vakt.example"]);
    }

    #[test]
    fn recipients_are_lower_case_and_pick_the_first_matching_queue() {
        let r = recipients(&parse(MAIL));
        assert_eq!(
            r,
            vec!["help@uio.example", "boss@example.org", "it@uio.example"]
        );
        let queues = vec![
            (7, "it@uio.example".to_owned()),
            (3, "Help@uio.example".to_owned()),
        ];
        assert_eq!(queue_for_recipients(&r, &queues), Some(3));
        assert_eq!(queue_for_recipients(&r[1..], &queues), Some(7));
        assert_eq!(choose_queue(None, None, Some(4), 1), 4);
        assert_eq!(choose_queue(Some(9), Some(3), Some(4), 1), 9);
        assert_eq!(choose_queue(None, None, None, 1), 1);
    }

    fn filter(id: i64, field: &str, pattern: &str, actions: FilterActions, stop: bool) -> Filter {
        Filter {
            id,
            conditions: vec![Condition {
                field: field.into(),
                pattern: compile_pattern(pattern).unwrap(),
                negate: false,
            }],
            actions,
            stop_after_match: stop,
        }
    }

    #[test]
    fn filters_merge_in_order_and_stop() {
        let message = parse(MAIL);
        let spam = filter(
            1,
            "x-spam-flag",
            "^YES$",
            FilterActions {
                ignore: true,
                ..Default::default()
            },
            false,
        );
        let fire = filter(
            2,
            "body",
            "(?i)FIRE",
            FilterActions {
                priority_id: Some(5),
                queue_id: Some(2),
                ..Default::default()
            },
            true,
        );
        let never = filter(
            3,
            "from",
            "kari",
            FilterActions {
                queue_id: Some(9),
                ..Default::default()
            },
            false,
        );
        let out = apply_filters(&[spam, fire, never], &message);
        assert_eq!(out.matched, vec![1, 2]);
        assert!(out.actions.ignore);
        assert_eq!(out.actions.queue_id, Some(2));
        assert_eq!(out.actions.priority_id, Some(5));
        let mut negated = filter(
            4,
            "subject",
            "Printer",
            FilterActions {
                type_id: Some(1),
                ..Default::default()
            },
            false,
        );
        negated.conditions[0].negate = true;
        assert!(apply_filters(&[negated], &message).matched.is_empty());
    }

    #[test]
    fn huge_patterns_are_refused() {
        assert!(compile_pattern("(").is_err());
        assert!(compile_pattern(&"a{1000}".repeat(100)).is_err());
    }
}
