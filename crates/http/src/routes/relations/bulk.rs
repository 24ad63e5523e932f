//! Bulk changes of tickets, run as a background job (`GET /api/v1/jobs/{id}` shows progress
//! and one result per ticket).

use crate::routes::custom_fields::dto::{CustomFieldInputMap, from_wire};
use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::relations::{BulkOperations, BulkRequest, BulkResult, BulkRun, BulkStatus};
use validator::Validate;

use super::links::LinkKindDto;
use crate::error::ApiError;
use crate::extract::{Caller, ValidJson};
use crate::routes::jobs::{JobProgressDto, JobResponse};
use crate::{AppState, blocking};

/// A link to add to every ticket.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkLinkDto {
    /// "Each ticket <kind> the other".
    pub kind: LinkKindDto,
    /// The other ticket: id or number.
    #[validate(length(min = 1, max = 40))]
    pub ticket: String,
}

/// What to do to every ticket (at least one).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkOperationsDto {
    /// New state (`rw`).
    pub state_id: Option<i64>,
    /// Pending time, for a pending state.
    pub pending_until: Option<DateTime<Utc>>,
    /// Move to this queue (`move_into` on both).
    pub queue_id: Option<i64>,
    /// New owner; `null` releases.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    /// New priority level (`priority`).
    pub priority_id: Option<i64>,
    /// New type; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub type_id: Option<Option<i64>>,
    /// An internal note to add (`note`).
    #[validate(length(min = 1, max = 100000))]
    pub note: Option<String>,
    /// A link to add.
    #[validate(nested)]
    pub link: Option<BulkLinkDto>,
    /// Merge every ticket into this one (id or number; `rw` on both).
    #[validate(length(min = 1, max = 40))]
    pub merge_into: Option<String>,
    /// Custom field values to set on every ticket (`null` clears; `rw`), checked per ticket
    /// against its queue and type: a ticket a value does not fit is a `conflict` result.
    pub custom_fields: Option<CustomFieldInputMap>,
}

/// A bulk change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tickets": ["1", "2", "2026112410000017"], "operations": {"state_id": 4}}))]
pub struct BulkRequestDto {
    /// Ticket ids or numbers (1 to 1,000); results come in this order.
    pub tickets: Vec<String>,
    /// What to do.
    #[validate(nested)]
    pub operations: BulkOperationsDto,
}

/// How one ticket fared.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkStatusDto {
    /// Every operation was applied.
    Done,
    /// You may not see or change the ticket.
    Forbidden,
    /// A rule refused an operation; `code` and `detail` say which.
    Conflict,
    /// An unexpected failure.
    Failed,
}

/// The result for one ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResultDto {
    /// The ticket as given.
    pub ticket: String,
    /// Outcome.
    pub status: BulkStatusDto,
    /// Its id (absent for tickets you cannot see).
    pub ticket_id: Option<i64>,
    /// Problem code (`forbidden`, `not_found`, `ticket_locked`, `link_cycle`, …).
    pub code: Option<String>,
    /// Why.
    pub detail: Option<String>,
}

impl From<BulkResult> for BulkResultDto {
    fn from(r: BulkResult) -> Self {
        Self {
            ticket: r.ticket,
            status: match r.status {
                BulkStatus::Done => BulkStatusDto::Done,
                BulkStatus::Forbidden => BulkStatusDto::Forbidden,
                BulkStatus::Conflict => BulkStatusDto::Conflict,
                BulkStatus::Failed => BulkStatusDto::Failed,
            },
            ticket_id: r.ticket_id,
            code: r.code,
            detail: r.detail,
        }
    }
}

/// A job with the progress and results of its bulk run.
pub(crate) fn bulk_run_response(run: BulkRun) -> JobResponse {
    let mut job = JobResponse::from(run.job);
    job.progress = Some(JobProgressDto {
        processed: run.processed,
        total: run.total,
    });
    job.results = Some(run.results.into_iter().map(Into::into).collect());
    job
}

/// Change many tickets at once.
///
/// Up to 1,000 tickets; each is changed with your rights as if one by one, so some may be done
/// while others are forbidden or refused. Runs as a background job: poll `GET /api/v1/jobs/{id}`
/// (the `Location`) for `progress` and one entry in `results` per ticket.
#[utoipa::path(
    tag = "tickets",
    operation_id = "bulk_tickets",
    request_body = BulkRequestDto,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The job, queued", body = JobResponse),
        (status = 403, description = "Customers"),
        (status = 422, description = "No tickets, too many, or no operation"),
    )
)]
#[post("/tickets/bulk")]
pub async fn bulk_tickets(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<BulkRequestDto>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let ops = body.operations;
    let request = BulkRequest {
        tickets: body.tickets,
        operations: BulkOperations {
            state_id: ops.state_id,
            pending_until: ops.pending_until,
            queue_id: ops.queue_id,
            owner_id: ops.owner_id,
            priority_id: ops.priority_id,
            type_id: ops.type_id,
            note: ops.note,
            link: ops.link.map(|l| {
                (
                    vakt_domain::links::LinkKind::from(l.kind)
                        .as_str()
                        .to_owned(),
                    l.ticket,
                )
            }),
            merge_into: ops.merge_into,
            custom_fields: ops.custom_fields.map(from_wire),
        },
    };
    let run = blocking(&state, move |s| s.start_bulk(&caller.0.principal, request)).await?;
    let id = run.job.id;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/jobs/{id}")))
        .json(bulk_run_response(run)))
}
