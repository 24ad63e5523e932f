//! New tickets from mail (queue, customer, filter settings, Cc watchers, the automatic answer)
//! and the rejection of follow-ups to closed tickets.

use vakt_domain::UserKind;
use vakt_domain::ticket::{Channel, HistoryKind, SenderType};
use vakt_mail::{Address, Automation};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::mail_outbox;
use vakt_persistence::repo::tickets::{self, NewTicket, TicketRow};
use vakt_persistence::repo::users::UserRow;
use vakt_persistence::repo::watchers;
use vakt_persistence::time::to_db;

use super::addresses::format;
use super::ingest::{MailAction, Outcome};
use super::outbound::{DeliveryKind, queue_outbound};
use super::process::{
    Done, Inbound, classify_options, describe, insert_article, sender_type, sender_user, visible,
};
use super::settings::{self, QueueMailSettings};
use super::templates::{self, Vars};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::articles::{self, ArticleSpec, Onto};
use crate::tickets::customer::{CustomerRef, resolve};
use crate::tickets::update::{MAX_TITLE_LENGTH, Plan};

fn history(
    ticket_id: i64,
    inbound: &Inbound<'_>,
    kind: HistoryKind,
    new: String,
    article: Option<i64>,
) -> NewHistory {
    NewHistory {
        ticket_id,
        actor_id: None,
        kind: kind.as_str().to_owned(),
        old_value: None,
        new_value: Some(new),
        article_id: article,
        created_at: to_db(inbound.now),
    }
}

/// The default queue: by configured name, else the first active queue.
fn default_queue(services: &Services, inbound: &Inbound<'_>) -> ServiceResult<i64> {
    let queues = &inbound.reference.queues;
    let name = &services.config().mail.default_queue;
    queues
        .iter()
        .filter(|q| q.active)
        .find(|q| q.name.eq_ignore_ascii_case(name))
        .or_else(|| queues.iter().filter(|q| q.active).min_by_key(|q| q.id))
        .map(|q| q.id)
        .ok_or_else(|| ServiceError::Internal("there is no active queue".into()))
}

