//! Links between tickets, and the queue rule about closing with open dependencies.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_domain::links::LinkKind;
use vakt_service::relations::{LinkedTicket, TicketLink};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{Caller, ValidJson};
use crate::routes::tickets::dto::{IdNameDto, StateRefDto};
use crate::{AppState, blocking};

crate::routes::tickets::dto::wire_mirror! {
    /// A link as seen from the ticket in the path: "this ticket <kind> the other".
    LinkKindDto <=> LinkKind {
        /// This ticket is the other's parent.
        ParentOf,
        /// This ticket is the other's child.
        ChildOf,
        /// This ticket depends on the other (cannot close before it, where the queue says so).
        DependsOn,
        /// The other ticket depends on this one.
        DependedOnBy,
        /// This ticket refers to the other.
        RefersTo,
        /// The other ticket refers to this one.
        ReferredToBy,
        /// This ticket duplicates the other.
        DuplicateOf,
        /// The other ticket duplicates this one.
        DuplicatedBy,
        /// This ticket is the master of the other (its slave).
        MasterOf,
        /// This ticket is a slave of the other.
        SlaveOf,
    }
}

/// The other ticket of a link.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedTicketDto {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// State.
    pub state: StateRefDto,
    /// Queue.
    pub queue: IdNameDto,
}

impl From<LinkedTicket> for LinkedTicketDto {
    fn from(t: LinkedTicket) -> Self {
        Self {
            id: t.id,
            number: t.number,
            title: t.title,
            state: t.state.into(),
            queue: t.queue.into(),
        }
    }
}

/// A link.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDto {
    /// Id (the same from both tickets).
    pub id: i64,
    /// "This ticket <kind> the other".
    pub kind: LinkKindDto,
    /// Whether you can see the other ticket; when not, `ticket` is absent ("a ticket you
    /// cannot see").
    pub visible: bool,
    /// The other ticket.
    pub ticket: Option<LinkedTicketDto>,
    /// Linked at.
    pub created_at: DateTime<Utc>,
}

impl From<TicketLink> for LinkDto {
    fn from(l: TicketLink) -> Self {
        Self {
            id: l.id,
            kind: l.kind.into(),
            visible: l.ticket.is_some(),
            ticket: l.ticket.map(Into::into),
            created_at: l.created_at,
        }
    }
}

/// The links of a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkList {
    /// Oldest first.
    pub items: Vec<LinkDto>,
}

/// A link to add.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "depends_on", "ticket": "2026112410000017"}))]
pub struct CreateLinkRequest {
    /// "This ticket <kind> the other".
    pub kind: LinkKindDto,
    /// The other ticket: id or number.
    #[validate(length(min = 1, max = 40))]
    pub ticket: String,
}

/// List a ticket's links.
///
/// Both directions of every link; a linked ticket you cannot see is listed with `visible:
/// false` and nothing about it.
#[utoipa::path(
    tag = "tickets",
    operation_id = "list_ticket_links",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The links", body = LinkList),
        (status = 403, description = "Customers"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/links")]
pub async fn list_ticket_links(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<web::Json<LinkList>, ApiError> {
    let key = key.into_inner();
    let links = blocking(&state, move |s| s.ticket_links(&caller.0.principal, &key)).await?;
    Ok(web::Json(LinkList {
        items: links.into_iter().map(Into::into).collect(),
    }))
}

/// Link a ticket to another.
///
/// Needs `rw` on this ticket and the other one visible (master/slave: `rw` on both). Each link
/// is stored once and listed from both tickets; parent/child and depends-on links that would
/// form a cycle are refused (422 `link_cycle`). Answers 200 when the link already existed.
#[utoipa::path(
    tag = "tickets",
    operation_id = "create_ticket_link",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    request_body = CreateLinkRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new link", body = LinkDto),
        (status = 200, description = "The link existed already", body = LinkDto),
        (status = 403, description = "Missing the right"),
        (status = 404, description = "No such ticket, or not visible to you"),
        (status = 409, description = "A ticket is merged (`ticket_merged`)"),
        (status = 422, description = "Unknown other ticket, a cycle, a self link, or master/slave rules"),
    )
)]
#[post("/tickets/{ticket}/links")]
pub async fn create_ticket_link(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: ValidJson<CreateLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let body = body.into_inner();
    let (link, created) = blocking(&state, move |s| {
        s.add_ticket_link(&caller.0.principal, &key, body.kind.into(), &body.ticket)
    })
    .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(LinkDto::from(link)))
}

/// Remove a link.
#[utoipa::path(
    tag = "tickets",
    operation_id = "delete_ticket_link",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("link" = i64, Path, description = "Link id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Missing the right"),
        (status = 404, description = "No such ticket or link, or not visible to you"),
    )
)]
#[delete("/tickets/{ticket}/links/{link}")]
pub async fn delete_ticket_link(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, link) = path.into_inner();
    blocking(&state, move |s| {
        s.remove_ticket_link(&caller.0.principal, &key, link)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A queue's relation rules.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueRelationSettings {
    /// A ticket cannot be closed while a ticket it depends on is open (409
    /// `dependencies_open`).
    pub close_needs_dependencies: bool,
}

/// Get a queue's relation rules.
#[utoipa::path(
    tag = "queues",
    operation_id = "get_queue_relation_settings",
    params(("id" = i64, Path, description = "Queue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules", body = QueueRelationSettings),
        (status = 404, description = "No such queue visible to you"),
    )
)]
#[get("/queues/{id}/relation-settings")]
pub async fn get_queue_relation_settings(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<QueueRelationSettings>, ApiError> {
    let id = id.into_inner();
    let value = blocking(&state, move |s| {
        s.queue_relation_settings(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(QueueRelationSettings {
        close_needs_dependencies: value,
    }))
}

/// Set a queue's relation rules (administrators and the queue's managers).
#[utoipa::path(
    tag = "queues",
    operation_id = "set_queue_relation_settings",
    params(("id" = i64, Path, description = "Queue id")),
    request_body = QueueRelationSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules", body = QueueRelationSettings),
        (status = 403, description = "Not an administrator or manager of the queue"),
        (status = 404, description = "No such queue visible to you"),
    )
)]
#[put("/queues/{id}/relation-settings")]
pub async fn set_queue_relation_settings(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<QueueRelationSettings>,
) -> Result<web::Json<QueueRelationSettings>, ApiError> {
    let id = id.into_inner();
    let value = body.into_inner().close_needs_dependencies;
    let value = blocking(&state, move |s| {
        s.set_queue_relation_settings(&caller.0.principal, id, value)
    })
    .await?;
    Ok(web::Json(QueueRelationSettings {
        close_needs_dependencies: value,
    }))
}
