//! Services (SPEC §2, §5): a hierarchy (`IT`, `IT::Printing`) whose paths stay current when a
//! service is renamed or moved, each with an optional SLA for its tickets.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation::Scope;
use vakt_persistence::repo::services::{self, NewService, ServiceChanges, ServiceRow};
use vakt_persistence::repo::sla as sla_repo;
use vakt_persistence::time::{from_db, to_db};

use super::jobs::enqueue_recompute;
use super::name_taken;
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::users::{require_admin, require_agent};

/// Separates the parts of a service path.
pub const SEPARATOR: &str = "::";
/// Longest name part.
pub const MAX_NAME_LENGTH: usize = 100;
/// Longest path.
pub const MAX_FULL_NAME_LENGTH: usize = 500;

/// A service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Id.
    pub id: i64,
    /// Its own name (`Printing`).
    pub name: String,
    /// The path (`IT::Printing`), unique.
    pub full_name: String,
    /// Parent service.
    pub parent_id: Option<i64>,
    /// SLA of its tickets.
    pub sla_id: Option<i64>,
    /// Description.
    pub description: String,
    /// Offered for tickets (tickets keep an inactive service and its SLA).
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<ServiceRow> for Service {
    fn from(row: ServiceRow) -> Self {
        Service {
            id: row.id,
            name: row.name,
            full_name: row.full_name,
            parent_id: row.parent_id,
            sla_id: row.sla_id,
            description: row.description,
            active: row.active,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// A new service, or changes to one; `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    /// Its own name, without `::` (required for a new service).
    pub name: Option<String>,
    /// Parent (`Some(None)`: top level).
    pub parent_id: Option<Option<i64>>,
    /// SLA (must be active).
    pub sla_id: Option<Option<i64>>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
}

fn check_texts(input: &ServiceInput, creating: bool) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(name)
            if errors
                .check("name", text_length(name, 1, MAX_NAME_LENGTH))
                .is_some()
                && name.contains(SEPARATOR) =>
        {
            errors.add(
                "name",
                ValidationError::new("invalid", "must not contain `::`; choose a parent instead"),
            );
        }
        Some(_) => {}
        None if creating => errors.add("name", ValidationError::new("required", "is required")),
        None => {}
    }
    if let Some(description) = &input.description {
        errors.check("description", text_length(description, 0, 2000));
    }
    errors.into_result()
}

/// Checks the parent (exists, no cycle) and the SLA (active); returns every service by id.
fn check_references(
    conn: &mut DbConnection,
    id: Option<i64>,
    input: &ServiceInput,
) -> ServiceResult<HashMap<i64, ServiceRow>> {
    let all: HashMap<i64, ServiceRow> = services::list(conn)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut errors = FieldErrors::new();
    if let Some(Some(parent)) = input.parent_id {
        if !all.contains_key(&parent) {
            errors.add(
                "parent_id",
                ValidationError::new("not_found", "no such service"),
            );
        } else if let Some(id) = id {
            let mut next = Some(parent);
            let mut steps = 0;
            while let Some(current) = next {
                if current == id {
                    errors.add(
                        "parent_id",
                        ValidationError::new("cycle", "would make the service its own ancestor"),
                    );
                    break;
                }
                steps += 1;
                next = all
                    .get(&current)
                    .and_then(|s| s.parent_id)
                    .filter(|_| steps < 1000);
            }
        }
    }
    if let Some(Some(sla)) = input.sla_id
        && !sla_repo::find(conn, sla)?.is_some_and(|s| s.active)
    {
        errors.add(
            "sla_id",
            ValidationError::new("not_found", "no such active SLA"),
        );
    }
    errors.into_result()?;
    Ok(all)
}

fn full_name(
    all: &HashMap<i64, ServiceRow>,
    parent: Option<i64>,
    name: &str,
) -> ServiceResult<String> {
    let full = match parent.and_then(|p| all.get(&p)) {
        Some(parent) => format!("{}{SEPARATOR}{name}", parent.full_name),
        None => name.to_owned(),
    };
    if full.chars().count() > MAX_FULL_NAME_LENGTH {
        return Err(ServiceError::invalid(
            "name",
            "too_long",
            format!("the path must be at most {MAX_FULL_NAME_LENGTH} characters"),
        ));
    }
    Ok(full)
}

