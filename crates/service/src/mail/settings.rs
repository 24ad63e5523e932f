//! Per-queue mail settings: sender name, follow-up policy for closed tickets, automatic
//! answer, salutation and signature templates, Cc as watchers.

use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::mail_outbox::{self, QueueMailRow};
use vakt_persistence::repo::{queues, reply_templates};
use vakt_persistence::time::{from_db, to_db};

use super::templates::check_reply_variables;
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;

/// What a follow-up to a closed ticket does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FollowUpPolicy {
    /// Append and reopen the ticket.
    #[default]
    Reopen,
    /// Start a new ticket.
    NewTicket,
    /// Refuse it and send the sender a notice.
    Reject,
}

impl FollowUpPolicy {
    /// Stored/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reopen => "reopen",
            Self::NewTicket => "new_ticket",
            Self::Reject => "reject",
        }
    }

    /// Parses the stored/wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "reopen" => Some(Self::Reopen),
            "new_ticket" => Some(Self::NewTicket),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

/// A queue's mail settings (defaults for queues never configured).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueMailSettings {
    /// Queue.
    pub queue_id: i64,
    /// Display name on outgoing mail (default: the queue's name).
    pub sender_name: Option<String>,
    /// Follow-ups to closed tickets.
    pub follow_up_policy: FollowUpPolicy,
    /// Text of the rejection notice (template; a default text when empty).
    pub reject_text: Option<String>,
    /// Answer new tickets automatically.
    pub auto_reply_enabled: bool,
    /// Subject template of the automatic answer (default: the original subject).
    pub auto_reply_subject: Option<String>,
    /// Body template of the automatic answer (a default text when empty).
    pub auto_reply_body: Option<String>,
    /// Template put before every reply.
    pub salutation: Option<String>,
    /// Template put after every reply.
    pub signature: Option<String>,
    /// The salutation template (`/api/v1/salutations`) put before every reply; when set, its
    /// text is `salutation`.
    pub salutation_id: Option<i64>,
    /// The signature template (`/api/v1/signatures`) put after every reply; when set, its text
    /// is `signature`.
    pub signature_id: Option<i64>,
    /// Cc addresses of incoming mail become watchers of new tickets.
    pub cc_as_watchers: bool,
    /// Tell the customer by email when the ticket is closed.
    pub notify_customer_on_close: bool,
    /// `X-Vakt-Field-<key>: value` headers of incoming mail set custom fields of new tickets
    /// (off by default: anyone can write headers).
    pub trust_field_headers: bool,
    /// Last saved (never saved: `None`).
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<QueueMailRow> for QueueMailSettings {
    fn from(row: QueueMailRow) -> Self {
        QueueMailSettings {
            queue_id: row.queue_id,
            sender_name: row.sender_name,
            follow_up_policy: FollowUpPolicy::parse(&row.follow_up_policy).unwrap_or_default(),
            reject_text: row.reject_text,
            auto_reply_enabled: row.auto_reply_enabled,
            auto_reply_subject: row.auto_reply_subject,
            auto_reply_body: row.auto_reply_body,
            salutation: row.salutation,
            signature: row.signature,
            salutation_id: row.salutation_id,
            signature_id: row.signature_id,
            cc_as_watchers: row.cc_as_watchers,
            notify_customer_on_close: row.notify_customer_on_close,
            trust_field_headers: row.trust_field_headers,
            updated_at: Some(from_db(row.updated_at)),
        }
    }
}

/// The settings of a queue, defaults when none were saved.
/// The settings of a queue, defaults when none were saved; a chosen salutation or signature
/// template gives the text.
pub(crate) fn load(conn: &mut DbConnection, queue_id: i64) -> ServiceResult<QueueMailSettings> {
    let mut settings: QueueMailSettings = match mail_outbox::settings(conn, queue_id)? {
        Some(row) => row.into(),
        None => QueueMailSettings {
            queue_id,
            ..QueueMailSettings::default()
        },
    };
    if let Some(id) = settings.salutation_id
        && let Some(template) = reply_templates::find(conn, id)?
    {
        settings.salutation = Some(template.body);
    }
    if let Some(id) = settings.signature_id
        && let Some(template) = reply_templates::find(conn, id)?
    {
        settings.signature = Some(template.body);
    }
    Ok(settings)
}

