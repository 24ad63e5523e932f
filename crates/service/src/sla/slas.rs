//! SLAs and their administration, and the default SLA of each queue. The settings are checked
//! by the domain's `Sla::new`, field by field, so each refusal lands on the field it concerns.

use chrono::{DateTime, Utc};
use vakt_domain::rights::Right;
use vakt_domain::sla::{DEFAULT_PAUSED_STATE_TYPES, Sla, SlaSpec};
use vakt_domain::ticket::StateType;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation::Scope;
use vakt_persistence::repo::sla::{self as sla_repo, NewSla, SlaChanges, SlaRow};
use vakt_persistence::repo::{calendars, queues, services as services_repo};
use vakt_persistence::time::{from_db, to_db};

use super::jobs::enqueue_recompute;
use super::{field_error, name_taken};
use crate::error::{ServiceError, ServiceResult};
use crate::users::{require_admin, require_agent};
use crate::{Services, access};

/// A stored SLA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaView {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Description.
    pub description: String,
    /// The calendar its business minutes count on.
    pub calendar_id: i64,
    /// Targets, warning share, pausing state types.
    pub sla: Sla,
    /// In force (inactive SLAs apply to no ticket and cannot be assigned).
    pub active: bool,
    /// Queues with this SLA as their default.
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// A new SLA, or changes to one; `None` leaves a field, `Some(None)` clears a target.
#[derive(Debug, Clone, Default)]
pub struct SlaInput {
    /// Name (required for a new SLA).
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Calendar (required for a new SLA; must be active).
    pub calendar_id: Option<i64>,
    /// Business minutes until the first response.
    pub first_response_minutes: Option<Option<u32>>,
    /// Business minutes from a customer contact until the update.
    pub update_minutes: Option<Option<u32>>,
    /// Business minutes until the solution.
    pub solution_minutes: Option<Option<u32>>,
    /// Warn at this share (1–99 %); `Some(None)`: no warnings.
    pub warning_percent: Option<Option<u8>>,
    /// State types whose time does not count (default: the pending ones).
    pub paused_state_types: Option<Vec<String>>,
    /// Active.
    pub active: Option<bool>,
}

/// A queue's default SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSla {
    /// Queue.
    pub queue_id: i64,
    /// Its default SLA, if any.
    pub sla_id: Option<i64>,
}

/// Validates `spec` with the domain's constructor; each setting is tried on its own first, so
/// that a refusal names its field.
fn check_spec(spec: &SlaSpec) -> Result<Sla, FieldErrors> {
    let mut errors = FieldErrors::new();
    let base = SlaSpec {
        first_response_minutes: Some(1),
        paused_state_types: Vec::new(),
        ..SlaSpec::default()
    };
    let targets = [
        ("first_response_minutes", spec.first_response_minutes),
        ("update_minutes", spec.update_minutes),
        ("solution_minutes", spec.solution_minutes),
    ];
    for (field, minutes) in targets {
        let mut probe = SlaSpec {
            paused_state_types: Vec::new(),
            ..SlaSpec::default()
        };
        match field {
            "first_response_minutes" => probe.first_response_minutes = minutes,
            "update_minutes" => probe.update_minutes = minutes,
            _ => probe.solution_minutes = minutes,
        }
        if let (Some(_), Err(error)) = (minutes, Sla::new(probe)) {
            errors.add(
                field,
                ValidationError::new("out_of_range", error.to_string()),
            );
        }
    }
    if let Err(error) = Sla::new(SlaSpec {
        warning_percent: spec.warning_percent,
        ..base.clone()
    }) {
        errors.add(
            "warning_percent",
            ValidationError::new("out_of_range", error.to_string()),
        );
    }
    for (i, name) in spec.paused_state_types.iter().enumerate() {
        let field = format!("paused_state_types[{i}]");
        let probe = Sla::new(SlaSpec {
            paused_state_types: vec![name.clone()],
            ..base.clone()
        });
        match (probe, StateType::parse(name.trim())) {
            (Err(error), _) => errors.add(
                field,
                ValidationError::new("invalid_state_type", error.to_string()),
            ),
            (Ok(_), None) => errors.add(
                field,
                ValidationError::new(
                    "invalid_state_type",
                    format!("`{name}` is not a state type"),
                ),
            ),
            (Ok(_), Some(_)) => {}
        }
    }
    errors.into_result()?;
    Sla::new(spec.clone()).map_err(|error| {
        let mut errors = FieldErrors::new();
        let code = if targets.iter().all(|(_, m)| m.is_none()) {
            "no_target"
        } else {
            "invalid"
        };
        errors.add(
            "first_response_minutes",
            ValidationError::new(code, field_error(&error).message),
        );
        errors
    })
}

