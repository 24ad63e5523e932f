//! Saved searches: named ticket-list queries, private or shared with a group, with counts.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::saved_searches::{SavedSearch, SavedSearchInput};
use vakt_service::tickets::{COUNT_CAP, TicketQuery};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AgentCaller, ValidJson, ValidQuery};
use crate::routes::tickets::ListTicketsQuery;
use crate::routes::tickets::dto::{IdNameDto, PersonDto};
use crate::{AppState, blocking};

/// A saved search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchResponse {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "Open printer trouble")]
    pub name: String,
    /// The query string of `GET /api/v1/tickets` (without `limit` and `cursor`).
    #[schema(example = "q=printer&state_type=new,open&sort=-priority")]
    pub query: String,
    /// Who made it.
    pub owner: PersonDto,
    /// Shared with this group's agents.
    pub group: Option<IdNameDto>,
    /// Made by you (you may change it).
    pub mine: bool,
    /// Matching tickets you can see (with `with_counts=true`), at most 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// True when there are more than `count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count_capped: Option<bool>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<SavedSearch> for SavedSearchResponse {
    fn from(s: SavedSearch) -> Self {
        Self {
            id: s.id,
            name: s.name,
            query: s.query,
            owner: s.owner.into(),
            group: s.group.map(Into::into),
            mine: s.mine,
            count: None,
            count_capped: None,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Saved searches.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchList {
    /// Yours and those shared with your groups, by name.
    pub items: Vec<SavedSearchResponse>,
}

/// Options of the list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSavedSearchesQuery {
    /// Also count the matching tickets of each (capped at 1000).
    #[serde(default)]
    pub with_counts: bool,
}

/// A new saved search.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Open printer trouble", "query": "q=printer&state_type=new,open", "group_id": 1}))]
pub struct CreateSavedSearchRequest {
    /// Name.
    #[validate(length(max = 100))]
    pub name: String,
    /// A query string of `GET /api/v1/tickets`.
    #[validate(length(max = 2000))]
    pub query: String,
    /// Share with this group (you need `ro` there).
    pub group_id: Option<i64>,
}

/// Changes to a saved search.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSavedSearchRequest {
    /// Name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// Query string.
    #[validate(length(max = 2000))]
    pub query: Option<String>,
    /// Shared group; `null` makes it private.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub group_id: Option<Option<i64>>,
}

/// Parses a stored query string as the ticket list would; errors name the `query` field.
fn parse_query(text: &str) -> Result<TicketQuery, ApiError> {
    let invalid = |message: String| {
        ApiError::validation(FieldErrors::single(
            "query",
            ValidationError::new("invalid_query", message),
        ))
    };
    let text = text.trim_start_matches('?');
    let (custom, rest): (Vec<_>, Vec<_>) = form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .partition(|(k, _)| k.starts_with("cf."));
    let rest = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(rest)
        .finish();
    let params: ListTicketsQuery =
        serde_urlencoded::from_str(&rest).map_err(|e| invalid(e.to_string()))?;
    if params.cursor.is_some() || params.limit.is_some() {
        return Err(invalid("must not contain limit or cursor".into()));
    }
    let query = params
        .into_query_with(&custom)
        .map_err(|errors| invalid(errors.to_string()))?;
    vakt_service::tickets::parse_sort(query.sort.as_deref())
        .map_err(|_| invalid("sort is not a sortable column".into()))?;
    Ok(query)
}

/// Checks the `cf.` filters and sort of a query against the field definitions; errors name
/// the `query` field.
fn check_fields(
    s: &vakt_service::Services,
    principal: &vakt_domain::Principal,
    query: &TicketQuery,
) -> Result<(), vakt_service::ServiceError> {
    s.check_ticket_query(principal, query).map_err(|e| match e {
        vakt_service::ServiceError::Validation(errors) => {
            vakt_service::ServiceError::Validation(FieldErrors::single(
                "query",
                ValidationError::new("invalid_query", errors.to_string()),
            ))
        }
        other => other,
    })
}

