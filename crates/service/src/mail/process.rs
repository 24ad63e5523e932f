//! Processing a stored message in one transaction: postmaster filters, loop/bounce
//! classification, routing (ticket tag, Message-IDs, recipient address, requested queue), a
//! new ticket or a follow-up (with the closed-ticket policy), the automatic answer, and the
//! message's status — all committed together or not at all.

use chrono::{DateTime, Utc};
use vakt_domain::UserKind;
use vakt_domain::ticket::{Channel, HistoryKind, SenderType};
use vakt_mail::route::{self, FilterOutcome};
use vakt_mail::{Automation, ClassifyOptions, ParsedMessage};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::mail_messages::{self, MailMessageRow, Outcome as Finish};
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::repo::users::{self, UserRow};
use vakt_persistence::repo::{mail_accounts, mail_outbox};
use vakt_persistence::time::to_db;

use super::addresses::{format, format_list};
use super::ingest::{IngestResult, MailAction, Meta, Outcome, result_of};
use super::settings::{self, FollowUpPolicy};
use super::{filters, newticket};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::NewAttachment;
use crate::tickets::articles::{self, ArticleSpec, Onto};
use crate::tickets::customer::{CustomerRef, resolve};
use crate::tickets::update::{Plan, is_finished};

/// Everything decided before the write transaction.
pub(super) struct Inbound<'a> {
    pub(super) parsed: &'a ParsedMessage,
    pub(super) automation: Automation,
    pub(super) filtered: FilterOutcome,
    pub(super) action: MailAction,
    pub(super) reference: std::sync::Arc<Reference>,
    pub(super) now: DateTime<Utc>,
    /// The queue asked for by the gateway, or the account's queue.
    pub(super) requested_queue: Option<i64>,
}

/// What processing decided, for the message row.
pub(super) struct Done {
    pub(super) status: &'static str,
    pub(super) outcome: Outcome,
    pub(super) reason: Option<String>,
    pub(super) ticket: Option<TicketRow>,
    pub(super) article_id: Option<i64>,
}

/// The options that recognise our own mail.
pub(super) fn classify_options(services: &Services, reference: &Reference) -> ClassifyOptions {
    let cfg = &services.config().mail;
    let mut own: Vec<String> = reference
        .queues
        .iter()
        .filter_map(|q| q.email_address.clone())
        .collect();
    own.push(cfg.default_sender.clone());
    ClassifyOptions {
        loop_value: Some(cfg.default_sender.clone()),
        own_addresses: own,
        own_message_id_domain: Some(cfg.domain.clone()),
    }
}

/// Cuts text to at most `max` bytes on a character boundary, saying so.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub(100);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n\n[… shortened; the whole message is kept as the raw email]",
        &text[..end]
    )
}

