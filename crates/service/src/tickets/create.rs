//! Creating a ticket with its first article: phone/agent tickets, customer-portal tickets and
//! API tickets, with `Idempotency-Key` support for third-party systems.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use vakt_domain::rights::Right;
use vakt_domain::ticket::{Channel, HistoryKind, SenderType};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::tickets::{self, NewTicket as TicketInsert, TicketRow};
use vakt_persistence::repo::{idempotency, users};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbConnection, unique_violation};

use vakt_domain::custom_fields::ObjectType;

use super::articles::{self, ArticleKind, ArticleSpec, NewArticle, Onto};
use super::customer::{CustomerRef, resolve as resolve_customer};
use super::update::MAX_TITLE_LENGTH;
use super::view::{self, Ticket};
use crate::custom_fields::FieldValues;
use crate::custom_fields::values::{self, Required, Target};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::{Services, access};

/// A new ticket and its first article.
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// Title.
    pub title: String,
    /// Queue (required).
    pub queue_id: Option<i64>,
    /// State (default: the first active `new` state). Agents only.
    pub state_id: Option<i64>,
    /// Pending time for a pending state.
    pub pending_until: Option<DateTime<Utc>>,
    /// Priority (default: the queue's, else 3). Agents only.
    pub priority_id: Option<i64>,
    /// Type. Agents only.
    pub type_id: Option<i64>,
    /// Owner. Agents only.
    pub owner_id: Option<i64>,
    /// Responsible agent. Agents only.
    pub responsible_id: Option<i64>,
    /// Customer (agents; customers are always their own customer).
    pub customer: Option<CustomerRef>,
    /// Service (agents; must be active); its SLA, else the queue's, applies.
    pub service_id: Option<i64>,
    /// The first article.
    pub article: NewArticle,
    /// `Idempotency-Key`: a retry with the same key and request returns the first ticket.
    pub idempotency_key: Option<String>,
    /// Custom field values by key (customers: the fields they may edit); fields that apply
    /// and are not given get their default.
    pub custom_fields: FieldValues,
}

fn fingerprint(input: &NewTicket) -> String {
    let mut hasher = Sha256::new();
    let a = &input.article;
    let parts = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        input.title,
        input.queue_id,
        input.state_id,
        input.pending_until,
        input.priority_id,
        input.type_id,
        input.owner_id,
        input.responsible_id,
        input.customer,
        a.kind,
        a.channel,
        a.sender_type,
        a.subject,
        a.body,
        a.body_html,
        a.time_accounted_minutes,
        input.service_id
    );
    hasher.update(parts.as_bytes());
    if !input.custom_fields.is_empty() || !a.custom_fields.is_empty() {
        let fields = serde_json::json!([input.custom_fields, a.custom_fields]);
        hasher.update(fields.to_string().as_bytes());
    }
    for attachment in &a.attachments {
        hasher.update(attachment.filename.as_bytes());
        hasher.update(Sha256::digest(&attachment.data));
    }
    hex::encode(hasher.finalize())
}

fn forbid_for_customers(input: &NewTicket) -> ServiceResult<()> {
    let set = [
        ("state_id", input.state_id.is_some()),
        ("priority_id", input.priority_id.is_some()),
        ("type_id", input.type_id.is_some()),
        ("owner_id", input.owner_id.is_some()),
        ("responsible_id", input.responsible_id.is_some()),
        ("customer", input.customer.is_some()),
        ("service_id", input.service_id.is_some()),
        (
            "article.time_accounted_minutes",
            input.article.time_accounted_minutes.is_some(),
        ),
    ];
    match set.iter().find(|(_, given)| *given) {
        Some((field, _)) => Err(ServiceError::Forbidden(format!(
            "customers cannot set `{field}`"
        ))),
        None => Ok(()),
    }
}

