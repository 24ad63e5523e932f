//! Links between tickets: listed from either ticket, added with a cycle check for parent/child
//! and depends-on, removed; each change in both tickets' history. Links to tickets the caller
//! cannot see are listed without anything about that ticket.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_domain::links::LinkKind;
use vakt_domain::rights::{Access, Right};
use vakt_domain::ticket::HistoryKind;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history;
use vakt_persistence::repo::links::{self, LinkRow};
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::time::{from_db, to_db};

use super::{agents_only, entry, not_merged, other_ticket};
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::{IdName, StateRef, require, scope, visible};
use crate::{Services, access};

/// The other ticket of a link, as far as the caller may know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedTicket {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// State.
    pub state: StateRef,
    /// Queue.
    pub queue: IdName,
}

/// A link as seen from one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketLink {
    /// Id (for removing it; the same from both tickets).
    pub id: i64,
    /// "This ticket <kind> the other".
    pub kind: LinkKind,
    /// The other ticket; `None` when the caller cannot see it.
    pub ticket: Option<LinkedTicket>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// Most tickets a cycle check walks before it gives up and refuses.
const WALK_LIMIT: usize = 10_000;

/// Whether `from` reaches `to` along stored links of `kind` (source to target).
fn reaches(conn: &mut DbConnection, kind: &str, from: i64, to: i64) -> ServiceResult<bool> {
    let mut seen: HashSet<i64> = HashSet::from([from]);
    let mut frontier = vec![from];
    while !frontier.is_empty() {
        if frontier.contains(&to) {
            return Ok(true);
        }
        if seen.len() > WALK_LIMIT {
            return Ok(true);
        }
        let next: Vec<i64> = links::targets_of(conn, kind, &frontier)?
            .into_iter()
            .filter(|id| seen.insert(*id))
            .collect();
        frontier = next;
    }
    Ok(false)
}

/// Checks the master/slave rules for "master master_of slave": one master per slave, and no
/// chains (a master is not a slave, a slave not a master).
fn check_master(conn: &mut DbConnection, master: i64, slave: i64) -> ServiceResult<()> {
    let kind = LinkKind::MasterOf.as_str();
    let refuse = |message: &str| ServiceError::invalid("kind", "master_slave", message.to_owned());
    if !links::sources_of(conn, kind, slave)?.is_empty() {
        return Err(refuse("the slave already has a master"));
    }
    if !links::targets_of(conn, kind, &[slave])?.is_empty() {
        return Err(refuse("a master ticket cannot become a slave"));
    }
    if !links::sources_of(conn, kind, master)?.is_empty() {
        return Err(refuse("a slave ticket cannot become a master"));
    }
    Ok(())
}

