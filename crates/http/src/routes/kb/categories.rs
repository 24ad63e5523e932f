//! `/kb/categories`: every agent browses the tree, customers and anonymous readers the parts
//! that lead to articles they may read; administrators manage it.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use vakt_service::kb::KbCategoryInput;

use super::dto::{
    CreateKbCategoryRequest, KbCategoryList, KbCategoryResponse, UpdateKbCategoryRequest,
};
use crate::error::ApiError;
use crate::extract::{AdminCaller, MaybeCaller, ValidJson};
use crate::{AppState, blocking};

/// List knowledge-base categories.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "list_kb_categories",
    security((), ("bearer" = [])),
    responses((status = 200, description = "The categories you may browse, in tree order", body = KbCategoryList))
)]
#[get("/kb/categories")]
pub async fn list_kb_categories(
    caller: MaybeCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<KbCategoryList>, ApiError> {
    let principal = caller.principal();
    let items = blocking(&state, move |s| s.list_kb_categories(principal.as_ref())).await?;
    Ok(web::Json(KbCategoryList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Get a knowledge-base category.
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "get_kb_category",
    params(("id" = i64, Path, description = "Category id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The category", body = KbCategoryResponse),
        (status = 404, description = "No such category you may browse"),
    )
)]
#[get("/kb/categories/{id}")]
pub async fn get_kb_category(
    caller: MaybeCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<KbCategoryResponse>, ApiError> {
    let principal = caller.principal();
    let id = id.into_inner();
    let category = blocking(&state, move |s| s.get_kb_category(principal.as_ref(), id)).await?;
    Ok(web::Json(category.into()))
}

/// Create a knowledge-base category (administrators).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "create_kb_category",
    request_body = CreateKbCategoryRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = KbCategoryResponse),
        (status = 403, description = "Not an administrator"),
        (status = 422, description = "Invalid name, group or parent"),
    )
)]
#[post("/kb/categories")]
pub async fn create_kb_category(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateKbCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = KbCategoryInput {
        parent_id: Some(body.parent_id),
        group_id: Some(body.group_id),
        name: Some(body.name),
        description: body.description,
        position: body.position,
    };
    let category = blocking(&state, move |s| {
        s.create_kb_category(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/kb/categories/{}", category.id),
        ))
        .json(KbCategoryResponse::from(category)))
}

/// Change a knowledge-base category (administrators).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "update_kb_category",
    params(("id" = i64, Path, description = "Category id")),
    request_body = UpdateKbCategoryRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = KbCategoryResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such category"),
        (status = 422, description = "Invalid name, group or parent (also a cycle)"),
    )
)]
#[patch("/kb/categories/{id}")]
pub async fn update_kb_category(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateKbCategoryRequest>,
) -> Result<web::Json<KbCategoryResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = KbCategoryInput {
        parent_id: body.parent_id,
        group_id: body.group_id,
        name: body.name,
        description: body.description,
        position: body.position,
    };
    let category = blocking(&state, move |s| {
        s.update_kb_category(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(category.into()))
}

/// Delete an empty knowledge-base category (administrators).
#[utoipa::path(
    tag = "knowledge-base",
    operation_id = "delete_kb_category",
    params(("id" = i64, Path, description = "Category id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such category"),
        (status = 409, description = "It still has articles or sub-categories"),
    )
)]
#[delete("/kb/categories/{id}")]
pub async fn delete_kb_category(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_kb_category(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
