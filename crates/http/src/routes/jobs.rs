//! Background jobs, for administrators: see what is queued, running, done or dead, and retry
//! dead ones.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::jobs::Job;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, Caller, ValidQuery};
use crate::{AppState, blocking};

/// A background job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobResponse {
    /// Id.
    pub id: i64,
    /// Kind (`send_mail`, `poll_mail_account`, `housekeeping`, …).
    pub kind: String,
    /// Arguments (JSON text).
    pub payload: String,
    /// `queued`, `running`, `done` or `dead`.
    pub status: String,
    /// Due at.
    pub run_at: DateTime<Utc>,
    /// Runs started.
    pub attempts: i32,
    /// Runs allowed before it is dead.
    pub max_attempts: i32,
    /// Why the last run failed.
    pub last_error: Option<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Done or dead at.
    pub finished_at: Option<DateTime<Utc>>,
    /// How far a bulk change has got (bulk jobs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<JobProgressDto>,
    /// One result per ticket so far, in request order (bulk jobs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<crate::routes::relations::BulkResultDto>>,
}

/// Progress of a job that works through many items.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobProgressDto {
    /// Items done.
    pub processed: i64,
    /// Items in all.
    pub total: i64,
}

impl From<Job> for JobResponse {
    fn from(j: Job) -> Self {
        Self {
            id: j.id,
            kind: j.kind,
            payload: j.payload,
            status: j.status,
            run_at: j.run_at,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            last_error: j.last_error,
            created_at: j.created_at,
            finished_at: j.finished_at,
            progress: None,
            results: None,
        }
    }
}

/// A page of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    /// Newest first.
    pub items: Vec<JobResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Filters of the job list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListJobsQuery {
    /// `queued`, `running`, `done` or `dead`.
    pub status: Option<String>,
    /// Kind.
    #[validate(length(max = 100))]
    pub kind: Option<String>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List background jobs.
#[utoipa::path(
    tag = "jobs",
    operation_id = "list_jobs",
    params(ListJobsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of jobs, newest first", body = JobList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/jobs")]
pub async fn list_jobs(
    caller: AdminCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListJobsQuery>,
) -> Result<web::Json<JobList>, ApiError> {
    let q = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(q.limit, q.cursor.as_deref())?;
        s.list_jobs(
            &caller.0.principal,
            q.status.as_deref(),
            q.kind.as_deref(),
            &page,
        )
    })
    .await?;
    Ok(web::Json(JobList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get a background job.
///
/// Administrators see every job; anyone else only the bulk changes they started
/// (`POST /api/v1/tickets/bulk`), with `progress` and `results`.
#[utoipa::path(
    tag = "jobs",
    operation_id = "get_job",
    params(("id" = i64, Path, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job", body = JobResponse),
        (status = 404, description = "No such job, or not yours"),
    )
)]
#[get("/jobs/{id}")]
pub async fn get_job(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<JobResponse>, ApiError> {
    let id = id.into_inner();
    let principal = caller.0.principal;
    let job = blocking(&state, move |s| {
        if s.is_bulk_job(id)? {
            return s
                .bulk_run(&principal, id)
                .map(crate::routes::relations::bulk_run_response);
        }
        s.get_job(&principal, id)
            .map(JobResponse::from)
            .map_err(|e| match e {
                vakt_service::ServiceError::Forbidden(_) => {
                    vakt_service::ServiceError::NotFound("job")
                }
                other => other,
            })
    })
    .await?;
    Ok(web::Json(job))
}

/// Retry a dead job.
///
/// Puts it back in the queue with fresh attempts, due now.
#[utoipa::path(
    tag = "jobs",
    operation_id = "retry_job",
    params(("id" = i64, Path, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job, queued again", body = JobResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such job"),
        (status = 409, description = "The job is not dead (`job_not_dead`)"),
    )
)]
#[post("/jobs/{id}/retry")]
pub async fn retry_job(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<JobResponse>, ApiError> {
    let id = id.into_inner();
    let job = blocking(&state, move |s| s.retry_job(&caller.0.principal, id)).await?;
    Ok(web::Json(job.into()))
}
