//! Where a user is signed in: their sessions, and ending them.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use vakt_service::identity::sessions::Session;

use crate::error::ApiError;
use crate::extract::{AdminCaller, Caller};
use crate::{AppState, blocking};

/// A signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// Id.
    pub id: i64,
    /// How the user signed in: `password`, `ldap` or `oidc`.
    #[schema(example = "password")]
    pub method: String,
    /// Signed in at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last token refresh (UTC); an open browser refreshes every few minutes.
    pub last_seen_at: DateTime<Utc>,
    /// The client's address at sign-in.
    #[schema(example = "192.0.2.10")]
    pub client_address: Option<String>,
    /// The browser or program at sign-in (its `User-Agent`).
    pub user_agent: Option<String>,
    /// Whether this is the session making the request.
    pub current: bool,
}

impl From<Session> for SessionResponse {
    fn from(s: Session) -> Self {
        Self {
            id: s.id,
            method: s.method,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            client_address: s.client_address,
            user_agent: s.user_agent,
            current: s.current,
        }
    }
}

/// Sessions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// The active sessions.
    pub items: Vec<SessionResponse>,
}

/// How many sessions were ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionsEnded {
    /// The count.
    pub ended: usize,
}

fn list(sessions: Vec<Session>) -> web::Json<SessionList> {
    web::Json(SessionList {
        items: sessions.into_iter().map(Into::into).collect(),
    })
}

/// List my sessions.
///
/// Where the caller is signed in (API tokens are listed at `GET /api/v1/me/tokens`).
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_sessions",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's active sessions", body = SessionList))
)]
#[get("/me/sessions")]
pub async fn list_my_sessions(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<SessionList>, ApiError> {
    Ok(list(
        blocking(&state, move |s| s.list_my_sessions(&caller.0)).await?,
    ))
}

/// End one of my sessions.
///
/// Its refresh token and access tokens stop working at once (ending the current session signs
/// the caller out).
#[utoipa::path(
    tag = "me",
    operation_id = "end_my_session",
    params(("id" = i64, Path, description = "Session id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Ended"),
        (status = 404, description = "No such active session of yours"),
    )
)]
#[delete("/me/sessions/{id}")]
pub async fn end_my_session(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| s.end_my_session(&caller.0, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End all my other sessions.
///
/// Signs the caller out everywhere but here (with an API token: everywhere).
#[utoipa::path(
    tag = "me",
    operation_id = "end_my_other_sessions",
    security(("bearer" = [])),
    responses((status = 200, description = "How many sessions ended", body = SessionsEnded))
)]
#[post("/me/sessions/end-others")]
pub async fn end_my_other_sessions(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<SessionsEnded>, ApiError> {
    let ended = blocking(&state, move |s| s.end_my_other_sessions(&caller.0)).await?;
    Ok(web::Json(SessionsEnded { ended }))
}

/// List a user's sessions.
#[utoipa::path(
    tag = "users",
    operation_id = "list_user_sessions",
    params(("id" = i64, Path, description = "User id (agent or customer)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's active sessions", body = SessionList),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user"),
    )
)]
#[get("/users/{id}/sessions")]
pub async fn list_user_sessions(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<SessionList>, ApiError> {
    let id = id.into_inner();
    Ok(list(
        blocking(&state, move |s| {
            s.list_user_sessions(&caller.0.principal, id)
        })
        .await?,
    ))
}

/// End all of a user's sessions.
///
/// Signs the user out everywhere at once (recorded in the audit log). Their API tokens keep
/// working: deactivate the user to stop those too.
#[utoipa::path(
    tag = "users",
    operation_id = "end_user_sessions",
    params(("id" = i64, Path, description = "User id (agent or customer)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many sessions ended", body = SessionsEnded),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user"),
    )
)]
#[delete("/users/{id}/sessions")]
pub async fn end_user_sessions(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<SessionsEnded>, ApiError> {
    let id = id.into_inner();
    let ended = blocking(&state, move |s| {
        s.end_user_sessions(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(SessionsEnded { ended }))
}
