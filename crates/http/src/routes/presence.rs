//! Collision detection: who has a ticket open, and who is writing an answer.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::live::Presence;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{Caller, ValidJson};
use crate::{AppState, blocking};

/// An agent on the ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceDto {
    /// The agent's id.
    pub user_id: i64,
    /// The agent's name.
    pub name: String,
    /// Writing an answer right now.
    pub composing: bool,
    /// Gone unless renewed by then.
    pub expires_at: DateTime<Utc>,
    /// You.
    pub me: bool,
}

impl From<Presence> for PresenceDto {
    fn from(p: Presence) -> Self {
        Self {
            user_id: p.user.id,
            name: p.user.name,
            composing: p.composing,
            expires_at: p.expires_at,
            me: p.me,
        }
    }
}

/// Who is on the ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceList {
    /// Agents whose presence has not expired, you included.
    pub items: Vec<PresenceDto>,
}

/// You have the ticket open.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"composing": true}))]
pub struct PresenceRequest {
    /// You are writing an answer.
    #[serde(default)]
    pub composing: bool,
}

fn list(items: Vec<Presence>) -> web::Json<PresenceList> {
    web::Json(PresenceList {
        items: items.into_iter().map(Into::into).collect(),
    })
}

/// Say that you have a ticket open.
///
/// Renew it about every 30 seconds while the ticket stays open; it expires after 60 seconds.
/// Other agents who can see the ticket get a `presence` event on their stream.
#[utoipa::path(
    tag = "live",
    operation_id = "set_ticket_presence",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    request_body = PresenceRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who is on the ticket now", body = PresenceList),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[put("/tickets/{ticket}/presence")]
pub async fn set_ticket_presence(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: ValidJson<PresenceRequest>,
) -> Result<web::Json<PresenceList>, ApiError> {
    let key = key.into_inner();
    let composing = body.into_inner().composing;
    let items = blocking(&state, move |s| {
        s.set_presence(&caller.0.principal, &key, composing)
    })
    .await?;
    Ok(list(items))
}

/// See who has a ticket open.
#[utoipa::path(
    tag = "live",
    operation_id = "get_ticket_presence",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who is on the ticket now", body = PresenceList),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/presence")]
pub async fn get_ticket_presence(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<web::Json<PresenceList>, ApiError> {
    let key = key.into_inner();
    let items = blocking(&state, move |s| {
        s.ticket_presence(&caller.0.principal, &key)
    })
    .await?;
    Ok(list(items))
}

/// Say that you left a ticket.
#[utoipa::path(
    tag = "live",
    operation_id = "leave_ticket_presence",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Gone"),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[delete("/tickets/{ticket}/presence")]
pub async fn leave_ticket_presence(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    blocking(&state, move |s| s.leave_ticket(&caller.0.principal, &key)).await?;
    Ok(HttpResponse::NoContent().finish())
}
