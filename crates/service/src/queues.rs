//! Queues (SPEC §4): the list with per-queue ticket counts for the caller's visible queues,
//! read from the maintained `queue_counts` table (never a count over the tickets), and the
//! administration of queues.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use vakt_domain::rights::Right;
use vakt_domain::ticket::StateType;
use vakt_domain::validation::text_length;
use vakt_domain::{EmailAddress, FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::queues::{self, NewQueue, QueueChanges, QueueRow};
use vakt_persistence::repo::{organisation, tickets};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, unique_violation};

use crate::audit::{self, Change, OrgSnapshot};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::users::{require_admin, require_agent};
use crate::{Services, access};

/// Longest queue name.
pub const MAX_QUEUE_NAME_LENGTH: usize = 100;
/// Longest queue description.
pub const MAX_QUEUE_DESCRIPTION_LENGTH: usize = 2000;

/// A queue as agents see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// The group governing access.
    pub group_id: i64,
    /// Parent queue (hierarchy).
    pub parent_id: Option<i64>,
    /// The address mail arrives at and replies go out from (unique).
    pub email_address: Option<String>,
    /// Priority of new tickets unless given.
    pub default_priority_id: Option<i64>,
    /// Customers may open tickets here.
    pub customer_open: bool,
    /// Description.
    pub description: String,
    /// Inactive queues take no new tickets.
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<QueueRow> for Queue {
    fn from(row: QueueRow) -> Self {
        Queue {
            id: row.id,
            name: row.name,
            group_id: row.group_id,
            parent_id: row.parent_id,
            email_address: row.email_address,
            default_priority_id: row.default_priority_id,
            customer_open: row.customer_open,
            description: row.description,
            active: row.active,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// Tickets of one queue per state type (zeros included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// `new`.
    pub new: i64,
    /// `open`.
    pub open: i64,
    /// `pending_reminder`.
    pub pending_reminder: i64,
    /// `pending_auto`.
    pub pending_auto: i64,
    /// `closed`.
    pub closed: i64,
    /// `merged`.
    pub merged: i64,
    /// `removed`.
    pub removed: i64,
}

impl QueueCounts {
    fn add(&mut self, state_type: StateType, count: i64) {
        let slot = match state_type {
            StateType::New => &mut self.new,
            StateType::Open => &mut self.open,
            StateType::PendingReminder => &mut self.pending_reminder,
            StateType::PendingAuto => &mut self.pending_auto,
            StateType::Closed => &mut self.closed,
            StateType::Merged => &mut self.merged,
            StateType::Removed => &mut self.removed,
        };
        *slot += count;
    }

    /// Tickets still being worked on: new, open and pending (not closed, merged or removed).
    pub fn total_open(&self) -> i64 {
        self.new + self.open + self.pending_reminder + self.pending_auto
    }
}

/// A queue with its ticket counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueOverview {
    /// The queue.
    pub queue: Queue,
    /// Its tickets per state type.
    pub counts: QueueCounts,
}

/// A queue as customers see it: only what they need to choose one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueChoice {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The queue list, shaped by who asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueListing {
    /// Agents: their visible queues with counts.
    Agent(Vec<QueueOverview>),
    /// Customers: active queues open to customers, without counts.
    Customer(Vec<QueueChoice>),
}

/// A queue and the caller's rights on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRights {
    /// The queue.
    pub queue: Queue,
    /// The rights on its group as they take effect (see [`vakt_domain::rights::Access::effective_rights`]).
    pub rights: Vec<Right>,
}

/// A new queue, or changes to one; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct QueueInput {
    /// Name (required for a new queue).
    pub name: Option<String>,
    /// Group (required for a new queue).
    pub group_id: Option<i64>,
    /// Parent queue.
    pub parent_id: Option<Option<i64>>,
    /// Mail address.
    pub email_address: Option<Option<String>>,
    /// Default priority.
    pub default_priority_id: Option<Option<i64>>,
    /// Open to customers.
    pub customer_open: Option<bool>,
    /// Description.
    pub description: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
}

