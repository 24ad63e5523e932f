//! RT-style reminders: small to-dos on a ticket, each with an owner (an agent who can see the
//! ticket) and a due time. Agents who can see a ticket manage its reminders; each change is in
//! the ticket's history (`reminder_added`, `reminder_changed`, `reminder_completed`,
//! `reminder_removed`; values `#<id> <subject>`), and the pending check records the due time
//! once (`ticket_reminder_due`).

use chrono::{DateTime, Utc};
use vakt_domain::rights::Access;
use vakt_domain::ticket::HistoryKind;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, UserKind, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::reminders::{
    self, NewReminder, ReminderChanges, ReminderRow, VisibleTo,
};
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::reference::{Reference, history_time};
use crate::tickets::{PersonRef, scope, visible};
use crate::{Services, access};

/// Longest subject.
pub const MAX_SUBJECT_LENGTH: usize = 255;

/// A reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// The agent to remind.
    pub owner: PersonRef,
    /// What to do.
    pub subject: String,
    /// When.
    pub due_at: DateTime<Utc>,
    /// Done.
    pub done: bool,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
    /// When its due time was recorded in the ticket's history.
    pub notified_at: Option<DateTime<Utc>>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// One of my reminders, with its ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyReminder {
    /// The reminder.
    pub reminder: Reminder,
    /// The ticket's number.
    pub ticket_number: String,
    /// The ticket's title.
    pub ticket_title: String,
}

/// A new reminder, or changes to one.
#[derive(Debug, Clone, Default)]
pub struct ReminderInput {
    /// What to do (required for a new reminder).
    pub subject: Option<String>,
    /// When (required for a new reminder).
    pub due_at: Option<DateTime<Utc>>,
    /// The agent to remind (default: the caller).
    pub owner_id: Option<i64>,
    /// Done, or reopened.
    pub done: Option<bool>,
}

fn person(conn: &mut DbConnection, id: i64) -> ServiceResult<PersonRef> {
    let user = users::find(conn, id)?.ok_or(ServiceError::NotFound("user"))?;
    Ok(PersonRef {
        id: user.id,
        name: user.name,
        email: user.email,
    })
}

