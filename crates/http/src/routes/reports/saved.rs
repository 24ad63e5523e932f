//! Saved reports: a report and its query string under a name, private or shared by an
//! administrator with a group.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::reports::{ReportKind, SavedReport, SavedReportInput};
use validator::Validate;

use super::ReportParams;
use crate::error::ApiError;
use crate::extract::{AgentCaller, ValidJson, WithFieldFilters, parse_with_fields};
use crate::routes::tickets::dto::{IdNameDto, PersonDto};
use crate::{AppState, blocking};

/// A saved report.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedReportResponse {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "Open printer trouble")]
    pub name: String,
    /// Which report: `volume`, `backlog`, `response_times`, `sla_compliance`, `sla_breaches`,
    /// `workload`, `customers` (its endpoint is the name with `-` for `_`).
    #[schema(example = "volume")]
    pub report: String,
    /// The query string of the report's endpoint.
    #[schema(example = "from=2026-07-01&to=2026-09-30&granularity=week&group_by=queue")]
    pub query: String,
    /// Who made it.
    pub owner: PersonDto,
    /// Shared with this group's agents.
    pub group: Option<IdNameDto>,
    /// Made by you (you may change it).
    pub mine: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<SavedReport> for SavedReportResponse {
    fn from(s: SavedReport) -> Self {
        Self {
            id: s.id,
            name: s.name,
            report: s.report.as_str().to_owned(),
            query: s.query,
            owner: s.owner.into(),
            group: s.group.map(Into::into),
            mine: s.mine,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Saved reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedReportList {
    /// Yours and those shared with your groups, by name.
    pub items: Vec<SavedReportResponse>,
}

/// A new saved report.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Weekly volume", "report": "volume", "query": "from=2026-07-01&to=2026-09-30&granularity=week", "group_id": 1}))]
pub struct CreateSavedReportRequest {
    /// Name.
    #[validate(length(max = 100))]
    pub name: String,
    /// Which report (`volume`, `response_times`, …).
    pub report: String,
    /// A query string of the report's endpoint.
    #[validate(length(max = 2000))]
    pub query: String,
    /// Share with this group's agents (administrators).
    pub group_id: Option<i64>,
}

/// Changes to a saved report.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSavedReportRequest {
    /// Name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// Which report.
    pub report: Option<String>,
    /// Query string.
    #[validate(length(max = 2000))]
    pub query: Option<String>,
    /// Shared group; `null` makes it private.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub group_id: Option<Option<i64>>,
}

/// Checks a query string against the report endpoints' parameters; errors name `query`.
fn check_query(text: &str) -> Result<(), ApiError> {
    let invalid = |message: String| {
        ApiError::validation(FieldErrors::single(
            "query",
            ValidationError::new("invalid_query", message),
        ))
    };
    let WithFieldFilters(params, custom) =
        parse_with_fields::<ReportParams>(text.trim_start_matches('?'))
            .map_err(|e| invalid(problem_text(&e)))?;
    params
        .into_query(&custom)
        .map_err(|errors| invalid(errors.to_string()))?;
    Ok(())
}

/// The field messages of a refused query string, as one line.
fn problem_text(error: &ApiError) -> String {
    let problem = error.problem();
    match problem.errors {
        Some(fields) => fields
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
            .collect::<Vec<_>>()
            .join(", "),
        None => problem.detail,
    }
}

/// A report's name, or a field error on `report`.
fn report_kind(name: &str) -> Result<ReportKind, ApiError> {
    ReportKind::parse(name.trim()).ok_or_else(|| {
        ApiError::validation(FieldErrors::single(
            "report",
            ValidationError::new("invalid", "is not a report"),
        ))
    })
}

/// List saved reports.
#[utoipa::path(
    tag = "reports",
    operation_id = "list_saved_reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Yours and your groups'", body = SavedReportList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/reports/saved")]
pub async fn list_saved_reports(
    caller: AgentCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<SavedReportList>, ApiError> {
    let principal = caller.0.principal.clone();
    let saved = blocking(&state, move |s| s.list_saved_reports(&principal)).await?;
    Ok(web::Json(SavedReportList {
        items: saved.into_iter().map(Into::into).collect(),
    }))
}

/// Save a report definition.
#[utoipa::path(
    tag = "reports",
    operation_id = "create_saved_report",
    request_body = CreateSavedReportRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Saved", body = SavedReportResponse),
        (status = 403, description = "Not an agent, or sharing without being an administrator"),
    )
)]
#[post("/reports/saved")]
pub async fn create_saved_report(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateSavedReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    check_query(&body.query)?;
    let input = SavedReportInput {
        report: Some(report_kind(&body.report)?),
        name: Some(body.name),
        query: Some(body.query),
        group_id: Some(body.group_id),
    };
    let saved = blocking(&state, move |s| {
        s.create_saved_report(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/reports/saved/{}", saved.id),
        ))
        .json(SavedReportResponse::from(saved)))
}

/// Get a saved report.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_saved_report",
    params(("id" = i64, Path, description = "Saved report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved report", body = SavedReportResponse),
        (status = 404, description = "No such saved report visible to you"),
    )
)]
#[get("/reports/saved/{id}")]
pub async fn get_saved_report(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<SavedReportResponse>, ApiError> {
    let id = id.into_inner();
    let saved = blocking(&state, move |s| s.get_saved_report(&caller.0.principal, id)).await?;
    Ok(web::Json(saved.into()))
}

/// Change a saved report (its owner).
#[utoipa::path(
    tag = "reports",
    operation_id = "update_saved_report",
    params(("id" = i64, Path, description = "Saved report id")),
    request_body = UpdateSavedReportRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = SavedReportResponse),
        (status = 403, description = "Shared with you, but not yours"),
        (status = 404, description = "No such saved report visible to you"),
    )
)]
#[patch("/reports/saved/{id}")]
pub async fn update_saved_report(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateSavedReportRequest>,
) -> Result<web::Json<SavedReportResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    body.query.as_deref().map(check_query).transpose()?;
    let input = SavedReportInput {
        report: body.report.as_deref().map(report_kind).transpose()?,
        name: body.name,
        query: body.query,
        group_id: body.group_id,
    };
    let saved = blocking(&state, move |s| {
        s.update_saved_report(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(saved.into()))
}

/// Delete a saved report (its owner).
#[utoipa::path(
    tag = "reports",
    operation_id = "delete_saved_report",
    params(("id" = i64, Path, description = "Saved report id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Shared with you, but not yours"),
        (status = 404, description = "No such saved report visible to you"),
    )
)]
#[delete("/reports/saved/{id}")]
pub async fn delete_saved_report(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_saved_report(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