/// Creates a ticket from the message.
pub(super) fn create(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    number: &str,
) -> ServiceResult<Done> {
    let reference = &inbound.reference;
    let actions = &inbound.filtered.actions;
    let active_queue =
        |id: Option<i64>| id.filter(|id| reference.queue(*id).is_some_and(|q| q.active));
    let addresses: Vec<(i64, String)> = reference
        .queues
        .iter()
        .filter(|q| q.active)
        .filter_map(|q| q.email_address.clone().map(|a| (q.id, a)))
        .collect();
    let by_recipient = vakt_mail::route::queue_for_recipients(
        &vakt_mail::route::recipients(inbound.parsed),
        &addresses,
    );
    let queue_id = vakt_mail::route::choose_queue(
        active_queue(actions.queue_id),
        by_recipient,
        active_queue(inbound.requested_queue),
        default_queue(services, inbound)?,
    );
    let queue = reference
        .queue(queue_id)
        .cloned()
        .ok_or(ServiceError::NotFound("queue"))?;
    let sender = sender_user(conn, inbound.parsed, inbound.now)?;
    let customer = match &actions.customer_email {
        Some(email) => {
            let reference = CustomerRef::Email {
                email: email.clone(),
                name: None,
            };
            match resolve(conn, "customer", &reference, inbound.now) {
                Ok(user) => Some(user),
                Err(ServiceError::Validation(_)) => None,
                Err(error) => return Err(error),
            }
        }
        // A delivery failure notice is about our mail, not from a customer.
        None if matches!(inbound.automation, Automation::Bounce(_)) => None,
        None => sender
            .clone()
            .filter(|u| u.kind == UserKind::Customer.as_str()),
    };
    let state = actions
        .state_id
        .and_then(|id| reference.state(id))
        .filter(|s| s.active && !s.state_type.is_pending())
        .map_or_else(|| reference.initial_state().cloned(), |s| Ok(s.clone()))?;
    let priority_id = actions
        .priority_id
        .filter(|id| reference.priority(*id).is_some_and(|p| p.active))
        .or(queue.default_priority_id)
        .unwrap_or(3);
    let type_id = actions
        .type_id
        .filter(|id| reference.ticket_type(*id).is_some_and(|t| t.active));
    let subject = inbound.parsed.subject.as_deref().unwrap_or_default();
    let mut title: String = vakt_mail::clean_subject(subject, &services.config().mail.ticket_tag)
        .trim()
        .chars()
        .take(MAX_TITLE_LENGTH)
        .collect();
    if title.trim().is_empty() {
        title = "(no subject)".into();
    }
    let finished = state.state_type.is_finished();
    let now = to_db(inbound.now);
    let ticket = tickets::insert(
        conn,
        &NewTicket {
            number,
            title: title.trim(),
            queue_id,
            state_id: state.id,
            state_type: state.state_type.as_str(),
            priority_id,
            type_id,
            owner_id: None,
            responsible_id: None,
            customer_id: customer.as_ref().map(|c| c.id),
            company_id: customer.as_ref().and_then(|c| c.company_id),
            created_by: sender.as_ref().map(|u| u.id),
            pending_until: None,
            time_accounted_minutes: 0,
            article_count: 1,
            service_id: None,
            created_at: now,
            updated_at: now,
            closed_at: finished.then_some(now),
        },
    )?;
    let ticket_id = ticket.id;
    let article_id = insert_article(
        services,
        conn,
        inbound,
        Onto::NewTicket(&ticket),
        sender.as_ref(),
    )?;
    let mut ticket = crate::sla::ticket_created(
        conn,
        &ticket,
        sender_type(inbound, sender.as_ref()),
        visible(inbound),
        inbound.now,
    )?;
    let mut entries = vec![
        history(
            ticket_id,
            inbound,
            HistoryKind::Created,
            format!("{number} in {} ({}) by email", queue.name, state.name),
            None,
        ),
        history(
            ticket_id,
            inbound,
            HistoryKind::ArticleAdded,
            describe(inbound, sender.as_ref()),
            Some(article_id),
        ),
    ];
    let queue_settings = settings::load(conn, queue_id)?;
    if queue_settings.cc_as_watchers {
        add_cc_watchers(conn, inbound, ticket_id, customer.as_ref(), &mut entries)?;
    }
    let headers: Vec<(&str, &str)> = if queue_settings.trust_field_headers {
        inbound
            .parsed
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let fields = crate::custom_fields::mail::for_new_ticket(
        conn,
        ticket_id,
        queue_id,
        type_id,
        &headers,
        &actions.custom_fields,
    )?;
    for change in fields {
        if let Some(new) = change.new_entry() {
            entries.push(history(
                ticket_id,
                inbound,
                HistoryKind::CustomFieldChanged,
                new,
                None,
            ));
        }
    }
    history::append(conn, &entries)?;
    tickets::add_to_count(conn, queue_id, state.state_type.as_str(), 1)?;
    if let Some(customer) = &customer {
        ticket = auto_reply(services, conn, inbound, ticket, customer, &queue_settings)?;
    }
    if ticket.article_count != 1 {
        // The automatic answer is the second article.
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use vakt_persistence::schema::tickets::dsl;
        diesel::update(dsl::tickets.find(ticket.id))
            .set(dsl::article_count.eq(ticket.article_count))
            .execute(conn)?;
    }
    Ok(Done {
        status: "processed",
        outcome: Outcome::Created,
        reason: None,
        ticket: Some(ticket),
        article_id: Some(article_id),
    })
}

/// Cc addresses (not ours, not the customer) become customer users watching the ticket.
fn add_cc_watchers(
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    ticket_id: i64,
    customer: Option<&UserRow>,
    entries: &mut Vec<NewHistory>,
) -> ServiceResult<()> {
    let own: Vec<String> = inbound
        .reference
        .queues
        .iter()
        .filter_map(|q| q.email_address.as_deref().map(str::to_lowercase))
        .collect();
    for cc in inbound.parsed.cc.iter().take(20) {
        let email = cc.address.to_lowercase();
        if own.contains(&email) || customer.is_some_and(|c| c.email.eq_ignore_ascii_case(&email)) {
            continue;
        }
        let reference = CustomerRef::Email {
            email,
            name: cc.name.clone(),
        };
        let user = match resolve(conn, "cc", &reference, inbound.now) {
            Ok(user) => user,
            Err(ServiceError::Validation(_)) => continue,
            Err(error) => return Err(error),
        };
        if watchers::add(conn, ticket_id, user.id, to_db(inbound.now))? {
            entries.push(history(
                ticket_id,
                inbound,
                HistoryKind::WatcherAdded,
                user.email,
                None,
            ));
        }
    }
    Ok(())
}

/// Whether an automatic message may go to this sender now: a person's mail (RFC 3834), a
/// correspondence, and under the daily per-sender cap (counted here).
fn may_answer(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    to: &str,
) -> ServiceResult<bool> {
    if inbound.automation != Automation::Human
        || inbound.action != MailAction::Correspond
        || !vakt_mail::should_auto_answer_with(
            inbound.parsed,
            &classify_options(services, &inbound.reference),
        )
    {
        return Ok(false);
    }
    let day = inbound.now.format("%Y-%m-%d").to_string();
    let count = mail_outbox::count_auto_answer(conn, &to.to_lowercase(), &day)?;
    let cap = services.config().mail.auto_answer_cap;
    if count > cap {
        log::warn!("not answering {to} automatically: {count} automatic answers today (cap {cap})");
    }
    Ok(count <= cap)
}

/// Adds and queues an automatic message (answer or rejection notice) to the sender.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site each; a struct would only rename them"
)]
fn automatic_article(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    ticket: &TicketRow,
    to: &UserRow,
    subject_template: Option<&str>,
    body_template: &str,
    kind: DeliveryKind,
) -> ServiceResult<i64> {
    let queue = inbound
        .reference
        .queue(ticket.queue_id)
        .ok_or(ServiceError::NotFound("queue"))?;
    let original = inbound.parsed.subject.as_deref().unwrap_or(&ticket.title);
    let vars = Vars {
        ticket_number: &ticket.number,
        ticket_title: &ticket.title,
        customer_name: &to.name,
        customer_email: &to.email,
        queue: &queue.name,
        subject: original,
        ..Vars::default()
    };
    let subject: String = templates::render(subject_template.unwrap_or("{{subject}}"), &vars)
        .chars()
        .take(500)
        .collect();
    let body = templates::render(body_template, &vars);
    let from = Address {
        name: Some(queue.name.clone()),
        address: queue
            .email_address
            .clone()
            .unwrap_or_else(|| services.config().mail.default_sender.clone()),
    };
    let article_id = articles::insert(
        conn,
        Onto::Ticket(ticket.id),
        &ArticleSpec {
            sender_type: SenderType::System,
            channel: Channel::Email,
            customer_visible: true,
            author_id: None,
            from: Some(&format(&from)),
            to: Some(&to.email),
            cc: None,
            subject: &subject,
            body: &body,
            body_html: None,
            message_id: None,
            in_reply_to: None,
            minutes: 0,
            attachments: &[],
        },
        inbound.now,
    )?;
    queue_outbound(conn, article_id, kind, inbound.now)?;
    Ok(article_id)
}

