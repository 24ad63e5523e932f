//! SLAs (agents read them, administrators manage them), the default SLA of each queue, and the
//! SLA state shown on a ticket.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_domain::sla::ClockState;
use vakt_service::sla::{QueueSla, SlaInput, SlaView, TargetState, TicketSla};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson};
use crate::{AppState, blocking};

/// An SLA.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "Standard")]
    pub name: String,
    /// Description.
    pub description: String,
    /// The calendar its business minutes count on.
    pub calendar_id: i64,
    /// Business minutes until the first agent response.
    #[schema(example = 120)]
    pub first_response_minutes: Option<u32>,
    /// Business minutes from the latest customer contact until an agent answers it.
    pub update_minutes: Option<u32>,
    /// Business minutes until the ticket is closed.
    pub solution_minutes: Option<u32>,
    /// Warn when this share of a target's time is used up.
    #[schema(example = 75)]
    pub warning_percent: Option<u8>,
    /// State types whose time does not count.
    #[schema(example = json!(["pending_reminder", "pending_auto"]))]
    pub paused_state_types: Vec<String>,
    /// In force (inactive SLAs apply to no ticket).
    pub active: bool,
    /// Queues with this SLA as their default.
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<SlaView> for SlaResponse {
    fn from(s: SlaView) -> Self {
        Self {
            id: s.id,
            name: s.name,
            description: s.description,
            calendar_id: s.calendar_id,
            first_response_minutes: s.sla.first_response_minutes(),
            update_minutes: s.sla.update_minutes(),
            solution_minutes: s.sla.solution_minutes(),
            warning_percent: s.sla.warning_percent(),
            paused_state_types: s.sla.paused_state_types().map(str::to_owned).collect(),
            active: s.active,
            queue_ids: s.queue_ids,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// All SLAs.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaList {
    /// By name (not paged).
    pub items: Vec<SlaResponse>,
}

/// A new SLA: at least one target.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Standard", "calendar_id": 1, "first_response_minutes": 120, "update_minutes": 480, "solution_minutes": 2400, "warning_percent": 75}))]
pub struct CreateSlaRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// The calendar (must be active).
    pub calendar_id: i64,
    /// Business minutes until the first agent response (1–1,000,000).
    pub first_response_minutes: Option<u32>,
    /// Business minutes from a customer contact until an agent answers it.
    pub update_minutes: Option<u32>,
    /// Business minutes until the ticket is closed.
    pub solution_minutes: Option<u32>,
    /// Warn when this share (1–99 %) of a target's time is used up.
    pub warning_percent: Option<u8>,
    /// State types whose time does not count (default: `pending_reminder`, `pending_auto`).
    #[validate(length(max = 10))]
    pub paused_state_types: Option<Vec<String>>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// Changes to an SLA; omitted fields stay, `null` clears a target or the warning.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"first_response_minutes": 60, "warning_percent": null}))]
pub struct UpdateSlaRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// New calendar (must be active).
    pub calendar_id: Option<i64>,
    /// First-response target; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<u32>)]
    pub first_response_minutes: Option<Option<u32>>,
    /// Update target; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<u32>)]
    pub update_minutes: Option<Option<u32>>,
    /// Solution target; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<u32>)]
    pub solution_minutes: Option<Option<u32>>,
    /// Warning share; `null`: no warnings.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<u8>)]
    pub warning_percent: Option<Option<u8>>,
    /// State types whose time does not count (the whole list).
    #[validate(length(max = 10))]
    pub paused_state_types: Option<Vec<String>>,
    /// Deactivate (`false`: it stops applying to tickets) or reactivate (`true`).
    pub active: Option<bool>,
}

/// A queue's default SLA.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueSlaResponse {
    /// Queue.
    pub queue_id: i64,
    /// The SLA of its tickets that have no service with an SLA.
    pub sla_id: Option<i64>,
}

impl From<QueueSla> for QueueSlaResponse {
    fn from(q: QueueSla) -> Self {
        Self {
            queue_id: q.queue_id,
            sla_id: q.sla_id,
        }
    }
}

/// Sets a queue's default SLA.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sla_id": 1}))]
pub struct SetQueueSlaRequest {
    /// An active SLA, or `null` for none.
    pub sla_id: Option<i64>,
}

/// Whether an SLA clock is ticking.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStateDto {
    /// Counting business time.
    Running,
    /// The ticket is in a state whose time does not count.
    Paused,
    /// Answered, responded to, or closed.
    Stopped,
}

/// One SLA clock of a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaTargetDto {
    /// Running, paused or stopped.
    pub state: ClockStateDto,
    /// When this run of the clock started.
    pub started_at: DateTime<Utc>,
    /// When it stopped.
    pub stopped_at: Option<DateTime<Utc>>,
    /// The deadline (absent while paused before reaching it: the pause moves it).
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning share of the time is used up.
    pub warn_at: Option<DateTime<Utc>>,
    /// Business minutes left (at the stop, for stopped clocks); negative when overdue.
    pub business_minutes_left: i64,
    /// Past the warning time, not yet breached.
    pub warning: bool,
    /// Past the deadline (stopped clocks: stopped after it).
    pub breached: bool,
}

impl From<TargetState> for SlaTargetDto {
    fn from(t: TargetState) -> Self {
        Self {
            state: match t.state {
                ClockState::Running => ClockStateDto::Running,
                ClockState::Paused => ClockStateDto::Paused,
                ClockState::Stopped => ClockStateDto::Stopped,
            },
            started_at: t.started_at,
            stopped_at: t.stopped_at,
            due_at: t.due_at,
            warn_at: t.warn_at,
            business_minutes_left: t.business_minutes_left,
            warning: t.warning,
            breached: t.breached,
        }
    }
}

