//! RT-style reminders: small to-dos on a ticket with an owner and a due time, and the caller's
//! open reminders across tickets.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::sla::{MyReminder, Reminder, ReminderInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{Caller, ValidJson, ValidQuery};
use crate::routes::tickets::dto::{PageQuery, PersonDto};
use crate::{AppState, blocking};

/// A reminder.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderResponse {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// The agent to remind.
    pub owner: PersonDto,
    /// What to do.
    #[schema(example = "Call Ola back about the printer")]
    pub subject: String,
    /// When.
    pub due_at: DateTime<Utc>,
    /// Done.
    pub done: bool,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
    /// When its due time was recorded in the ticket's history (`ticket_reminder_due`).
    pub notified_at: Option<DateTime<Utc>>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<Reminder> for ReminderResponse {
    fn from(r: Reminder) -> Self {
        Self {
            id: r.id,
            ticket_id: r.ticket_id,
            owner: r.owner.into(),
            subject: r.subject,
            due_at: r.due_at,
            done: r.done,
            done_at: r.done_at,
            notified_at: r.notified_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A page of a ticket's reminders.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderList {
    /// This page (by id).
    pub items: Vec<ReminderResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// One of my reminders, with its ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyReminderResponse {
    /// The reminder.
    #[serde(flatten)]
    pub reminder: ReminderResponse,
    /// The ticket's number.
    pub ticket_number: String,
    /// The ticket's title.
    pub ticket_title: String,
}

impl From<MyReminder> for MyReminderResponse {
    fn from(m: MyReminder) -> Self {
        Self {
            reminder: m.reminder.into(),
            ticket_number: m.ticket_number,
            ticket_title: m.ticket_title,
        }
    }
}

/// A page of my reminders.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyReminderList {
    /// This page (soonest first).
    pub items: Vec<MyReminderResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A new reminder.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "Call Ola back about the printer", "due_at": "2026-11-27T09:00:00Z"}))]
pub struct CreateReminderRequest {
    /// What to do.
    #[validate(length(max = 255))]
    pub subject: String,
    /// When.
    pub due_at: DateTime<Utc>,
    /// The agent to remind (default: you); must be able to see the ticket.
    pub owner_id: Option<i64>,
}

/// Changes to a reminder.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"done": true}))]
pub struct UpdateReminderRequest {
    /// New subject.
    #[validate(length(max = 255))]
    pub subject: Option<String>,
    /// New due time (it is recorded again when it comes).
    pub due_at: Option<DateTime<Utc>>,
    /// New owner (an agent who can see the ticket).
    pub owner_id: Option<i64>,
    /// Done (`true`) or reopened (`false`).
    pub done: Option<bool>,
}

/// Filter and paging of my reminders.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MyRemindersQuery {
    /// Only reminders due before this (RFC 3339; encode `+` as `%2B`).
    pub due_before: Option<DateTime<Utc>>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List a ticket's reminders.
///
/// For agents who can see the ticket; customers get 403.
#[utoipa::path(
    tag = "tickets",
    operation_id = "list_reminders",
    params(("ticket" = String, Path, description = "Ticket id or number"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of reminders", body = ReminderList),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/reminders")]
pub async fn list_reminders(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<ReminderList>, ApiError> {
    let key = key.into_inner();
    let PageQuery { limit, cursor } = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(limit, cursor.as_deref())?;
        s.list_reminders(&caller.0.principal, &key, &page)
    })
    .await?;
    Ok(web::Json(ReminderList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Add a reminder to a ticket.
///
/// For agents who can see the ticket. The owner (default: you) must be an active agent who
/// can see it (`not_allowed` on `owner_id`). When the due time comes, the ticket's history gets
/// `ticket_reminder_due` once.
#[utoipa::path(
    tag = "tickets",
    operation_id = "create_reminder",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    request_body = CreateReminderRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = ReminderResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[post("/tickets/{ticket}/reminders")]
pub async fn create_reminder(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: ValidJson<CreateReminderRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let b = body.into_inner();
    let input = ReminderInput {
        subject: Some(b.subject),
        due_at: Some(b.due_at),
        owner_id: b.owner_id,
        done: None,
    };
    let reminder = blocking(&state, move |s| {
        s.create_reminder(&caller.0.principal, &key, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!(
                "/api/v1/tickets/{}/reminders/{}",
                reminder.ticket_id, reminder.id
            ),
        ))
        .json(ReminderResponse::from(reminder)))
}

/// Change a reminder.
#[utoipa::path(
    tag = "tickets",
    operation_id = "update_reminder",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("id" = i64, Path, description = "Reminder id"),
    ),
    request_body = UpdateReminderRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed reminder", body = ReminderResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket or reminder visible to you"),
    )
)]
#[patch("/tickets/{ticket}/reminders/{id}")]
pub async fn update_reminder(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    body: ValidJson<UpdateReminderRequest>,
) -> Result<web::Json<ReminderResponse>, ApiError> {
    let (key, id) = path.into_inner();
    let b = body.into_inner();
    let input = ReminderInput {
        subject: b.subject,
        due_at: b.due_at,
        owner_id: b.owner_id,
        done: b.done,
    };
    let reminder = blocking(&state, move |s| {
        s.update_reminder(&caller.0.principal, &key, id, input)
    })
    .await?;
    Ok(web::Json(reminder.into()))
}

/// Delete a reminder.
#[utoipa::path(
    tag = "tickets",
    operation_id = "delete_reminder",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("id" = i64, Path, description = "Reminder id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such ticket or reminder visible to you"),
    )
)]
#[delete("/tickets/{ticket}/reminders/{id}")]
pub async fn delete_reminder(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, id) = path.into_inner();
    blocking(&state, move |s| {
        s.delete_reminder(&caller.0.principal, &key, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List my open reminders.
///
/// The caller's reminders that are not done, on tickets they can still see, soonest first;
/// `due_before` limits them to those due before a time (e.g. now, for "due").
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_reminders",
    params(MyRemindersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of reminders", body = MyReminderList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/me/reminders")]
pub async fn list_my_reminders(
    caller: Caller,
    state: web::Data<AppState>,
    query: ValidQuery<MyRemindersQuery>,
) -> Result<web::Json<MyReminderList>, ApiError> {
    let MyRemindersQuery {
        due_before,
        limit,
        cursor,
    } = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(limit, cursor.as_deref())?;
        s.my_reminders(&caller.0.principal, due_before, &page)
    })
    .await?;
    Ok(web::Json(MyReminderList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