impl Services {
    /// Creates a ticket and its first article. Returns the ticket and whether it was created
    /// now (false: an idempotent replay of an earlier request with the same key).
    pub fn create_ticket(
        &self,
        actor: &Principal,
        input: NewTicket,
    ) -> ServiceResult<(Ticket, bool)> {
        let mut errors = FieldErrors::new();
        errors.check("title", text_length(&input.title, 1, MAX_TITLE_LENGTH));
        if input.queue_id.is_none() {
            errors.add("queue_id", ValidationError::new("required", "is required"));
        }
        if let Some(key) = &input.idempotency_key {
            errors.check("idempotency_key", text_length(key, 1, 200));
        }
        errors.merge(articles::validate(
            &input.article,
            "article.",
            self.config().max_attachment_bytes,
        ));
        errors.into_result()?;
        let hash = fingerprint(&input);
        let now = self.now();
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        if let Some(replay) = self.replay(&mut conn, actor, &input, &hash, &reference, &access)? {
            return Ok((replay, false));
        }
        let customer_caller = access.is_customer();
        if customer_caller {
            forbid_for_customers(&input)?;
        }
        let queue = input
            .queue_id
            .and_then(|id| reference.queue(id))
            .filter(|q| q.active && (!customer_caller || q.customer_open))
            .ok_or_else(|| {
                ServiceError::invalid("queue_id", "not_found", "no such queue open to you")
            })?
            .clone();
        if !customer_caller && !access.has(queue.group_id, Right::Create) {
            return Err(ServiceError::Forbidden(
                "this needs the `create` right on the queue".into(),
            ));
        }
        let format = self.config().ticket_number_format;
        let counter = tickets::next_counter(&mut conn, &format.counter_key(now.date_naive()))?;
        let number = format.format(now.date_naive(), &self.config().system_id, counter);

        let result = conn.write_transaction(|conn| {
            let customer = if customer_caller {
                Some(users::find(conn, actor.user_id)?.ok_or(ServiceError::NotFound("user"))?)
            } else {
                input
                    .customer
                    .as_ref()
                    .map(|c| resolve_customer(conn, "customer", c, now))
                    .transpose()?
            };
            let state = match input.state_id {
                Some(id) => reference.state(id).filter(|s| s.active).ok_or_else(|| {
                    ServiceError::invalid("state_id", "not_found", "no such active state")
                })?,
                None => reference.initial_state()?,
            }
            .clone();
            if state.state_type.is_pending() && input.pending_until.is_none() {
                return Err(ServiceError::invalid(
                    "pending_until",
                    "required",
                    "a pending state needs a pending time",
                ));
            }
            let priority_id = input.priority_id.or(queue.default_priority_id).unwrap_or(3);
            let priority = reference
                .priority(priority_id)
                .filter(|p| p.active)
                .ok_or_else(|| {
                    ServiceError::invalid("priority_id", "not_found", "no such active priority")
                })?
                .clone();
            if let Some(type_id) = input.type_id
                && reference.ticket_type(type_id).is_none_or(|t| !t.active)
            {
                return Err(ServiceError::invalid(
                    "type_id",
                    "not_found",
                    "no such active type",
                ));
            }
            check_agent(
                conn,
                &access,
                queue.group_id,
                input.owner_id,
                Right::Owner,
                "owner_id",
            )?;
            crate::sla::check_service(conn, input.service_id)?;
            check_agent(
                conn,
                &access,
                queue.group_id,
                input.responsible_id,
                Right::Ro,
                "responsible_id",
            )?;

            let finished = state.state_type.is_finished();
            let ticket = tickets::insert(
                conn,
                &TicketInsert {
                    number: &number,
                    title: input.title.trim(),
                    queue_id: queue.id,
                    state_id: state.id,
                    state_type: state.state_type.as_str(),
                    priority_id: priority.id,
                    type_id: input.type_id,
                    owner_id: input.owner_id,
                    responsible_id: input.responsible_id,
                    customer_id: customer.as_ref().map(|c| c.id),
                    company_id: customer.as_ref().and_then(|c| c.company_id),
                    created_by: Some(actor.user_id),
                    pending_until: input
                        .pending_until
                        .filter(|_| state.state_type.is_pending())
                        .map(to_db),
                    time_accounted_minutes: input.article.time_accounted_minutes.unwrap_or(0),
                    article_count: 1,
                    service_id: input.service_id,
                    created_at: to_db(now),
                    updated_at: to_db(now),
                    closed_at: finished.then(|| to_db(now)),
                },
            )?;
            let ticket_id = ticket.id;
            let first = insert_first_article(
                conn,
                actor,
                &input,
                &ticket,
                customer_caller,
                customer.as_ref().map(|c| c.email.as_str()),
                now,
            )?;
            let article_id = first.id;
            let ticket = crate::sla::ticket_created(
                conn,
                &ticket,
                first.sender,
                first.customer_visible,
                now,
            )?;
            let entry = |kind: HistoryKind, new: String, article: Option<i64>| NewHistory {
                ticket_id,
                actor_id: Some(actor.user_id),
                kind: kind.as_str().to_owned(),
                old_value: None,
                new_value: Some(new),
                article_id: article,
                created_at: to_db(now),
            };
            let mut entries = vec![
                entry(
                    HistoryKind::Created,
                    format!(
                        "{number} in {} ({}, {})",
                        queue.name, state.name, priority.name
                    ),
                    None,
                ),
                entry(
                    HistoryKind::ArticleAdded,
                    "first article".into(),
                    Some(article_id),
                ),
            ];
            if let Some(minutes) = input.article.time_accounted_minutes.filter(|m| *m > 0) {
                entries.push(entry(
                    HistoryKind::TimeAccounted,
                    minutes.to_string(),
                    Some(article_id),
                ));
            }
            let fields = reference.custom_fields_of(Some(ObjectType::Ticket));
            let target = Target {
                object_id: ticket_id,
                queue_id: Some(queue.id),
                type_id: input.type_id,
                by_customer: customer_caller,
                required: Required::All,
            };
            let applied = values::apply(
                conn,
                &fields,
                ObjectType::Ticket,
                target,
                &input.custom_fields,
                true,
            )?;
            for change in applied {
                if let Some(new) = change.new_entry() {
                    entries.push(entry(HistoryKind::CustomFieldChanged, new, None));
                }
            }
            let article_target = Target {
                object_id: article_id,
                ..target
            };
            for change in super::fields::set_first_article(
                conn,
                article_target,
                &input.article.custom_fields,
            )? {
                if let Some(new) = change.new_entry() {
                    entries.push(entry(
                        HistoryKind::CustomFieldChanged,
                        new,
                        Some(article_id),
                    ));
                }
            }
            history::append(conn, &entries)?;
            if let Some(key) = &input.idempotency_key {
                idempotency::insert(
                    conn,
                    actor.user_id,
                    key.trim(),
                    &hash,
                    ticket_id,
                    to_db(now),
                )
                .map_err(idempotency_race)?;
            }
            tickets::add_to_count(conn, queue.id, state.state_type.as_str(), 1)?;
            view::build_one(conn, &reference, &access, ticket, now)
        });
        match result {
            Ok(ticket) => {
                log::info!(
                    "user {} created ticket {} ({})",
                    actor.user_id,
                    ticket.number,
                    ticket.id
                );
                Ok((ticket, true))
            }
            // Two retries with the same key raced: the other one created the ticket.
            Err(ServiceError::Conflict { code: RACE, .. }) => {
                match self.replay(&mut conn, actor, &input, &hash, &reference, &access)? {
                    Some(ticket) => Ok((ticket, false)),
                    None => Err(ServiceError::Internal(
                        "idempotency key raced but nothing was created".into(),
                    )),
                }
            }
            Err(other) => Err(other),
        }
    }