/// Counts per queue id for `queue_ids` (`None`: all queues).
fn load_counts(
    conn: &mut DbConnection,
    queue_ids: Option<&[i64]>,
) -> ServiceResult<HashMap<i64, QueueCounts>> {
    let mut counts: HashMap<i64, QueueCounts> = HashMap::new();
    for (queue_id, state_type, count) in tickets::counts(conn, queue_ids)? {
        match StateType::parse(&state_type) {
            Some(state_type) => counts.entry(queue_id).or_default().add(state_type, count),
            None => log::warn!("queue_counts has unknown state type {state_type:?}"),
        }
    }
    Ok(counts)
}

fn overview(conn: &mut DbConnection, row: QueueRow) -> ServiceResult<QueueOverview> {
    let counts = load_counts(conn, Some(&[row.id]))?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(QueueOverview {
        queue: row.into(),
        counts,
    })
}

/// Maps unique violations: the address index names `email`, the other one is the name.
fn queue_conflict(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(constraint) if constraint.contains("email") => ServiceError::Conflict {
            code: "email_taken",
            detail: "another queue has this email address".into(),
        },
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "a queue with this name exists".into(),
        },
        None => error.into(),
    }
}

/// Field rules that need no database: name, address and description.
fn check_fields(input: &QueueInput, creating: bool) -> ServiceResult<QueueInput> {
    let mut errors = FieldErrors::new();
    let name = match &input.name {
        Some(name) => errors
            .check("name", text_length(name, 1, MAX_QUEUE_NAME_LENGTH))
            .map(|()| name.trim().to_owned()),
        None if creating => {
            errors.add("name", ValidationError::new("required", "is required"));
            None
        }
        None => None,
    };
    if creating && input.group_id.is_none() {
        errors.add("group_id", ValidationError::new("required", "is required"));
    }
    let email_address = match &input.email_address {
        Some(Some(address)) => errors
            .check("email_address", EmailAddress::parse(address))
            .map(|a| Some(String::from(a.as_str()))),
        Some(None) => Some(None),
        None => None,
    };
    if let Some(description) = &input.description {
        errors.check(
            "description",
            text_length(description, 0, MAX_QUEUE_DESCRIPTION_LENGTH),
        );
    }
    errors.into_result()?;
    Ok(QueueInput {
        name,
        email_address,
        description: input.description.as_deref().map(|d| d.trim().to_owned()),
        ..input.clone()
    })
}

/// Rules that need the database: the group, the parent (no cycle) and the priority must exist.
fn check_references(
    conn: &mut DbConnection,
    id: Option<i64>,
    input: &QueueInput,
) -> ServiceResult<()> {
    let reference = Reference::load(conn)?;
    let mut errors = FieldErrors::new();
    let not_found = |what: &str| ValidationError::new("not_found", format!("no such {what}"));
    if let Some(group_id) = input.group_id
        && organisation::find_group(conn, group_id)?.is_none()
    {
        errors.add("group_id", not_found("group"));
    }
    if let Some(Some(priority)) = input.default_priority_id
        && reference.priority(priority).is_none()
    {
        errors.add("default_priority_id", not_found("priority"));
    }
    if let Some(Some(parent)) = input.parent_id {
        if reference.queue(parent).is_none() {
            errors.add("parent_id", not_found("queue"));
        } else if let Some(id) = id
            && ancestors(&reference, parent).contains(&id)
        {
            errors.add(
                "parent_id",
                ValidationError::new("cycle", "would make the queue its own ancestor"),
            );
        }
    }
    errors.into_result().map_err(ServiceError::from)
}

/// `start` and its ancestors (stops at a loop, should the data ever hold one).
fn ancestors(reference: &Reference, start: i64) -> HashSet<i64> {
    let mut seen = HashSet::new();
    let mut next = Some(start);
    while let Some(id) = next {
        if !seen.insert(id) {
            break;
        }
        next = reference.queue(id).and_then(|q| q.parent_id);
    }
    seen
}