fn build(conn: &mut DbConnection, row: ReminderRow) -> ServiceResult<Reminder> {
    Ok(Reminder {
        owner: person(conn, row.owner_id)?,
        id: row.id,
        ticket_id: row.ticket_id,
        subject: row.subject,
        due_at: from_db(row.due_at),
        done: row.done,
        done_at: row.done_at.map(from_db),
        notified_at: row.notified_at.map(from_db),
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

/// The ticket behind `key` for an agent who can see it (404 otherwise; 403 for customers).
fn agent_ticket(
    conn: &mut DbConnection,
    actor: &Principal,
    key: &str,
    for_update: bool,
) -> ServiceResult<(Access, std::sync::Arc<Reference>, TicketRow)> {
    let access = access::load(conn, actor)?;
    let reference = Reference::load(conn)?;
    let row = visible(conn, &access, &reference, key, for_update)?;
    if access.is_customer() {
        return Err(ServiceError::Forbidden("reminders are for agents".into()));
    }
    Ok((access, reference, row))
}

/// Checks that `owner_id` is an active agent who can see the ticket.
fn check_owner(
    conn: &mut DbConnection,
    reference: &Reference,
    ticket: &TicketRow,
    owner_id: i64,
) -> ServiceResult<()> {
    let allowed = match users::find(conn, owner_id)? {
        Some(user) if user.kind == UserKind::Agent.as_str() && user.active => {
            let principal = Principal {
                user_id: user.id,
                kind: UserKind::Agent,
                is_admin: user.is_admin,
            };
            access::load(conn, &principal)?.can_see(&scope(reference, ticket))
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "owner_id",
            "not_allowed",
            "must be an active agent who can see the ticket",
        ))
    }
}

fn check_input(input: &ReminderInput, creating: bool) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    match &input.subject {
        Some(subject) => {
            errors.check("subject", text_length(subject, 1, MAX_SUBJECT_LENGTH));
        }
        None if creating => errors.add("subject", ValidationError::new("required", "is required")),
        None => {}
    }
    if creating && input.due_at.is_none() {
        errors.add("due_at", ValidationError::new("required", "is required"));
    }
    errors.into_result()
}

fn record(
    conn: &mut DbConnection,
    ticket_id: i64,
    actor: &Principal,
    kind: HistoryKind,
    old: Option<String>,
    new: Option<String>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    history::append(
        conn,
        &[NewHistory {
            ticket_id,
            actor_id: Some(actor.user_id),
            kind: kind.as_str().to_owned(),
            old_value: old,
            new_value: new,
            article_id: None,
            created_at: to_db(now),
        }],
    )?;
    Ok(())
}

fn label(row: &ReminderRow) -> String {
    format!("#{} {}", row.id, row.subject)
}

fn find_on(conn: &mut DbConnection, ticket: &TicketRow, id: i64) -> ServiceResult<ReminderRow> {
    reminders::find(conn, id)?
        .filter(|r| r.ticket_id == ticket.id)
        .ok_or(ServiceError::NotFound("reminder"))
}

impl Services {
    /// A ticket's reminders, by id (agents who can see the ticket).
    pub fn list_reminders(
        &self,
        actor: &Principal,
        key: &str,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Reminder>> {
        let mut conn = self.conn()?;
        let (_, _, ticket) = agent_ticket(&mut conn, actor, key, false)?;
        let rows = reminders::of_ticket(&mut conn, ticket.id, page.after, page.fetch_limit())?;
        let page = page.page(rows, |r| r.id);
        let items = page
            .items
            .into_iter()
            .map(|row| build(&mut conn, row))
            .collect::<ServiceResult<_>>()?;
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }

    /// Adds a reminder to a ticket (agents who can see it; the owner must see it too).
    pub fn create_reminder(
        &self,
        actor: &Principal,
        key: &str,
        input: ReminderInput,
    ) -> ServiceResult<Reminder> {
        check_input(&input, true)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let (_, reference, ticket) = agent_ticket(conn, actor, key, true)?;
            let owner = input.owner_id.unwrap_or(actor.user_id);
            check_owner(conn, &reference, &ticket, owner)?;
            let row = reminders::insert(
                conn,
                &NewReminder {
                    ticket_id: ticket.id,
                    owner_id: owner,
                    subject: input.subject.as_deref().unwrap_or_default().trim(),
                    due_at: to_db(input.due_at.unwrap_or(now)),
                    created_by: Some(actor.user_id),
                    created_at: to_db(now),
                    updated_at: to_db(now),
                },
            )?;
            record(
                conn,
                ticket.id,
                actor,
                HistoryKind::ReminderAdded,
                None,
                Some(label(&row)),
                now,
            )?;
            build(conn, row)
        })
    }

    /// Changes a reminder: subject, due time (a new due time is recorded again when it comes),
    /// owner, done.
    pub fn update_reminder(
        &self,
        actor: &Principal,
        key: &str,
        id: i64,
        input: ReminderInput,
    ) -> ServiceResult<Reminder> {
        check_input(&input, false)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let (_, reference, ticket) = agent_ticket(conn, actor, key, true)?;
            let current = find_on(conn, &ticket, id)?;
            if let Some(owner) = input.owner_id.filter(|o| *o != current.owner_id) {
                check_owner(conn, &reference, &ticket, owner)?;
            }
            let subject = input
                .subject
                .as_deref()
                .map(|s| s.trim().to_owned())
                .filter(|s| *s != current.subject);
            let due_at = input.due_at.map(to_db).filter(|d| *d != current.due_at);
            let done = input.done.filter(|d| *d != current.done);
            let owner_id = input.owner_id.filter(|o| *o != current.owner_id);
            if subject.is_none() && due_at.is_none() && done.is_none() && owner_id.is_none() {
                return build(conn, current);
            }
            let row = reminders::update(
                conn,
                id,
                &ReminderChanges {
                    owner_id,
                    subject,
                    due_at,
                    done,
                    done_at: done.map(|d| d.then(|| to_db(now))),
                    // A new due time, or a reopened reminder, comes due again.
                    notified_at: (due_at.is_some() || done == Some(false)).then_some(None),
                    updated_at: Some(to_db(now)),
                },
            )?;
            if done == Some(true) {
                record(
                    conn,
                    ticket.id,
                    actor,
                    HistoryKind::ReminderCompleted,
                    None,
                    Some(label(&row)),
                    now,
                )?;
            }
            if owner_id.is_some()
                || due_at.is_some()
                || row.subject != current.subject
                || done == Some(false)
            {
                let describe = |r: &ReminderRow| {
                    format!(
                        "{} (due {}, owner {}{})",
                        label(r),
                        history_time(Some(from_db(r.due_at))).unwrap_or_default(),
                        r.owner_id,
                        if r.done { ", done" } else { "" }
                    )
                };
                record(
                    conn,
                    ticket.id,
                    actor,
                    HistoryKind::ReminderChanged,
                    Some(describe(&current)),
                    Some(describe(&row)),
                    now,
                )?;
            }
            build(conn, row)
        })
    }

    /// Deletes a reminder.
    pub fn delete_reminder(&self, actor: &Principal, key: &str, id: i64) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let (_, _, ticket) = agent_ticket(conn, actor, key, true)?;
            let current = find_on(conn, &ticket, id)?;
            reminders::delete(conn, id)?;
            record(
                conn,
                ticket.id,
                actor,
                HistoryKind::ReminderRemoved,
                Some(label(&current)),
                None,
                now,
            )
        })
    }

    /// The caller's open reminders (due before `due_before`, if given) on tickets they can
    /// see, soonest first.
    pub fn my_reminders(
        &self,
        actor: &Principal,
        due_before: Option<DateTime<Utc>>,
        page: &PageRequest<(DateTime<Utc>, i64)>,
    ) -> ServiceResult<Page<MyReminder>> {
        if !actor.is_agent() {
            return Err(ServiceError::Forbidden("reminders are for agents".into()));
        }
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let visible_to = VisibleTo {
            queue_ids: access
                .groups_with(vakt_domain::rights::Right::Ro)
                .map(|groups| Reference::load(&mut conn).map(|r| r.queues_of_groups(Some(&groups))))
                .transpose()?,
            user_id: actor.user_id,
        };
        let rows = reminders::open_of_owner(
            &mut conn,
            &visible_to,
            due_before.map(to_db),
            page.after.map(|(due, id)| (to_db(due), id)),
            page.fetch_limit(),
        )?;
        let page = page.page(rows, |(r, _, _)| (from_db(r.due_at), r.id));
        let items = page
            .items
            .into_iter()
            .map(|(row, number, title)| {
                Ok(MyReminder {
                    reminder: build(&mut conn, row)?,
                    ticket_number: number,
                    ticket_title: title,
                })
            })
            .collect::<ServiceResult<_>>()?;
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }
}
