//! Postmaster filters and per-queue mail settings (administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::mail::{
    FilterActionsInput, FilterConditionInput, FollowUpPolicy, PostmasterFilter,
    PostmasterFilterInput, QueueMailSettings,
};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::{AppState, blocking};

/// One condition: a regular expression on a part of the message.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterConditionDto {
    /// `from`, `to`, `cc`, `subject`, `body`, or any header name (`X-Spam-Flag`).
    #[schema(example = "X-Spam-Flag")]
    pub field: String,
    /// Regular expression (Rust `regex` syntax; `(?i)` makes it case-insensitive).
    #[schema(example = "(?i)^yes")]
    pub pattern: String,
    /// Match when the expression does not match.
    #[serde(default)]
    pub negate: bool,
}

/// What a matching filter does to the message's new ticket.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterActionsDto {
    /// Queue.
    pub queue_id: Option<i64>,
    /// Priority.
    pub priority_id: Option<i64>,
    /// Type.
    pub type_id: Option<i64>,
    /// State (not a pending one).
    pub state_id: Option<i64>,
    /// Customer instead of the sender.
    pub customer_email: Option<String>,
    /// Record the message as ignored; no ticket.
    #[serde(default)]
    pub ignore: bool,
    /// Custom fields of the new ticket: key → value as text (numbers, `true`/`false`,
    /// option values; a multiselect's separated by commas).
    #[serde(default)]
    pub custom_fields: std::collections::BTreeMap<String, String>,
}

/// A postmaster filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostmasterFilterResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Order; lower runs first.
    pub position: i32,
    /// Applied.
    pub enabled: bool,
    /// No later filter runs after this one matched.
    pub stop_after_match: bool,
    /// All must hold.
    pub conditions: Vec<FilterConditionDto>,
    /// What it does.
    pub actions: FilterActionsDto,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<PostmasterFilter> for PostmasterFilterResponse {
    fn from(f: PostmasterFilter) -> Self {
        Self {
            id: f.id,
            name: f.name,
            position: f.position,
            enabled: f.enabled,
            stop_after_match: f.stop_after_match,
            conditions: f
                .conditions
                .into_iter()
                .map(|c| FilterConditionDto {
                    field: c.field,
                    pattern: c.pattern,
                    negate: c.negate,
                })
                .collect(),
            actions: FilterActionsDto {
                queue_id: f.actions.queue_id,
                priority_id: f.actions.priority_id,
                type_id: f.actions.type_id,
                state_id: f.actions.state_id,
                customer_email: f.actions.customer_email,
                ignore: f.actions.ignore,
                custom_fields: f.actions.custom_fields,
            },
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// All postmaster filters.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostmasterFilterList {
    /// In the order they apply.
    pub items: Vec<PostmasterFilterResponse>,
}

/// A new postmaster filter, or all fields of a changed one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostmasterFilterRequest {
    /// Name (unique).
    #[schema(example = "Spam")]
    pub name: String,
    /// Order; lower runs first (default: after the last).
    pub position: Option<i32>,
    /// Applied (default true).
    pub enabled: Option<bool>,
    /// No later filter runs after this one matched (default false).
    pub stop_after_match: Option<bool>,
    /// 1–20 conditions; all must hold.
    pub conditions: Vec<FilterConditionDto>,
    /// What it does.
    #[serde(default)]
    pub actions: FilterActionsDto,
}

impl From<PostmasterFilterRequest> for PostmasterFilterInput {
    fn from(r: PostmasterFilterRequest) -> Self {
        PostmasterFilterInput {
            name: r.name,
            position: r.position,
            enabled: r.enabled,
            stop_after_match: r.stop_after_match,
            conditions: r
                .conditions
                .into_iter()
                .map(|c| FilterConditionInput {
                    field: c.field,
                    pattern: c.pattern,
                    negate: c.negate,
                })
                .collect(),
            actions: FilterActionsInput {
                queue_id: r.actions.queue_id,
                priority_id: r.actions.priority_id,
                type_id: r.actions.type_id,
                state_id: r.actions.state_id,
                customer_email: r.actions.customer_email,
                ignore: r.actions.ignore,
                custom_fields: r.actions.custom_fields,
            },
        }
    }
}

/// List postmaster filters.
#[utoipa::path(
    tag = "mail",
    operation_id = "list_postmaster_filters",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All filters in the order they apply", body = PostmasterFilterList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/postmaster-filters")]