    fn replay(
        &self,
        conn: &mut DbConnection,
        actor: &Principal,
        input: &NewTicket,
        hash: &str,
        reference: &Reference,
        access: &vakt_domain::rights::Access,
    ) -> ServiceResult<Option<Ticket>> {
        let Some(key) = &input.idempotency_key else {
            return Ok(None);
        };
        let Some(seen) = idempotency::find(conn, actor.user_id, key.trim())? else {
            return Ok(None);
        };
        if seen.request_hash != hash {
            return Err(ServiceError::invalid(
                "idempotency_key",
                "idempotency_key_reused",
                "was already used for a different request",
            ));
        }
        let row = match seen.ticket_id {
            Some(id) => tickets::find(conn, id)?,
            None => None,
        };
        match row {
            Some(row) => Ok(Some(view::build_one(
                conn,
                reference,
                access,
                row,
                self.now(),
            )?)),
            None => Ok(None),
        }
    }
}

/// Checks an agent named on a new ticket (owner, responsible): the caller may name themselves
/// with the right, or anyone with `rw`; the named agent needs `right` on the queue's group.
fn check_agent(
    conn: &mut DbConnection,
    access: &vakt_domain::rights::Access,
    group_id: i64,
    agent: Option<i64>,
    right: Right,
    field: &str,
) -> ServiceResult<()> {
    let Some(agent) = agent else { return Ok(()) };
    if agent != access.principal.user_id && !access.has(group_id, Right::Rw) {
        return Err(ServiceError::Forbidden(format!(
            "setting `{field}` to someone else needs the `rw` right"
        )));
    }
    let principal = match users::find(conn, agent)? {
        Some(u) if u.kind == "agent" && u.active => Principal {
            user_id: u.id,
            kind: vakt_domain::UserKind::Agent,
            is_admin: u.is_admin,
        },
        _ => {
            return Err(ServiceError::invalid(
                field,
                "not_allowed",
                "must be an active agent",
            ));
        }
    };
    if !access::load(conn, &principal)?.has(group_id, right) {
        return Err(ServiceError::invalid(
            field,
            "not_allowed",
            format!("needs the `{}` right on the queue", right.as_str()),
        ));
    }
    Ok(())
}

