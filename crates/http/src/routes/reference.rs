//! Reference data: ticket states, priorities and ticket types (read by users, managed by
//! administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::NamedChanges;
use vakt_service::reference::{Named, State, StateInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, Caller, ValidJson};
pub use crate::routes::tickets::dto::StateTypeDto;
use crate::{AppState, blocking};

/// A ticket state.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "closed successful")]
    pub name: String,
    /// What it means.
    pub state_type: StateTypeDto,
    /// For `pending_auto` states: the state a ticket changes to at its pending time.
    pub next_state_id: Option<i64>,
    /// Offered for new changes.
    pub active: bool,
}

impl From<State> for StateResponse {
    fn from(state: State) -> Self {
        Self {
            id: state.id,
            name: state.name,
            state_type: state.state_type.into(),
            next_state_id: state.next_state_id,
            active: state.active,
        }
    }
}

/// States.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateList {
    /// All states, by id (not paged).
    pub items: Vec<StateResponse>,
}

/// A priority or ticket type.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedResponse {
    /// Id (for priorities: the level, 1 = lowest).
    pub id: i64,
    /// Name (unique).
    #[schema(example = "3 normal")]
    pub name: String,
    /// Offered for new changes.
    pub active: bool,
}

impl From<Named> for NamedResponse {
    fn from(named: Named) -> Self {
        Self {
            id: named.id,
            name: named.name,
            active: named.active,
        }
    }
}

/// Priorities or ticket types.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedList {
    /// All of them, by id (not paged).
    pub items: Vec<NamedResponse>,
}

/// A new state.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "pending auto reopen", "state_type": "pending_auto", "next_state_id": 2}))]
pub struct CreateStateRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// What it means.
    pub state_type: StateTypeDto,
    /// Required for `pending_auto` states (a state that is not pending); absent otherwise.
    pub next_state_id: Option<i64>,
}

/// Changes to a state; omitted fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "closed with workaround"}))]
pub struct UpdateStateRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New type; the state's tickets and the queue counts follow.
    pub state_type: Option<StateTypeDto>,
    /// New next state (`pending_auto` states); `null` clears it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub next_state_id: Option<Option<i64>>,
    /// Deactivate (`false`: not offered any more) or reactivate.
    pub active: Option<bool>,
}

/// A new priority.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": 6, "name": "6 critical"}))]
pub struct CreatePriorityRequest {
    /// The level (1–100, unique): sorting by priority sorts by it.
    pub id: i64,
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
}

/// A new ticket type.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Change request"}))]
pub struct CreateTicketTypeRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
}

/// Changes to a priority or ticket type; omitted fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateNamedRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// Deactivate (`false`: not offered any more) or reactivate.
    pub active: Option<bool>,
}

impl From<UpdateNamedRequest> for NamedChanges {
    fn from(body: UpdateNamedRequest) -> Self {
        NamedChanges {
            name: body.name,
            active: body.active,
        }
    }
}

/// List ticket states.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_states",
    security(("bearer" = [])),
    responses((status = 200, description = "All states", body = StateList))
)]
#[get("/states")]
pub async fn list_states(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<StateList>, ApiError> {
    let states = blocking(&state, |s| s.list_states()).await?;
    Ok(web::Json(StateList {
        items: states.into_iter().map(Into::into).collect(),
    }))
}

/// Create a ticket state.
#[utoipa::path(
    tag = "reference",
    operation_id = "create_state",
    request_body = CreateStateRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = StateResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/states")]
pub async fn create_state(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateStateRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = StateInput {
        name: Some(body.name),
        state_type: Some(body.state_type.into()),
        next_state_id: Some(body.next_state_id),
        active: None,
    };
    let created = blocking(&state, move |s| s.create_state(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/states/{}", created.id)))
        .json(StateResponse::from(created)))
}

/// Change a ticket state.
///
/// States are deactivated, never deleted. Changing the type moves the state's tickets (and the
/// queue counts) along.
#[utoipa::path(
    tag = "reference",
    operation_id = "update_state",
    params(("id" = i64, Path, description = "State id")),
    request_body = UpdateStateRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed state", body = StateResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such state"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/states/{id}")]
pub async fn update_state(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateStateRequest>,
) -> Result<web::Json<StateResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = StateInput {
        name: body.name,
        state_type: body.state_type.map(Into::into),
        next_state_id: body.next_state_id,
        active: body.active,
    };
    let changed = blocking(&state, move |s| {
        s.update_state(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(changed.into()))
}

/// List priorities.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_priorities",
    security(("bearer" = [])),
    responses((status = 200, description = "All priorities, by level", body = NamedList))
)]
#[get("/priorities")]
pub async fn list_priorities(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<NamedList>, ApiError> {
    let priorities = blocking(&state, |s| s.list_priorities()).await?;
    Ok(web::Json(NamedList {
        items: priorities.into_iter().map(Into::into).collect(),
    }))
}

/// Create a priority.
///
/// The body names the level as `id`.
#[utoipa::path(
    tag = "reference",
    operation_id = "create_priority",
    request_body = CreatePriorityRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = NamedResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name (`name_taken`) or level (`level_taken`) is taken"),
    )
)]
#[post("/priorities")]
pub async fn create_priority(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreatePriorityRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let created = blocking(&state, move |s| {
        s.create_priority(&caller.0.principal, body.id, &body.name)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/priorities/{}", created.id),
        ))
        .json(NamedResponse::from(created)))
}

/// Change a priority.
#[utoipa::path(
    tag = "reference",
    operation_id = "update_priority",
    params(("id" = i64, Path, description = "Priority level")),
    request_body = UpdateNamedRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed priority", body = NamedResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such priority"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/priorities/{id}")]
pub async fn update_priority(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateNamedRequest>,
) -> Result<web::Json<NamedResponse>, ApiError> {
    let id = id.into_inner();
    let changes = NamedChanges::from(body.into_inner());
    let changed = blocking(&state, move |s| {
        s.update_priority(&caller.0.principal, id, changes)
    })
    .await?;
    Ok(web::Json(changed.into()))
}

/// List ticket types.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_ticket_types",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All ticket types", body = NamedList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/ticket-types")]
pub async fn list_ticket_types(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<NamedList>, ApiError> {
    let types = blocking(&state, move |s| s.list_ticket_types(&caller.0.principal)).await?;
    Ok(web::Json(NamedList {
        items: types.into_iter().map(Into::into).collect(),
    }))
}

/// Create a ticket type.
#[utoipa::path(
    tag = "reference",
    operation_id = "create_ticket_type",
    request_body = CreateTicketTypeRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = NamedResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/ticket-types")]
pub async fn create_ticket_type(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateTicketTypeRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = body.into_inner().name;
    let created = blocking(&state, move |s| {
        s.create_ticket_type(&caller.0.principal, &name)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/ticket-types/{}", created.id),
        ))
        .json(NamedResponse::from(created)))
}

/// Change a ticket type.
#[utoipa::path(
    tag = "reference",
    operation_id = "update_ticket_type",
    params(("id" = i64, Path, description = "Ticket type id")),
    request_body = UpdateNamedRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed ticket type", body = NamedResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such ticket type"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/ticket-types/{id}")]
pub async fn update_ticket_type(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateNamedRequest>,
) -> Result<web::Json<NamedResponse>, ApiError> {
    let id = id.into_inner();
    let changes = NamedChanges::from(body.into_inner());
    let changed = blocking(&state, move |s| {
        s.update_ticket_type(&caller.0.principal, id, changes)
    })
    .await?;
    Ok(web::Json(changed.into()))
}
