//! Reference data: states, priorities, ticket types, queues and custom field definitions as
//! one snapshot per use case (a few hundred rows at most), and the administration of states,
//! priorities and types.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::custom_fields::ObjectType;
use vakt_domain::ticket::StateType;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::queues::{self, QueueRow};
use vakt_persistence::repo::reference::{
    self, NamedChanges, PriorityRow, StateChanges, StateRow, TicketTypeRow,
};
use vakt_persistence::time::to_db;
use vakt_persistence::unique_violation;

use crate::Services;
use crate::custom_fields::CustomField;
use crate::error::{ServiceError, ServiceResult};
use crate::users::{require_admin, require_agent};

/// A ticket state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it means.
    pub state_type: StateType,
    /// For `pending_auto` states: the state a ticket changes to at its pending time.
    pub next_state_id: Option<i64>,
    /// Offered for new changes.
    pub active: bool,
}

/// A priority or ticket type: id, name, active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Id (for priorities: the level).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Offered for new changes.
    pub active: bool,
}

impl TryFrom<StateRow> for State {
    type Error = ServiceError;
    fn try_from(row: StateRow) -> ServiceResult<Self> {
        Ok(State {
            state_type: StateType::parse(&row.state_type).ok_or_else(|| {
                ServiceError::Internal(format!("state {} has type {:?}", row.id, row.state_type))
            })?,
            id: row.id,
            name: row.name,
            next_state_id: row.next_state_id,
            active: row.active,
        })
    }
}

impl From<PriorityRow> for Named {
    fn from(row: PriorityRow) -> Self {
        Named {
            id: row.id,
            name: row.name,
            active: row.active,
        }
    }
}

impl From<TicketTypeRow> for Named {
    fn from(row: TicketTypeRow) -> Self {
        Named {
            id: row.id,
            name: row.name,
            active: row.active,
        }
    }
}

/// All reference data, loaded at once.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub(crate) states: Vec<State>,
    pub(crate) priorities: Vec<Named>,
    pub(crate) types: Vec<Named>,
    pub(crate) queues: Vec<QueueRow>,
    /// Custom field definitions of every object type, in form order (ADR 0007).
    pub(crate) custom_fields: Vec<CustomField>,
}

/// Snapshots of the reference data this process has read, by the database's reference token
/// (a few per database at most: one process can serve several, e.g. in tests).
static CACHE: Mutex<Vec<(i64, Arc<Reference>)>> = Mutex::new(Vec::new());
/// Most snapshots kept; the oldest is dropped first.
const CACHE_SIZE: usize = 16;

impl Reference {
    /// The current reference data: one small read of the token, and the tables only when
    /// they changed since this process last read them. The token is read first, so a change
    /// that commits in between makes the next call read again rather than keep stale data.
    pub(crate) fn load(conn: &mut DbConnection) -> ServiceResult<Arc<Self>> {
        let token = reference::version(conn)?;
        let cache = || {
            CACHE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((_, snapshot)) = cache().iter().find(|(t, _)| *t == token) {
            return Ok(Arc::clone(snapshot));
        }
        let snapshot = Arc::new(Self::read(conn)?);
        let mut cache = cache();
        if !cache.iter().any(|(t, _)| *t == token) {
            if cache.len() >= CACHE_SIZE {
                cache.remove(0);
            }
            cache.push((token, Arc::clone(&snapshot)));
        }
        Ok(snapshot)
    }

    /// Reads the tables.
    fn read(conn: &mut DbConnection) -> ServiceResult<Self> {
        Ok(Reference {
            states: reference::states(conn)?
                .into_iter()
                .map(State::try_from)
                .collect::<ServiceResult<_>>()?,
            priorities: reference::priorities(conn)?
                .into_iter()
                .map(Named::from)
                .collect(),
            types: reference::ticket_types(conn)?
                .into_iter()
                .map(Named::from)
                .collect(),
            queues: queues::list(conn)?,
            custom_fields: crate::custom_fields::read_all(conn)?,
        })
    }

    /// The custom field definitions of one object type (`None`: all), in form order.
    pub(crate) fn custom_fields_of(&self, object_type: Option<ObjectType>) -> Vec<CustomField> {
        self.custom_fields
            .iter()
            .filter(|f| object_type.is_none_or(|o| f.object_type == o))
            .cloned()
            .collect()
    }

    pub(crate) fn state(&self, id: i64) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    pub(crate) fn priority(&self, id: i64) -> Option<&Named> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub(crate) fn ticket_type(&self, id: i64) -> Option<&Named> {
        self.types.iter().find(|t| t.id == id)
    }

    pub(crate) fn queue(&self, id: i64) -> Option<&QueueRow> {
        self.queues.iter().find(|q| q.id == id)
    }

    /// The state of new tickets: the first active state of type `new`.
    pub(crate) fn initial_state(&self) -> ServiceResult<&State> {
        self.first_of(StateType::New)
    }

    /// The state a customer's follow-up reopens a finished ticket to.
    pub(crate) fn reopen_state(&self) -> ServiceResult<&State> {
        self.first_of(StateType::Open)
    }

    fn first_of(&self, state_type: StateType) -> ServiceResult<&State> {
        self.states
            .iter()
            .find(|s| s.active && s.state_type == state_type)
            .ok_or_else(|| {
                ServiceError::Internal(format!("no active state of type {}", state_type.as_str()))
            })
    }

    /// Ids of the queues owned by `groups` (`None`: all queues).
    pub(crate) fn queues_of_groups(&self, groups: Option<&[i64]>) -> Vec<i64> {
        self.queues
            .iter()
            .filter(|q| groups.is_none_or(|g| g.contains(&q.group_id)))
            .map(|q| q.id)
            .collect()
    }
}

fn name_taken(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "the name is already in use".into(),
        },
        None => error.into(),
    }
}

