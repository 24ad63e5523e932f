//! Ownership (take, steal, release), watchers and the history of a ticket.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use vakt_service::PageRequest;
use validator::Validate;

use super::dto::{HistoryList, PageQuery, TicketResponse};
use super::{if_match, ticket_response};
use crate::error::ApiError;
use crate::extract::{Caller, ValidJson, ValidQuery};
use crate::{AppState, blocking};

/// Whom to add as a watcher.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatcherRequest {
    /// The agent (default: yourself).
    pub user_id: Option<i64>,
}

macro_rules! ownership_handler {
    ($name:ident, $path:literal, $op:literal, $method:ident, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
                    tag = "tickets",
                    operation_id = $op,
                    params(
                        ("ticket" = String, Path, description = "Ticket id or number"),
                        ("If-Match" = Option<String>, Header, description = "The ETag you read"),
                    ),
                    security(("bearer" = [])),
                    responses(
                        (status = 200, description = "The ticket", body = TicketResponse),
                        (status = 403, description = "Missing the right"),
                        (status = 404, description = "No such ticket, or not visible to you"),
                        (status = 409, description = "Someone else owns it (`ticket_locked`)"),
                        (status = 412, description = "The ticket changed since you read it"),
                    )
                )]
        #[post($path)]
        pub async fn $name(
            caller: Caller,
            state: web::Data<AppState>,
            req: HttpRequest,
            key: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            let key = key.into_inner();
            let version = if_match(req.headers())?;
            let ticket = blocking(&state, move |s| {
                s.$method(&caller.0.principal, &key, version)
            })
            .await?;
            Ok(ticket_response(actix_web::http::StatusCode::OK, ticket))
        }
    };
}

ownership_handler!(
    take_ticket,
    "/tickets/{ticket}/take",
    "take_ticket",
    take_ticket,
    "Take an unowned ticket (needs `owner`); 409 `ticket_locked` when someone else owns it."
);
ownership_handler!(
    steal_ticket,
    "/tickets/{ticket}/steal",
    "steal_ticket",
    steal_ticket,
    "Take a ticket from its owner (needs `steal`)."
);
ownership_handler!(
    release_ticket,
    "/tickets/{ticket}/release",
    "release_ticket",
    release_ticket,
    "Give up ownership (the owner, or someone with `rw`)."
);

/// Add a watcher.
///
/// Agents add themselves with `ro`; adding another agent needs `rw`.
#[utoipa::path(
    tag = "tickets",
    operation_id = "add_watcher",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    request_body = WatcherRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket with its watchers", body = TicketResponse),
        (status = 403, description = "Missing the right"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[post("/tickets/{ticket}/watchers")]
pub async fn add_watcher(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: ValidJson<WatcherRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let user = body.into_inner().user_id;
    let ticket = blocking(&state, move |s| {
        s.add_watcher(&caller.0.principal, &key, user)
    })
    .await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, ticket))
}

/// Remove a watcher.
#[utoipa::path(
    tag = "tickets",
    operation_id = "remove_watcher",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("user_id" = i64, Path, description = "The watching agent"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket with its watchers", body = TicketResponse),
        (status = 403, description = "Missing the right"),
        (status = 404, description = "No such ticket or watcher"),
    )
)]
#[delete("/tickets/{ticket}/watchers/{user_id}")]
pub async fn remove_watcher(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, user) = path.into_inner();
    let ticket = blocking(&state, move |s| {
        s.remove_watcher(&caller.0.principal, &key, user)
    })
    .await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, ticket))
}

/// A ticket's history.
///
/// Every change, oldest first, append-only (agents who can see the ticket).
#[utoipa::path(
    tag = "tickets",
    operation_id = "ticket_history",
    params(("ticket" = String, Path, description = "Ticket id or number"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of history", body = HistoryList),
        (status = 403, description = "Customers cannot read the history"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/history")]
pub async fn ticket_history(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let key = key.into_inner();
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit.or(Some(100)), query.cursor.as_deref())?;
        s.ticket_history(&caller.0.principal, &key, &page)
    })
    .await?;
    Ok(web::Json(HistoryList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
