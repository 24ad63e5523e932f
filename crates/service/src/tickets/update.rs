//! Changing a ticket: each field with its right, its rule and its history entry; ownership
//! (take, steal, give, release) with OTRS's lock semantics (an owner holds the lock).

use chrono::{DateTime, Duration, Utc};
use vakt_domain::rights::{Access, Right};
use vakt_domain::ticket::{HistoryKind, StateType};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, UserKind};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::tickets::{self, TicketChanges as RowChanges, TicketRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use super::customer::{CustomerRef, resolve as resolve_customer};
use super::view::{self, Ticket};
use super::{check_version, require, scope, visible};
use crate::custom_fields::FieldValues;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::{Reference, history_time};
use crate::{Services, access};

/// Longest title.
pub const MAX_TITLE_LENGTH: usize = 255;

/// Changes to a ticket; `None` leaves a field alone, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct TicketChanges {
    /// Title.
    pub title: Option<String>,
    /// Move to this queue (needs `move_into` there).
    pub queue_id: Option<i64>,
    /// New state.
    pub state_id: Option<i64>,
    /// Pending time (required for pending states).
    pub pending_until: Option<Option<DateTime<Utc>>>,
    /// Priority (needs `priority`).
    pub priority_id: Option<i64>,
    /// Type.
    pub type_id: Option<Option<i64>>,
    /// Owner: yourself (take/steal), another agent (give) or nobody (release).
    pub owner_id: Option<Option<i64>>,
    /// Responsible agent.
    pub responsible_id: Option<Option<i64>>,
    /// Customer (by id or email; unknown emails become customers).
    pub customer: Option<Option<CustomerRef>>,
    /// Service (needs `rw`; must be active); `Some(None)` removes it.
    pub service_id: Option<Option<i64>>,
    /// Custom field values to set (`null` clears); keys left out stay. Agents need `rw`;
    /// customers may change the fields they may edit, and nothing else.
    pub custom_fields: Option<FieldValues>,
    /// The version the caller saw (`If-Match`); 412 when the ticket changed since.
    pub expected_version: Option<i64>,
}

impl TicketChanges {
    /// Whether anything besides custom fields is to change.
    fn changes_more_than_fields(&self) -> bool {
        self.title.is_some()
            || self.queue_id.is_some()
            || self.state_id.is_some()
            || self.pending_until.is_some()
            || self.priority_id.is_some()
            || self.type_id.is_some()
            || self.owner_id.is_some()
            || self.responsible_id.is_some()
            || self.customer.is_some()
            || self.service_id.is_some()
    }
}

/// How the owner is to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnerChange {
    /// Become owner of an unowned ticket.
    Take,
    /// Become owner, also of a ticket someone else owns.
    Steal,
    /// Give up ownership.
    Release,
    /// Set to this value (PATCH): decides between take, steal, give and release.
    Set(Option<i64>),
}

/// The changes, history and counter move being planned for one ticket.
pub(crate) struct Plan {
    pub(crate) row: TicketRow,
    pub(crate) changes: RowChanges,
    pub(crate) history: Vec<NewHistory>,
    now: DateTime<Utc>,
    actor: Option<i64>,
}

impl Plan {
    pub(crate) fn new(row: TicketRow, actor: Option<i64>, now: DateTime<Utc>) -> Self {
        Plan {
            row,
            changes: RowChanges::default(),
            history: Vec::new(),
            now,
            actor,
        }
    }

    pub(crate) fn record(
        &mut self,
        kind: HistoryKind,
        old: Option<String>,
        new: Option<String>,
        article_id: Option<i64>,
    ) {
        self.history.push(NewHistory {
            ticket_id: self.row.id,
            actor_id: self.actor,
            kind: kind.as_str().to_owned(),
            old_value: old,
            new_value: new,
            article_id,
            created_at: to_db(self.now),
        });
    }

    pub(crate) fn queue_id(&self) -> i64 {
        self.changes.queue_id.unwrap_or(self.row.queue_id)
    }

    fn state_type(&self) -> String {
        self.changes
            .state_type
            .clone()
            .unwrap_or_else(|| self.row.state_type.clone())
    }

    /// Writes the row (bumping its version), the history and the counters; returns the new row.
    pub(crate) fn commit(mut self, conn: &mut DbConnection) -> ServiceResult<TicketRow> {
        if self.history.is_empty() && self.changes.article_count.is_none() {
            return Ok(self.row);
        }
        self.changes.updated_at = Some(to_db(self.now));
        let from = (self.row.queue_id, self.row.state_type.clone());
        let to = (self.queue_id(), self.state_type());
        let row = tickets::update(conn, self.row.id, &self.changes)?;
        if self.changes.title.is_some() {
            vakt_persistence::search::reindex_ticket(conn, row.id, &row.title, &row.number)?;
        }
        history::append(conn, &self.history)?;
        let row = crate::sla::ticket_changed(conn, &self.row, row, self.actor, self.now)?;
        tickets::move_count(
            conn,
            Some((from.0, from.1.as_str())),
            Some((to.0, to.1.as_str())),
        )?;
        Ok(row)
    }

