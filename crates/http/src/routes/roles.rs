//! Roles: bundles of group grants given to agents (administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::organisation::{OrgInput, Role, RoleDetail};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::routes::groups::{RightDto, UpdateOrgRequest, right_list, right_set};
use crate::{AppState, blocking};

/// A role.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "1st line")]
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive roles grant nothing.
    pub active: bool,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<Role> for RoleResponse {
    fn from(role: Role) -> Self {
        Self {
            id: role.id,
            name: role.name,
            description: role.description,
            active: role.active,
            created_at: role.created_at,
            updated_at: role.updated_at,
        }
    }
}

/// The rights a role grants on one group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantResponse {
    /// The group.
    pub group_id: i64,
    /// The rights.
    pub rights: Vec<RightDto>,
}

/// A role with its grants and members.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleDetailResponse {
    /// The role.
    #[serde(flatten)]
    pub role: RoleResponse,
    /// Its grants, by group id.
    pub grants: Vec<GrantResponse>,
    /// The agents holding the role, by id.
    pub member_ids: Vec<i64>,
}

impl From<RoleDetail> for RoleDetailResponse {
    fn from(detail: RoleDetail) -> Self {
        Self {
            role: detail.role.into(),
            grants: detail
                .grants
                .into_iter()
                .map(|g| GrantResponse {
                    group_id: g.group_id,
                    rights: right_list(g.rights),
                })
                .collect(),
            member_ids: detail.member_ids,
        }
    }
}

/// Roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    /// All roles, by name (a short list: not paged).
    pub items: Vec<RoleResponse>,
}

/// A new role.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "1st line", "description": "Answers the phone"}))]
pub struct CreateRoleRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// The rights a role grants on a group.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rights": ["ro", "note"]}))]
pub struct SetGrantRequest {
    /// The rights, replacing the current ones; an empty list removes the grant.
    pub rights: Vec<RightDto>,
}

/// List roles.
#[utoipa::path(
    tag = "roles",
    operation_id = "list_roles",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The roles", body = RoleList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/roles")]
pub async fn list_roles(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<RoleList>, ApiError> {
    let roles = blocking(&state, move |s| s.list_roles(&caller.0.principal)).await?;
    Ok(web::Json(RoleList {
        items: roles.into_iter().map(Into::into).collect(),
    }))
}

/// Create a role.
#[utoipa::path(
    tag = "roles",
    operation_id = "create_role",
    request_body = CreateRoleRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = RoleDetailResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/roles")]
pub async fn create_role(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = OrgInput {
        name: Some(body.name),
        description: body.description,
        active: body.active,
    };
    let role = blocking(&state, move |s| s.create_role(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/roles/{}", role.role.id)))
        .json(RoleDetailResponse::from(role)))
}

/// Get a role with its grants and members.
#[utoipa::path(
    tag = "roles",
    operation_id = "get_role",
    params(("id" = i64, Path, description = "Role id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The role", body = RoleDetailResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such role"),
    )
)]
#[get("/roles/{id}")]
pub async fn get_role(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<RoleDetailResponse>, ApiError> {
    let id = id.into_inner();
    let role = blocking(&state, move |s| s.get_role(&caller.0.principal, id)).await?;
    Ok(web::Json(role.into()))
}

/// Change a role.
///
/// Roles are deactivated (`active: false`), never deleted; an inactive role grants nothing.
#[utoipa::path(
    tag = "roles",
    operation_id = "update_role",
    params(("id" = i64, Path, description = "Role id")),
    request_body = UpdateOrgRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed role", body = RoleDetailResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such role"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/roles/{id}")]
pub async fn update_role(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateOrgRequest>,
) -> Result<web::Json<RoleDetailResponse>, ApiError> {
    let id = id.into_inner();
    let input = OrgInput::from(body.into_inner());
    let role = blocking(&state, move |s| {
        s.update_role(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(role.into()))
}

/// Set a role's rights on a group.
///
/// Replaces the rights the role grants on the group; an empty list removes the grant.
#[utoipa::path(
    tag = "roles",
    operation_id = "set_role_grant",
    params(
        ("id" = i64, Path, description = "Role id"),
        ("group_id" = i64, Path, description = "Group id"),
    ),
    request_body = SetGrantRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The role with its grants", body = RoleDetailResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such role or group"),
    )
)]
#[put("/roles/{id}/grants/{group_id}")]
pub async fn set_role_grant(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: ValidJson<SetGrantRequest>,
) -> Result<web::Json<RoleDetailResponse>, ApiError> {
    let (role_id, group_id) = path.into_inner();
    let rights = right_set(&body.into_inner().rights);
    let role = blocking(&state, move |s| {
        s.set_role_grant(&caller.0.principal, role_id, group_id, rights)
    })
    .await?;
    Ok(web::Json(role.into()))
}

/// Give a role to an agent.
///
/// Idempotent. Only agents can hold roles (a customer: 422 on `user_id`).
#[utoipa::path(
    tag = "roles",
    operation_id = "add_role_member",
    params(
        ("id" = i64, Path, description = "Role id"),
        ("user_id" = i64, Path, description = "Agent id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The agent holds the role"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such role or user"),
        (status = 422, description = "The user is not an agent (`user_id`)"),
    )
)]
#[put("/roles/{id}/members/{user_id}")]
pub async fn add_role_member(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (role_id, user_id) = path.into_inner();
    blocking(&state, move |s| {
        s.set_role_member(&caller.0.principal, role_id, user_id, true)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Take a role from an agent.
#[utoipa::path(
    tag = "roles",
    operation_id = "remove_role_member",
    params(
        ("id" = i64, Path, description = "Role id"),
        ("user_id" = i64, Path, description = "Agent id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The agent no longer holds the role"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such role, or the user does not hold it"),
    )
)]
#[delete("/roles/{id}/members/{user_id}")]
pub async fn remove_role_member(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (role_id, user_id) = path.into_inner();
    blocking(&state, move |s| {
        s.set_role_member(&caller.0.principal, role_id, user_id, false)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
