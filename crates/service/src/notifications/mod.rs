//! Notifications (SPEC §5, issue 7 item 5): rules say which roles an event notifies, agents
//! choose their channels per event, templates give the texts per event and language, and the
//! dispatcher turns new history rows into in-app notifications and emails exactly once. See
//! docs/notifications.md.

mod derive;
mod dispatch;
mod event;
mod render;
mod send;
mod settings;

pub use dispatch::DispatchReport;
pub use event::{NotificationEvent, Role, TEMPLATE_VARIABLES};
pub use settings::{Preference, PreferenceInput, Rule, RuleInput, Template};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_domain::rights::Access;
use vakt_persistence::repo::events;
use vakt_persistence::repo::notifications::{self as repo, NotificationRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobContext, JobError, JobHandler, Registry, Schedule};
use crate::pagination::{Page, PageRequest};
use crate::reference::Reference;
use crate::tickets::PersonRef;
use crate::{Services, access};

/// Settings of notifications.
#[derive(Debug, Clone)]
pub struct NotificationConfig {
    /// Where the web interface is, for links in notifications (`VAKT_PUBLIC_URL`).
    pub public_url: String,
    /// Longest wait for a history id that has not committed before passing it
    /// (`VAKT_EVENT_GAP_SECONDS`); PostgreSQL usually decides sooner.
    pub gap_timeout: Duration,
    /// Read in-app notifications are deleted after this.
    pub keep_read: Duration,
}

impl Default for NotificationConfig {
    fn default() -> Self {
        NotificationConfig {
            public_url: "http://localhost:8080".into(),
            gap_timeout: Duration::seconds(60),
            keep_read: Duration::days(180),
        }
    }
}

/// The periodic dispatcher job (one at a time across all processes: a unique key).
pub(crate) const DISPATCH: &str = "dispatch_notifications";
/// Its clean-up.
const HOUSEKEEPING: &str = "notification_housekeeping";
/// How often the dispatcher runs.
pub const DISPATCH_EVERY: Duration = Duration::seconds(2);

/// Registers the dispatcher, the email job and the clean-up.
pub fn register(registry: &mut Registry) {
    registry
        .handle(Dispatch)
        .handle(send::SendNotification)
        .handle(Housekeeping)
        .every(Schedule {
            key: DISPATCH.into(),
            kind: DISPATCH.into(),
            payload: json!({}),
            every: DISPATCH_EVERY,
        })
        .every(Schedule {
            key: HOUSEKEEPING.into(),
            kind: HOUSEKEEPING.into(),
            payload: json!({}),
            every: Duration::minutes(10),
        });
}

struct Dispatch;

impl JobHandler for Dispatch {
    fn kind(&self) -> &'static str {
        DISPATCH
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        // A failed run leaves nothing behind and the schedule runs the next one in two
        // seconds; failing the job would instead retry it with a backoff of minutes to hours.
        let report = match ctx.services.dispatch_notifications() {
            Ok(report) => report,
            Err(error) => {
                log::error!("notification dispatch failed; the next run tries again: {error}");
                return Ok(());
            }
        };
        if report.in_app + report.emails > 0 {
            log::info!(
                "notifications: {} history rows, {} in-app, {} emails",
                report.history_rows,
                report.in_app,
                report.emails
            );
        }
        Ok(())
    }
}

struct Housekeeping;

impl JobHandler for Housekeeping {
    fn kind(&self) -> &'static str {
        HOUSEKEEPING
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        let services = ctx.services;
        let now = services.now();
        let keep = services.config().notifications.keep_read;
        let mut conn = services
            .conn()
            .map_err(|e| JobError::Temporary(e.to_string()))?;
        dispatch::housekeeping(&mut conn, now, keep)
            .map(|_| ())
            .map_err(|e| JobError::Temporary(e.to_string()))
    }
}

/// The ticket a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRef {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Event.
    pub event: String,
    /// The ticket.
    pub ticket: TicketRef,
    /// Who caused it (none: the system).
    pub actor: Option<PersonRef>,
    /// Subject in the recipient's language.
    pub subject: String,
    /// Text in the recipient's language.
    pub body: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Read at.
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of notifications and the unread count.
#[derive(Debug, Clone)]
pub struct NotificationList {
    /// The page (newest first).
    pub page: Page<Notification>,
    /// Unread notifications in all.
    pub unread_count: i64,
}

fn require_agent(actor: &Principal) -> ServiceResult<()> {
    if actor.is_agent() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "notifications are for agents".into(),
        ))
    }
}

