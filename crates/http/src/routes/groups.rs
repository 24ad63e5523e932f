//! Groups and their members: administrators manage groups; a group's queue managers manage
//! its agents (but not the queue-manager flag).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_domain::rights::{Right, RightSet};
use vakt_service::User;
use vakt_service::organisation::{Group, Member, MembershipInput, OrgInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson};
use crate::{AppState, blocking};

/// A right on a group.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RightDto {
    /// See the group's tickets.
    Ro,
    /// Move tickets into the group's queues.
    MoveInto,
    /// Create tickets in the group's queues.
    Create,
    /// Add internal notes.
    Note,
    /// Be (or become) the owner of tickets.
    Owner,
    /// Take a ticket owned by someone else.
    Steal,
    /// Change the priority.
    Priority,
    /// Everything.
    Rw,
}

impl From<RightDto> for Right {
    fn from(right: RightDto) -> Self {
        match right {
            RightDto::Ro => Right::Ro,
            RightDto::MoveInto => Right::MoveInto,
            RightDto::Create => Right::Create,
            RightDto::Note => Right::Note,
            RightDto::Owner => Right::Owner,
            RightDto::Steal => Right::Steal,
            RightDto::Priority => Right::Priority,
            RightDto::Rw => Right::Rw,
        }
    }
}

impl From<Right> for RightDto {
    fn from(right: Right) -> Self {
        match right {
            Right::Ro => RightDto::Ro,
            Right::MoveInto => RightDto::MoveInto,
            Right::Create => RightDto::Create,
            Right::Note => RightDto::Note,
            Right::Owner => RightDto::Owner,
            Right::Steal => RightDto::Steal,
            Right::Priority => RightDto::Priority,
            Right::Rw => RightDto::Rw,
        }
    }
}

/// The set of the listed rights.
pub fn right_set(rights: &[RightDto]) -> RightSet {
    RightSet::of(rights.iter().map(|r| Right::from(*r)))
}

/// The rights of a set, in canonical order.
pub fn right_list(rights: RightSet) -> Vec<RightDto> {
    rights.rights().into_iter().map(Into::into).collect()
}

/// A group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "support")]
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive groups grant nothing.
    pub active: bool,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<Group> for GroupResponse {
    fn from(group: Group) -> Self {
        Self {
            id: group.id,
            name: group.name,
            description: group.description,
            active: group.active,
            created_at: group.created_at,
            updated_at: group.updated_at,
        }
    }
}

/// Groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    /// All groups the caller may see, by name (a short list: not paged).
    pub items: Vec<GroupResponse>,
}

/// A new group.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "support", "description": "First-line support"}))]
pub struct CreateGroupRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// Changes to a group or role; omitted fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateOrgRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Deactivate (`false`: grants nothing any more) or reactivate.
    pub active: Option<bool>,
}

impl From<UpdateOrgRequest> for OrgInput {
    fn from(body: UpdateOrgRequest) -> Self {
        OrgInput {
            name: body.name,
            description: body.description,
            active: body.active,
        }
    }
}

/// A user in a list: who, not everything about them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
}

impl From<User> for UserRef {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            name: user.name,
            email: user.email,
        }
    }
}

/// An agent's direct membership of a group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberResponse {
    /// The agent.
    pub user: UserRef,
    /// Rights granted directly (rights through roles are not listed here).
    pub rights: Vec<RightDto>,
    /// Whether the agent manages this group's members.
    pub queue_manager: bool,
}

impl From<Member> for MemberResponse {
    fn from(member: Member) -> Self {
        Self {
            user: member.user.into(),
            rights: right_list(member.rights),
            queue_manager: member.queue_manager,
        }
    }
}

/// A group's members.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    /// All direct members, by user id.
    pub items: Vec<MemberResponse>,
}

/// Rights to give an agent on a group.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rights": ["ro", "note", "owner"]}))]
pub struct SetMemberRequest {
    /// The rights, replacing the current ones; at least one unless `queue_manager` is true.
    pub rights: Vec<RightDto>,
    /// Queue-manager flag (administrators only; omit to keep the current value).
    pub queue_manager: Option<bool>,
}

/// List groups.
///
/// Administrators see every group; other agents see the groups they manage as queue manager.
#[utoipa::path(
    tag = "groups",
    operation_id = "list_groups",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The groups", body = GroupList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/groups")]
