//! Live updates (issue 7 item 6): one poller per process reads the history log, the in-app
//! notifications and the presence changes by id (so changes made by any server process reach
//! every stream) and broadcasts them; each stream filters them for its viewer. See
//! docs/live-updates.md.

pub(crate) mod horizon;
mod poller;
mod presence;
mod view;

pub use poller::{Batch, Hub};
pub use presence::Presence;
pub use view::Viewer;

use std::fmt;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use vakt_domain::rights::TicketScope;
use vakt_persistence::repo::events::TicketFacts;
use vakt_persistence::repo::tickets::TicketRow;

use crate::reference::Reference;
use crate::tickets::PersonRef;

/// Settings of live updates.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// How often the poller of a process reads new events (`VAKT_LIVE_POLL_MS`).
    pub poll_interval: StdDuration,
    /// How often an idle stream sends a heartbeat (`VAKT_LIVE_HEARTBEAT_SECONDS`).
    pub heartbeat: StdDuration,
    /// How long a presence lasts unless renewed.
    pub presence_ttl: Duration,
    /// How often a stream checks its credential and reloads the viewer's rights.
    pub recheck: StdDuration,
    /// Most events replayed when a stream resumes; beyond that it asks the client to reload.
    pub max_replay: usize,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            poll_interval: StdDuration::from_millis(1000),
            heartbeat: StdDuration::from_secs(15),
            presence_ttl: Duration::seconds(60),
            recheck: StdDuration::from_secs(60),
            max_replay: 1000,
        }
    }
}

/// A position in the three logs a stream follows; sent as the SSE event id
/// (`<history>.<notifications>.<presence>`) and accepted back as `Last-Event-ID`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Last history id.
    pub history: i64,
    /// Last notification id.
    pub notifications: i64,
    /// Last presence change id.
    pub presence: i64,
}

impl Position {
    /// Parses `h.n.p`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<i64>().ok());
        let position = Position {
            history: parts.next()??,
            notifications: parts.next()??,
            presence: parts.next()??,
        };
        let valid = parts.next().is_none()
            && position.history >= 0
            && position.notifications >= 0
            && position.presence >= 0;
        valid.then_some(position)
    }

    /// Whether `event` comes after this position (so a stream at this position still needs it).
    pub fn before(&self, event: &LiveEvent) -> bool {
        match event {
            LiveEvent::Ticket(e) => e.history_id > self.history,
            LiveEvent::Notification(e) => e.id > self.notifications,
            LiveEvent::Presence(e) => e.id > self.presence,
        }
    }

    /// This position moved past `event`.
    pub fn after(mut self, event: &LiveEvent) -> Self {
        match event {
            LiveEvent::Ticket(e) => self.history = self.history.max(e.history_id),
            LiveEvent::Notification(e) => self.notifications = self.notifications.max(e.id),
            LiveEvent::Presence(e) => self.presence = self.presence.max(e.id),
        }
        self
    }

    /// The later of two positions, per log.
    pub fn max(self, other: Position) -> Self {
        Position {
            history: self.history.max(other.history),
            notifications: self.notifications.max(other.notifications),
            presence: self.presence.max(other.presence),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.history, self.notifications, self.presence
        )
    }
}

/// Something that happened, for the streams of those who may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A ticket changed (a history row).
    Ticket(TicketEvent),
    /// A user got an in-app notification.
    Notification(NotificationEvent),
    /// An agent opened, is answering, or left a ticket.
    Presence(PresenceEvent),
}

/// A ticket change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEvent {
    /// The history row (its position in the log).
    pub history_id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Its number.
    pub ticket_number: String,
    /// History kind (`article_added`, `state_changed`, …).
    pub kind: String,
    /// Who (none: the system).
    pub actor: Option<PersonRef>,
    /// The article concerned.
    pub article_id: Option<i64>,
    /// Whether that article is visible to the customer.
    pub article_customer_visible: Option<bool>,
    /// Value before (names, as in the history).
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who may see the ticket (as it is now).
    pub(crate) scope: TicketScope,
}

/// An in-app notification, for its recipient only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationEvent {
    /// Notification id.
    pub id: i64,
    /// Recipient.
    pub user_id: i64,
    /// Event.
    pub event: String,
    /// Ticket.
    pub ticket_id: i64,
    /// Its number.
    pub ticket_number: String,
    /// Subject in the recipient's language.
    pub subject: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who may see the ticket.
    pub(crate) scope: TicketScope,
}

/// A presence change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceEvent {
    /// Change id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Its number.
    pub ticket_number: String,
    /// The agent.
    pub user: PersonRef,
    /// On the ticket (`false`: left).
    pub present: bool,
    /// Writing an answer.
    pub composing: bool,
    /// Gone unless renewed by then.
    pub expires_at: Option<DateTime<Utc>>,
    /// Who may see the ticket.
    pub(crate) scope: TicketScope,
}

/// The facts that decide access to a ticket row.
pub(crate) fn ticket_scope(reference: &Reference, row: &TicketRow) -> TicketScope {
    TicketScope {
        group_id: reference.queue(row.queue_id).map_or(-1, |q| q.group_id),
        owner_id: row.owner_id,
        responsible_id: row.responsible_id,
        customer_id: row.customer_id,
        company_id: row.company_id,
    }
}

/// The same for the light ticket facts of the event log.
pub(crate) fn facts_scope(reference: &Reference, row: &TicketFacts) -> TicketScope {
    TicketScope {
        group_id: reference.queue(row.queue_id).map_or(-1, |q| q.group_id),
        owner_id: row.owner_id,
        responsible_id: row.responsible_id,
        customer_id: row.customer_id,
        company_id: row.company_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_reject_garbage() {
        let p = Position {
            history: 12,
            notifications: 3,
            presence: 0,
        };
        assert_eq!(p.to_string(), "12.3.0");
        assert_eq!(Position::parse("12.3.0"), Some(p));
        for bad in ["", "1.2", "1.2.3.4", "a.b.c", "-1.0.0", "1..2"] {
            assert_eq!(Position::parse(bad), None, "{bad:?}");
        }
        let later = Position {
            history: 10,
            notifications: 5,
            presence: 1,
        };
        assert_eq!(p.max(later).to_string(), "12.5.1");
    }
}
