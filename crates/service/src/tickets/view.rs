//! The ticket as callers see it, with names resolved: one query for the people and one for the
//! companies of a whole page, reference data from the snapshot.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vakt_domain::custom_fields::ObjectType;
use vakt_domain::rights::Access;
use vakt_domain::ticket::StateType;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::repo::{companies, users};
use vakt_persistence::time::from_db;

use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;

/// An id with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdName {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A person, as shown on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// A state as shown on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Type.
    pub state_type: StateType,
}

/// A ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Id.
    pub id: i64,
    /// Public number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue.
    pub queue: IdName,
    /// State.
    pub state: StateRef,
    /// Priority.
    pub priority: IdName,
    /// Type.
    pub ticket_type: Option<IdName>,
    /// Owner; the ticket is locked while it has one.
    pub owner: Option<PersonRef>,
    /// Responsible agent (not shown to customers).
    pub responsible: Option<PersonRef>,
    /// Customer user.
    pub customer: Option<PersonRef>,
    /// Customer company.
    pub company: Option<IdName>,
    /// Whether an owner holds the lock.
    pub locked: bool,
    /// When a pending state ends.
    pub pending_until: Option<DateTime<Utc>>,
    /// Minutes of work recorded (not shown to customers).
    pub time_accounted_minutes: Option<i64>,
    /// Articles the caller can see are counted by the articles list; this is the total.
    pub article_count: i64,
    /// The version for `If-Match`.
    pub version: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it entered a finished state.
    pub closed_at: Option<DateTime<Utc>>,
    /// Service.
    pub service: Option<IdName>,
    /// The earliest deadline of a running SLA clock (not shown to customers).
    pub escalation_at: Option<DateTime<Utc>>,
    /// The earliest warning time of a running SLA clock (not shown to customers).
    pub escalation_warning_at: Option<DateTime<Utc>>,
    /// SLA state (single-ticket reads by agents only).
    pub sla: Option<crate::sla::TicketSla>,
    /// Watching agents (only on single-ticket reads; not shown to customers).
    pub watchers: Vec<PersonRef>,
    /// How it matched a search (only in search results).
    pub search: Option<SearchHit>,
    /// Whether it has articles the calling agent has not read (agents only).
    pub unread: Option<bool>,
    /// The ticket this one was merged into (id, number).
    pub merged_into: Option<(i64, String)>,
    /// Custom field values by key (customers: only the fields they may see).
    pub custom_fields: crate::custom_fields::FieldValues,
}

/// How a ticket matched a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Relevance (only when ranked by relevance; higher is better).
    pub rank: Option<f64>,
    /// Where the words occur.
    pub snippet: Option<vakt_domain::search::Snippet>,
}

impl Eq for SearchHit {}

