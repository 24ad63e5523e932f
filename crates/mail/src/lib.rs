#![doc = include_str!("../README.md")]

pub mod classify;
pub mod dsn;
pub mod error;
pub mod parse;

/// HTML sanitising (for display) and rendering as text, shared by mail and the ticket API.
pub mod html {
    pub use crate::parse::html::{REMOTE_SRC_ATTRIBUTE, SAFE_STYLE_PROPERTIES, sanitize, to_text};
}
pub mod thread;

pub use classify::{
    Automation, ClassifyOptions, classify, should_auto_answer, should_auto_answer_with,
};
pub use dsn::{Dsn, DsnRecipient};
pub use error::{MailError, Result};
pub use parse::{Address, Attachment, Header, ParsedMessage, parse};
pub use thread::{
    clean_subject, find_ticket_number, normalize_message_id, parse_message_ids, reply_subject,
    strip_reply_prefixes, tagged_subject,
};
pub mod compose;
pub use compose::{
    AutoSubmitted, ComposedMessage, Envelope, OutgoingAttachment, OutgoingMessage, compose,
    generate_message_id,
};
pub mod transport;
pub use transport::{SendmailConfig, SmtpConfig, TlsMode, Transport, TransportConfig};
pub mod fetch;
pub mod route;
pub use fetch::{FetchConfig, Fetcher, Protocol};