/// Gives the descendants of `root` paths under its new path, parents before children.
fn rename_descendants(
    conn: &mut DbConnection,
    all: &mut HashMap<i64, ServiceRow>,
    root: &ServiceRow,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    all.insert(root.id, root.clone());
    let mut queue = vec![root.id];
    while let Some(parent) = queue.pop() {
        let children: Vec<ServiceRow> = all
            .values()
            .filter(|s| s.parent_id == Some(parent))
            .cloned()
            .collect();
        for mut child in children {
            child.full_name = full_name(all, Some(parent), &child.name)?;
            services::set_full_name(conn, child.id, &child.full_name, to_db(now))
                .map_err(name_taken("service"))?;
            queue.push(child.id);
            all.insert(child.id, child);
        }
    }
    Ok(())
}

impl Services {
    /// Every service, by path (agents: ticket forms offer them).
    pub fn list_services(&self, actor: &Principal) -> ServiceResult<Vec<Service>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        Ok(services::list(&mut conn)?
            .into_iter()
            .map(Service::from)
            .collect())
    }

    /// One service (agents).
    pub fn get_service(&self, actor: &Principal, id: i64) -> ServiceResult<Service> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        services::find(&mut conn, id)?
            .map(Service::from)
            .ok_or(ServiceError::NotFound("service"))
    }

    /// Creates a service (administrators).
    pub fn create_service(&self, actor: &Principal, input: ServiceInput) -> ServiceResult<Service> {
        require_admin(actor)?;
        check_texts(&input, true)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let all = check_references(conn, None, &input)?;
            let name = input.name.as_deref().unwrap_or_default().trim().to_owned();
            let parent = input.parent_id.flatten();
            let full = full_name(&all, parent, &name)?;
            services::insert(
                conn,
                &NewService {
                    name: &name,
                    full_name: &full,
                    parent_id: parent,
                    sla_id: input.sla_id.flatten(),
                    description: input.description.as_deref().unwrap_or_default().trim(),
                    active: input.active.unwrap_or(true),
                    created_at: now,
                    updated_at: now,
                },
            )
            .map_err(name_taken("service"))
        })?;
        log::info!(
            "user {} created service {} ({})",
            actor.user_id,
            row.id,
            row.full_name
        );
        Ok(row.into())
    }

    /// Changes a service (administrators). Renaming or moving it renames its descendants; a
    /// change of its SLA recomputes its open tickets in a job. Services are deactivated, never
    /// deleted.
    pub fn update_service(
        &self,
        actor: &Principal,
        id: i64,
        input: ServiceInput,
    ) -> ServiceResult<Service> {
        require_admin(actor)?;
        check_texts(&input, false)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let current = services::find(conn, id)?.ok_or(ServiceError::NotFound("service"))?;
            let mut all = check_references(conn, Some(id), &input)?;
            let name = input
                .name
                .as_deref()
                .map_or(current.name.clone(), |n| n.trim().to_owned());
            let parent = input.parent_id.unwrap_or(current.parent_id);
            let full = full_name(&all, parent, &name)?;
            let renamed = full != current.full_name;
            let row = services::update(
                conn,
                id,
                &ServiceChanges {
                    name: Some(name),
                    full_name: Some(full),
                    parent_id: input.parent_id,
                    sla_id: input.sla_id,
                    description: input.description.as_deref().map(|d| d.trim().to_owned()),
                    active: input.active,
                    updated_at: Some(to_db(now)),
                },
            )
            .map_err(name_taken("service"))?;
            if renamed {
                rename_descendants(conn, &mut all, &row, now)?;
            }
            if row.sla_id != current.sla_id {
                enqueue_recompute(conn, Scope::Service(id), now)?;
            }
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed service {id}", actor.user_id);
        Ok(row.into())
    }
}