fn auto_reply(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    ticket: TicketRow,
    customer: &UserRow,
    settings: &QueueMailSettings,
) -> ServiceResult<TicketRow> {
    if !settings.auto_reply_enabled || !may_answer(services, conn, inbound, &customer.email)? {
        return Ok(ticket);
    }
    let body = settings
        .auto_reply_body
        .as_deref()
        .unwrap_or(templates::AUTO_REPLY_BODY);
    let article_id = automatic_article(
        services,
        conn,
        inbound,
        &ticket,
        customer,
        settings.auto_reply_subject.as_deref(),
        body,
        DeliveryKind::AutoReply,
    )?;
    history::append(
        conn,
        &[history(
            ticket.id,
            inbound,
            HistoryKind::ArticleAdded,
            "system email (automatic answer)".into(),
            Some(article_id),
        )],
    )?;
    Ok(TicketRow {
        article_count: ticket.article_count + 1,
        ..ticket
    })
}

/// Refuses a follow-up to a closed ticket: the message is kept (status `ignored`, outcome
/// `rejected`), the ticket stays closed, and the sender gets a notice when allowed.
pub(super) fn reject(
    services: &Services,
    conn: &mut DbConnection,
    inbound: &Inbound<'_>,
    ticket: TicketRow,
) -> ServiceResult<Done> {
    let sender = sender_user(conn, inbound.parsed, inbound.now)?;
    let mut plan = Plan::new(ticket.clone(), None, inbound.now);
    if let Some(sender) = sender
        .as_ref()
        .filter(|u| u.kind == UserKind::Customer.as_str())
        && may_answer(services, conn, inbound, &sender.email)?
    {
        let text = settings::load(conn, ticket.queue_id)?.reject_text;
        let article_id = automatic_article(
            services,
            conn,
            inbound,
            &ticket,
            sender,
            None,
            text.as_deref().unwrap_or(templates::REJECT_BODY),
            DeliveryKind::Reject,
        )?;
        plan.changes.article_count = Some(ticket.article_count + 1);
        plan.record(
            HistoryKind::ArticleAdded,
            None,
            Some("system email (follow-up rejected: the ticket is closed)".into()),
            Some(article_id),
        );
    }
    let ticket = plan.commit(conn)?;
    Ok(Done {
        status: "ignored",
        outcome: Outcome::Rejected,
        reason: Some("follow-up to a closed ticket; the queue rejects those".into()),
        ticket: Some(ticket),
        article_id: None,
    })
}