    /// Sets the state (and pending time), closing or reopening as its type says.
    pub(crate) fn set_state(
        &mut self,
        reference: &Reference,
        state_id: Option<i64>,
        pending_until: Option<Option<DateTime<Utc>>>,
    ) -> ServiceResult<()> {
        let current = reference.state(self.row.state_id).cloned();
        let target_id = state_id.unwrap_or(self.row.state_id);
        let target = reference
            .state(target_id)
            .filter(|s| s.active || Some(s.id) == current.as_ref().map(|c| c.id))
            .cloned()
            .ok_or_else(|| {
                ServiceError::invalid("state_id", "not_found", "no such active state")
            })?;
        let old_pending = self.row.pending_until.map(from_db);
        let pending = if target.state_type.is_pending() {
            let pending = pending_until.unwrap_or(old_pending);
            match pending {
                None => {
                    return Err(ServiceError::invalid(
                        "pending_until",
                        "required",
                        "a pending state needs a pending time",
                    ));
                }
                Some(at) if at < self.now - Duration::minutes(1) && pending_until.is_some() => {
                    return Err(ServiceError::invalid(
                        "pending_until",
                        "in_the_past",
                        "must be in the future",
                    ));
                }
                Some(at) => Some(at),
            }
        } else {
            if matches!(pending_until, Some(Some(_))) {
                return Err(ServiceError::invalid(
                    "pending_until",
                    "not_pending",
                    "only pending states have a pending time",
                ));
            }
            None
        };
        if target.id != self.row.state_id {
            let was_finished = current.as_ref().is_some_and(|c| c.state_type.is_finished());
            self.changes.state_id = Some(target.id);
            self.changes.state_type = Some(target.state_type.as_str().to_owned());
            if target.state_type.is_finished() && !was_finished {
                self.changes.closed_at = Some(Some(to_db(self.now)));
            } else if !target.state_type.is_finished() && was_finished {
                self.changes.closed_at = Some(None);
            }
            self.record(
                HistoryKind::StateChanged,
                current.map(|c| c.name),
                Some(target.name.clone()),
                None,
            );
        }
        if pending != old_pending {
            self.changes.pending_until = Some(pending.map(to_db));
            self.record(
                HistoryKind::PendingChanged,
                history_time(old_pending),
                history_time(pending),
                None,
            );
        }
        Ok(())
    }
}

fn person_name(conn: &mut DbConnection, id: Option<i64>) -> ServiceResult<Option<String>> {
    Ok(match id {
        Some(id) => users::find(conn, id)?.map(|u| u.name),
        None => None,
    })
}

/// Whether `user_id` is an active agent with `right` on `group_id`.
fn agent_has(
    conn: &mut DbConnection,
    user_id: i64,
    group_id: i64,
    right: Right,
) -> ServiceResult<bool> {
    let Some(user) = users::find(conn, user_id)? else {
        return Ok(false);
    };
    if user.kind != UserKind::Agent.as_str() || !user.active {
        return Ok(false);
    }
    let principal = Principal {
        user_id,
        kind: UserKind::Agent,
        is_admin: user.is_admin,
    };
    Ok(access::load(conn, &principal)?.has(group_id, right))
}