pub async fn list_postmaster_filters(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<PostmasterFilterList>, ApiError> {
    let items = blocking(&state, move |s| {
        s.list_postmaster_filters(&caller.0.principal)
    })
    .await?;
    Ok(web::Json(PostmasterFilterList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a postmaster filter.
#[utoipa::path(
    tag = "mail",
    operation_id = "create_postmaster_filter",
    request_body = PostmasterFilterRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = PostmasterFilterResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/postmaster-filters")]
pub async fn create_postmaster_filter(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<PostmasterFilterRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = PostmasterFilterInput::from(body.into_inner());
    let filter = blocking(&state, move |s| {
        s.save_postmaster_filter(&caller.0.principal, None, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/postmaster-filters/{}", filter.id),
        ))
        .json(PostmasterFilterResponse::from(filter)))
}

/// Get a postmaster filter.
#[utoipa::path(
    tag = "mail",
    operation_id = "get_postmaster_filter",
    params(("id" = i64, Path, description = "Filter id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The filter", body = PostmasterFilterResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such filter"),
    )
)]
#[get("/postmaster-filters/{id}")]
pub async fn get_postmaster_filter(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<PostmasterFilterResponse>, ApiError> {
    let id = id.into_inner();
    let filter = blocking(&state, move |s| {
        s.get_postmaster_filter(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(filter.into()))
}

/// Replace a postmaster filter.
#[utoipa::path(
    tag = "mail",
    operation_id = "update_postmaster_filter",
    params(("id" = i64, Path, description = "Filter id")),
    request_body = PostmasterFilterRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed filter", body = PostmasterFilterResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such filter"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[put("/postmaster-filters/{id}")]
pub async fn update_postmaster_filter(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<PostmasterFilterRequest>,
) -> Result<web::Json<PostmasterFilterResponse>, ApiError> {
    let id = id.into_inner();
    let input = PostmasterFilterInput::from(body.into_inner());
    let filter = blocking(&state, move |s| {
        s.save_postmaster_filter(&caller.0.principal, Some(id), input)
    })
    .await?;
    Ok(web::Json(filter.into()))
}

/// Delete a postmaster filter.
#[utoipa::path(
    tag = "mail",
    operation_id = "delete_postmaster_filter",
    params(("id" = i64, Path, description = "Filter id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such filter"),
    )
)]
#[delete("/postmaster-filters/{id}")]
pub async fn delete_postmaster_filter(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_postmaster_filter(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A queue's mail settings. Templates may use `{{ticket_number}}`, `{{ticket_title}}`,
/// `{{customer_name}}`, `{{customer_email}}`, `{{queue}}`, `{{subject}}`, `{{agent_name}}`,
/// `{{agent_email}}` and `{{sla_deadline}}`; an unknown name in the salutation or signature is
/// a 422 `unknown_variable`.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueMailSettingsDto {
    /// Display name on outgoing mail (default: the queue's name).
    pub sender_name: Option<String>,
    /// What a follow-up to a closed ticket does: `reopen` (default), `new_ticket` or `reject`.
    #[serde(default = "reopen")]
    pub follow_up_policy: String,
    /// Text of the rejection notice (a default text when empty).
    pub reject_text: Option<String>,
    /// Answer new tickets automatically (never mail from machines; at most
    /// `VAKT_MAIL_AUTO_ANSWER_CAP` per sender and day).
    #[serde(default)]
    pub auto_reply_enabled: bool,
    /// Subject of the automatic answer (default: the original subject; the ticket tag is added).
    pub auto_reply_subject: Option<String>,
    /// Body of the automatic answer (a default text when empty).
    pub auto_reply_body: Option<String>,
    /// Put before every reply.
    pub salutation: Option<String>,
    /// Put after every reply (after `-- `).
    pub signature: Option<String>,
    /// The salutation template (`/api/v1/salutations`) put before every reply instead of
    /// `salutation` (read back as its text).
    #[serde(default)]
    pub salutation_id: Option<i64>,
    /// The signature template (`/api/v1/signatures`) put after every reply instead of
    /// `signature`.
    #[serde(default)]
    pub signature_id: Option<i64>,
    /// Cc addresses of incoming mail become watchers of new tickets.
    #[serde(default)]
    pub cc_as_watchers: bool,
    /// Tell the customer by email when their ticket is closed (template `ticket_closed` in the
    /// customer's language; replies are mailed anyway).
    #[serde(default)]
    pub notify_customer_on_close: bool,
    /// Let `X-Vakt-Field-<key>: value` headers of incoming mail set the custom fields of new
    /// tickets (off by default: senders write their own headers; turn it on for queues fed by
    /// trusted systems such as monitoring).
    #[serde(default)]
    pub trust_field_headers: bool,
}

fn reopen() -> String {
    "reopen".into()
}

impl From<QueueMailSettings> for QueueMailSettingsDto {
    fn from(s: QueueMailSettings) -> Self {
        Self {
            sender_name: s.sender_name,
            follow_up_policy: s.follow_up_policy.as_str().to_owned(),
            reject_text: s.reject_text,
            auto_reply_enabled: s.auto_reply_enabled,
            auto_reply_subject: s.auto_reply_subject,
            auto_reply_body: s.auto_reply_body,
            salutation: s.salutation,
            signature: s.signature,
            salutation_id: s.salutation_id,
            signature_id: s.signature_id,
            cc_as_watchers: s.cc_as_watchers,
            notify_customer_on_close: s.notify_customer_on_close,
            trust_field_headers: s.trust_field_headers,
        }
    }
}

/// Get a queue's mail settings.
#[utoipa::path(
    tag = "mail",
    operation_id = "get_queue_mail_settings",
    params(("id" = i64, Path, description = "Queue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings (defaults when never saved)", body = QueueMailSettingsDto),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such queue"),
    )
)]
#[get("/queues/{id}/mail-settings")]
pub async fn get_queue_mail_settings(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<QueueMailSettingsDto>, ApiError> {
    let id = id.into_inner();
    let settings = blocking(&state, move |s| {
        s.queue_mail_settings(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(settings.into()))
}

/// Replace a queue's mail settings.
#[utoipa::path(
    tag = "mail",
    operation_id = "set_queue_mail_settings",
    params(("id" = i64, Path, description = "Queue id")),
    request_body = QueueMailSettingsDto,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved settings", body = QueueMailSettingsDto),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such queue"),
    )
)]
#[put("/queues/{id}/mail-settings")]
pub async fn set_queue_mail_settings(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<QueueMailSettingsDto>,
) -> Result<web::Json<QueueMailSettingsDto>, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let policy = FollowUpPolicy::parse(&b.follow_up_policy).ok_or_else(|| {
        ApiError::from(vakt_service::ServiceError::invalid(
            "follow_up_policy",
            "invalid",
            "must be reopen, new_ticket or reject",
        ))
    })?;
    let input = QueueMailSettings {
        queue_id: id,
        sender_name: b.sender_name,
        follow_up_policy: policy,
        reject_text: b.reject_text,
        auto_reply_enabled: b.auto_reply_enabled,
        auto_reply_subject: b.auto_reply_subject,
        auto_reply_body: b.auto_reply_body,
        salutation: b.salutation,
        signature: b.signature,
        salutation_id: b.salutation_id,
        signature_id: b.signature_id,
        cc_as_watchers: b.cc_as_watchers,
        notify_customer_on_close: b.notify_customer_on_close,
        trust_field_headers: b.trust_field_headers,
        updated_at: None,
    };
    let settings = blocking(&state, move |s| {
        s.set_queue_mail_settings(&caller.0.principal, input)
    })
    .await?;
    Ok(web::Json(settings.into()))
}
