//! The administrators' audit log: read with filters, or export as CSV.

mod csv;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::audit::{AuditEntry, AuditFilter};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidQuery};
use crate::{AppState, blocking};

/// One administrative change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    /// Id (increasing with time).
    pub id: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who made the change; absent when the system did (e.g. the directory sync).
    pub actor_id: Option<i64>,
    /// The actor's email at the time, or `system`.
    #[schema(example = "admin@uio.no")]
    pub actor: String,
    /// What was done: `create`, `update`, `grant`, `revoke`, `reset`, `end_sessions`, …
    #[schema(example = "grant")]
    pub action: String,
    /// The kind of thing changed: `user`, `group`, `group_membership`, `role`, `role_grant`,
    /// `role_membership`, `queue`, `setting`, …
    #[schema(example = "group_membership")]
    pub entity: String,
    /// The thing's id (for memberships: the group's or role's id).
    pub entity_id: Option<i64>,
    /// The thing's name at the time.
    #[schema(example = "IT support")]
    pub entity_label: String,
    /// The user the change is about (an edited user, a granted agent), if any.
    pub user_id: Option<i64>,
    /// The values before (absent on creation).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The values after (absent on removal).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            at: entry.at,
            actor_id: entry.actor_id,
            actor: entry.actor_label,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            entity_label: entry.entity_label,
            user_id: entry.subject_user_id,
            before: entry.before,
            after: entry.after,
        }
    }
}

/// A page of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLogPage {
    /// This page.
    pub items: Vec<AuditEntryResponse>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters of the audit log; all given ones must match.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditLogQuery {
    /// Changes made by this user.
    pub actor_id: Option<i64>,
    /// Changes about this user (their account, their group rights and roles).
    pub user_id: Option<i64>,
    /// The kind of thing changed, e.g. `group_membership`.
    #[validate(length(min = 1, max = 50))]
    pub entity: Option<String>,
    /// The thing's id (with `entity`), e.g. a group's id for `group_membership`.
    pub entity_id: Option<i64>,
    /// What was done, e.g. `grant`.
    #[validate(length(min = 1, max = 50))]
    pub action: Option<String>,
    /// At or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Page size, 1–200 (default 25); ignored by the export.
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; ignored by the export.
    pub cursor: Option<String>,
}

impl AuditLogQuery {
    fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor_id: self.actor_id,
            user_id: self.user_id,
            entity: self.entity.clone(),
            entity_id: self.entity_id,
            action: self.action.clone(),
            from: self.from,
            until: self.until,
        }
    }
}

/// Read the audit log.
///
/// Every administrative change — users, customers, groups and their members (also changes
/// by queue managers), roles, their grants and holders, queues, sign-in settings — with who
/// made it, when, and the values before and after. Newest first. To answer "who gave this
/// agent rights on that queue, and when": `?user_id=<agent>&entity=group_membership&entity_id=<the
/// queue's group>` (and `entity=role_membership` for roles). Administrators only.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_log",
    params(AuditLogQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries, newest first", body = AuditLogPage),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    caller: AdminCaller,
    state: web::Data<AppState>,
    query: ValidQuery<AuditLogQuery>,
) -> Result<web::Json<AuditLogPage>, ApiError> {
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
        s.list_audit_log(&caller.0.principal, &query.filter(), &page)
    })
    .await?;
    Ok(web::Json(AuditLogPage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Export the audit log as CSV.
///
/// The same filters as the list; all matching entries (newest first, at most 100,000:
/// `X-Vakt-Truncated: true` says more matched). Columns: `id, at, actor_id, actor, action,
/// entity, entity_id, entity_label, user_id, before, after` (the values as JSON). Cells that a
/// spreadsheet would run as a formula are prefixed with `'`. Administrators only.
#[utoipa::path(
    tag = "audit",
    operation_id = "export_audit_log",
    params(AuditLogQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The entries as CSV", content_type = "text/csv", body = String),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/audit-log/export")]
pub async fn export_audit_log(
    caller: AdminCaller,
    state: web::Data<AppState>,
    query: ValidQuery<AuditLogQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.into_inner().filter();
    let (entries, truncated) = blocking(&state, move |s| {
        s.export_audit_log(&caller.0.principal, &filter)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"vakt-audit-log.csv\"",
        ))
        .insert_header(("X-Vakt-Truncated", if truncated { "true" } else { "false" }))
        .body(csv::render(&entries)))
}