impl Services {
    /// The queues on whose group the caller holds any right, by name, each with those rights
    /// (administrators: every queue, every right), so that screens offer only allowed actions.
    /// Agents only.
    pub fn my_queue_rights(&self, actor: &Principal) -> ServiceResult<Vec<QueueRights>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        Ok(queues::list(&mut conn)?
            .into_iter()
            .filter_map(|row| {
                let rights = access.effective_rights(row.group_id);
                (!rights.is_empty()).then(|| QueueRights {
                    queue: row.into(),
                    rights,
                })
            })
            .collect())
    }

    /// The queue list. Agents get the queues whose group grants them `ro` (administrators: all
    /// queues), each with its ticket counts by state type; customers get the active queues open
    /// to customers, with id and name only.
    pub fn list_queues(&self, actor: &Principal) -> ServiceResult<QueueListing> {
        let mut conn = self.conn()?;
        let all = queues::list(&mut conn)?;
        if !actor.is_agent() {
            return Ok(QueueListing::Customer(
                all.into_iter()
                    .filter(|q| q.active && q.customer_open)
                    .map(|q| QueueChoice {
                        id: q.id,
                        name: q.name,
                    })
                    .collect(),
            ));
        }
        let access = access::load(&mut conn, actor)?;
        let visible: Vec<QueueRow> = match access.groups_with(Right::Ro) {
            None => all,
            Some(groups) => all
                .into_iter()
                .filter(|q| groups.contains(&q.group_id))
                .collect(),
        };
        let mut counts = if access.is_admin() {
            load_counts(&mut conn, None)?
        } else if visible.is_empty() {
            HashMap::new()
        } else {
            let ids: Vec<i64> = visible.iter().map(|q| q.id).collect();
            load_counts(&mut conn, Some(&ids))?
        };
        Ok(QueueListing::Agent(
            visible
                .into_iter()
                .map(|q| QueueOverview {
                    counts: counts.remove(&q.id).unwrap_or_default(),
                    queue: q.into(),
                })
                .collect(),
        ))
    }

    /// One queue with its counts: for administrators, and agents with `ro` on its group;
    /// "not found" for other agents, refused for customers.
    pub fn get_queue(&self, actor: &Principal, id: i64) -> ServiceResult<QueueOverview> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        match queues::find(&mut conn, id)? {
            Some(row) if access.has(row.group_id, Right::Ro) => overview(&mut conn, row),
            _ => Err(ServiceError::NotFound("queue")),
        }
    }

    /// Creates a queue (administrators).
    pub fn create_queue(
        &self,
        actor: &Principal,
        input: QueueInput,
    ) -> ServiceResult<QueueOverview> {
        require_admin(actor)?;
        let input = check_fields(&input, true)?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            check_references(conn, None, &input)?;
            let email_address = input.email_address.clone().flatten();
            let new = NewQueue {
                name: input.name.as_deref().unwrap_or_default(),
                group_id: input.group_id.unwrap_or_default(),
                parent_id: input.parent_id.flatten(),
                email_address: email_address.as_deref(),
                default_priority_id: input.default_priority_id.flatten(),
                customer_open: input.customer_open.unwrap_or(false),
                description: input.description.as_deref().unwrap_or_default(),
                created_at: now,
                updated_at: now,
            };
            let row = queues::insert(conn, &new).map_err(queue_conflict)?;
            let row = match input.active {
                Some(false) => queues::update(
                    conn,
                    row.id,
                    &QueueChanges {
                        active: Some(false),
                        ..QueueChanges::default()
                    },
                )?,
                _ => row,
            };
            let change = Change::new("create", "queue", row.id, &row.name).after(row.snapshot());
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        log::info!(
            "user {} created queue {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        overview(&mut conn, row)
    }

    /// Changes a queue (administrators). Queues are deactivated, never deleted.
    pub fn update_queue(
        &self,
        actor: &Principal,
        id: i64,
        input: QueueInput,
    ) -> ServiceResult<QueueOverview> {
        require_admin(actor)?;
        let input = check_fields(&input, false)?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let before = queues::find(conn, id)?.ok_or(ServiceError::NotFound("queue"))?;
            check_references(conn, Some(id), &input)?;
            let changes = QueueChanges {
                name: input.name.clone(),
                group_id: input.group_id,
                parent_id: input.parent_id,
                email_address: input.email_address.clone(),
                default_priority_id: input.default_priority_id,
                customer_open: input.customer_open,
                description: input.description.clone(),
                active: input.active,
                updated_at: Some(now),
            };
            let row = queues::update(conn, id, &changes).map_err(queue_conflict)?;
            let change = Change::new("update", "queue", id, &row.name)
                .before(before.snapshot())
                .after(row.snapshot());
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed queue {id}", actor.user_id);
        overview(&mut conn, row)
    }
}
