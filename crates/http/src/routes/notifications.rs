//! The signed-in agent's in-app notifications and notification preferences.

use actix_web::{get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::notifications::{Notification, Preference, PreferenceInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AgentCaller, ValidJson, ValidQuery};
use crate::routes::tickets::dto::PersonDto;
use crate::{AppState, blocking};

/// The ticket a notification is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationTicketDto {
    /// Id.
    pub id: i64,
    /// Number.
    #[schema(example = "2026112410000017")]
    pub number: String,
    /// Title.
    pub title: String,
}

/// An in-app notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationResponse {
    /// Id.
    pub id: i64,
    /// `ticket_created`, `customer_follow_up`, `owner_changed`, `queue_moved`,
    /// `escalation_warning`, `escalation_breach`, `reminder_due` or `mentioned`.
    #[schema(example = "customer_follow_up")]
    pub event: String,
    /// The ticket.
    pub ticket: NotificationTicketDto,
    /// Who caused it (absent: Vakt itself, e.g. an escalation).
    pub actor: Option<PersonDto>,
    /// Subject, in your language.
    pub subject: String,
    /// Text, in your language.
    pub body: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Read at (absent: unread).
    pub read_at: Option<DateTime<Utc>>,
}

impl From<Notification> for NotificationResponse {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id,
            event: n.event,
            ticket: NotificationTicketDto {
                id: n.ticket.id,
                number: n.ticket.number,
                title: n.ticket.title,
            },
            actor: n.actor.map(Into::into),
            subject: n.subject,
            body: n.body,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// A page of notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub items: Vec<NotificationResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Your unread notifications in all (for the bell).
    pub unread_count: i64,
}

/// Filters of the notification list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListNotificationsQuery {
    /// Only unread ones.
    #[serde(default)]
    pub unread: bool,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// How many notifications were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    /// Notifications that were unread.
    pub marked: usize,
}

/// Your channels for one event.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PreferenceDto {
    /// The event.
    #[schema(example = "ticket_created")]
    pub event: String,
    /// By email.
    pub email: bool,
    /// In the application (the bell and the live stream).
    pub in_app: bool,
    /// What the administrators' rule gives when you do not choose.
    pub default_email: bool,
    /// Same, in-app.
    pub default_in_app: bool,
    /// You chose (else the defaults apply and follow the rule).
    pub customized: bool,
}

impl From<Preference> for PreferenceDto {
    fn from(p: Preference) -> Self {
        Self {
            event: p.event.as_str().to_owned(),
            email: p.email,
            in_app: p.in_app,
            default_email: p.default_email,
            default_in_app: p.default_in_app,
            customized: p.customized,
        }
    }
}

/// Your channels for every agent event.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferenceList {
    /// One per event.
    pub items: Vec<PreferenceDto>,
}

/// Your choice for one event.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceRequest {
    /// The event.
    #[validate(length(max = 100))]
    pub event: String,
    /// By email.
    pub email: bool,
    /// In the application.
    pub in_app: bool,
}

/// Your choices; events not listed follow the administrators' rules.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"items": [{"event": "ticket_created", "email": false, "in_app": true}]}))]
pub struct PreferencesRequest {
    /// At most one per event.
    #[validate(nested, length(max = 50))]
    pub items: Vec<PreferenceRequest>,
}

/// List your notifications.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_my_notifications",
    params(ListNotificationsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of your notifications, newest first", body = NotificationList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/me/notifications")]
pub async fn list_my_notifications(
    caller: AgentCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListNotificationsQuery>,
) -> Result<web::Json<NotificationList>, ApiError> {
    let q = query.into_inner();
    let list = blocking(&state, move |s| {
        let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
        s.list_notifications(&caller.0.principal, q.unread, &page)
    })
    .await?;
    Ok(web::Json(NotificationList {
        items: list.page.items.into_iter().map(Into::into).collect(),
        next_cursor: list.page.next_cursor,
        unread_count: list.unread_count,
    }))
}

/// Mark a notification read.
#[utoipa::path(
    tag = "notifications",
    operation_id = "mark_notification_read",
    params(("id" = i64, Path, description = "Notification id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The notification, read", body = NotificationResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such notification of yours"),
    )
)]
#[post("/me/notifications/{id}/read")]
pub async fn mark_notification_read(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<NotificationResponse>, ApiError> {
    let id = id.into_inner();
    let read = blocking(&state, move |s| {
        s.mark_notification_read(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(read.into()))
}

/// Mark all your notifications read.
#[utoipa::path(
    tag = "notifications",
    operation_id = "mark_all_notifications_read",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many were unread", body = MarkedRead),
        (status = 403, description = "Not an agent"),
    )
)]
#[post("/me/notifications/read-all")]
pub async fn mark_all_notifications_read(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<MarkedRead>, ApiError> {
    let marked = blocking(&state, move |s| {
        s.mark_all_notifications_read(&caller.0.principal)
    })
    .await?;
    Ok(web::Json(MarkedRead { marked }))
}

/// Get your notification preferences.
#[utoipa::path(
    tag = "notifications",
    operation_id = "get_my_notification_preferences",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your channels per event", body = PreferenceList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/me/notification-preferences")]
pub async fn get_my_notification_preferences(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<PreferenceList>, ApiError> {
    let items = blocking(&state, move |s| {
        s.notification_preferences(&caller.0.principal)
    })
    .await?;
    Ok(web::Json(PreferenceList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Replace your notification preferences.
#[utoipa::path(
    tag = "notifications",
    operation_id = "set_my_notification_preferences",
    request_body = PreferencesRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your channels per event", body = PreferenceList),
        (status = 403, description = "Not an agent"),
    )
)]
#[put("/me/notification-preferences")]
pub async fn set_my_notification_preferences(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<PreferencesRequest>,
) -> Result<web::Json<PreferenceList>, ApiError> {
    let input: Vec<PreferenceInput> = body
        .into_inner()
        .items
        .into_iter()
        .map(|p| PreferenceInput {
            event: p.event,
            email: p.email,
            in_app: p.in_app,
        })
        .collect();
    let items = blocking(&state, move |s| {
        s.set_notification_preferences(&caller.0.principal, input)
    })
    .await?;
    Ok(web::Json(PreferenceList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}