const MAX_TEMPLATE: usize = 20_000;

fn check(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) {
    if value.is_some_and(|v| v.chars().count() > max) {
        errors.add(
            field,
            ValidationError::new("too_long", format!("must be at most {max} characters")),
        );
    }
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl Services {
    /// A queue's mail settings (administrators).
    pub fn queue_mail_settings(
        &self,
        actor: &Principal,
        queue_id: i64,
    ) -> ServiceResult<QueueMailSettings> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        queues::find(&mut conn, queue_id)?.ok_or(ServiceError::NotFound("queue"))?;
        load(&mut conn, queue_id)
    }

    /// Replaces a queue's mail settings (administrators).
    pub fn set_queue_mail_settings(
        &self,
        actor: &Principal,
        input: QueueMailSettings,
    ) -> ServiceResult<QueueMailSettings> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        check(
            &mut errors,
            "sender_name",
            input.sender_name.as_deref(),
            200,
        );
        for (field, value) in [
            ("reject_text", &input.reject_text),
            ("auto_reply_subject", &input.auto_reply_subject),
            ("auto_reply_body", &input.auto_reply_body),
            ("salutation", &input.salutation),
            ("signature", &input.signature),
        ] {
            let max = if field == "auto_reply_subject" {
                500
            } else {
                MAX_TEMPLATE
            };
            check(&mut errors, field, value.as_deref(), max);
        }
        for (field, value) in [
            ("salutation", &input.salutation),
            ("signature", &input.signature),
        ] {
            if let Some(text) = value {
                check_reply_variables(&mut errors, field, text);
            }
        }
        if input
            .sender_name
            .as_deref()
            .is_some_and(|n| n.contains(['\r', '\n']))
        {
            errors.add(
                "sender_name",
                ValidationError::new("invalid", "must be one line"),
            );
        }
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.conn()?;
        queues::find(&mut conn, input.queue_id)?.ok_or(ServiceError::NotFound("queue"))?;
        for (field, kind, id) in [
            ("salutation_id", "salutation", input.salutation_id),
            ("signature_id", "signature", input.signature_id),
        ] {
            if let Some(id) = id
                && reply_templates::find(&mut conn, id)?.is_none_or(|t| t.kind != kind)
            {
                return Err(ServiceError::invalid(
                    field,
                    "not_found",
                    format!("no such {kind}"),
                ));
            }
        }
        let row = QueueMailRow {
            queue_id: input.queue_id,
            sender_name: blank_to_none(input.sender_name),
            follow_up_policy: input.follow_up_policy.as_str().to_owned(),
            reject_text: blank_to_none(input.reject_text),
            auto_reply_enabled: input.auto_reply_enabled,
            auto_reply_subject: blank_to_none(input.auto_reply_subject),
            auto_reply_body: blank_to_none(input.auto_reply_body),
            salutation: blank_to_none(input.salutation),
            signature: blank_to_none(input.signature),
            cc_as_watchers: input.cc_as_watchers,
            notify_customer_on_close: input.notify_customer_on_close,
            trust_field_headers: input.trust_field_headers,
            updated_at: to_db(now),
            salutation_id: input.salutation_id,
            signature_id: input.signature_id,
        };
        conn.write_transaction(|conn| mail_outbox::save_settings(conn, &row))?;
        log::info!(
            "user {} changed the mail settings of queue {}",
            actor.user_id,
            row.queue_id
        );
        load(&mut conn, row.queue_id)
    }
}
