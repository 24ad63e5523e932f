//! Around a knowledge-base article: `/versions` (list, view, restore), `/history`,
//! `/attachments` and `/vote`.

use actix_web::http::header::{
    self, ContentDisposition, DispositionParam, DispositionType, HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};

use super::dto::{
    AddKbAttachmentsRequest, KbArticleResponse, KbAttachmentList, KbHistoryList, KbVersionList,
    KbVersionResponse, KbVoteRequest, KbVotesDto,
};
use crate::error::ApiError;
use crate::extract::{AgentCaller, JsonOrMultipart, MaybeCaller, ValidJson, client_address};
use crate::routes::tickets::dto::attachments;
use crate::{AppState, blocking};

/// List an article's published versions (agents with `ro` on its category's group).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "list_kb_versions",
    params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first", body = KbVersionList),
        (status = 403, description = "You read the article but not its category's group"),
        (status = 404, description = "No such article you may read"),
    )
)]
#[get("/kb/articles/{id}/versions")]
pub async fn list_kb_versions(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<KbVersionList>, ApiError> {
    let id = id.into_inner();
    let items = blocking(&state, move |s| s.list_kb_versions(&caller.0.principal, id)).await?;
    Ok(web::Json(KbVersionList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// View one version of an article.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "get_kb_version",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("version" = i64, Path, description = "Version number"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The version", body = KbVersionResponse),
        (status = 403, description = "You read the article but not its category's group"),
        (status = 404, description = "No such article or version"),
    )
)]
#[get("/kb/articles/{id}/versions/{version}")]
pub async fn get_kb_version(
    caller: AgentCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<KbVersionResponse>, ApiError> {
    let (id, version) = path.into_inner();
    let v = blocking(&state, move |s| {
        s.get_kb_version(&caller.0.principal, id, version)
    })
    .await?;
    Ok(web::Json(v.into()))
}

/// Restore a version: its content becomes current (a new version when published).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "restore_kb_version",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("version" = i64, Path, description = "Version number"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Restored", body = KbArticleResponse),
        (status = 403, description = "You may not change the article"),
        (status = 404, description = "No such article or version"),
    )
)]
#[post("/kb/articles/{id}/versions/{version}/restore")]
pub async fn restore_kb_version(
    caller: AgentCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<KbArticleResponse>, ApiError> {
    let (id, version) = path.into_inner();
    let article = blocking(&state, move |s| {
        s.restore_kb_version(&caller.0.principal, id, version)
    })
    .await?;
    Ok(web::Json(article.into()))
}

/// Who changed what in an article (agents with `ro` on its category's group).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "get_kb_article_history",
    params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first", body = KbHistoryList),
        (status = 403, description = "You read the article but not its category's group"),
        (status = 404, description = "No such article you may read"),
    )
)]
#[get("/kb/articles/{id}/history")]
pub async fn get_kb_article_history(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<KbHistoryList>, ApiError> {
    let id = id.into_inner();
    let items = blocking(&state, move |s| {
        s.kb_article_history(&caller.0.principal, id)
    })
    .await?;
    Ok(web::Json(KbHistoryList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// List an article's files.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "list_kb_attachments",
    params(("id" = i64, Path, description = "Article id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The files", body = KbAttachmentList),
        (status = 404, description = "No such article you may read"),
    )
)]
#[get("/kb/articles/{id}/attachments")]
pub async fn list_kb_attachments(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<KbAttachmentList>, ApiError> {
    let id = id.into_inner();
    let principal = caller.principal();
    let items = blocking(&state, move |s| {
        s.list_kb_attachments(principal.as_ref(), id)
    })
    .await?;
    Ok(web::Json(KbAttachmentList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Add files to an article (agents with `rw`): base64 in JSON, or a multipart upload with an
/// `upload` part (`{}`) and `attachments` files.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "add_kb_attachments",
    params(("id" = i64, Path, description = "Article id")),
    request_body = AddKbAttachmentsRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = KbAttachmentList),
        (status = 403, description = "You may not change the article"),
        (status = 404, description = "No such article you may read"),
        (status = 413, description = "A file is too large"),
    )
)]
#[post("/kb/articles/{id}/attachments")]
pub async fn add_kb_attachments(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonOrMultipart<AddKbAttachmentsRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let files = attachments(body.value.attachments, body.files, "attachments")
        .map_err(ApiError::validation)?;
    let items = blocking(&state, move |s| {
        s.add_kb_attachments(&caller.0.principal, id, files)
    })
    .await?;
    Ok(HttpResponse::Created().json(KbAttachmentList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Download a file of an article (sent as a download, with `nosniff` and a sandbox CSP).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "download_kb_attachment",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("attachment_id" = i64, Path, description = "Attachment id"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file, or its article is not yours to read"),
    )
)]
#[get("/kb/articles/{id}/attachments/{attachment_id}")]
pub async fn download_kb_attachment(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let principal = caller.principal();
    let (meta, data) = blocking(&state, move |s| {
        s.get_kb_attachment(principal.as_ref(), id, attachment_id)
    })
    .await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(meta.filename.clone())],
    };
    let mut response = HttpResponse::Ok()
        .insert_header(disposition)
        .insert_header((header::CONTENT_TYPE, "application/octet-stream"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .body(data);
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// Remove a file from an article (agents with `rw`).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "delete_kb_attachment",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("attachment_id" = i64, Path, description = "Attachment id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "You may not change the article"),
        (status = 404, description = "No such file"),
    )
)]
#[delete("/kb/articles/{id}/attachments/{attachment_id}")]
pub async fn delete_kb_attachment(
    caller: AgentCaller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    blocking(&state, move |s| {
        s.delete_kb_attachment(&caller.0.principal, id, attachment_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Vote an article helpful or not (anyone who may read it): one vote per signed-in user, and per
/// address for anonymous readers; voting again changes the vote.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "vote_kb_article",
    params(("id" = i64, Path, description = "Article id")),
    request_body = KbVoteRequest,
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The counts after your vote", body = KbVotesDto),
        (status = 404, description = "No such article you may read"),
    )
)]
#[post("/kb/articles/{id}/vote")]
pub async fn vote_kb_article(
    req: HttpRequest,
    caller: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<KbVoteRequest>,
) -> Result<web::Json<KbVotesDto>, ApiError> {
    let id = id.into_inner();
    let helpful = body.into_inner().helpful;
    let principal = caller.principal();
    let address = client_address(&req, state.config.trust_forwarded_for);
    let votes = blocking(&state, move |s| {
        s.vote_kb_article(principal.as_ref(), id, helpful, address.as_deref())
    })
    .await?;
    Ok(web::Json(votes.into()))
}