/// Plans an owner change.
pub(crate) fn plan_owner(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    plan: &mut Plan,
    change: OwnerChange,
) -> ServiceResult<()> {
    let me = access.principal.user_id;
    let row = plan.row.clone();
    let scope = scope(reference, &row);
    let change = match change {
        OwnerChange::Set(Some(id)) if id == me => {
            if row.owner_id.is_some_and(|o| o != me) {
                OwnerChange::Steal
            } else {
                OwnerChange::Take
            }
        }
        OwnerChange::Set(None) => OwnerChange::Release,
        other => other,
    };
    let new_owner = match change {
        OwnerChange::Take | OwnerChange::Steal if row.owner_id == Some(me) => return Ok(()),
        OwnerChange::Take => match row.owner_id {
            None => {
                require(access, reference, &row, Right::Owner)?;
                Some(me)
            }
            Some(_) => {
                return Err(ServiceError::Conflict {
                    code: "ticket_locked",
                    detail: "someone else owns this ticket; steal it if you have the right".into(),
                });
            }
        },
        OwnerChange::Steal => {
            let right = if row.owner_id.is_some() {
                Right::Steal
            } else {
                Right::Owner
            };
            require(access, reference, &row, right)?;
            Some(me)
        }
        OwnerChange::Release => match row.owner_id {
            None => return Ok(()),
            Some(owner) if owner == me => None,
            Some(_) => {
                require(access, reference, &row, Right::Rw)?;
                None
            }
        },
        OwnerChange::Set(Some(target)) => {
            if row.owner_id == Some(target) {
                return Ok(());
            }
            if row.owner_id != Some(me) {
                require(access, reference, &row, Right::Rw)?;
            }
            let group = reference
                .queue(plan.queue_id())
                .map_or(scope.group_id, |q| q.group_id);
            if !agent_has(conn, target, group, Right::Owner)? {
                return Err(ServiceError::invalid(
                    "owner_id",
                    "not_allowed",
                    "must be an active agent with the owner right on the ticket's queue",
                ));
            }
            Some(target)
        }
        OwnerChange::Set(None) => return Ok(()),
    };
    let old = person_name(conn, row.owner_id)?;
    let new = person_name(conn, new_owner)?;
    plan.changes.owner_id = Some(new_owner);
    plan.record(HistoryKind::OwnerChanged, old, new, None);
    Ok(())
}

