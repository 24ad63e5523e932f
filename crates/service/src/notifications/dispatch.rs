//! The dispatcher: reads new history rows after its cursor, decides who is notified of what,
//! writes in-app notifications and enqueues notification emails, and moves the cursor — all in
//! one transaction, under a lock on the cursor row. A crash before the commit leaves nothing
//! behind (the next run does the same work again); after it, nothing is done twice.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_domain::UserKind;
use vakt_domain::rights::{Access, Right, RightSet};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::HistoryRow;
use vakt_persistence::repo::notifications::{self as repo, NewNotification, RuleRow};
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::repo::users::{self, UserRow};
use vakt_persistence::repo::{events, organisation, watchers};
use vakt_persistence::time::{from_db, to_db};

use super::derive::{Derived, Named, derive};
use super::event::{NotificationEvent, Role, parse_roles};
use super::render::{self, Templates, Vars};
use super::send::SEND_NOTIFICATION;
use crate::error::ServiceResult;
use crate::jobs::{self, JobSpec};
use crate::live::horizon::{self, Gap, GapPolicy};
use crate::live::ticket_scope;
use crate::reference::Reference;
use crate::{Services, access};

/// The cursor of the notification dispatcher in `event_cursors`.
pub(crate) const CURSOR: &str = "notifications";
/// History rows handled in one transaction.
const BATCH: i64 = 200;
/// Batches in one run at most (the next run goes on).
const MAX_BATCHES: usize = 25;

/// What a dispatcher run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// History rows handled.
    pub history_rows: usize,
    /// In-app notifications written.
    pub in_app: usize,
    /// Notification emails enqueued.
    pub emails: usize,
    /// Stopped at a history id that has not committed (yet).
    pub waiting: bool,
}

impl Services {
    /// Handles the history rows written since the last run (the periodic job calls this).
    pub fn dispatch_notifications(&self) -> ServiceResult<DispatchReport> {
        let mut total = DispatchReport::default();
        for _ in 0..MAX_BATCHES {
            let batch = self.dispatch_batch()?;
            total.history_rows += batch.history_rows;
            total.in_app += batch.in_app;
            total.emails += batch.emails;
            total.waiting = batch.waiting;
            if batch.waiting || batch.history_rows < BATCH as usize {
                break;
            }
        }
        Ok(total)
    }

    fn dispatch_batch(&self) -> ServiceResult<DispatchReport> {
        let now = self.now();
        let policy = GapPolicy::new(self.config().notifications.gap_timeout);
        let mut conn = self.conn()?;
        // Nothing new (the usual case every two seconds): no write transaction at all. A row
        // committed after this look is the next run's.
        if let Some(cursor) = repo::cursor(&mut conn, CURSOR)?
            && cursor.gap_since.is_none()
            && events::max_history_id(&mut conn)? <= cursor.last_id
        {
            return Ok(DispatchReport::default());
        }
        conn.write_transaction(|conn| {
            // The snapshot bounds must be read before the rows (see `horizon`).
            let snapshot = events::snapshot_bounds(conn)?;
            let cursor = repo::lock_cursor(conn, CURSOR, events::max_history_id, to_db(now))?;
            let rows = events::history_after(conn, cursor.last_id, None, BATCH)?;
            let mut gap = Gap {
                since: cursor.gap_since.map(from_db),
                xmax: cursor.gap_xmax,
            };
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let ready = horizon::advance(cursor.last_id, &ids, &mut gap, now, snapshot, policy);
            let mut run = Run::new(self, conn, now)?;
            for row in &rows[..ready] {
                run.handle(conn, row)?;
            }
            let last = rows[..ready].last().map_or(cursor.last_id, |r| r.id);
            repo::save_cursor(
                conn,
                CURSOR,
                last,
                gap.since.map(to_db),
                gap.xmax,
                to_db(now),
            )?;
            run.report.history_rows = ready;
            run.report.waiting = ready < rows.len();
            Ok(run.report)
        })
    }
}

