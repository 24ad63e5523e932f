//! `/kb/articles`: list and search (by audience), read (counts a view), write, delete.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use vakt_domain::kb::{ArticleState, Visibility};
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::PageRequest;
use vakt_service::kb::{KbArticleInput, KbListQuery};

use super::dto::{
    CreateKbArticleRequest, KbArticleList, KbArticleResponse, KbSuggestionsQuery,
    ListKbArticlesQuery, UpdateKbArticleRequest,
};
use crate::error::ApiError;
use crate::extract::{AgentCaller, Caller, MaybeCaller, ValidJson, ValidQuery};
use crate::{AppState, blocking};

/// Parses a comma-separated list with `parse`; errors name `field`.
fn list_of<T>(
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<Vec<T>>, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    value
        .split(',')
        .map(|part| {
            parse(part.trim()).ok_or_else(|| {
                ApiError::validation(FieldErrors::single(
                    field,
                    ValidationError::new("invalid_choice", format!("must be a list of {allowed}")),
                ))
            })
        })
        .collect::<Result<Vec<T>, ApiError>>()
        .map(Some)
}

/// List or search knowledge-base articles.
///
/// Without `q`: newest change first. With `q` (the ticket search's query language): by
/// relevance with snippets, among the 500 newest matches. Agents find the internal articles of
/// categories whose group they read (`ro`) and every published customer and public article;
/// customers published customer and public articles; anonymous callers published public ones.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "list_kb_articles",
    params(ListKbArticlesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of the articles you may read", body = KbArticleList),
        (status = 422, description = "Invalid filter, or a query with nothing to search for"),
    )
)]
#[get("/kb/articles")]
pub async fn list_kb_articles(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListKbArticlesQuery>,
) -> Result<web::Json<KbArticleList>, ApiError> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let filter = KbListQuery {
        q: query.q,
        category_id: query.category_id,
        language: query.language.map(|l| l.trim().to_ascii_lowercase()),
        states: list_of(
            "state",
            query.state.as_deref(),
            ArticleState::parse,
            "draft, published, archived",
        )?,
        visibilities: list_of(
            "visibility",
            query.visibility.as_deref(),
            Visibility::parse,
            "internal, customer, public",
        )?,
        entry_id: query.entry_id,
    };
    let principal = caller.principal();
    let page = blocking(&state, move |s| {
        s.list_kb_articles(principal.as_ref(), &filter, &page)
    })
    .await?;
    Ok(web::Json(KbArticleList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Write a knowledge-base article (agents with `rw` on the category's group).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "create_kb_article",
    request_body = CreateKbArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = KbArticleResponse),
        (status = 403, description = "Not an agent, or no `rw` on the category's group"),
        (status = 422, description = "Invalid field"),
    )
)]
#[post("/kb/articles")]
pub async fn create_kb_article(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateKbArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = KbArticleInput {
        category_id: body.category_id,
        title: Some(body.title),
        body_html: body.body_html,
        body_text: body.body_text,
        keywords: body.keywords,
        language: Some(body.language),
        visibility: body.visibility.map(Into::into),
        state: body.state.map(Into::into),
        translation_of: body.translation_of,
    };
    let article = blocking(&state, move |s| {
        s.create_kb_article(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/kb/articles/{}", article.id),
        ))
        .json(KbArticleResponse::from(article)))
}

/// Read a knowledge-base article (a published one counts the view).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "get_kb_article",
    params(("id" = i64, Path, description = "Article id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The article", body = KbArticleResponse),
        (status = 404, description = "No such article you may read"),
    )
)]
#[get("/kb/articles/{id}")]
pub async fn get_kb_article(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<KbArticleResponse>, ApiError> {
    let id = id.into_inner();
    let principal = caller.principal();
    let article = blocking(&state, move |s| s.get_kb_article(principal.as_ref(), id)).await?;
    Ok(web::Json(article.into()))
}

/// Change a knowledge-base article (agents with `rw` on its category's group).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "update_kb_article",
    params(("id" = i64, Path, description = "Article id")),
    request_body = UpdateKbArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = KbArticleResponse),
        (status = 403, description = "You read it but may not change it"),
        (status = 404, description = "No such article you may read"),
        (status = 422, description = "Invalid field"),
    )
)]
#[patch("/kb/articles/{id}")]
pub async fn update_kb_article(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateKbArticleRequest>,
) -> Result<web::Json<KbArticleResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = KbArticleInput {
        category_id: body.category_id,
        title: body.title,
        body_html: body.body_html,
        body_text: body.body_text,
        keywords: body.keywords,
        language: None,
        visibility: body.visibility.map(Into::into),
        state: body.state.map(Into::into),
        translation_of: None,
    };
    let article = blocking(&state, move |s| {
        s.update_kb_article(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(article.into()))
}

/// Delete a knowledge-base article with its versions and files (agents with `rw`).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "delete_kb_article",
    params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "You read it but may not change it"),
        (status = 404, description = "No such article you may read"),
    )
)]
#[delete("/kb/articles/{id}")]
pub async fn delete_kb_article(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_kb_article(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Suggest published articles for a text: a ticket's words while answering it, or what a
/// customer is writing in the portal (deflection). Same audiences as the list.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "suggest_kb_articles",
    params(KbSuggestionsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Those sharing the most words first", body = KbArticleList),
        (status = 422, description = "No text"),
    )
)]
#[get("/kb/suggestions")]
pub async fn suggest_kb_articles(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    query: ValidQuery<KbSuggestionsQuery>,
) -> Result<web::Json<KbArticleList>, ApiError> {
    let query = query.into_inner();
    let principal = caller.principal();
    let limit = query.limit.unwrap_or(5);
    let items = blocking(&state, move |s| {
        s.suggest_kb_articles(
            principal.as_ref(),
            &query.text,
            query.language.as_deref(),
            limit,
        )
    })
    .await?;
    Ok(web::Json(KbArticleList {
        items: items.into_iter().map(Into::into).collect(),
        next_cursor: None,
    }))
}

/// Record a deflection: you (a customer) read this article while writing a new ticket and left
/// without submitting it.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "record_kb_deflection",
    params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Not a customer"),
        (status = 404, description = "No such article you may read"),
    )
)]
#[post("/kb/articles/{id}/deflection")]
pub async fn record_kb_deflection(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.record_kb_deflection(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