/// A ticket's SLA state at the moment of reading (agents, single-ticket reads).
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketSlaDto {
    /// The SLA in force (the service's, else the queue's default).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The earliest deadline of a clock that has not stopped.
    pub escalation_at: Option<DateTime<Utc>>,
    /// The earliest warning time of a clock that has not stopped.
    pub warning_at: Option<DateTime<Utc>>,
    /// A clock that has not stopped is past its deadline.
    pub escalated: bool,
    /// First response.
    pub first_response: Option<SlaTargetDto>,
    /// Update.
    pub update: Option<SlaTargetDto>,
    /// Solution.
    pub solution: Option<SlaTargetDto>,
}

impl From<TicketSla> for TicketSlaDto {
    fn from(s: TicketSla) -> Self {
        Self {
            id: s.id,
            name: s.name,
            escalation_at: s.escalation_at,
            warning_at: s.warning_at,
            escalated: s.escalated,
            first_response: s.first_response.map(Into::into),
            update: s.update.map(Into::into),
            solution: s.solution.map(Into::into),
        }
    }
}

/// List SLAs.
#[utoipa::path(
    tag = "slas",
    operation_id = "list_slas",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every SLA", body = SlaList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/slas")]
pub async fn list_slas(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<SlaList>, ApiError> {
    let items = blocking(&state, move |s| s.list_slas(&caller.0.principal)).await?;
    Ok(web::Json(SlaList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create an SLA.
///
/// Targets must be 1–1,000,000 business minutes (`out_of_range`), at least one set
/// (`no_target` on `first_response_minutes`); the warning share 1–99 (`out_of_range`); pausing
/// state types real, non-closed state types (`invalid_state_type`); the calendar active
/// (`not_found`).
#[utoipa::path(
    tag = "slas",
    operation_id = "create_sla",
    request_body = CreateSlaRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = SlaResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/slas")]
pub async fn create_sla(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateSlaRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let input = SlaInput {
        name: Some(b.name),
        description: b.description,
        calendar_id: Some(b.calendar_id),
        first_response_minutes: Some(b.first_response_minutes),
        update_minutes: Some(b.update_minutes),
        solution_minutes: Some(b.solution_minutes),
        warning_percent: Some(b.warning_percent),
        paused_state_types: b.paused_state_types,
        active: b.active,
    };
    let sla = blocking(&state, move |s| s.create_sla(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/slas/{}", sla.id)))
        .json(SlaResponse::from(sla)))
}

/// Get an SLA.
#[utoipa::path(
    tag = "slas",
    operation_id = "get_sla",
    params(("id" = i64, Path, description = "SLA id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The SLA", body = SlaResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such SLA"),
    )
)]
#[get("/slas/{id}")]
pub async fn get_sla(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<SlaResponse>, ApiError> {
    let id = id.into_inner();
    let sla = blocking(&state, move |s| s.get_sla(&caller.0.principal, id)).await?;
    Ok(web::Json(sla.into()))
}

/// Change an SLA.
///
/// SLAs are deactivated (`active: false`: they stop applying; tickets fall back to their
/// queue's default), never deleted. A change of targets, calendar or activity recomputes the
/// open tickets concerned in a background job.
#[utoipa::path(
    tag = "slas",
    operation_id = "update_sla",
    params(("id" = i64, Path, description = "SLA id")),
    request_body = UpdateSlaRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed SLA", body = SlaResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such SLA"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/slas/{id}")]
pub async fn update_sla(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateSlaRequest>,
) -> Result<web::Json<SlaResponse>, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let input = SlaInput {
        name: b.name,
        description: b.description,
        calendar_id: b.calendar_id,
        first_response_minutes: b.first_response_minutes,
        update_minutes: b.update_minutes,
        solution_minutes: b.solution_minutes,
        warning_percent: b.warning_percent,
        paused_state_types: b.paused_state_types,
        active: b.active,
    };
    let sla = blocking(&state, move |s| {
        s.update_sla(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(sla.into()))
}

/// Get a queue's default SLA.
///
/// For administrators and agents with `ro` on the queue.
#[utoipa::path(
    tag = "slas",
    operation_id = "get_queue_sla",
    params(("id" = i64, Path, description = "Queue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue's default SLA", body = QueueSlaResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such queue, or not visible to you"),
    )
)]
#[get("/queues/{id}/sla")]
pub async fn get_queue_sla(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<QueueSlaResponse>, ApiError> {
    let id = id.into_inner();
    let sla = blocking(&state, move |s| s.queue_sla(&caller.0.principal, id)).await?;
    Ok(web::Json(sla.into()))
}

/// Set a queue's default SLA.
///
/// It applies to the queue's tickets without a service that has an SLA; their deadlines are
/// recomputed in a background job.
#[utoipa::path(
    tag = "slas",
    operation_id = "set_queue_sla",
    params(("id" = i64, Path, description = "Queue id")),
    request_body = SetQueueSlaRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue's default SLA", body = QueueSlaResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such queue"),
    )
)]
#[put("/queues/{id}/sla")]
pub async fn set_queue_sla(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<SetQueueSlaRequest>,
) -> Result<web::Json<QueueSlaResponse>, ApiError> {
    let id = id.into_inner();
    let sla_id = body.into_inner().sla_id;
    let sla = blocking(&state, move |s| {
        s.set_queue_sla(&caller.0.principal, id, sla_id)
    })
    .await?;
    Ok(web::Json(sla.into()))
}