/// List saved searches.
#[utoipa::path(
    tag = "saved-searches",
    operation_id = "list_saved_searches",
    params(ListSavedSearchesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Yours and your groups'", body = SavedSearchList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/saved-searches")]
pub async fn list_saved_searches(
    caller: AgentCaller,
    state: web::Data<AppState>,
    options: ValidQuery<ListSavedSearchesQuery>,
) -> Result<web::Json<SavedSearchList>, ApiError> {
    let with_counts = options.into_inner().with_counts;
    let principal = caller.0.principal.clone();
    let searches = blocking(&state, move |s| s.list_saved_searches(&principal)).await?;
    let mut items = Vec::new();
    for search in searches {
        let mut item = SavedSearchResponse::from(search);
        if with_counts {
            // A stored query that no longer parses (e.g. a removed filter) counts nothing.
            if let Ok(query) = parse_query(&item.query) {
                let principal = caller.0.principal.clone();
                let (count, capped) = blocking(&state, move |s| {
                    s.count_tickets(&principal, &query, COUNT_CAP)
                })
                .await?;
                item.count = Some(count);
                item.count_capped = Some(capped);
            }
        }
        items.push(item);
    }
    Ok(web::Json(SavedSearchList { items }))
}

/// Save a search.
#[utoipa::path(
    tag = "saved-searches",
    operation_id = "create_saved_search",
    request_body = CreateSavedSearchRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Saved", body = SavedSearchResponse),
        (status = 403, description = "Not an agent, or sharing with a group you do not belong to"),
    )
)]
#[post("/saved-searches")]
pub async fn create_saved_search(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateSavedSearchRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let query = parse_query(&body.query)?;
    let input = SavedSearchInput {
        name: Some(body.name),
        query: Some(body.query),
        group_id: Some(body.group_id),
    };
    let saved = blocking(&state, move |s| {
        check_fields(s, &caller.0.principal, &query)?;
        s.create_saved_search(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/saved-searches/{}", saved.id),
        ))
        .json(SavedSearchResponse::from(saved)))
}

/// Get a saved search.
#[utoipa::path(
    tag = "saved-searches",
    operation_id = "get_saved_search",
    params(("id" = i64, Path, description = "Saved search id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved search", body = SavedSearchResponse),
        (status = 404, description = "No such saved search visible to you"),
    )
)]
#[get("/saved-searches/{id}")]
pub async fn get_saved_search(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<SavedSearchResponse>, ApiError> {
    let id = id.into_inner();
    let saved = blocking(&state, move |s| s.get_saved_search(&caller.0.principal, id)).await?;
    Ok(web::Json(saved.into()))
}

/// Change a saved search (its owner).
#[utoipa::path(
    tag = "saved-searches",
    operation_id = "update_saved_search",
    params(("id" = i64, Path, description = "Saved search id")),
    request_body = UpdateSavedSearchRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = SavedSearchResponse),
        (status = 403, description = "Shared with you, but not yours"),
        (status = 404, description = "No such saved search visible to you"),
    )
)]
#[patch("/saved-searches/{id}")]
pub async fn update_saved_search(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateSavedSearchRequest>,
) -> Result<web::Json<SavedSearchResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let query = body.query.as_deref().map(parse_query).transpose()?;
    let input = SavedSearchInput {
        name: body.name,
        query: body.query,
        group_id: body.group_id,
    };
    let saved = blocking(&state, move |s| {
        if let Some(query) = &query {
            check_fields(s, &caller.0.principal, query)?;
        }
        s.update_saved_search(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(saved.into()))
}

/// Delete a saved search (its owner).
#[utoipa::path(
    tag = "saved-searches",
    operation_id = "delete_saved_search",
    params(("id" = i64, Path, description = "Saved search id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Shared with you, but not yours"),
        (status = 404, description = "No such saved search visible to you"),
    )
)]
#[delete("/saved-searches/{id}")]
pub async fn delete_saved_search(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_saved_search(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
