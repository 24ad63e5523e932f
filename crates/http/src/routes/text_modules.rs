//! `/text-modules`: canned answers with `{{variables}}`, offered in queues, filled in for a
//! ticket while answering. Administrators manage them.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::text_modules::{RenderedModule, TextModule, TextModuleInput, TextModuleQuery};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson, ValidQuery};
use crate::{AppState, blocking};

/// A text module.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextModuleResponse {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "Password reset")]
    pub name: String,
    /// Category grouping modules (empty: none).
    pub category: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Language (`null`: any).
    pub language: Option<String>,
    /// Subject for a reply (may be empty).
    pub subject: String,
    /// Body, with `{{variables}}`.
    #[schema(example = "Dear {{customer_name}},\n\nyour password has been reset.")]
    pub body: String,
    /// Offered in these queues (empty: all).
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<TextModule> for TextModuleResponse {
    fn from(m: TextModule) -> Self {
        Self {
            id: m.id,
            name: m.name,
            category: m.category,
            keywords: m.keywords,
            language: m.language,
            subject: m.subject,
            body: m.body,
            queue_ids: m.queue_ids,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Text modules.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextModuleList {
    /// By category and name (at most 500).
    pub items: Vec<TextModuleResponse>,
}

/// Options of the list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListTextModulesQuery {
    /// Name, keywords or body contain this.
    #[validate(length(max = 200))]
    pub q: Option<String>,
    /// Offered in this queue.
    pub queue_id: Option<i64>,
    /// This language (or any).
    pub language: Option<String>,
    /// Only this category.
    pub category: Option<String>,
}

/// A text module's fields. Variables: `{{customer_name}}`, `{{customer_email}}`,
/// `{{ticket_number}}`, `{{ticket_title}}`, `{{queue}}`, `{{subject}}`, `{{agent_name}}`,
/// `{{agent_email}}`, `{{sla_deadline}}`; any other name is a 422 `unknown_variable`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Password reset", "keywords": ["password"], "language": "en",
    "body": "Dear {{customer_name}},\n\nyour password has been reset.", "queue_ids": []}))]
pub struct TextModuleRequest {
    /// Name.
    #[validate(length(max = 200))]
    pub name: String,
    /// Category.
    #[validate(length(max = 200))]
    pub category: Option<String>,
    /// Keywords.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub keywords: Vec<String>,
    /// Language (`en`, `nl`, `nb`, `de`; absent: any).
    pub language: Option<String>,
    /// Subject for a reply.
    #[validate(length(max = 500))]
    pub subject: Option<String>,
    /// Body.
    #[validate(length(max = 100000))]
    pub body: String,
    /// Offered in these queues (empty: all).
    #[serde(default)]
    pub queue_ids: Vec<i64>,
}

impl From<TextModuleRequest> for TextModuleInput {
    fn from(r: TextModuleRequest) -> Self {
        Self {
            name: r.name,
            category: r.category,
            keywords: r.keywords,
            language: r.language,
            subject: r.subject,
            body: r.body,
            queue_ids: r.queue_ids,
        }
    }
}

/// Which ticket to fill a module in for.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderTextModuleRequest {
    /// Ticket id or number.
    #[validate(length(min = 1, max = 50))]
    pub ticket: String,
}

/// A module filled in for a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenderedTextModule {
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

impl From<RenderedModule> for RenderedTextModule {
    fn from(r: RenderedModule) -> Self {
        Self {
            subject: r.subject,
            body: r.body,
        }
    }
}

/// List the text modules offered to you (those of queues you see, and of all queues).
#[utoipa::path(
    tag = "text-modules",
    operation_id = "list_text_modules",
    params(ListTextModulesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The modules", body = TextModuleList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/text-modules")]
pub async fn list_text_modules(
    caller: AgentCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListTextModulesQuery>,
) -> Result<web::Json<TextModuleList>, ApiError> {
    let q = query.into_inner();
    let query = TextModuleQuery {
        q: q.q,
        queue_id: q.queue_id,
        language: q.language,
        category: q.category,
    };
    let items = blocking(&state, move |s| {
        s.list_text_modules(&caller.0.principal, &query)
    })
    .await?;
    Ok(web::Json(TextModuleList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a text module (administrators).
#[utoipa::path(
    tag = "text-modules",
    operation_id = "create_text_module",
    request_body = TextModuleRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = TextModuleResponse),
        (status = 403, description = "Not an administrator"),
        (status = 422, description = "Invalid field, or an unknown variable"),
    )
)]
#[post("/text-modules")]
pub async fn create_text_module(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<TextModuleRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner().into();
    let module = blocking(&state, move |s| {
        s.create_text_module(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/text-modules/{}", module.id),
        ))
        .json(TextModuleResponse::from(module)))
}

/// Get a text module.
#[utoipa::path(
    tag = "text-modules",
    operation_id = "get_text_module",
    params(("id" = i64, Path, description = "Text module id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The module", body = TextModuleResponse),
        (status = 404, description = "No such module offered to you"),
    )
)]
#[get("/text-modules/{id}")]
pub async fn get_text_module(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<TextModuleResponse>, ApiError> {
    let id = id.into_inner();
    let module = blocking(&state, move |s| s.get_text_module(&caller.0.principal, id)).await?;
    Ok(web::Json(module.into()))
}

/// Replace a text module (administrators).
#[utoipa::path(
    tag = "text-modules",
    operation_id = "update_text_module",
    params(("id" = i64, Path, description = "Text module id")),
    request_body = TextModuleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Replaced", body = TextModuleResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such module"),
        (status = 422, description = "Invalid field, or an unknown variable"),
    )
)]
#[put("/text-modules/{id}")]
pub async fn update_text_module(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<TextModuleRequest>,
) -> Result<web::Json<TextModuleResponse>, ApiError> {
    let id = id.into_inner();
    let input = body.into_inner().into();
    let module = blocking(&state, move |s| {
        s.update_text_module(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(module.into()))
}

/// Delete a text module (administrators).
#[utoipa::path(
    tag = "text-modules",
    operation_id = "delete_text_module",
    params(("id" = i64, Path, description = "Text module id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such module"),
    )
)]
#[delete("/text-modules/{id}")]
pub async fn delete_text_module(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_text_module(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Fill a text module in for a ticket you see (you are the agent).
#[utoipa::path(
    tag = "text-modules",
    operation_id = "render_text_module",
    params(("id" = i64, Path, description = "Text module id")),
    request_body = RenderTextModuleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Subject and body with the variables filled", body = RenderedTextModule),
        (status = 404, description = "No such module or ticket visible to you"),
        (status = 422, description = "The module is not offered in the ticket's queue"),
    )
)]
#[post("/text-modules/{id}/render")]
pub async fn render_text_module(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<RenderTextModuleRequest>,
) -> Result<web::Json<RenderedTextModule>, ApiError> {
    let id = id.into_inner();
    let ticket = body.into_inner().ticket;
    let rendered = blocking(&state, move |s| {
        s.render_text_module(&caller.0.principal, id, &ticket)
    })
    .await?;
    Ok(web::Json(rendered.into()))
}
