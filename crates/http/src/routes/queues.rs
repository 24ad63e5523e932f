//! Queues: the list with ticket counts (agents), the queues open to customers (customers), and
//! their administration (administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::queues::{QueueCounts, QueueInput, QueueListing, QueueOverview};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, Caller, ValidJson};
use crate::routes::groups::RightDto;
use crate::{AppState, blocking};

/// Tickets of a queue per state type (zeros included).
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueCountsResponse {
    /// State type `new`.
    pub new: i64,
    /// State type `open`.
    pub open: i64,
    /// State type `pending_reminder`.
    pub pending_reminder: i64,
    /// State type `pending_auto`.
    pub pending_auto: i64,
    /// State type `closed`.
    pub closed: i64,
    /// State type `merged`.
    pub merged: i64,
    /// State type `removed`.
    pub removed: i64,
}

impl From<QueueCounts> for QueueCountsResponse {
    fn from(c: QueueCounts) -> Self {
        Self {
            new: c.new,
            open: c.open,
            pending_reminder: c.pending_reminder,
            pending_auto: c.pending_auto,
            closed: c.closed,
            merged: c.merged,
            removed: c.removed,
        }
    }
}

/// A queue with its ticket counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "General")]
    pub name: String,
    /// The group governing access.
    pub group_id: i64,
    /// Parent queue.
    pub parent_id: Option<i64>,
    /// The address mail arrives at and replies go out from.
    #[schema(example = "support@uio.no")]
    pub email_address: Option<String>,
    /// Priority of new tickets unless given.
    pub default_priority_id: Option<i64>,
    /// Customers may open tickets here.
    pub customer_open: bool,
    /// Description.
    pub description: String,
    /// Inactive queues take no new tickets.
    pub active: bool,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
    /// Tickets per state type.
    pub counts: QueueCountsResponse,
    /// Tickets not closed, merged or removed (new + open + pending).
    pub total_open: i64,
}

impl From<QueueOverview> for QueueResponse {
    fn from(overview: QueueOverview) -> Self {
        let q = overview.queue;
        Self {
            id: q.id,
            name: q.name,
            group_id: q.group_id,
            parent_id: q.parent_id,
            email_address: q.email_address,
            default_priority_id: q.default_priority_id,
            customer_open: q.customer_open,
            description: q.description,
            active: q.active,
            created_at: q.created_at,
            updated_at: q.updated_at,
            total_open: overview.counts.total_open(),
            counts: overview.counts.into(),
        }
    }
}

/// A queue a customer may open tickets in.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueChoiceResponse {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "General")]
    pub name: String,
}

/// A queue in the list: agents get the whole queue with counts, customers only id and name.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum QueueListItem {
    /// For agents.
    Agent(QueueResponse),
    /// For customers.
    Customer(QueueChoiceResponse),
}

/// The caller's queues.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueList {
    /// All visible queues, by name (not paged).
    pub items: Vec<QueueListItem>,
}

/// A new queue.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "IT::Printers", "group_id": 1, "parent_id": 1, "email_address": "printers@uio.no", "default_priority_id": 3}))]
pub struct CreateQueueRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// The group governing access.
    pub group_id: i64,
    /// Parent queue.
    pub parent_id: Option<i64>,
    /// Mail address (unique among queues).
    #[validate(length(max = 254))]
    pub email_address: Option<String>,
    /// Priority of new tickets unless given.
    pub default_priority_id: Option<i64>,
    /// Customers may open tickets here (default false).
    pub customer_open: Option<bool>,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// Changes to a queue; omitted fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"parent_id": null, "active": false}))]
pub struct UpdateQueueRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New group.
    pub group_id: Option<i64>,
    /// New parent; `null` makes it a top-level queue.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// New mail address; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub email_address: Option<Option<String>>,
    /// New default priority; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub default_priority_id: Option<Option<i64>>,
    /// Open or close it to customers.
    pub customer_open: Option<bool>,
    /// New description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
}

