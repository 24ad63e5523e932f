//! The poller of a process: one thread, started by the first stream and ended when the last
//! one goes, that reads the history log, the in-app notifications and the presence changes by
//! id (up to their safe horizons, see [`super::horizon`]) and broadcasts them to every stream
//! of this process. Because everything it reads is in the database, a change made through any
//! server process reaches the streams of all of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{broadcast, watch};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::events::{self, TicketFacts};
use vakt_persistence::repo::history::HistoryRow;
use vakt_persistence::repo::notifications::{self, NotificationRow};
use vakt_persistence::repo::presence::{self, PresenceEventRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::from_db;

use super::horizon::{self, Gap, GapPolicy};
use super::{LiveEvent, NotificationEvent, Position, PresenceEvent, TicketEvent, facts_scope};
use crate::Services;
use crate::error::ServiceResult;
use crate::reference::Reference;
use crate::tickets::PersonRef;

/// Rows read from each log in one poll.
const POLL_LIMIT: i64 = 500;
/// Batches a slow stream may fall behind before it is told to reload.
const CAPACITY: usize = 256;

/// Events read in one poll, and the position after them.
#[derive(Debug, Clone)]
pub struct Batch {
    /// In log order: ticket changes, then notifications, then presence changes.
    pub events: Vec<LiveEvent>,
    /// Where the poller is after this batch.
    pub position: Position,
}

/// The broadcast of this process's live events.
#[derive(Debug, Clone)]
pub struct Hub {
    inner: Arc<HubInner>,
}

#[derive(Debug)]
struct HubInner {
    sender: broadcast::Sender<Arc<Batch>>,
    state: Mutex<HubState>,
    stopping: watch::Sender<bool>,
}

#[derive(Debug, Default)]
struct HubState {
    running: bool,
    position: Position,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A hub without a running poller.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        let (stopping, _) = watch::channel(false);
        Hub {
            inner: Arc::new(HubInner {
                sender,
                state: Mutex::new(HubState::default()),
                stopping,
            }),
        }
    }

    /// Joins the broadcast (starting the poller if it is not running) and returns the position
    /// from which the receiver gets every batch. Blocking: may read the database.
    pub fn subscribe(
        &self,
        services: &Services,
    ) -> ServiceResult<(broadcast::Receiver<Arc<Batch>>, Position)> {
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !state.running {
            if *self.inner.stopping.borrow() {
                return Err(crate::error::ServiceError::Unavailable(
                    "the server is shutting down".into(),
                ));
            }
            state.position = services.live_position()?;
            state.running = true;
            let (services, inner) = (services.clone(), self.inner.clone());
            let started = std::thread::Builder::new()
                .name("vakt-live".into())
                .spawn(move || poll(&services, &inner));
            if let Err(error) = started {
                state.running = false;
                return Err(crate::error::ServiceError::Internal(format!(
                    "cannot start the live-update poller: {error}"
                )));
            }
        }
        Ok((self.inner.sender.subscribe(), state.position))
    }

    /// Becomes `true` when the server shuts down; streams end then.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.inner.stopping.subscribe()
    }

    /// Ends every stream and the poller (at server shutdown).
    pub fn shutdown(&self) {
        self.inner.stopping.send_replace(true);
    }
}

fn poll(services: &Services, inner: &HubInner) {
    log::info!("live-update poller started");
    let interval = services.config().live.poll_interval;
    let mut gaps = [Gap::default(); 3];
    loop {
        std::thread::sleep(interval);
        let position = {
            let state = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.position
        };
        let polled = if *inner.stopping.borrow() {
            None
        } else {
            Some(services.live_poll(position, &mut gaps))
        };
        let mut state = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        if polled.is_none() || inner.sender.receiver_count() == 0 {
            state.running = false;
            break;
        }
        match polled {
            Some(Ok((events, next))) => {
                if !events.is_empty() {
                    // Sent under the lock, so that a new subscriber's position and the batches
                    // it receives meet exactly.
                    let _ = inner.sender.send(Arc::new(Batch {
                        events,
                        position: next,
                    }));
                }
                state.position = next;
            }
            Some(Err(error)) => log::warn!("live-update poll failed: {error}"),
            None => {}
        }
    }
    log::info!("live-update poller stopped");
}

impl Services {
    /// The current ends of the three logs.
    fn live_position(&self) -> ServiceResult<Position> {
        let mut conn = self.conn()?;
        Ok(Position {
            history: events::max_history_id(&mut conn)?,
            notifications: notifications::max_id(&mut conn)?,
            presence: presence::max_change_id(&mut conn)?,
        })
    }