/// The sender as a user: an agent as they are, anyone else as a customer (created if unknown).
/// Mail without a usable sender address has none.
pub(super) fn sender_user(
    conn: &mut DbConnection,
    parsed: &ParsedMessage,
    now: DateTime<Utc>,
) -> ServiceResult<Option<UserRow>> {
    let Some(from) = &parsed.from else {
        return Ok(None);
    };
    let email = from.address.trim().to_lowercase();
    if let Some(user) = users::find_by_email(conn, &email)? {
        return Ok(Some(user));
    }
    let reference = CustomerRef::Email {
        email,
        name: from.name.clone(),
    };
    match resolve(conn, "from", &reference, now) {
        Ok(user) => Ok(Some(user)),
        Err(ServiceError::Validation(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

impl Services {
    /// Routes and stores one parsed message (see the module documentation).
    pub(crate) fn route(
        &self,
        row: &MailMessageRow,
        parsed: &ParsedMessage,
    ) -> ServiceResult<IngestResult> {
        let cfg = &self.config().mail;
        let now = self.now();
        let mut conn = self.conn()?;
        let reference = Reference::load(&mut conn)?;
        let compiled = filters::load_compiled(&mut conn)?;
        let filtered = route::apply_filters(&compiled, parsed);
        let automation = vakt_mail::classify(parsed, &classify_options(self, &reference));
        let keys = route::thread_keys(parsed, &cfg.ticket_tag);
        let requested_queue = match (row.account_id, &row.requested_queue) {
            (Some(account), _) => mail_accounts::find(&mut conn, account)?.and_then(|a| a.queue_id),
            (None, Some(key)) => self.requested_queue(key).ok(),
            (None, None) => None,
        };
        let skip = filtered.actions.ignore || automation == Automation::Loop;
        let thread = if skip {
            None
        } else {
            find_thread(&mut conn, &keys, &automation)?
        };
        // New tickets draw their number outside the transaction (as `create_ticket` does) so
        // that concurrent deliveries do not queue up on the counter row.
        let number = if !skip && thread.is_none() {
            Some(self.next_ticket_number(&mut conn, now)?)
        } else {
            None
        };
        let inbound = Inbound {
            parsed,
            automation,
            filtered,
            action: MailAction::parse(&row.action).unwrap_or_default(),
            reference,
            now,
            requested_queue,
        };
        let meta = Meta::of(parsed);
        let done = conn.write_transaction(|conn| {
            if !mail_messages::claim(conn, row.id)? {
                return Ok(None);
            }
            let done = self.decide(conn, &inbound, thread, number)?;
            mail_messages::finish(
                conn,
                row.id,
                &Finish {
                    status: done.status,
                    reason: done.reason.as_deref(),
                    ticket_id: done.ticket.as_ref().map(|t| t.id),
                    article_id: done.article_id,
                    outcome: Some(done.outcome.as_str()),
                    retry_at: None,
                    processed_at: Some(to_db(now)),
                    message_id: meta.message_id.as_deref(),
                    sender: meta.sender.as_deref(),
                    subject: meta.subject.as_deref(),
                },
            )?;
            Ok::<_, ServiceError>(Some(done))
        })?;
        let Some(done) = done else {
            // Someone else processed it meanwhile: report what they decided.
            let current = mail_messages::find(&mut conn, row.id)?
                .ok_or(ServiceError::NotFound("mail message"))?;
            return Ok(result_of(&current, true));
        };
        log::info!(
            "mail message {} {}{}",
            row.id,
            done.outcome.as_str(),
            done.ticket
                .as_ref()
                .map(|t| format!(" ticket {}", t.number))
                .unwrap_or_default()
        );
        Ok(IngestResult {
            mail_id: row.id,
            outcome: done.outcome,
            duplicate: false,
            ticket_number: done.ticket.as_ref().map(|t| t.number.clone()),
            ticket_id: done.ticket.map(|t| t.id),
            article_id: done.article_id,
            reason: done.reason,
        })
    }

    pub(crate) fn next_ticket_number(
        &self,
        conn: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> ServiceResult<String> {
        let format = self.config().ticket_number_format;
        let counter = tickets::next_counter(conn, &format.counter_key(now.date_naive()))?;
        Ok(format.format(now.date_naive(), &self.config().system_id, counter))
    }

    fn decide(
        &self,
        conn: &mut DbConnection,
        inbound: &Inbound<'_>,
        thread: Option<i64>,
        number: Option<String>,
    ) -> ServiceResult<Done> {
        let ignored = |reason: String| Done {
            status: "ignored",
            outcome: Outcome::Ignored,
            reason: Some(reason),
            ticket: None,
            article_id: None,
        };
        if inbound.filtered.actions.ignore {
            let ids: Vec<String> = inbound
                .filtered
                .matched
                .iter()
                .map(i64::to_string)
                .collect();
            return Ok(ignored(format!("postmaster filter {}", ids.join(", "))));
        }
        if inbound.automation == Automation::Loop {
            return Ok(ignored(
                "mail loop: this is our own mail coming back".into(),
            ));
        }
        let ticket = match thread {
            Some(id) => tickets::find_for_update(conn, id)?,
            None => None,
        };
        let human = inbound.automation == Automation::Human;
        match ticket {
            Some(ticket) if is_finished(&ticket.state_type) && human => {
                match settings::load(conn, ticket.queue_id)?.follow_up_policy {
                    FollowUpPolicy::Reopen => self.append(conn, inbound, ticket, true),
                    FollowUpPolicy::NewTicket => {
                        let number = match number {
                            Some(n) => n,
                            None => self.next_ticket_number(conn, inbound.now)?,
                        };
                        newticket::create(self, conn, inbound, &number)
                    }
                    FollowUpPolicy::Reject => newticket::reject(self, conn, inbound, ticket),
                }
            }
            Some(ticket) => self.append(conn, inbound, ticket, false),
            None => {
                let number = match number {
                    Some(n) => n,
                    None => self.next_ticket_number(conn, inbound.now)?,
                };
                newticket::create(self, conn, inbound, &number)
            }
        }
    }

    /// Adds the message to an existing ticket (reopening it when asked).
    fn append(
        &self,
        conn: &mut DbConnection,
        inbound: &Inbound<'_>,
        ticket: TicketRow,
        reopen: bool,
    ) -> ServiceResult<Done> {
        let sender = sender_user(conn, inbound.parsed, inbound.now)?;
        let article_id = insert_article(
            self,
            conn,
            inbound,
            Onto::Ticket(ticket.id),
            sender.as_ref(),
        )?;
        let mut plan = Plan::new(ticket.clone(), None, inbound.now);
        plan.changes.article_count = Some(ticket.article_count + 1);
        plan.record(
            HistoryKind::ArticleAdded,
            None,
            Some(describe(inbound, sender.as_ref())),
            Some(article_id),
        );
        if reopen {
            let state = inbound.reference.reopen_state()?.id;
            plan.set_state(&inbound.reference, Some(state), None)?;
        }
        if let Automation::Bounce(dsn) = &inbound.automation
            && let Some(original) = &dsn.original_message_id
            && let Some((bounced, _)) =
                mail_outbox::find_by_message_ids(conn, std::slice::from_ref(original))?
        {
            let diagnostic = dsn
                .recipients
                .iter()
                .find_map(|r| r.diagnostic.clone().or_else(|| r.status.clone()))
                .unwrap_or_else(|| "the message bounced".into());
            mail_outbox::mark_failed(
                conn,
                bounced,
                &format!("bounced: {diagnostic}"),
                to_db(inbound.now),
            )?;
        }
        let ticket = plan.commit(conn)?;
        Ok(Done {
            status: "processed",
            outcome: Outcome::Appended,
            reason: None,
            ticket: Some(ticket),
            article_id: Some(article_id),
        })
    }
}

/// How the history names an inbound article.
pub(super) fn describe(inbound: &Inbound<'_>, sender: Option<&UserRow>) -> String {
    let who = sender_type(inbound, sender).as_str();
    let visibility = if visible(inbound) {
        "customer-visible"
    } else {
        "internal"
    };
    let kind = match &inbound.automation {
        Automation::Human => String::new(),
        other => format!(", {}", automation_name(other)),
    };
    format!("{who} email ({visibility}{kind})")
}

pub(super) fn automation_name(automation: &Automation) -> &'static str {
    match automation {
        Automation::Human => "human",
        Automation::AutoReply => "auto-reply",
        Automation::Bulk => "bulk",
        Automation::Bounce(_) => "bounce",
        Automation::Loop => "loop",
    }
}

pub(super) fn sender_type(inbound: &Inbound<'_>, sender: Option<&UserRow>) -> SenderType {
    if matches!(inbound.automation, Automation::Bounce(_)) {
        SenderType::System
    } else if sender.is_some_and(|u| u.kind == UserKind::Agent.as_str()) {
        SenderType::Agent
    } else {
        SenderType::Customer
    }
}

pub(super) fn visible(inbound: &Inbound<'_>) -> bool {
    inbound.action == MailAction::Correspond && !matches!(inbound.automation, Automation::Bounce(_))
}

/// Stores the message as an article of `ticket_id`.
pub(super) fn insert_article(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    onto: Onto<'_>,
    sender: Option<&UserRow>,
) -> ServiceResult<i64> {
    let parsed = inbound.parsed;
    let max = services.config().max_attachment_bytes;
    if let Some(big) = parsed.attachments.iter().find(|a| a.data.len() > max) {
        return Err(ServiceError::invalid(
            "attachments",
            "too_large",
            format!(
                "{:?} has {} bytes; the limit is {max}",
                big.filename,
                big.data.len()
            ),
        ));
    }
    let attachments: Vec<NewAttachment> = parsed
        .attachments
        .iter()
        .map(|a| NewAttachment {
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            data: a.data.clone(),
            content_id: a.content_id.clone(),
            inline: a.inline,
        })
        .collect();
    let from = parsed
        .from
        .as_ref()
        .map(format)
        .or_else(|| parsed.header("From").map(|f| f.chars().take(500).collect()));
    let subject: String = parsed
        .subject
        .as_deref()
        .unwrap_or("(no subject)")
        .chars()
        .take(1000)
        .collect();
    let body = cut(&parsed.text, articles::MAX_BODY_BYTES);
    let html = parsed
        .html
        .as_deref()
        .filter(|h| h.len() <= articles::MAX_HTML_BYTES);
    let to = format_list(&parsed.to);
    let cc = format_list(&parsed.cc);
    let message_id: Option<String> = parsed
        .message_id
        .as_deref()
        .map(|m| m.chars().take(998).collect());
    let in_reply_to: Option<String> = parsed
        .in_reply_to
        .as_deref()
        .map(|m| m.chars().take(998).collect());
    let body = if body.trim().is_empty() && html.is_none() {
        "(empty message)".to_owned()
    } else {
        body
    };
    articles::insert(
        conn,
        onto,
        &ArticleSpec {
            sender_type: sender_type(inbound, sender),
            channel: Channel::Email,
            customer_visible: visible(inbound),
            author_id: sender.map(|u| u.id),
            from: from.as_deref(),
            to: to.as_deref(),
            cc: cc.as_deref(),
            subject: &subject,
            body: &body,
            body_html: html,
            message_id: message_id.as_deref(),
            in_reply_to: in_reply_to.as_deref(),
            minutes: 0,
            attachments: &attachments,
        },
        inbound.now,
    )
}

/// The ticket a message continues: the ticket number in its subject, else the newest article
/// carrying one of the Message-IDs it refers to (for bounces: the bounced message first).
fn find_thread(
    conn: &mut DbConnection,
    keys: &route::ThreadKeys,
    automation: &Automation,
) -> ServiceResult<Option<i64>> {
    // A merged ticket's number and Message-IDs lead to the ticket it went into.
    if let Some(number) = &keys.ticket_number
        && let Some(ticket) = tickets::find_by_number(conn, number)?
    {
        return Ok(Some(crate::relations::resolve_merged(conn, ticket)?.id));
    }
    let mut ids = keys.message_ids.clone();
    if let Automation::Bounce(dsn) = automation
        && let Some(original) = &dsn.original_message_id
    {
        ids.insert(0, original.clone());
    }
    match mail_outbox::find_by_message_ids(conn, &ids)? {
        Some((_, ticket)) => match tickets::find(conn, ticket)? {
            Some(row) => Ok(Some(crate::relations::resolve_merged(conn, row)?.id)),
            None => Ok(None),
        },
        None => Ok(None),
    }
}
