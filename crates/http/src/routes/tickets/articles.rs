//! Article and attachment handlers.

use actix_web::http::header::{
    self, ContentDisposition, DispositionParam, DispositionType, HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use vakt_service::PageRequest;
use vakt_service::tickets::NewArticle;

use super::dto::{
    self, ArticleCreatedResponse, ArticleList, CreateArticleMultipart, CreateArticleRequest,
    PageQuery,
};
use super::{if_match, with_etag};
use crate::error::ApiError;
use crate::extract::{Caller, JsonOrMultipart, ValidQuery};
use crate::{AppState, blocking};

/// Image types a browser may show inline from our origin (no SVG: it can carry script).
const INLINE_IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Add a reply or an internal note.
///
/// `reply` is customer-visible (agents need `rw`), `note` is internal (agents need `note`).
/// Customers reply to their own tickets; a reply to a closed ticket reopens it. Agents may change
/// the state in the same step. Send JSON, or `multipart/form-data` with the JSON in an `article`
/// part and files in `attachments` parts.
#[utoipa::path(
    tag = "tickets",
    operation_id = "create_article",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read"),
    ),
    request_body(content(
        (CreateArticleRequest = "application/json"),
        (CreateArticleMultipart = "multipart/form-data"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The article and the ticket after it; `ETag` is the ticket's", body = ArticleCreatedResponse),
        (status = 403, description = "Missing the right (or a customer writing a note)"),
        (status = 404, description = "No such ticket, or not visible to you"),
        (status = 412, description = "The ticket changed since you read it"),
    )
)]
#[post("/tickets/{ticket}/articles")]
pub async fn create_article(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    body: JsonOrMultipart<CreateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let JsonOrMultipart { value: a, files } = body;
    let attachments =
        dto::attachments(a.attachments, files, "attachments").map_err(ApiError::validation)?;
    let input = NewArticle {
        kind: a.kind.into(),
        channel: a.channel.map(Into::into),
        sender_type: a.sender_type.map(Into::into),
        subject: a.subject,
        body: a.body,
        body_html: a.body_html,
        to: a.to,
        cc: a.cc,
        time_accounted_minutes: a.time_accounted_minutes,
        attachments,
        state_id: a.state_id,
        pending_until: a.pending_until,
        expected_version: if_match(req.headers())?,
        custom_fields: crate::routes::custom_fields::dto::from_wire(a.custom_fields),
    };
    let (article, ticket) = blocking(&state, move |s| {
        s.add_article(&caller.0.principal, &key, input)
    })
    .await?;
    let version = ticket.version;
    let location = format!("/api/v1/tickets/{}/articles/{}", ticket.id, article.id);
    let response = HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(ArticleCreatedResponse {
            article: article.into(),
            ticket: ticket.into(),
        });
    Ok(with_etag(response, version))
}

/// List a ticket's articles.
///
/// Oldest first. Customers see customer-visible articles only. Default page size 100.
#[utoipa::path(
    tag = "tickets",
    operation_id = "list_articles",
    params(("ticket" = String, Path, description = "Ticket id or number"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of articles", body = ArticleList),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/articles")]
pub async fn list_articles(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<ArticleList>, ApiError> {
    let key = key.into_inner();
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit.or(Some(100)), query.cursor.as_deref())?;
        s.list_articles(&caller.0.principal, &key, &page)
    })
    .await?;
    Ok(web::Json(ArticleList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Download an attachment.
///
/// Sent as a download (`Content-Disposition: attachment`) except PNG, JPEG, GIF and WebP
/// images, with `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.
#[utoipa::path(
    tag = "tickets",
    operation_id = "download_attachment",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("article_id" = i64, Path, description = "Article id"),
        ("attachment_id" = i64, Path, description = "Attachment id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such attachment, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}/articles/{article_id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (key, article_id, attachment_id) = path.into_inner();
    let (meta, data) = blocking(&state, move |s| {
        s.get_attachment(&caller.0.principal, &key, article_id, attachment_id)
    })
    .await?;
    let inline = INLINE_IMAGE_TYPES.contains(&meta.content_type.as_str());
    let disposition = ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![DispositionParam::Filename(meta.filename.clone())],
    };
    let content_type = if inline
        || meta.content_type.starts_with("text/") && !meta.content_type.contains("html")
    {
        meta.content_type.clone()
    } else {
        "application/octet-stream".to_owned()
    };
    let mut response = HttpResponse::Ok()
        .insert_header(disposition)
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
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