    /// Reads what is new after `position`, each log up to its safe horizon.
    fn live_poll(
        &self,
        position: Position,
        gaps: &mut [Gap; 3],
    ) -> ServiceResult<(Vec<LiveEvent>, Position)> {
        let now = self.now();
        let policy = GapPolicy::new(self.config().notifications.gap_timeout);
        let mut conn = self.conn()?;
        // Read before the rows (see `horizon`).
        let snapshot = events::snapshot_bounds(&mut conn)?;
        let mut history = events::history_after(&mut conn, position.history, None, POLL_LIMIT)?;
        let mut notes = notifications::after(&mut conn, position.notifications, None, POLL_LIMIT)?;
        let mut changes = presence::changes_after(&mut conn, position.presence, None, POLL_LIMIT)?;
        let [h, n, p] = gaps;
        let ids: Vec<i64> = history.iter().map(|r| r.id).collect();
        history.truncate(horizon::advance(
            position.history,
            &ids,
            h,
            now,
            snapshot,
            policy,
        ));
        let ids: Vec<i64> = notes.iter().map(|r| r.id).collect();
        notes.truncate(horizon::advance(
            position.notifications,
            &ids,
            n,
            now,
            snapshot,
            policy,
        ));
        let ids: Vec<i64> = changes.iter().map(|r| r.id).collect();
        changes.truncate(horizon::advance(
            position.presence,
            &ids,
            p,
            now,
            snapshot,
            policy,
        ));
        let next = Position {
            history: history.last().map_or(position.history, |r| r.id),
            notifications: notes.last().map_or(position.notifications, |r| r.id),
            presence: changes.last().map_or(position.presence, |r| r.id),
        };
        let events = enrich(&mut conn, history, notes, changes)?;
        Ok((events, next))
    }

    /// The events between two positions (for a stream that resumes); `None` when there are more
    /// than the configured replay limit.
    pub fn live_backlog(
        &self,
        from: Position,
        to: Position,
    ) -> ServiceResult<Option<Vec<LiveEvent>>> {
        let max = self.config().live.max_replay as i64;
        let mut conn = self.conn()?;
        let history = events::history_after(&mut conn, from.history, Some(to.history), max + 1)?;
        let notes = notifications::after(
            &mut conn,
            from.notifications,
            Some(to.notifications),
            max + 1,
        )?;
        let changes =
            presence::changes_after(&mut conn, from.presence, Some(to.presence), max + 1)?;
        if (history.len() + notes.len() + changes.len()) as i64 > max {
            return Ok(None);
        }
        Ok(Some(enrich(&mut conn, history, notes, changes)?))
    }
}

/// Turns rows into events with their tickets' numbers and scopes, actors and article
/// visibility; rows of tickets that are gone are dropped.
fn enrich(
    conn: &mut DbConnection,
    history: Vec<HistoryRow>,
    notes: Vec<NotificationRow>,
    changes: Vec<PresenceEventRow>,
) -> ServiceResult<Vec<LiveEvent>> {
    if history.is_empty() && notes.is_empty() && changes.is_empty() {
        return Ok(Vec::new());
    }
    let reference = Reference::load(conn)?;
    let mut ticket_ids: Vec<i64> = history.iter().map(|r| r.ticket_id).collect();
    ticket_ids.extend(notes.iter().map(|r| r.ticket_id));
    ticket_ids.extend(changes.iter().map(|r| r.ticket_id));
    ticket_ids.sort_unstable();
    ticket_ids.dedup();
    let tickets: HashMap<i64, TicketFacts> = events::ticket_facts(conn, &ticket_ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let article_ids: Vec<i64> = history.iter().filter_map(|r| r.article_id).collect();
    let visible: HashMap<i64, bool> = events::article_facts(conn, &article_ids)?
        .into_iter()
        .map(|a| (a.id, a.customer_visible))
        .collect();
    let mut people_ids: Vec<i64> = history.iter().filter_map(|r| r.actor_id).collect();
    people_ids.extend(changes.iter().map(|r| r.user_id));
    people_ids.sort_unstable();
    people_ids.dedup();
    let people: HashMap<i64, PersonRef> = users::find_many(conn, &people_ids)?
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
    let mut out = Vec::with_capacity(history.len() + notes.len() + changes.len());
    for row in history {
        let Some(ticket) = tickets.get(&row.ticket_id) else {
            continue;
        };
        out.push(LiveEvent::Ticket(TicketEvent {
            history_id: row.id,
            ticket_id: ticket.id,
            ticket_number: ticket.number.clone(),
            kind: row.kind,
            actor: row.actor_id.and_then(|id| people.get(&id).cloned()),
            article_id: row.article_id,
            article_customer_visible: row.article_id.and_then(|id| visible.get(&id).copied()),
            old_value: row.old_value,
            new_value: row.new_value,
            created_at: from_db(row.created_at),
            scope: facts_scope(&reference, ticket),
        }));
    }
    for row in notes {
        let Some(ticket) = tickets.get(&row.ticket_id) else {
            continue;
        };
        out.push(LiveEvent::Notification(NotificationEvent {
            id: row.id,
            user_id: row.user_id,
            event: row.event,
            ticket_id: ticket.id,
            ticket_number: ticket.number.clone(),
            subject: row.subject,
            created_at: from_db(row.created_at),
            scope: facts_scope(&reference, ticket),
        }));
    }
    for row in changes {
        let (Some(ticket), Some(user)) = (tickets.get(&row.ticket_id), people.get(&row.user_id))
        else {
            continue;
        };
        out.push(LiveEvent::Presence(PresenceEvent {
            id: row.id,
            ticket_id: ticket.id,
            ticket_number: ticket.number.clone(),
            user: user.clone(),
            present: row.present,
            composing: row.composing,
            expires_at: row.expires_at.map(from_db),
            scope: facts_scope(&reference, ticket),
        }));
    }
    Ok(out)
}
