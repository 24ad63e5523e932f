//! Agents: the directory (agents) and its administration (administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::UserKind;
use vakt_service::users::{AgentChanges, AgentFilter, NewAgent};
use vakt_service::{PageRequest, User};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson, ValidQuery};
use crate::{AppState, blocking};

/// Agent or customer.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserKindDto {
    /// Staff who work tickets.
    Agent,
    /// Requestors.
    Customer,
}

impl From<UserKind> for UserKindDto {
    fn from(kind: UserKind) -> Self {
        match kind {
            UserKind::Agent => Self::Agent,
            UserKind::Customer => Self::Customer,
        }
    }
}

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    /// Id.
    pub id: i64,
    /// Agent or customer.
    pub kind: UserKindDto,
    /// Email (lower case).
    #[schema(example = "ola.nordmann@uio.no")]
    pub email: String,
    /// Display name.
    #[schema(example = "Ola Nordmann")]
    pub name: String,
    /// Administrator.
    pub is_admin: bool,
    /// Inactive users cannot sign in.
    pub active: bool,
    /// Whether the user has a password.
    pub has_password: bool,
    /// Interface language (`en`, `nl`, `nb`, `de`); absent: the browser's.
    #[schema(example = "nb")]
    pub language: Option<String>,
    /// IANA time zone; absent: the browser's.
    #[schema(example = "Europe/Oslo")]
    pub time_zone: Option<String>,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            kind: user.kind.into(),
            email: user.email,
            name: user.name,
            is_admin: user.is_admin,
            active: user.active,
            has_password: user.has_password,
            language: user.language,
            time_zone: user.time_zone,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    /// This page.
    pub items: Vec<UserResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters and paging for the agent list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Case-insensitive part of the name or email.
    #[validate(length(max = 200))]
    pub search: Option<String>,
    /// Only active (`true`) or inactive (`false`) agents.
    pub active: Option<bool>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A new agent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "kari@uio.no", "name": "Kari Nordmann", "password": "a long passphrase", "is_admin": false}))]
pub struct CreateUserRequest {
    /// Email; unique, case-insensitive.
    #[validate(length(max = 254))]
    pub email: String,
    /// Display name.
    #[validate(length(max = 200))]
    pub name: String,
    /// Initial password (at least 8 characters). Without one the agent cannot sign in yet.
    #[validate(length(max = 1024))]
    pub password: Option<String>,
    /// Administrator (default false).
    #[serde(default)]
    pub is_admin: bool,
}

/// Changes to an agent; omitted fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateUserRequest {
    /// New display name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// New email.
    #[validate(length(max = 254))]
    pub email: Option<String>,
    /// New password; ends the agent's sessions.
    #[validate(length(max = 1024))]
    pub password: Option<String>,
    /// Grant or remove administrator rights.
    pub is_admin: Option<bool>,
    /// Deactivate (`false`) or reactivate (`true`). Deactivation stops the agent's tokens at once.
    pub active: Option<bool>,
}

/// List agents.
///
/// The agent directory, ordered by id, with cursor paging. Any agent may read it (owners are
/// chosen from it); customers may not.
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    params(ListUsersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of agents", body = UserList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/users")]
pub async fn list_users(
    caller: AgentCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListUsersQuery>,
) -> Result<web::Json<UserList>, ApiError> {
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
        let filter = AgentFilter {
            search: query.search,
            active: query.active,
        };
        s.list_agents(&caller.0.principal, &filter, &page)
    })
    .await?;
    Ok(web::Json(UserList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create an agent.
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    request_body = CreateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names the new user", body = UserResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The email is taken (`email_taken`)"),
    )
)]
#[post("/users")]
pub async fn create_user(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = NewAgent {
        email: body.email,
        name: body.name,
        password: body.password,
        is_admin: body.is_admin,
    };
    let user = blocking(&state, move |s| s.create_agent(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .json(UserResponse::from(user)))
}

/// Get an agent.
#[utoipa::path(
    tag = "users",
    operation_id = "get_user",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The agent", body = UserResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such agent"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let user = blocking(&state, move |s| s.get_agent(&caller.0.principal, id)).await?;
    Ok(web::Json(user.into()))
}

/// Change an agent.
///
/// Agents are deactivated, never deleted (tickets and history keep referring to them). A
/// deactivated agent's sessions and API tokens stop working at once. The last active
/// administrator cannot lose administrator rights or be deactivated (`last_admin`).
#[utoipa::path(
    tag = "users",
    operation_id = "update_user",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed agent", body = UserResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such agent"),
        (status = 409, description = "The email is taken (`email_taken`) or this is the last administrator (`last_admin`)"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateUserRequest>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let changes = AgentChanges {
        name: body.name,
        email: body.email,
        password: body.password,
        is_admin: body.is_admin,
        active: body.active,
    };
    let user = blocking(&state, move |s| {
        s.update_agent(&caller.0.principal, id, changes)
    })
    .await?;
    Ok(web::Json(user.into()))
}
