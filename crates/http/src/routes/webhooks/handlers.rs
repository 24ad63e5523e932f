//! `/webhooks` and `/settings/webhooks` (administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use vakt_service::webhooks::WebhookInput;

use super::dto::{
    CreateWebhookRequest, UpdateWebhookRequest, WebhookList, WebhookResponse, WebhookSettingsDto,
};
use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::{AppState, blocking};

/// List webhooks.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhooks",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All webhooks", body = WebhookList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookList>, ApiError> {
    let items = blocking(&state, move |s| s.list_webhooks(&caller.0.principal)).await?;
    Ok(web::Json(WebhookList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a webhook.
///
/// Events written after this are delivered to `url`, signed with `secret`. The URL must
/// resolve to public addresses only, unless `/settings/webhooks` allows private targets.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "create_webhook",
    request_body = CreateWebhookRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = WebhookResponse),
        (status = 403, description = "Not an administrator"),
        (status = 422, description = "Invalid fields; `forbidden_target` on `url` for a private address"),
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = WebhookInput::from(body.into_inner());
    let hook = blocking(&state, move |s| {
        s.save_webhook(&caller.0.principal, None, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/webhooks/{}", hook.id)))
        .json(WebhookResponse::from(hook)))
}

/// Get a webhook.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "get_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = WebhookResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such webhook"),
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let id = id.into_inner();
    let hook = blocking(&state, move |s| s.get_webhook(&caller.0.principal, id)).await?;
    Ok(web::Json(hook.into()))
}

/// Change a webhook.
///
/// Fields left out stay. `"enabled": true` on a webhook that was turned off resets its
/// failures and resumes its pending deliveries.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "update_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    request_body = UpdateWebhookRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed webhook", body = WebhookResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such webhook"),
        (status = 422, description = "Invalid fields"),
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateWebhookRequest>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let id = id.into_inner();
    let input = WebhookInput::from(body.into_inner());
    let hook = blocking(&state, move |s| {
        s.save_webhook(&caller.0.principal, Some(id), input)
    })
    .await?;
    Ok(web::Json(hook.into()))
}

/// Delete a webhook.
///
/// Its delivery log goes with it; deliveries not yet sent are dropped.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "delete_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such webhook"),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| s.delete_webhook(&caller.0.principal, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get the webhook settings.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "get_webhook_settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings", body = WebhookSettingsDto),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/settings/webhooks")]
pub async fn get_webhook_settings(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookSettingsDto>, ApiError> {
    let settings = blocking(&state, move |s| s.webhook_settings(&caller.0.principal)).await?;
    Ok(web::Json(settings.into()))
}

/// Replace the webhook settings.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "set_webhook_settings",
    request_body = WebhookSettingsDto,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new settings", body = WebhookSettingsDto),
        (status = 403, description = "Not an administrator"),
        (status = 422, description = "Invalid fields"),
    )
)]
#[put("/settings/webhooks")]
pub async fn set_webhook_settings(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<WebhookSettingsDto>,
) -> Result<web::Json<WebhookSettingsDto>, ApiError> {
    let new = body.into_inner().into();
    let settings = blocking(&state, move |s| {
        s.put_webhook_settings(&caller.0.principal, new)
    })
    .await?;
    Ok(web::Json(settings.into()))
}
