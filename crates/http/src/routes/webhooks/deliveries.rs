//! `/webhooks/{id}/deliveries`: the delivery log, and sending an event again.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use vakt_service::PageRequest;
use validator::Validate;

use super::dto::{DeliveryList, DeliveryResponse};
use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidQuery};
use crate::{AppState, blocking};

/// Filters of the delivery log.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDeliveriesQuery {
    /// `waiting`, `pending`, `succeeded` or `failed`.
    pub status: Option<String>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List a webhook's deliveries.
///
/// Newest first, with the outcome of each one's last attempt.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhook_deliveries",
    params(("id" = i64, Path, description = "Webhook id"), ListDeliveriesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryList),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such webhook"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: ValidQuery<ListDeliveriesQuery>,
) -> Result<web::Json<DeliveryList>, ApiError> {
    let id = id.into_inner();
    let q = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
        s.list_webhook_deliveries(&caller.0.principal, id, q.status.as_deref(), &page)
    })
    .await?;
    Ok(web::Json(DeliveryList {
        items: page
            .items
            .into_iter()
            .map(|d| DeliveryResponse::new(d, false))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get a delivery, with the body sent.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "get_webhook_delivery",
    params(
        ("id" = i64, Path, description = "Webhook id"),
        ("delivery" = i64, Path, description = "Delivery id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The delivery", body = DeliveryResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such delivery of this webhook"),
    )
)]
#[get("/webhooks/{id}/deliveries/{delivery}")]
pub async fn get_webhook_delivery(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<DeliveryResponse>, ApiError> {
    let (id, delivery) = path.into_inner();
    let found = blocking(&state, move |s| {
        s.get_webhook_delivery(&caller.0.principal, id, delivery)
    })
    .await?;
    Ok(web::Json(DeliveryResponse::new(found, true)))
}

/// Redeliver an event.
///
/// Sends the delivery's event again — same event id, same body — as a new delivery after the
/// deliveries of its ticket that are still open.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "redeliver_webhook_delivery",
    params(
        ("id" = i64, Path, description = "Webhook id"),
        ("delivery" = i64, Path, description = "Delivery id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The new delivery; `Location` names it", body = DeliveryResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such delivery of this webhook"),
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery}/redeliver")]
pub async fn redeliver_webhook_delivery(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery) = path.into_inner();
    let created = blocking(&state, move |s| {
        s.redeliver_webhook(&caller.0.principal, id, delivery)
    })
    .await?;
    Ok(HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/webhooks/{id}/deliveries/{}", created.id),
        ))
        .json(DeliveryResponse::new(created, true)))
}