fn check_name(name: &str) -> Result<String, ServiceError> {
    text_length(name, 1, 100)
        .map_err(|e| ServiceError::Validation(FieldErrors::single("name", e)))?;
    Ok(name.trim().to_owned())
}

/// Input for a new state, or changes to one.
#[derive(Debug, Clone, Default)]
pub struct StateInput {
    /// Name.
    pub name: Option<String>,
    /// Type.
    pub state_type: Option<StateType>,
    /// Next state (pending_auto); `Some(None)` clears.
    pub next_state_id: Option<Option<i64>>,
    /// Active.
    pub active: Option<bool>,
}

impl Services {
    /// All states (agents and customers may read them).
    pub fn list_states(&self) -> ServiceResult<Vec<State>> {
        let mut conn = self.conn()?;
        Ok(Reference::load(&mut conn)?.states.clone())
    }

    /// All priorities.
    pub fn list_priorities(&self) -> ServiceResult<Vec<Named>> {
        let mut conn = self.conn()?;
        Ok(reference::priorities(&mut conn)?
            .into_iter()
            .map(Named::from)
            .collect())
    }

    /// All ticket types.
    pub fn list_ticket_types(&self, actor: &Principal) -> ServiceResult<Vec<Named>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        Ok(reference::ticket_types(&mut conn)?
            .into_iter()
            .map(Named::from)
            .collect())
    }

    /// Creates a state (administrators).
    pub fn create_state(&self, actor: &Principal, input: StateInput) -> ServiceResult<State> {
        require_admin(actor)?;
        let name = check_name(input.name.as_deref().unwrap_or_default())?;
        let state_type = input
            .state_type
            .ok_or_else(|| ServiceError::invalid("state_type", "required", "is required"))?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let next = input.next_state_id.flatten();
            check_next_state(conn, state_type, next)?;
            reference::insert_state(conn, &name, state_type.as_str(), next, now)
                .map_err(name_taken)?
                .try_into()
        })
    }

    /// Changes a state (administrators). Changing its type moves its tickets' counts along.
    pub fn update_state(
        &self,
        actor: &Principal,
        id: i64,
        input: StateInput,
    ) -> ServiceResult<State> {
        require_admin(actor)?;
        let name = input.name.as_deref().map(check_name).transpose()?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let current = Reference::load(conn)?
                .state(id)
                .cloned()
                .ok_or(ServiceError::NotFound("state"))?;
            let state_type = input.state_type.unwrap_or(current.state_type);
            let next = input.next_state_id.unwrap_or(current.next_state_id);
            check_next_state(conn, state_type, next)?;
            let row = reference::update_state(
                conn,
                id,
                &StateChanges {
                    name,
                    state_type: input.state_type.map(|t| t.as_str().to_owned()),
                    next_state_id: input.next_state_id,
                    active: input.active,
                    updated_at: Some(now),
                },
            )
            .map_err(name_taken)?;
            if state_type != current.state_type {
                vakt_persistence::repo::tickets::recount(conn)?;
            }
            row.try_into()
        })
    }

    /// Creates a priority with its level (administrators).
    pub fn create_priority(
        &self,
        actor: &Principal,
        level: i64,
        name: &str,
    ) -> ServiceResult<Named> {
        require_admin(actor)?;
        if !(1..=100).contains(&level) {
            return Err(ServiceError::invalid(
                "id",
                "out_of_range",
                "must be a level between 1 and 100",
            ));
        }
        let name = check_name(name)?;
        let mut conn = self.conn()?;
        let row = reference::insert_priority(&mut conn, level, &name, to_db(self.now())).map_err(
            |e| match unique_violation(&e) {
                Some(c) if c.contains("name") => ServiceError::Conflict {
                    code: "name_taken",
                    detail: "the name is already in use".into(),
                },
                Some(_) => ServiceError::Conflict {
                    code: "level_taken",
                    detail: "a priority with this level exists".into(),
                },
                None => e.into(),
            },
        )?;
        Ok(row.into())
    }

    /// Changes a priority (administrators).
    pub fn update_priority(
        &self,
        actor: &Principal,
        id: i64,
        changes: NamedChanges,
    ) -> ServiceResult<Named> {
        require_admin(actor)?;
        let changes = NamedChanges {
            name: changes.name.as_deref().map(check_name).transpose()?,
            ..changes
        };
        let mut conn = self.conn()?;
        if reference::priorities(&mut conn)?.iter().all(|p| p.id != id) {
            return Err(ServiceError::NotFound("priority"));
        }
        Ok(
            reference::update_priority(&mut conn, id, &changes, to_db(self.now()))
                .map_err(name_taken)?
                .into(),
        )
    }

    /// Creates a ticket type (administrators).
    pub fn create_ticket_type(&self, actor: &Principal, name: &str) -> ServiceResult<Named> {
        require_admin(actor)?;
        let name = check_name(name)?;
        let mut conn = self.conn()?;
        Ok(
            reference::insert_ticket_type(&mut conn, &name, to_db(self.now()))
                .map_err(name_taken)?
                .into(),
        )
    }

    /// Changes a ticket type (administrators).
    pub fn update_ticket_type(
        &self,
        actor: &Principal,
        id: i64,
        changes: NamedChanges,
    ) -> ServiceResult<Named> {
        require_admin(actor)?;
        let changes = NamedChanges {
            name: changes.name.as_deref().map(check_name).transpose()?,
            ..changes
        };
        let mut conn = self.conn()?;
        if reference::ticket_types(&mut conn)?
            .iter()
            .all(|t| t.id != id)
        {
            return Err(ServiceError::NotFound("ticket type"));
        }
        Ok(
            reference::update_ticket_type(&mut conn, id, &changes, to_db(self.now()))
                .map_err(name_taken)?
                .into(),
        )
    }
}

/// A pending_auto state needs a next state that is not itself pending; others need none.
fn check_next_state(
    conn: &mut DbConnection,
    state_type: StateType,
    next: Option<i64>,
) -> ServiceResult<()> {
    match (state_type, next) {
        (StateType::PendingAuto, None) => Err(ServiceError::invalid(
            "next_state_id",
            "required",
            "a pending auto state needs the state to change to",
        )),
        (StateType::PendingAuto, Some(next)) => {
            let reference = Reference::load(conn)?;
            match reference.state(next) {
                Some(target) if !target.state_type.is_pending() => Ok(()),
                Some(_) => Err(ServiceError::invalid(
                    "next_state_id",
                    "invalid",
                    "must not be a pending state",
                )),
                None => Err(ServiceError::Validation(FieldErrors::single(
                    "next_state_id",
                    ValidationError::new("not_found", "no such state"),
                ))),
            }
        }
        (_, Some(_)) => Err(ServiceError::invalid(
            "next_state_id",
            "invalid",
            "only pending auto states have a next state",
        )),
        (_, None) => Ok(()),
    }
}

/// Renders a time for history values.
pub(crate) fn history_time(time: Option<DateTime<Utc>>) -> Option<String> {
    time.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}
