//! Merging a ticket into another, and splitting articles off into a new ticket.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::relations::SplitRequest;
use vakt_service::tickets::CustomerRef;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{Caller, ValidJson};
use crate::routes::tickets::dto::TicketResponse;
use crate::routes::tickets::{if_match, ticket_response};
use crate::{AppState, blocking};

/// Where to merge a ticket.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"target": "2026112410000017"}))]
pub struct MergeRequest {
    /// The ticket to merge into: id or number.
    #[validate(length(min = 1, max = 40))]
    pub target: String,
}

/// Merge a ticket into another.
///
/// Needs `rw` on both tickets. The articles (with attachments), watchers, accounted time and
/// links move to the target; the history of both is shown in the target's. The ticket gets the
/// state type `merged` and `merged_into`; its number, id and mail threading (subject tag,
/// Message-IDs) lead to the target from then on, so a late reply to it lands in the target.
/// Answers the target. `If-Match` applies to the ticket being merged.
#[utoipa::path(
    tag = "tickets",
    operation_id = "merge_ticket",
    params(
        ("ticket" = String, Path, description = "Ticket id or number (the one merged away)"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read"),
    ),
    request_body = MergeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The target ticket after the merge", body = TicketResponse),
        (status = 403, description = "Missing `rw` on either ticket"),
        (status = 404, description = "No such ticket, or not visible to you"),
        (status = 409, description = "Either ticket is already merged (`ticket_merged`)"),
        (status = 412, description = "The ticket changed since you read it"),
        (status = 422, description = "Unknown target, or the ticket itself"),
    )
)]
#[post("/tickets/{ticket}/merge")]
pub async fn merge_ticket(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let version = if_match(req.headers())?;
    let target = body.into_inner().target;
    let ticket = blocking(&state, move |s| {
        s.merge_ticket(&caller.0.principal, &key, &target, version)
    })
    .await?;
    Ok(ticket_response(StatusCode::OK, ticket))
}

/// The new ticket of a split.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Printer on floor 3", "queue_id": 1, "include_following": true}))]
pub struct SplitRequestDto {
    /// Title (default: the article's subject).
    #[validate(length(min = 1, max = 255))]
    pub title: Option<String>,
    /// Queue (default: the original's; needs `create` there).
    pub queue_id: Option<i64>,
    /// Customer user (default: the original's customer).
    pub customer_id: Option<i64>,
    /// Customer by email; unknown addresses become customer users.
    #[validate(length(max = 254))]
    pub customer_email: Option<String>,
    /// Move the articles after this one too (default: only this one).
    #[serde(default)]
    pub include_following: bool,
}

/// Split an article off into a new ticket.
///
/// The article (and with `include_following` every later one) moves to a new ticket with the
/// title, queue and customer you choose; the original becomes its parent (`parent_of` link).
/// Needs `rw` on the ticket and `create` on the new ticket's queue; at least one article stays.
#[utoipa::path(
    tag = "tickets",
    operation_id = "split_ticket",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("article" = i64, Path, description = "Article id"),
    ),
    request_body = SplitRequestDto,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new ticket", body = TicketResponse),
        (status = 403, description = "Missing the right"),
        (status = 404, description = "No such ticket or article, or not visible to you"),
        (status = 409, description = "The ticket is merged (`ticket_merged`)"),
        (status = 422, description = "Bad title, queue or customer; nothing would stay"),
    )
)]
#[post("/tickets/{ticket}/articles/{article}/split")]
pub async fn split_ticket(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    body: ValidJson<SplitRequestDto>,
) -> Result<HttpResponse, ApiError> {
    let (key, article) = path.into_inner();
    let body = body.into_inner();
    let customer = match (body.customer_id, body.customer_email) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(FieldErrors::single(
                "customer_id",
                ValidationError::new("ambiguous", "give either customer_id or customer_email"),
            )));
        }
        (Some(id), None) => Some(CustomerRef::Id(id)),
        (None, Some(email)) => Some(CustomerRef::Email { email, name: None }),
        (None, None) => None,
    };
    let input = SplitRequest {
        title: body.title,
        queue_id: body.queue_id,
        customer,
        include_following: body.include_following,
    };
    let ticket = blocking(&state, move |s| {
        s.split_ticket(&caller.0.principal, &key, article, input)
    })
    .await?;
    Ok(ticket_response(StatusCode::CREATED, ticket))
}