pub async fn list_groups(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<GroupList>, ApiError> {
    let groups = blocking(&state, move |s| s.list_groups(&caller.0.principal)).await?;
    Ok(web::Json(GroupList {
        items: groups.into_iter().map(Into::into).collect(),
    }))
}

/// Create a group.
#[utoipa::path(
    tag = "groups",
    operation_id = "create_group",
    request_body = CreateGroupRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = GroupResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/groups")]
pub async fn create_group(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = OrgInput {
        name: Some(body.name),
        description: body.description,
        active: body.active,
    };
    let group = blocking(&state, move |s| s.create_group(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/groups/{}", group.id)))
        .json(GroupResponse::from(group)))
}

/// Get a group.
///
/// For administrators and the group's queue managers; other agents get 403 whether or not
/// the group exists.
#[utoipa::path(
    tag = "groups",
    operation_id = "get_group",
    params(("id" = i64, Path, description = "Group id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The group", body = GroupResponse),
        (status = 403, description = "Neither an administrator nor a queue manager of the group"),
        (status = 404, description = "No such group"),
    )
)]
#[get("/groups/{id}")]
pub async fn get_group(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<GroupResponse>, ApiError> {
    let id = id.into_inner();
    let group = blocking(&state, move |s| s.get_group(&caller.0.principal, id)).await?;
    Ok(web::Json(group.into()))
}

/// Change a group.
///
/// Groups are deactivated (`active: false`), never deleted; an inactive group grants nothing.
#[utoipa::path(
    tag = "groups",
    operation_id = "update_group",
    params(("id" = i64, Path, description = "Group id")),
    request_body = UpdateOrgRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed group", body = GroupResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such group"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/groups/{id}")]
pub async fn update_group(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateOrgRequest>,
) -> Result<web::Json<GroupResponse>, ApiError> {
    let id = id.into_inner();
    let input = OrgInput::from(body.into_inner());
    let group = blocking(&state, move |s| {
        s.update_group(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(group.into()))
}

/// List a group's members.
///
/// The agents with direct rights on the group. For administrators and the group's queue
/// managers.
#[utoipa::path(
    tag = "groups",
    operation_id = "list_group_members",
    params(("id" = i64, Path, description = "Group id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The members", body = MemberList),
        (status = 403, description = "Neither an administrator nor a queue manager of the group"),
        (status = 404, description = "No such group"),
    )
)]
#[get("/groups/{id}/members")]
pub async fn list_group_members(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<MemberList>, ApiError> {
    let id = id.into_inner();
    let members = blocking(&state, move |s| {
        s.list_group_members(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(MemberList {
        items: members.into_iter().map(Into::into).collect(),
    }))
}

/// Set an agent's rights on a group.
///
/// Adds the agent to the group or replaces their rights. Administrators may do anything. A
/// queue manager of the group may set the rights of other agents, but may not give or take the
/// `queue_manager` flag nor change any queue manager's membership (their own included): 403.
/// Only agents can be members (a customer: 422 on `user_id`).
#[utoipa::path(
    tag = "groups",
    operation_id = "set_group_member",
    params(
        ("id" = i64, Path, description = "Group id"),
        ("user_id" = i64, Path, description = "Agent id"),
    ),
    request_body = SetMemberRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The membership", body = MemberResponse),
        (status = 403, description = "Not allowed to manage this group or this member"),
        (status = 404, description = "No such group or user"),
    )
)]
#[put("/groups/{id}/members/{user_id}")]
pub async fn set_group_member(
    caller: AgentCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: ValidJson<SetMemberRequest>,
) -> Result<web::Json<MemberResponse>, ApiError> {
    let (group_id, user_id) = path.into_inner();
    let body = body.into_inner();
    let input = MembershipInput {
        rights: right_set(&body.rights),
        queue_manager: body.queue_manager,
    };
    let member = blocking(&state, move |s| {
        s.set_group_member(&caller.0.principal, group_id, user_id, input)
    })
    .await?;
    Ok(web::Json(member.into()))
}

/// Remove an agent from a group.
///
/// Takes the agent's direct rights on the group (rights through roles stay). Same rule as
/// setting them: a queue manager cannot remove a queue manager.
#[utoipa::path(
    tag = "groups",
    operation_id = "remove_group_member",
    params(
        ("id" = i64, Path, description = "Group id"),
        ("user_id" = i64, Path, description = "Agent id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not allowed to manage this group or this member"),
        (status = 404, description = "No such group, or the user is not a direct member"),
    )
)]
#[delete("/groups/{id}/members/{user_id}")]
pub async fn remove_group_member(
    caller: AgentCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (group_id, user_id) = path.into_inner();
    blocking(&state, move |s| {
        s.remove_group_member(&caller.0.principal, group_id, user_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