impl Services {
    /// The caller's in-app notifications, newest first (agents), leaving out tickets they can
    /// no longer see.
    pub fn list_notifications(
        &self,
        actor: &Principal,
        unread_only: bool,
        page: &PageRequest<i64>,
    ) -> ServiceResult<NotificationList> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rows = repo::list(
            &mut conn,
            actor.user_id,
            unread_only,
            page.after,
            page.fetch_limit(),
        )?;
        let page = page.page(rows, |r| r.id);
        let seer = Seer::load(&mut conn, actor)?;
        let items = self.to_notifications(&mut conn, &seer, page.items)?;
        Ok(NotificationList {
            page: Page {
                items,
                next_cursor: page.next_cursor,
            },
            unread_count: self.visible_unread_count(&mut conn, &seer, actor)?,
        })
    }

    /// Marks one of the caller's notifications read.
    pub fn mark_notification_read(
        &self,
        actor: &Principal,
        id: i64,
    ) -> ServiceResult<Notification> {
        require_agent(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        repo::find_of(&mut conn, actor.user_id, id)?
            .ok_or(ServiceError::NotFound("notification"))?;
        repo::mark_read(&mut conn, actor.user_id, id, to_db(now))?;
        let row = repo::find_of(&mut conn, actor.user_id, id)?
            .ok_or(ServiceError::NotFound("notification"))?;
        let seer = Seer::load(&mut conn, actor)?;
        self.to_notifications(&mut conn, &seer, vec![row])?
            .pop()
            .ok_or(ServiceError::NotFound("notification"))
    }

    /// Marks all the caller's notifications read; returns how many were unread.
    pub fn mark_all_notifications_read(&self, actor: &Principal) -> ServiceResult<usize> {
        require_agent(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        Ok(repo::mark_all_read(&mut conn, actor.user_id, to_db(now))?)
    }

    /// Unread notifications on tickets the caller can still see (like the list).
    fn visible_unread_count(
        &self,
        conn: &mut vakt_persistence::DbConnection,
        seer: &Seer,
        actor: &Principal,
    ) -> ServiceResult<i64> {
        let counts = repo::unread_by_ticket(conn, actor.user_id)?;
        let ids: Vec<i64> = counts.iter().map(|(ticket, _)| *ticket).collect();
        let visible = seer.visible_tickets(conn, ids)?;
        Ok(counts
            .iter()
            .filter(|(id, _)| visible.iter().any(|t| t.id == *id))
            .map(|(_, n)| n)
            .sum())
    }

    fn to_notifications(
        &self,
        conn: &mut vakt_persistence::DbConnection,
        seer: &Seer,
        rows: Vec<NotificationRow>,
    ) -> ServiceResult<Vec<Notification>> {
        let tickets = seer.visible_tickets(conn, rows.iter().map(|r| r.ticket_id).collect())?;
        let mut actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
        actor_ids.sort_unstable();
        actor_ids.dedup();
        let people = users::find_many(conn, &actor_ids)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let ticket = tickets.iter().find(|t| t.id == row.ticket_id)?;
                let actor = row.actor_id.and_then(|id| {
                    people.iter().find(|p| p.id == id).map(|p| PersonRef {
                        id: p.id,
                        name: p.name.clone(),
                        email: p.email.clone(),
                    })
                });
                Some(Notification {
                    id: row.id,
                    event: row.event,
                    ticket: TicketRef {
                        id: ticket.id,
                        number: ticket.number.clone(),
                        title: ticket.title.clone(),
                    },
                    actor,
                    subject: row.subject,
                    body: row.body,
                    created_at: from_db(row.created_at),
                    read_at: row.read_at.map(from_db),
                })
            })
            .collect())
    }
}

/// Who the caller is and the reference data, loaded once per request: which of the tickets
/// their notifications name they may still see.
struct Seer {
    access: Access,
    reference: std::sync::Arc<Reference>,
}

impl Seer {
    fn load(conn: &mut vakt_persistence::DbConnection, actor: &Principal) -> ServiceResult<Self> {
        Ok(Self {
            access: access::load(conn, actor)?,
            reference: Reference::load(conn)?,
        })
    }

    /// The facts of those of `ids` the caller may see.
    fn visible_tickets(
        &self,
        conn: &mut vakt_persistence::DbConnection,
        mut ids: Vec<i64>,
    ) -> ServiceResult<Vec<events::TicketFacts>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        ids.sort_unstable();
        ids.dedup();
        let mut tickets = events::ticket_facts(conn, &ids)?;
        tickets.retain(|ticket| {
            self.access
                .can_see(&crate::live::facts_scope(&self.reference, ticket))
        });
        Ok(tickets)
    }
}