impl Services {
    /// Changes a ticket's fields (each with its right), in one transaction with its history.
    pub fn update_ticket(
        &self,
        actor: &Principal,
        key: &str,
        input: TicketChanges,
    ) -> ServiceResult<Ticket> {
        let mut errors = FieldErrors::new();
        let title = input.title.as_deref().and_then(|t| {
            errors
                .check("title", text_length(t, 1, MAX_TITLE_LENGTH))
                .map(|()| t.trim().to_owned())
        });
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            check_version(&row, input.expected_version)?;
            let customer = access.is_customer();
            if customer && (input.changes_more_than_fields() || input.custom_fields.is_none()) {
                return Err(ServiceError::Forbidden(
                    "customers cannot change tickets; reply instead".into(),
                ));
            }
            let mut plan = Plan::new(row.clone(), Some(actor.user_id), now);
            if let Some(title) = title.filter(|t| *t != row.title) {
                require(&access, &reference, &row, Right::Rw)?;
                plan.changes.title = Some(title.clone());
                plan.record(
                    HistoryKind::TitleChanged,
                    Some(row.title.clone()),
                    Some(title),
                    None,
                );
            }
            if let Some(queue_id) = input.queue_id.filter(|q| *q != row.queue_id) {
                let target = reference
                    .queue(queue_id)
                    .filter(|q| q.active)
                    .ok_or_else(|| {
                        ServiceError::invalid("queue_id", "not_found", "no such active queue")
                    })?;
                require(&access, &reference, &row, Right::MoveInto)?;
                if !access.has(target.group_id, Right::MoveInto) {
                    return Err(ServiceError::Forbidden(
                        "this needs the `move_into` right on the target queue".into(),
                    ));
                }
                let old = reference.queue(row.queue_id).map(|q| q.name.clone());
                plan.changes.queue_id = Some(queue_id);
                plan.record(
                    HistoryKind::QueueChanged,
                    old,
                    Some(target.name.clone()),
                    None,
                );
            }
            if input.state_id.is_some_and(|s| s != row.state_id) || input.pending_until.is_some() {
                require(&access, &reference, &row, Right::Rw)?;
                plan.set_state(&reference, input.state_id, input.pending_until)?;
            }
            if let Some(priority_id) = input.priority_id.filter(|p| *p != row.priority_id) {
                require(&access, &reference, &row, Right::Priority)?;
                let target = reference
                    .priority(priority_id)
                    .filter(|p| p.active)
                    .ok_or_else(|| {
                        ServiceError::invalid("priority_id", "not_found", "no such active priority")
                    })?;
                let old = reference.priority(row.priority_id).map(|p| p.name.clone());
                plan.changes.priority_id = Some(priority_id);
                plan.record(
                    HistoryKind::PriorityChanged,
                    old,
                    Some(target.name.clone()),
                    None,
                );
            }
            if let Some(type_id) = input.type_id.filter(|t| *t != row.type_id) {
                require(&access, &reference, &row, Right::Rw)?;
                let new = match type_id {
                    Some(id) => Some(
                        reference
                            .ticket_type(id)
                            .filter(|t| t.active)
                            .ok_or_else(|| {
                                ServiceError::invalid("type_id", "not_found", "no such active type")
                            })?
                            .name
                            .clone(),
                    ),
                    None => None,
                };
                let old = row
                    .type_id
                    .and_then(|id| reference.ticket_type(id))
                    .map(|t| t.name.clone());
                plan.changes.type_id = Some(type_id);
                plan.record(HistoryKind::TypeChanged, old, new, None);
            }
            if let Some(service) = input.service_id.filter(|s| *s != row.service_id) {
                require(&access, &reference, &row, Right::Rw)?;
                let new = crate::sla::check_service(conn, service)?;
                let old = match row.service_id {
                    Some(id) => {
                        vakt_persistence::repo::services::find(conn, id)?.map(|s| s.full_name)
                    }
                    None => None,
                };
                plan.changes.service_id = Some(service);
                plan.record(HistoryKind::ServiceChanged, old, new, None);
            }
            if let Some(owner) = input.owner_id {
                plan_owner(
                    conn,
                    &access,
                    &reference,
                    &mut plan,
                    OwnerChange::Set(owner),
                )?;
            }
            if let Some(responsible) = input.responsible_id.filter(|r| *r != row.responsible_id) {
                require(&access, &reference, &row, Right::Rw)?;
                if let Some(id) = responsible {
                    let group = reference.queue(plan.queue_id()).map_or(-1, |q| q.group_id);
                    if !agent_has(conn, id, group, Right::Ro)? {
                        return Err(ServiceError::invalid(
                            "responsible_id",
                            "not_allowed",
                            "must be an active agent who can see the ticket's queue",
                        ));
                    }
                }
                let (old, new) = (
                    person_name(conn, row.responsible_id)?,
                    person_name(conn, responsible)?,
                );
                plan.changes.responsible_id = Some(responsible);
                plan.record(HistoryKind::ResponsibleChanged, old, new, None);
            }
            if let Some(customer) = &input.customer {
                require(&access, &reference, &row, Right::Rw)?;
                let user = customer
                    .as_ref()
                    .map(|c| resolve_customer(conn, "customer", c, now))
                    .transpose()?;
                let new_id = user.as_ref().map(|u| u.id);
                if new_id != row.customer_id {
                    let old = person_name(conn, row.customer_id)?;
                    plan.changes.customer_id = Some(new_id);
                    plan.changes.company_id = Some(user.as_ref().and_then(|u| u.company_id));
                    plan.record(
                        HistoryKind::CustomerChanged,
                        old,
                        user.map(|u| u.email),
                        None,
                    );
                }
            }
            crate::relations::check_close(
                conn,
                &row,
                plan.queue_id(),
                plan.changes.state_type.as_deref(),
            )?;
            super::fields::plan(
                conn,
                &access,
                &reference,
                &mut plan,
                input.custom_fields.as_ref(),
            )?;
            let after = plan.commit(conn)?;
            crate::relations::after_state_change(
                conn,
                &reference,
                Some(actor.user_id),
                &row,
                &after,
                now,
            )?;
            view::build_one(conn, &reference, &access, after, now)
        })
    }

    /// Takes an unowned ticket (needs `owner`); 409 `ticket_locked` when someone owns it.
    pub fn take_ticket(
        &self,
        actor: &Principal,
        key: &str,
        expected_version: Option<i64>,
    ) -> ServiceResult<Ticket> {
        self.change_owner(actor, key, expected_version, OwnerChange::Take)
    }

    /// Takes a ticket from its owner (needs `steal`).
    pub fn steal_ticket(
        &self,
        actor: &Principal,
        key: &str,
        expected_version: Option<i64>,
    ) -> ServiceResult<Ticket> {
        self.change_owner(actor, key, expected_version, OwnerChange::Steal)
    }

    /// Gives up ownership (the owner; others need `rw`).
    pub fn release_ticket(
        &self,
        actor: &Principal,
        key: &str,
        expected_version: Option<i64>,
    ) -> ServiceResult<Ticket> {
        self.change_owner(actor, key, expected_version, OwnerChange::Release)
    }

    fn change_owner(
        &self,
        actor: &Principal,
        key: &str,
        expected_version: Option<i64>,
        change: OwnerChange,
    ) -> ServiceResult<Ticket> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            check_version(&row, expected_version)?;
            if access.is_customer() {
                return Err(ServiceError::Forbidden(
                    "customers cannot own tickets".into(),
                ));
            }
            let mut plan = Plan::new(row, Some(actor.user_id), now);
            plan_owner(conn, &access, &reference, &mut plan, change)?;
            let row = plan.commit(conn)?;
            view::build_one(conn, &reference, &access, row, now)
        })
    }
}

/// Whether a state type counts as open work (for reopening on follow-ups).
pub(crate) fn is_finished(state_type: &str) -> bool {
    StateType::parse(state_type).is_some_and(StateType::is_finished)
}