/// The links of `row`, with the other tickets the caller may see.
pub(crate) fn load(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    row: &TicketRow,
) -> ServiceResult<Vec<TicketLink>> {
    let stored = links::of_ticket(conn, row.id)?;
    let ids: Vec<i64> = stored
        .iter()
        .map(|l| other_id(l, row.id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let others: HashMap<i64, TicketRow> = tickets::find_many(conn, &ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(stored
        .into_iter()
        .filter_map(|l| {
            let kind = LinkKind::parse(&l.kind)?;
            let other = others
                .get(&other_id(&l, row.id))
                .filter(|t| access.can_see(&scope(reference, t)))
                .and_then(|t| linked(reference, t));
            Some(TicketLink {
                id: l.id,
                kind: LinkKind::seen_from(kind, l.source_id == row.id),
                ticket: other,
                created_at: from_db(l.created_at),
            })
        })
        .collect())
}

fn other_id(link: &LinkRow, ticket_id: i64) -> i64 {
    if link.source_id == ticket_id {
        link.target_id
    } else {
        link.source_id
    }
}

/// The caller's view of a linked ticket.
pub(crate) fn linked(reference: &Reference, t: &TicketRow) -> Option<LinkedTicket> {
    let state = reference.state(t.state_id)?;
    let queue = reference.queue(t.queue_id)?;
    Some(LinkedTicket {
        id: t.id,
        number: t.number.clone(),
        title: t.title.clone(),
        state: StateRef {
            id: state.id,
            name: state.name.clone(),
            state_type: state.state_type,
        },
        queue: IdName {
            id: queue.id,
            name: queue.name.clone(),
        },
    })
}

/// Stores a link between two locked tickets the caller may change, with its rules and history
/// in both; `Ok(None)` when the same link exists.
pub(crate) fn link(
    conn: &mut DbConnection,
    actor: Option<i64>,
    kind: LinkKind,
    this: &TicketRow,
    other: &TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<Option<i64>> {
    if this.id == other.id {
        return Err(ServiceError::invalid(
            "ticket",
            "self_link",
            "a ticket cannot be linked to itself",
        ));
    }
    not_merged(this)?;
    not_merged(other)?;
    let (stored, this_is_source) = kind.canonical();
    let (source, target) = if this_is_source {
        (this, other)
    } else {
        (other, this)
    };
    let stored_name = stored.as_str();
    if links::find(conn, stored_name, source.id, target.id)?.is_some() {
        return Ok(None);
    }
    if kind.is_acyclic() && reaches(conn, stored_name, target.id, source.id)? {
        return Err(ServiceError::invalid(
            "ticket",
            "link_cycle",
            format!(
                "linking #{} {} #{} would make a cycle",
                this.number,
                kind.as_str(),
                other.number
            ),
        ));
    }
    if stored == LinkKind::MasterOf {
        check_master(conn, source.id, target.id)?;
    }
    let Some(id) = links::insert(conn, stored_name, source.id, target.id, actor, to_db(now))?
    else {
        return Ok(None);
    };
    history::append(
        conn,
        &[
            entry(
                this.id,
                actor,
                HistoryKind::LinkAdded,
                None,
                Some(format!("{} #{}", kind.as_str(), other.number)),
                now,
            ),
            entry(
                other.id,
                actor,
                HistoryKind::LinkAdded,
                None,
                Some(format!("{} #{}", kind.reverse().as_str(), this.number)),
                now,
            ),
        ],
    )?;
    Ok(Some(id))
}

/// The rights a link needs on the other ticket: master/slave changes what happens to it
/// (replies fan out, closing cascades), so it needs `rw` there; other links only need to see it.
fn require_other(
    access: &Access,
    reference: &Reference,
    kind: LinkKind,
    other: &TicketRow,
) -> ServiceResult<()> {
    if matches!(kind, LinkKind::MasterOf | LinkKind::SlaveOf) {
        require(access, reference, other, Right::Rw)
    } else {
        Ok(())
    }
}

/// Refuses to close a ticket of a queue that requires its dependencies finished first while a
/// ticket it depends on is still open (409 `dependencies_open`).
pub(crate) fn check_close(
    conn: &mut DbConnection,
    row: &TicketRow,
    queue_id: i64,
    new_state_type: Option<&str>,
) -> ServiceResult<()> {
    if new_state_type != Some("closed") || crate::tickets::update::is_finished(&row.state_type) {
        return Ok(());
    }
    if !links::close_needs_dependencies(conn, queue_id)? {
        return Ok(());
    }
    let open = links::open_dependencies(conn, row.id)?;
    if open.is_empty() {
        return Ok(());
    }
    Err(ServiceError::Conflict {
        code: "dependencies_open",
        detail: format!(
            "this ticket depends on tickets that are still open: {}",
            open.iter()
                .map(|n| format!("#{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

impl Services {
    /// The links of a ticket (agents who can see it).
    pub fn ticket_links(&self, actor: &Principal, key: &str) -> ServiceResult<Vec<TicketLink>> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = visible(&mut conn, &access, &reference, key, false)?;
        agents_only(&access)?;
        load(&mut conn, &access, &reference, &row)
    }

    /// Links a ticket to another (`rw` on this one; the other must be visible, and for
    /// master/slave changeable). Returns the link and whether it is new.
    pub fn add_ticket_link(
        &self,
        actor: &Principal,
        key: &str,
        kind: LinkKind,
        other_key: &str,
    ) -> ServiceResult<(TicketLink, bool)> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            agents_only(&access)?;
            require(&access, &reference, &row, Right::Rw)?;
            let other = other_ticket(conn, &access, &reference, other_key, "ticket")?;
            require_other(&access, &reference, kind, &other)?;
            let created = link(conn, Some(actor.user_id), kind, &row, &other, now)?.is_some();
            let (stored, this_is_source) = kind.canonical();
            let (source, target) = if this_is_source {
                (row.id, other.id)
            } else {
                (other.id, row.id)
            };
            let stored_row = links::find(conn, stored.as_str(), source, target)?
                .ok_or_else(|| ServiceError::Internal("the new link vanished".into()))?;
            Ok((
                TicketLink {
                    id: stored_row.id,
                    kind,
                    ticket: linked(&reference, &other),
                    created_at: from_db(stored_row.created_at),
                },
                created,
            ))
        })
    }

    /// Removes a link of a ticket (`rw` on it; the other ticket must be visible, and for
    /// master/slave changeable).
    pub fn remove_ticket_link(
        &self,
        actor: &Principal,
        key: &str,
        link_id: i64,
    ) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            agents_only(&access)?;
            let stored = links::find_by_id(conn, link_id)?
                .filter(|l| l.source_id == row.id || l.target_id == row.id)
                .ok_or(ServiceError::NotFound("link"))?;
            let other = tickets::find_for_update(conn, other_id(&stored, row.id))?
                .filter(|t| access.can_see(&scope(&reference, t)))
                .ok_or(ServiceError::NotFound("link"))?;
            let kind = LinkKind::parse(&stored.kind)
                .map(|k| LinkKind::seen_from(k, stored.source_id == row.id))
                .ok_or_else(|| ServiceError::Internal(format!("link kind {}", stored.kind)))?;
            require(&access, &reference, &row, Right::Rw)?;
            require_other(&access, &reference, kind, &other)?;
            links::delete(conn, stored.id)?;
            history::append(
                conn,
                &[
                    entry(
                        row.id,
                        Some(actor.user_id),
                        HistoryKind::LinkRemoved,
                        Some(format!("{} #{}", kind.as_str(), other.number)),
                        None,
                        now,
                    ),
                    entry(
                        other.id,
                        Some(actor.user_id),
                        HistoryKind::LinkRemoved,
                        Some(format!("{} #{}", kind.reverse().as_str(), row.number)),
                        None,
                        now,
                    ),
                ],
            )?;
            Ok(())
        })
    }

    /// Whether tickets of a queue must wait for their dependencies before closing (agents who
    /// can see the queue).
    pub fn queue_relation_settings(&self, actor: &Principal, queue_id: i64) -> ServiceResult<bool> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let queue = reference
            .queue(queue_id)
            .filter(|q| !access.is_customer() && access.has(q.group_id, Right::Ro))
            .ok_or(ServiceError::NotFound("queue"))?;
        Ok(links::close_needs_dependencies(&mut conn, queue.id)?)
    }

    /// Sets whether tickets of a queue must wait for their dependencies before closing
    /// (administrators and the queue's managers).
    pub fn set_queue_relation_settings(
        &self,
        actor: &Principal,
        queue_id: i64,
        close_needs_dependencies: bool,
    ) -> ServiceResult<bool> {
        let now = self.now();
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let queue = reference
            .queue(queue_id)
            .filter(|q| !access.is_customer() && access.has(q.group_id, Right::Ro))
            .ok_or(ServiceError::NotFound("queue"))?
            .clone();
        if !access.manages(queue.group_id) {
            return Err(ServiceError::Forbidden(
                "this needs an administrator or a manager of the queue".into(),
            ));
        }
        conn.write_transaction(|conn| {
            let before = links::close_needs_dependencies(conn, queue.id)?;
            links::set_close_needs_dependencies(conn, queue.id, close_needs_dependencies)?;
            let change = Change::new("update", "queue_relation_settings", queue.id, &queue.name)
                .before(json!({ "close_needs_dependencies": before }))
                .after(json!({ "close_needs_dependencies": close_needs_dependencies }));
            audit::record(conn, Some(actor), now, change)
        })?;
        log::info!(
            "user {} set close_needs_dependencies={close_needs_dependencies} on queue {}",
            actor.user_id,
            queue.id
        );
        Ok(close_needs_dependencies)
    }
}