/// Builds the views of `rows` in order.
pub(crate) fn build(
    conn: &mut DbConnection,
    reference: &Reference,
    access: &Access,
    rows: Vec<TicketRow>,
) -> ServiceResult<Vec<Ticket>> {
    let mut user_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.owner_id, r.responsible_id, r.customer_id])
        .flatten()
        .collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let people: HashMap<i64, PersonRef> = users::find_many(conn, &user_ids)?
        .into_iter()
        .map(|u| {
            (
                u.id,
                PersonRef {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                },
            )
        })
        .collect();
    let mut company_ids: Vec<i64> = rows.iter().filter_map(|r| r.company_id).collect();
    company_ids.sort_unstable();
    company_ids.dedup();
    let companies: HashMap<i64, IdName> = companies::find_many(conn, &company_ids)?
        .into_iter()
        .map(|c| {
            (
                c.id,
                IdName {
                    id: c.id,
                    name: c.name,
                },
            )
        })
        .collect();
    let mut service_ids: Vec<i64> = rows.iter().filter_map(|r| r.service_id).collect();
    service_ids.sort_unstable();
    service_ids.dedup();
    let services: HashMap<i64, IdName> =
        vakt_persistence::repo::services::find_many(conn, &service_ids)?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    IdName {
                        id: s.id,
                        name: s.full_name,
                    },
                )
            })
            .collect();
    let internal = access.sees_internal_articles();
    let fields = reference.custom_fields_of(Some(ObjectType::Ticket));
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut custom = crate::custom_fields::values::read(conn, &fields, &ids, !internal)?;
    let warning_ids: Vec<i64> = if internal {
        rows.iter()
            .filter(|r| r.escalation_at.is_some())
            .map(|r| r.id)
            .collect()
    } else {
        Vec::new()
    };
    let warnings: HashMap<i64, DateTime<Utc>> =
        vakt_persistence::repo::escalation::warning_times(conn, &warning_ids)?
            .into_iter()
            .map(|(id, at)| (id, from_db(at)))
            .collect();
    let unread = crate::relations::unread_flags(conn, access, &rows)?;
    let merged_ids: Vec<i64> = rows.iter().filter_map(|r| r.merged_into_id).collect();
    let merged: HashMap<i64, String> = if merged_ids.is_empty() {
        HashMap::new()
    } else {
        vakt_persistence::repo::tickets::find_many(conn, &merged_ids)?
            .into_iter()
            .map(|t| (t.id, t.number))
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let missing = |what: &str, id: i64| {
                ServiceError::Internal(format!("ticket {} refers to missing {what} {id}", row.id))
            };
            let queue = reference
                .queue(row.queue_id)
                .ok_or_else(|| missing("queue", row.queue_id))?;
            let state = reference
                .state(row.state_id)
                .ok_or_else(|| missing("state", row.state_id))?;
            let priority = reference
                .priority(row.priority_id)
                .ok_or_else(|| missing("priority", row.priority_id))?;
            let person = |id: Option<i64>| id.and_then(|id| people.get(&id).cloned());
            Ok(Ticket {
                id: row.id,
                number: row.number,
                title: row.title,
                queue: IdName {
                    id: queue.id,
                    name: queue.name.clone(),
                },
                state: StateRef {
                    id: state.id,
                    name: state.name.clone(),
                    state_type: state.state_type,
                },
                priority: IdName {
                    id: priority.id,
                    name: priority.name.clone(),
                },
                ticket_type: row
                    .type_id
                    .and_then(|id| reference.ticket_type(id))
                    .map(|t| IdName {
                        id: t.id,
                        name: t.name.clone(),
                    }),
                locked: row.owner_id.is_some(),
                owner: person(row.owner_id),
                responsible: if internal {
                    person(row.responsible_id)
                } else {
                    None
                },
                customer: person(row.customer_id),
                company: row.company_id.and_then(|id| companies.get(&id).cloned()),
                pending_until: row.pending_until.map(from_db),
                time_accounted_minutes: internal.then_some(row.time_accounted_minutes),
                article_count: row.article_count,
                version: row.version,
                created_at: from_db(row.created_at),
                updated_at: from_db(row.updated_at),
                closed_at: row.closed_at.map(from_db),
                service: row.service_id.and_then(|id| services.get(&id).cloned()),
                escalation_at: row.escalation_at.map(from_db).filter(|_| internal),
                escalation_warning_at: warnings.get(&row.id).copied(),
                sla: None,
                watchers: Vec::new(),
                search: None,
                unread: unread.get(&row.id).copied(),
                merged_into: row
                    .merged_into_id
                    .and_then(|id| merged.get(&id).map(|n| (id, n.clone()))),
                custom_fields: custom.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Builds the view of one row, with its SLA state at `now` for agents.
pub(crate) fn build_one(
    conn: &mut DbConnection,
    reference: &Reference,
    access: &Access,
    row: TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<Ticket> {
    let sla = if access.sees_internal_articles() {
        crate::sla::ticket_sla(conn, &row, now)?
    } else {
        None
    };
    let mut ticket = build(conn, reference, access, vec![row])?
        .pop()
        .ok_or_else(|| ServiceError::Internal("empty ticket view".into()))?;
    ticket.sla = sla;
    Ok(ticket)
}