/// The first article as stored: what the ticket's SLA starts from.
struct FirstArticle {
    id: i64,
    sender: SenderType,
    customer_visible: bool,
}

fn insert_first_article(
    conn: &mut DbConnection,
    actor: &Principal,
    input: &NewTicket,
    ticket: &TicketRow,
    customer_caller: bool,
    customer_email: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<FirstArticle> {
    let a = &input.article;
    let author = users::find(conn, actor.user_id)?.ok_or(ServiceError::NotFound("user"))?;
    let (sender, channel) = if customer_caller {
        (SenderType::Customer, Channel::Web)
    } else {
        let channel = a.channel.unwrap_or(Channel::Phone);
        let default_sender = if channel == Channel::Phone {
            SenderType::Customer
        } else {
            SenderType::Agent
        };
        (a.sender_type.unwrap_or(default_sender), channel)
    };
    let customer_visible = customer_caller || a.kind == ArticleKind::Reply;
    let (from, to) = match sender {
        SenderType::Customer => (customer_email.map(str::to_owned), None),
        _ => (
            Some(author.email.clone()),
            a.to.clone().or_else(|| customer_email.map(str::to_owned)),
        ),
    };
    let subject = a
        .subject
        .clone()
        .unwrap_or_else(|| input.title.trim().to_owned());
    let article_id = articles::insert(
        conn,
        Onto::NewTicket(ticket),
        &ArticleSpec {
            sender_type: sender,
            channel,
            customer_visible,
            author_id: Some(author.id),
            from: from.as_deref(),
            to: to.as_deref(),
            cc: a.cc.as_deref(),
            subject: &subject,
            body: &a.body,
            body_html: a.body_html.as_deref(),
            message_id: None,
            in_reply_to: None,
            minutes: a.time_accounted_minutes.unwrap_or(0),
            attachments: &a.attachments,
        },
        now,
    )?;
    // An agent's email ticket is sent to the customer through the outbox.
    if !customer_caller
        && customer_visible
        && channel == Channel::Email
        && sender == SenderType::Agent
    {
        crate::mail::queue_outbound(conn, article_id, crate::mail::DeliveryKind::Reply, now)?;
    }
    Ok(FirstArticle {
        id: article_id,
        sender,
        customer_visible,
    })
}

/// Conflict code of two requests with one idempotency key racing (handled, never returned).
const RACE: &str = "idempotency_race";

/// Maps a unique violation of the idempotency key to the conflict the caller recovers from.
fn idempotency_race(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(c) if c.contains("idempotency") => ServiceError::Conflict {
            code: RACE,
            detail: "raced".into(),
        },
        _ => error.into(),
    }
}