/// An agent who may be notified.
struct Person {
    row: UserRow,
    access: Access,
}

/// The state of one batch: reference data, rules and templates loaded once, people cached.
struct Run<'s> {
    services: &'s Services,
    now: DateTime<Utc>,
    reference: std::sync::Arc<Reference>,
    rules: HashMap<String, RuleRow>,
    templates: Templates,
    people: HashMap<i64, Option<Person>>,
    members: HashMap<i64, Vec<i64>>,
    report: DispatchReport,
}

impl<'s> Run<'s> {
    fn new(
        services: &'s Services,
        conn: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> ServiceResult<Self> {
        Ok(Run {
            services,
            now,
            reference: Reference::load(conn)?,
            rules: repo::rules(conn)?
                .into_iter()
                .map(|r| (r.event.clone(), r))
                .collect(),
            templates: repo::templates(conn)?
                .into_iter()
                .map(|t| ((t.event, t.language), (t.subject, t.body)))
                .collect(),
            people: HashMap::new(),
            members: HashMap::new(),
            report: DispatchReport::default(),
        })
    }

    fn handle(&mut self, conn: &mut DbConnection, row: &HistoryRow) -> ServiceResult<()> {
        let derived = derive(conn, &self.reference, row)?;
        if derived.is_empty() {
            return Ok(());
        }
        let Some(ticket) = tickets::find(conn, row.ticket_id)? else {
            return Ok(());
        };
        for event in derived {
            if event.event.is_for_customers() {
                self.notify_customer(conn, row, &ticket, &event)?;
            } else {
                self.notify_agents(conn, row, &ticket, &event)?;
            }
        }
        Ok(())
    }

    fn notify_agents(
        &mut self,
        conn: &mut DbConnection,
        row: &HistoryRow,
        ticket: &TicketRow,
        derived: &Derived,
    ) -> ServiceResult<()> {
        let Some(rule) = self.rules.get(derived.event.as_str()).cloned() else {
            return Ok(());
        };
        if !rule.enabled {
            return Ok(());
        }
        let roles = parse_roles(&rule.recipients).unwrap_or_default();
        let mut candidates = Vec::new();
        for role in roles {
            for user in self.resolve(conn, role, row, ticket, derived)? {
                if !candidates.contains(&user) {
                    candidates.push(user);
                }
            }
        }
        candidates.retain(|u| Some(*u) != row.actor_id);
        let scope = ticket_scope(&self.reference, ticket);
        let mut recipients = Vec::new();
        for user in candidates {
            if let Some(person) = self.person(conn, user)?
                && person.access.can_see(&scope)
            {
                recipients.push(user);
            }
        }
        if recipients.is_empty() {
            return Ok(());
        }
        let chosen: HashMap<i64, (bool, bool)> =
            repo::preferences_for(conn, &recipients, derived.event.as_str())?
                .into_iter()
                .map(|p| (p.user_id, (p.email, p.in_app)))
                .collect();
        let mut vars = self.vars(conn, row, ticket, derived)?;
        vars.link = format!("{}/agent/tickets/{}", self.public_url(), ticket.number);
        for user in recipients {
            let (email, in_app) = chosen
                .get(&user)
                .copied()
                .unwrap_or((rule.email, rule.in_app));
            if !email && !in_app {
                continue;
            }
            let Some(Some(person)) = self.people.get(&user) else {
                continue;
            };
            vars.recipient = person.row.name.clone();
            let language = person.row.language.as_deref().unwrap_or("en");
            let text = render::render(
                &self.templates,
                derived.event,
                language,
                person.row.time_zone.as_deref(),
                &vars,
            );
            let (address, name) = (person.row.email.clone(), person.row.name.clone());
            if in_app
                && repo::insert(
                    conn,
                    &NewNotification {
                        user_id: user,
                        event: derived.event.as_str(),
                        ticket_id: ticket.id,
                        history_id: row.id,
                        actor_id: row.actor_id,
                        subject: &text.subject,
                        body: &text.body,
                        created_at: to_db(self.now),
                    },
                )?
                .is_some()
            {
                self.report.in_app += 1;
            }
            if email {
                self.enqueue_mail(
                    conn,
                    row,
                    ticket,
                    derived,
                    Some(user),
                    &address,
                    &name,
                    &text,
                )?;
            }
        }
        Ok(())
    }

    fn notify_customer(
        &mut self,
        conn: &mut DbConnection,
        row: &HistoryRow,
        ticket: &TicketRow,
        derived: &Derived,
    ) -> ServiceResult<()> {
        let settings = crate::mail::queue_settings(conn, ticket.queue_id)?;
        if !settings.notify_customer_on_close {
            return Ok(());
        }
        let Some(customer_id) = ticket.customer_id.filter(|c| Some(*c) != row.actor_id) else {
            return Ok(());
        };
        let Some(customer) = users::find(conn, customer_id)?.filter(|c| c.active) else {
            return Ok(());
        };
        let mut vars = self.vars(conn, row, ticket, derived)?;
        vars.link = format!("{}/portal/tickets/{}", self.public_url(), ticket.number);
        vars.recipient = customer.name.clone();
        let text = render::render(
            &self.templates,
            derived.event,
            customer.language.as_deref().unwrap_or("en"),
            customer.time_zone.as_deref(),
            &vars,
        );
        self.enqueue_mail(
            conn,
            row,
            ticket,
            derived,
            None,
            &customer.email,
            &customer.name,
            &text,
        )
    }

    #[expect(clippy::too_many_arguments, reason = "one mail, described in full")]
    fn enqueue_mail(
        &mut self,
        conn: &mut DbConnection,
        row: &HistoryRow,
        ticket: &TicketRow,
        derived: &Derived,
        user: Option<i64>,
        address: &str,
        name: &str,
        text: &render::Rendered,
    ) -> ServiceResult<()> {
        let recipient = user.map_or_else(
            || format!("customer{}", ticket.customer_id.unwrap_or(0)),
            |u| u.to_string(),
        );
        let key = format!(
            "notification:{}:{}:{}",
            row.id,
            recipient,
            derived.event.as_str()
        );
        let spec = JobSpec {
            unique_key: Some(key.clone()),
            max_attempts: self.services.config().mail.send_attempts,
            ..JobSpec::new(
                SEND_NOTIFICATION,
                json!({
                    "key": key,
                    "event": derived.event.as_str(),
                    "ticket_id": ticket.id,
                    "history_id": row.id,
                    "user_id": user,
                    "to": address,
                    "name": name,
                    "subject": text.subject,
                    "body": text.body,
                }),
            )
        };
        if jobs::enqueue(conn, &spec, self.now)?.is_some() {
            self.report.emails += 1;
        }
        Ok(())
    }

    fn public_url(&self) -> &str {
        self.services
            .config()
            .notifications
            .public_url
            .trim_end_matches('/')
    }

    fn vars(
        &mut self,
        conn: &mut DbConnection,
        row: &HistoryRow,
        ticket: &TicketRow,
        derived: &Derived,
    ) -> ServiceResult<Vars> {
        let name_of = |conn: &mut DbConnection, id: Option<i64>| -> ServiceResult<String> {
            Ok(match id {
                Some(id) => users::find(conn, id)?.map(|u| u.name).unwrap_or_default(),
                None => String::new(),
            })
        };
        let actor = match row.actor_id {
            Some(_) => name_of(conn, row.actor_id)?,
            None => "Vakt".to_owned(),
        };
        Ok(Vars {
            ticket_number: ticket.number.clone(),
            ticket_title: ticket.title.clone(),
            queue: self
                .reference
                .queue(ticket.queue_id)
                .map(|q| q.name.clone())
                .unwrap_or_default(),
            state: self
                .reference
                .state(ticket.state_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            actor,
            customer: name_of(conn, ticket.customer_id)?,
            detail: derived.detail.clone(),
            target: derived.target.clone(),
            deadline: derived.deadline,
            ..Vars::default()
        })
    }

    /// The agents a role stands for on this event.
    fn resolve(
        &mut self,
        conn: &mut DbConnection,
        role: Role,
        row: &HistoryRow,
        ticket: &TicketRow,
        derived: &Derived,
    ) -> ServiceResult<Vec<i64>> {
        let current_queue = self.reference.queue(ticket.queue_id).cloned();
        Ok(match role {
            Role::Owner => match ticket.owner_id {
                // A later change of owner notifies its own owner: only the owner this row named.
                Some(owner) if derived.event == NotificationEvent::OwnerChanged => {
                    let named = users::find(conn, owner)?.map(|u| u.name);
                    if named.is_some() && named == row.new_value {
                        vec![owner]
                    } else {
                        Vec::new()
                    }
                }
                Some(owner) => vec![owner],
                None => Vec::new(),
            },
            Role::Responsible => ticket.responsible_id.into_iter().collect(),
            Role::Watchers => watchers::of_ticket(conn, ticket.id)?,
            Role::QueueMembers | Role::QueueMembersIfUnowned => {
                if role == Role::QueueMembersIfUnowned && ticket.owner_id.is_some() {
                    return Ok(Vec::new());
                }
                let Some(queue) = current_queue else {
                    return Ok(Vec::new());
                };
                // Moved again since: that move notifies its own queue.
                if derived.event == NotificationEvent::QueueMoved
                    && row.new_value.as_deref() != Some(queue.name.as_str())
                {
                    return Ok(Vec::new());
                }
                self.queue_members(conn, queue.group_id)?
            }
            Role::Mentioned | Role::ReminderOwner => match &derived.named {
                Named::Users(ids) => ids.clone(),
                Named::QueueMembers(queue_id) => match self.reference.queue(*queue_id) {
                    Some(queue) => {
                        let group = queue.group_id;
                        self.queue_members(conn, group)?
                    }
                    None => Vec::new(),
                },
                Named::Nobody => Vec::new(),
            },
        })
    }

    fn queue_members(&mut self, conn: &mut DbConnection, group_id: i64) -> ServiceResult<Vec<i64>> {
        if let Some(members) = self.members.get(&group_id) {
            return Ok(members.clone());
        }
        let members: Vec<i64> = organisation::agents_on_group(conn, group_id)?
            .into_iter()
            .filter(|(_, rights)| RightSet::from_bits(*rights).allows(Right::Ro))
            .map(|(user, _)| user)
            .collect();
        self.members.insert(group_id, members.clone());
        Ok(members)
    }

    /// An active agent and what they may see; `None` for anyone else.
    fn person(&mut self, conn: &mut DbConnection, user_id: i64) -> ServiceResult<Option<&Person>> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.people.entry(user_id) {
            let person = match users::find(conn, user_id)? {
                Some(row) if row.active && row.kind == "agent" => {
                    let principal = Principal {
                        user_id,
                        kind: UserKind::Agent,
                        is_admin: row.is_admin,
                    };
                    let access = access::load(conn, &principal)?;
                    Some(Person { row, access })
                }
                _ => None,
            };
            slot.insert(person);
        }
        Ok(self.people.get(&user_id).and_then(Option::as_ref))
    }
}

/// Removes what the dispatcher leaves behind: its finished runs, read notifications older than
/// `keep_read`, expired presences and old presence changes.
pub(crate) fn housekeeping(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    keep_read: Duration,
) -> ServiceResult<usize> {
    let runs = repo::purge_done_jobs(conn, super::DISPATCH, to_db(now - Duration::hours(1)))?;
    let read = repo::purge_read(conn, to_db(now - keep_read))?;
    let presences =
        vakt_persistence::repo::presence::purge_expired(conn, to_db(now - Duration::minutes(5)))?;
    let changes =
        vakt_persistence::repo::presence::purge_changes(conn, to_db(now - Duration::minutes(15)))?;
    Ok(runs + read + presences + changes)
}