/// List queues.
///
/// Agents get the queues whose group grants them `ro` (administrators: all), each with its
/// ticket counts per state type, read from maintained counters (cheap at any volume).
/// Customers get the active queues open to customers, with `id` and `name` only.
#[utoipa::path(
    tag = "queues",
    operation_id = "list_queues",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's queues", body = QueueList))
)]
#[get("/queues")]
pub async fn list_queues(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<QueueList>, ApiError> {
    let listing = blocking(&state, move |s| s.list_queues(&caller.0.principal)).await?;
    let items = match listing {
        QueueListing::Agent(queues) => queues
            .into_iter()
            .map(|q| QueueListItem::Agent(q.into()))
            .collect(),
        QueueListing::Customer(queues) => queues
            .into_iter()
            .map(|q| {
                QueueListItem::Customer(QueueChoiceResponse {
                    id: q.id,
                    name: q.name,
                })
            })
            .collect(),
    };
    Ok(web::Json(QueueList { items }))
}

/// A queue and your rights on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyQueueResponse {
    /// Queue id.
    pub id: i64,
    /// Name.
    #[schema(example = "General")]
    pub name: String,
    /// The group governing access.
    pub group_id: i64,
    /// Parent queue.
    pub parent_id: Option<i64>,
    /// Inactive queues take no new tickets.
    pub active: bool,
    /// Your rights here as they take effect: `rw` is spelled out into every right, and every
    /// right implies `ro`. On tickets you own or are responsible for you hold every right.
    #[schema(example = json!(["ro", "create", "note", "owner"]))]
    pub rights: Vec<RightDto>,
}

/// Your queues and rights.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyQueueList {
    /// Every queue on whose group you hold a right, by name (not paged).
    pub items: Vec<MyQueueResponse>,
}

/// List your rights per queue.
///
/// Each queue on whose group you hold any right (directly or through a role), with those
/// rights, so that a client offers only the actions you may take: `create` for new tickets,
/// `move_into` for moves, `note`, `owner`, `steal`, `priority`, `rw`. Any right implies `ro`
/// (seeing the queue's tickets); `rw` implies all. Administrators get every queue with every
/// right. Agents only.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_queues",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your queues and rights", body = MyQueueList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/me/queues")]
pub async fn list_my_queues(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<MyQueueList>, ApiError> {
    let queues = blocking(&state, move |s| s.my_queue_rights(&caller.0.principal)).await?;
    Ok(web::Json(MyQueueList {
        items: queues
            .into_iter()
            .map(|q| MyQueueResponse {
                id: q.queue.id,
                name: q.queue.name,
                group_id: q.queue.group_id,
                parent_id: q.queue.parent_id,
                active: q.queue.active,
                rights: q.rights.into_iter().map(Into::into).collect(),
            })
            .collect(),
    }))
}

/// Create a queue.
#[utoipa::path(
    tag = "queues",
    operation_id = "create_queue",
    request_body = CreateQueueRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = QueueResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name (`name_taken`) or mail address (`email_taken`) is taken"),
    )
)]
#[post("/queues")]
pub async fn create_queue(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateQueueRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = QueueInput {
        name: Some(body.name),
        group_id: Some(body.group_id),
        parent_id: Some(body.parent_id),
        email_address: Some(body.email_address),
        default_priority_id: Some(body.default_priority_id),
        customer_open: body.customer_open,
        description: body.description,
        active: body.active,
    };
    let queue = blocking(&state, move |s| s.create_queue(&caller.0.principal, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/queues/{}", queue.queue.id),
        ))
        .json(QueueResponse::from(queue)))
}

/// Get a queue with its counts.
///
/// For administrators and agents with `ro` on the queue's group; other agents get 404.
#[utoipa::path(
    tag = "queues",
    operation_id = "get_queue",
    params(("id" = i64, Path, description = "Queue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue", body = QueueResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such queue, or not visible to you"),
    )
)]
#[get("/queues/{id}")]
pub async fn get_queue(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<QueueResponse>, ApiError> {
    let id = id.into_inner();
    let queue = blocking(&state, move |s| s.get_queue(&caller.0.principal, id)).await?;
    Ok(web::Json(queue.into()))
}

/// Change a queue.
///
/// Queues are deactivated (`active: false`), never deleted. The parent must exist and must not
/// make the queue its own ancestor (422 `cycle` on `parent_id`).
#[utoipa::path(
    tag = "queues",
    operation_id = "update_queue",
    params(("id" = i64, Path, description = "Queue id")),
    request_body = UpdateQueueRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed queue", body = QueueResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such queue"),
        (status = 409, description = "The name (`name_taken`) or mail address (`email_taken`) is taken"),
    )
)]
#[patch("/queues/{id}")]
pub async fn update_queue(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateQueueRequest>,
) -> Result<web::Json<QueueResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = QueueInput {
        name: body.name,
        group_id: body.group_id,
        parent_id: body.parent_id,
        email_address: body.email_address,
        default_priority_id: body.default_priority_id,
        customer_open: body.customer_open,
        description: body.description,
        active: body.active,
    };
    let queue = blocking(&state, move |s| {
        s.update_queue(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(queue.into()))
}