fn view(conn: &mut DbConnection, row: SlaRow) -> ServiceResult<SlaView> {
    let sla = serde_json::from_str::<Sla>(&row.spec).map_err(|e| {
        ServiceError::Internal(format!("SLA {} has unusable settings: {e}", row.id))
    })?;
    let queue_ids = sla_repo::queue_defaults(conn)?
        .into_iter()
        .filter(|(_, sla)| *sla == row.id)
        .map(|(queue, _)| queue)
        .collect();
    Ok(SlaView {
        id: row.id,
        name: row.name,
        description: row.description,
        calendar_id: row.calendar_id,
        sla,
        active: row.active,
        queue_ids,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

fn check_texts(input: &SlaInput, creating: bool) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(name) => {
            errors.check("name", text_length(name, 1, 100));
        }
        None if creating => errors.add("name", ValidationError::new("required", "is required")),
        None => {}
    }
    if creating && input.calendar_id.is_none() {
        errors.add(
            "calendar_id",
            ValidationError::new("required", "is required"),
        );
    }
    if let Some(description) = &input.description {
        errors.check("description", text_length(description, 0, 2000));
    }
    errors.into_result()
}

fn check_calendar(conn: &mut DbConnection, id: Option<i64>) -> ServiceResult<()> {
    match id {
        Some(id) if !calendars::find(conn, id)?.is_some_and(|c| c.active) => Err(
            ServiceError::invalid("calendar_id", "not_found", "no such active calendar"),
        ),
        _ => Ok(()),
    }
}

/// The settings of `input` over `current`.
fn merged(input: &SlaInput, current: Option<SlaSpec>) -> SlaSpec {
    let mut spec = current.unwrap_or_else(|| SlaSpec {
        paused_state_types: DEFAULT_PAUSED_STATE_TYPES.map(str::to_owned).to_vec(),
        ..SlaSpec::default()
    });
    if let Some(v) = input.first_response_minutes {
        spec.first_response_minutes = v;
    }
    if let Some(v) = input.update_minutes {
        spec.update_minutes = v;
    }
    if let Some(v) = input.solution_minutes {
        spec.solution_minutes = v;
    }
    if let Some(v) = input.warning_percent {
        spec.warning_percent = v;
    }
    if let Some(v) = &input.paused_state_types {
        spec.paused_state_types = v.iter().map(|s| s.trim().to_owned()).collect();
    }
    spec
}

/// Recomputes, in jobs, every open ticket the SLA may concern: those under it, and those whose
/// service or queue names it (so that reactivating it takes effect too).
fn recompute_sla(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> ServiceResult<()> {
    enqueue_recompute(conn, Scope::Sla(id), now)?;
    for service in services_repo::list(conn)?
        .into_iter()
        .filter(|s| s.sla_id == Some(id))
    {
        enqueue_recompute(conn, Scope::Service(service.id), now)?;
    }
    for (queue, sla) in sla_repo::queue_defaults(conn)? {
        if sla == id {
            enqueue_recompute(conn, Scope::Queue(queue), now)?;
        }
    }
    Ok(())
}

impl Services {
    /// Every SLA, by name (agents: ticket forms show them).
    pub fn list_slas(&self, actor: &Principal) -> ServiceResult<Vec<SlaView>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rows = sla_repo::list(&mut conn)?;
        rows.into_iter().map(|row| view(&mut conn, row)).collect()
    }

    /// One SLA (agents).
    pub fn get_sla(&self, actor: &Principal, id: i64) -> ServiceResult<SlaView> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let row = sla_repo::find(&mut conn, id)?.ok_or(ServiceError::NotFound("SLA"))?;
        view(&mut conn, row)
    }

    /// Creates an SLA (administrators).
    pub fn create_sla(&self, actor: &Principal, input: SlaInput) -> ServiceResult<SlaView> {
        require_admin(actor)?;
        check_texts(&input, true)?;
        let sla = check_spec(&merged(&input, None))?;
        let spec =
            serde_json::to_string(&sla).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            check_calendar(conn, input.calendar_id)?;
            sla_repo::insert(
                conn,
                &NewSla {
                    name: input.name.as_deref().unwrap_or_default().trim(),
                    calendar_id: input.calendar_id.unwrap_or_default(),
                    spec: &spec,
                    description: input.description.as_deref().unwrap_or_default().trim(),
                    active: input.active.unwrap_or(true),
                    created_at: now,
                    updated_at: now,
                },
            )
            .map_err(name_taken("SLA"))
        })?;
        log::info!(
            "user {} created SLA {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        view(&mut conn, row)
    }

    /// Changes an SLA (administrators). SLAs are deactivated, never deleted; a change of
    /// targets, calendar or activity recomputes the open tickets concerned, in jobs.
    pub fn update_sla(
        &self,
        actor: &Principal,
        id: i64,
        input: SlaInput,
    ) -> ServiceResult<SlaView> {
        require_admin(actor)?;
        check_texts(&input, false)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let current = sla_repo::find(conn, id)?.ok_or(ServiceError::NotFound("SLA"))?;
            let current_sla = serde_json::from_str::<Sla>(&current.spec).ok();
            let sla = check_spec(&merged(&input, current_sla.as_ref().map(Sla::to_spec)))?;
            if input.calendar_id.is_some_and(|c| c != current.calendar_id) {
                check_calendar(conn, input.calendar_id)?;
            }
            let spec_changed = current_sla.as_ref() != Some(&sla);
            let row = sla_repo::update(
                conn,
                id,
                &SlaChanges {
                    name: input.name.as_deref().map(|n| n.trim().to_owned()),
                    calendar_id: input.calendar_id,
                    spec: spec_changed
                        .then(|| serde_json::to_string(&sla))
                        .transpose()
                        .map_err(|e| ServiceError::Internal(e.to_string()))?,
                    description: input.description.as_deref().map(|d| d.trim().to_owned()),
                    active: input.active,
                    updated_at: Some(to_db(now)),
                },
            )
            .map_err(name_taken("SLA"))?;
            if spec_changed
                || row.calendar_id != current.calendar_id
                || row.active != current.active
            {
                recompute_sla(conn, id, now)?;
            }
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed SLA {id}", actor.user_id);
        view(&mut conn, row)
    }

    /// A queue's default SLA (administrators, and agents with `ro` on the queue).
    pub fn queue_sla(&self, actor: &Principal, queue_id: i64) -> ServiceResult<QueueSla> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        match queues::find(&mut conn, queue_id)? {
            Some(queue) if access.has(queue.group_id, Right::Ro) => Ok(QueueSla {
                queue_id,
                sla_id: sla_repo::queue_default(&mut conn, queue_id)?,
            }),
            _ => Err(ServiceError::NotFound("queue")),
        }
    }

    /// Sets or removes a queue's default SLA (administrators); its open tickets are recomputed
    /// in a job.
    pub fn set_queue_sla(
        &self,
        actor: &Principal,
        queue_id: i64,
        sla_id: Option<i64>,
    ) -> ServiceResult<QueueSla> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            queues::find(conn, queue_id)?.ok_or(ServiceError::NotFound("queue"))?;
            if let Some(id) = sla_id
                && !sla_repo::find(conn, id)?.is_some_and(|s| s.active)
            {
                return Err(ServiceError::invalid(
                    "sla_id",
                    "not_found",
                    "no such active SLA",
                ));
            }
            if sla_repo::queue_default(conn, queue_id)? != sla_id {
                sla_repo::set_queue_default(conn, queue_id, sla_id, to_db(now))?;
                enqueue_recompute(conn, Scope::Queue(queue_id), now)?;
            }
            Ok(QueueSla { queue_id, sla_id })
        })
    }
}
