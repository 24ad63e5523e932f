//! `/salutations` and `/signatures`: the templates queues put before and after every reply
//! (chosen in `PUT /queues/{id}/mail-settings` as `salutation_id` / `signature_id`).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::text_modules::{ReplyKind, ReplyTemplate, ReplyTemplateInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, AgentCaller, ValidJson};
use crate::{AppState, blocking};

/// A salutation or signature.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyTemplateResponse {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Template text with `{{variables}}` (those of text modules).
    pub body: String,
    /// The queues whose mail settings use it.
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<ReplyTemplate> for ReplyTemplateResponse {
    fn from(t: ReplyTemplate) -> Self {
        Self {
            id: t.id,
            name: t.name,
            body: t.body,
            queue_ids: t.queue_ids,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Salutations or signatures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyTemplateList {
    /// By name.
    pub items: Vec<ReplyTemplateResponse>,
}

/// A new salutation or signature.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Formal", "body": "Dear {{customer_name}},"}))]
pub struct CreateReplyTemplateRequest {
    /// Name (unique per kind).
    #[validate(length(max = 200))]
    pub name: String,
    /// Template text; an unknown `{{variable}}` is a 422 `unknown_variable`.
    #[validate(length(max = 20000))]
    pub body: String,
}

/// Changes to a salutation or signature.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReplyTemplateRequest {
    /// Name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// Template text.
    #[validate(length(max = 20000))]
    pub body: Option<String>,
}

/// The five handlers of one kind of reply template.
macro_rules! reply_template_routes {
    ($kind:expr, $path:literal, $item:literal, $list:ident, $create:ident, $get:ident, $update:ident, $delete:ident, [$s1:literal, $s2:literal, $s3:literal, $s4:literal, $s5:literal]) => {
        #[doc = $s1]
        #[utoipa::path(tag = "text-modules", operation_id = stringify!($list), summary = $s1, security(("bearer" = [])),
            responses((status = 200, description = "By name", body = ReplyTemplateList), (status = 403, description = "Not an agent")))]
        #[get($path)]
        pub async fn $list(caller: AgentCaller, state: web::Data<AppState>) -> Result<web::Json<ReplyTemplateList>, ApiError> {
            let items = blocking(&state, move |s| s.list_reply_templates(&caller.0.principal, $kind)).await?;
            Ok(web::Json(ReplyTemplateList { items: items.into_iter().map(Into::into).collect() }))
        }

        #[doc = $s2]
        #[utoipa::path(tag = "text-modules", operation_id = stringify!($create), summary = $s2, request_body = CreateReplyTemplateRequest,
            security(("bearer" = [])),
            responses((status = 201, description = "Created", body = ReplyTemplateResponse),
                (status = 403, description = "Not an administrator"),
                (status = 422, description = "Invalid field, a taken name or an unknown variable")))]
        #[post($path)]
        pub async fn $create(caller: AdminCaller, state: web::Data<AppState>, body: ValidJson<CreateReplyTemplateRequest>) -> Result<HttpResponse, ApiError> {
            let body = body.into_inner();
            let input = ReplyTemplateInput { name: Some(body.name), body: Some(body.body) };
            let t = blocking(&state, move |s| s.create_reply_template(&caller.0.principal, $kind, input)).await?;
            Ok(HttpResponse::Created()
                .insert_header((header::LOCATION, format!("/api/v1{}/{}", $path, t.id)))
                .json(ReplyTemplateResponse::from(t)))
        }

        #[doc = $s3]
        #[utoipa::path(tag = "text-modules", operation_id = stringify!($get), summary = $s3, params(("id" = i64, Path, description = "Id")),
            security(("bearer" = [])),
            responses((status = 200, description = "The template", body = ReplyTemplateResponse), (status = 404, description = "No such template")))]
        #[get($item)]
        pub async fn $get(caller: AgentCaller, state: web::Data<AppState>, id: web::Path<i64>) -> Result<web::Json<ReplyTemplateResponse>, ApiError> {
            let id = id.into_inner();
            let t = blocking(&state, move |s| s.get_reply_template(&caller.0.principal, $kind, id)).await?;
            Ok(web::Json(t.into()))
        }

        #[doc = $s4]
        #[utoipa::path(tag = "text-modules", operation_id = stringify!($update), summary = $s4, params(("id" = i64, Path, description = "Id")),
            request_body = UpdateReplyTemplateRequest, security(("bearer" = [])),
            responses((status = 200, description = "Changed", body = ReplyTemplateResponse),
                (status = 403, description = "Not an administrator"), (status = 404, description = "No such template"),
                (status = 422, description = "Invalid field, a taken name or an unknown variable")))]
        #[patch($item)]
        pub async fn $update(caller: AdminCaller, state: web::Data<AppState>, id: web::Path<i64>, body: ValidJson<UpdateReplyTemplateRequest>) -> Result<web::Json<ReplyTemplateResponse>, ApiError> {
            let id = id.into_inner();
            let body = body.into_inner();
            let input = ReplyTemplateInput { name: body.name, body: body.body };
            let t = blocking(&state, move |s| s.update_reply_template(&caller.0.principal, $kind, id, input)).await?;
            Ok(web::Json(t.into()))
        }

        #[doc = $s5]
        #[utoipa::path(tag = "text-modules", operation_id = stringify!($delete), summary = $s5, params(("id" = i64, Path, description = "Id")),
            security(("bearer" = [])),
            responses((status = 204, description = "Deleted"), (status = 403, description = "Not an administrator"),
                (status = 404, description = "No such template"), (status = 409, description = "A queue uses it")))]
        #[delete($item)]
        pub async fn $delete(caller: AdminCaller, state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
            let id = id.into_inner();
            blocking(&state, move |s| s.delete_reply_template(&caller.0.principal, $kind, id)).await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}

reply_template_routes!(
    ReplyKind::Salutation,
    "/salutations",
    "/salutations/{id}",
    list_salutations,
    create_salutation,
    get_salutation,
    update_salutation,
    delete_salutation,
    [
        "List salutations.",
        "Create a salutation (administrators).",
        "Get a salutation.",
        "Change a salutation (administrators); queues using it send the new text at once.",
        "Delete a salutation no queue uses (administrators)."
    ]
);
reply_template_routes!(
    ReplyKind::Signature,
    "/signatures",
    "/signatures/{id}",
    list_signatures,
    create_signature,
    get_signature,
    update_signature,
    delete_signature,
    [
        "List signatures.",
        "Create a signature (administrators).",
        "Get a signature.",
        "Change a signature (administrators); queues using it send the new text at once.",
        "Delete a signature no queue uses (administrators)."
    ]
);
