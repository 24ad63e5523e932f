//! Custom field definitions (`/api/v1/custom-fields`): administrators manage them; agents
//! read them (forms need them); customers read the ticket fields they may see.

pub mod dto;

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use self::dto::{
    CreateCustomFieldRequest, CustomFieldList, CustomFieldResponse, ObjectTypeDto,
    UpdateCustomFieldRequest,
};
use crate::error::ApiError;
use crate::extract::{AdminCaller, Caller, ValidJson, ValidQuery};
use crate::{AppState, blocking};

/// Filters of the definition list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCustomFieldsQuery {
    /// Only fields of this object type.
    pub object_type: Option<ObjectTypeDto>,
}

/// List custom fields.
///
/// Administrators and agents see every definition, retired ones included (`active: false`);
/// customers see the active ticket fields that are not hidden from them.
#[utoipa::path(
    tag = "custom-fields",
    operation_id = "list_custom_fields",
    params(ListCustomFieldsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The definitions", body = CustomFieldList))
)]
#[get("/custom-fields")]
pub async fn list_custom_fields(
    caller: Caller,
    state: web::Data<AppState>,
    query: ValidQuery<ListCustomFieldsQuery>,
) -> Result<web::Json<CustomFieldList>, ApiError> {
    let object_type = query.into_inner().object_type.map(Into::into);
    let items = blocking(&state, move |s| {
        s.list_custom_fields(&caller.0.principal, object_type)
    })
    .await?;
    Ok(web::Json(CustomFieldList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Define a custom field.
///
/// The key is unique per object type (`409 key_taken`) and never changes. Dropdowns and
/// multiselects need options; `pattern` and `max_length` are for text types, `min`/`max` for
/// numbers and dates; the default must be a valid value. `queue_ids`/`type_ids` scope ticket
/// and article fields (absent: everywhere).
#[utoipa::path(
    tag = "custom-fields",
    operation_id = "create_custom_field",
    request_body = CreateCustomFieldRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = CustomFieldResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "This object type has a field with this key (`key_taken`)"),
        (status = 422, description = "An invalid definition; see `errors`"),
    )
)]
#[post("/custom-fields")]
pub async fn create_custom_field(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateCustomFieldRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner().into();
    let field = blocking(&state, move |s| {
        s.create_custom_field(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/custom-fields/{}", field.id),
        ))
        .json(CustomFieldResponse::from(field)))
}

/// Get a custom field.
#[utoipa::path(
    tag = "custom-fields",
    operation_id = "get_custom_field",
    params(("id" = i64, Path, description = "Field id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The definition", body = CustomFieldResponse),
        (status = 404, description = "No such field, or not visible to you"),
    )
)]
#[get("/custom-fields/{id}")]
pub async fn get_custom_field(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CustomFieldResponse>, ApiError> {
    let id = id.into_inner();
    let field = blocking(&state, move |s| s.get_custom_field(&caller.0.principal, id)).await?;
    Ok(web::Json(field.into()))
}

/// Change a custom field.
///
/// A type change is refused while values exist (`422 type_in_use` on `field_type`; text to
/// textarea is allowed). `options` replaces the list: an option that values use must stay
/// (retire it with `retired: true`), else `422 option_in_use`. `active: false` retires the
/// whole field; its values stay.
#[utoipa::path(
    tag = "custom-fields",
    operation_id = "update_custom_field",
    params(("id" = i64, Path, description = "Field id")),
    request_body = UpdateCustomFieldRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed definition", body = CustomFieldResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such field"),
        (status = 422, description = "An invalid change; see `errors`"),
    )
)]
#[patch("/custom-fields/{id}")]
pub async fn update_custom_field(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateCustomFieldRequest>,
) -> Result<web::Json<CustomFieldResponse>, ApiError> {
    let id = id.into_inner();
    let input = body.into_inner().into();
    let field = blocking(&state, move |s| {
        s.update_custom_field(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(field.into()))
}

/// Delete a custom field.
///
/// Only a field without values can be deleted; otherwise `409 field_in_use` — retire it with
/// `active: false` instead.
#[utoipa::path(
    tag = "custom-fields",
    operation_id = "delete_custom_field",
    params(("id" = i64, Path, description = "Field id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such field"),
        (status = 409, description = "Values of the field exist (`field_in_use`)"),
    )
)]
#[delete("/custom-fields/{id}")]
pub async fn delete_custom_field(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_custom_field(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
