//! Services: a hierarchy (`IT::Printing`) whose SLA applies to their tickets. Agents read them
//! (ticket forms offer them); administrators manage them.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::sla::{Service, ServiceInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson};
use crate::{AppState, blocking};

/// A service.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    /// Id.
    pub id: i64,
    /// Its own name.
    #[schema(example = "Printing")]
    pub name: String,
    /// The path through its parents, unique.
    #[schema(example = "IT::Printing")]
    pub full_name: String,
    /// Parent service.
    pub parent_id: Option<i64>,
    /// The SLA of its tickets (else their queue's default applies).
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

impl From<Service> for ServiceResponse {
    fn from(s: Service) -> Self {
        Self {
            id: s.id,
            name: s.name,
            full_name: s.full_name,
            parent_id: s.parent_id,
            sla_id: s.sla_id,
            description: s.description,
            active: s.active,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// All services.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    /// By path (not paged).
    pub items: Vec<ServiceResponse>,
}

/// A new service.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Printing", "parent_id": 1, "sla_id": 1}))]
pub struct CreateServiceRequest {
    /// Its own name, without `::` (the path is built from the parents).
    #[validate(length(max = 100))]
    pub name: String,
    /// Parent service.
    pub parent_id: Option<i64>,
    /// SLA of its tickets (must be active).
    pub sla_id: Option<i64>,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// Changes to a service; omitted fields stay, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sla_id": null}))]
pub struct UpdateServiceRequest {
    /// New name (the paths of its descendants follow).
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New parent; `null` makes it top-level.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// New SLA; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub sla_id: Option<Option<i64>>,
    /// New description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
}

/// List services.
#[utoipa::path(
    tag = "slas",
    operation_id = "list_services",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every service", body = ServiceList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/services")]
pub async fn list_services(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<ServiceList>, ApiError> {
    let items = blocking(&state, move |s| s.list_services(&caller.0.principal)).await?;
    Ok(web::Json(ServiceList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a service.
///
/// The parent must exist (`not_found` on `parent_id`); the SLA must be active (`not_found` on
/// `sla_id`); the name must not contain `::`.
#[utoipa::path(
    tag = "slas",
    operation_id = "create_service",
    request_body = CreateServiceRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = ServiceResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "A service with this path exists (`name_taken`)"),
    )
)]
#[post("/services")]
pub async fn create_service(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateServiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = ServiceInput {
        name: Some(body.name),
        parent_id: Some(body.parent_id),
        sla_id: Some(body.sla_id),
        description: body.description,
        active: body.active,
    };
    let service = blocking(&state, move |s| {
        s.create_service(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/services/{}", service.id)))
        .json(ServiceResponse::from(service)))
}

/// Get a service.
#[utoipa::path(
    tag = "slas",
    operation_id = "get_service",
    params(("id" = i64, Path, description = "Service id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The service", body = ServiceResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such service"),
    )
)]
#[get("/services/{id}")]
pub async fn get_service(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ServiceResponse>, ApiError> {
    let id = id.into_inner();
    let service = blocking(&state, move |s| s.get_service(&caller.0.principal, id)).await?;
    Ok(web::Json(service.into()))
}

/// Change a service.
///
/// Services are deactivated, never deleted. Renaming or moving one renames its descendants;
/// moving it under itself is `cycle` on `parent_id`. A new SLA recomputes its open tickets in
/// a background job.
#[utoipa::path(
    tag = "slas",
    operation_id = "update_service",
    params(("id" = i64, Path, description = "Service id")),
    request_body = UpdateServiceRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed service", body = ServiceResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such service"),
        (status = 409, description = "A service with this path exists (`name_taken`)"),
    )
)]
#[patch("/services/{id}")]
pub async fn update_service(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateServiceRequest>,
) -> Result<web::Json<ServiceResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = ServiceInput {
        name: body.name,
        parent_id: body.parent_id,
        sla_id: body.sla_id,
        description: body.description,
        active: body.active,
    };
    let service = blocking(&state, move |s| {
        s.update_service(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(service.into()))
}
