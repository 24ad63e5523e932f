//! Email (SPEC §3, issue 4): inbound mail from the gateway (`vakt mailgate`) and from polled
//! IMAP/POP3 accounts, stored raw before anything else, then filtered, classified, routed and
//! turned into a ticket or follow-up in one transaction — or quarantined, never dropped; the
//! outbox that sends customer-visible email articles (replies, auto-replies, rejections) with
//! retries; and the administration of accounts, postmaster filters and queue mail settings.

mod accounts;
mod addresses;
mod filters;
mod ingest;
mod jobs;
mod messages;
mod newticket;
mod outbound;
mod process;
mod settings;
mod templates;

pub use accounts::{MailAccount, MailAccountInput};
pub use filters::{
    FilterActionsInput, FilterConditionInput, PostmasterFilter, PostmasterFilterInput,
};
pub use ingest::{InboundOptions, IngestResult, MailAction, Outcome};
pub use jobs::register;
pub use messages::{MailMessage, MailMessageStatus};
pub use outbound::Delivery;
pub(crate) use outbound::{DeliveryKind, deliver, deliveries, queue_outbound, queue_sender};
pub(crate) use settings::load as queue_settings;
pub use settings::{FollowUpPolicy, QueueMailSettings};
pub use templates::REPLY_VARIABLES;
pub(crate) use templates::{Vars, check_reply_variables, deadline_text, placeholders, render_with};

use vakt_mail::TransportConfig;

/// Mail settings of the use cases (from `VAKT_SMTP_*`, `VAKT_SENDMAIL`, `VAKT_MAIL_*`).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The tag in subjects: `[<tag>#<number>]`.
    pub ticket_tag: String,
    /// Domain of the Message-IDs we generate (also how our own mail is recognised).
    pub domain: String,
    /// Sender address of queues without their own address; also the `X-Loop` value.
    pub default_sender: String,
    /// How mail leaves; `None`: mail waits in the outbox until one is configured.
    pub transport: Option<TransportConfig>,
    /// Automatic answers per sender and day.
    pub auto_answer_cap: i64,
    /// Largest inbound message accepted, in bytes.
    pub max_message_bytes: usize,
    /// The queue of new tickets nothing else routes (by name; the first queue if missing).
    pub default_queue: String,
    /// Send attempts of one outbound message before it is marked failed.
    pub send_attempts: i32,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            ticket_tag: "Ticket".into(),
            domain: "vakt.localhost".into(),
            default_sender: "helpdesk@localhost".into(),
            transport: None,
            auto_answer_cap: 40,
            max_message_bytes: 50 * 1024 * 1024,
            default_queue: "General".into(),
            send_attempts: 12,
        }
    }
}
