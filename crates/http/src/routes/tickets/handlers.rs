//! Ticket handlers.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::ticket::StateType;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::PageRequest;
use vakt_service::tickets::{
    COUNT_CAP, CustomerRef, NewArticle, NewTicket, OwnerQuery, TicketChanges, TicketQuery,
};
use validator::Validate;

use super::dto::{self, CreateTicketMultipart, CreateTicketRequest, TicketList, TicketResponse};
use super::{if_match, ticket_response};
use crate::error::ApiError;
use crate::extract::{Caller, JsonOrMultipart, ValidJson, WithFieldFilters};
use crate::routes::custom_fields::dto::{CustomFieldInputMap, from_wire};
use crate::{AppState, blocking};
use vakt_service::custom_fields::FieldFilter;

/// Declares a query-parameter struct holding every filter of the ticket list and its sort
/// (some sorts narrow the list), plus the given fields, with its conversion to the service
/// query: the list and its count take the same filters by construction.
macro_rules! ticket_filter_params {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize, Validate, IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// Queue id.
            pub queue_id: Option<i64>,
            /// State types, comma-separated (`new,open`).
            pub state_type: Option<String>,
            /// State id.
            pub state_id: Option<i64>,
            /// Owner: an agent id, `me` or `none`.
            pub owner_id: Option<String>,
            /// Responsible agent id.
            pub responsible_id: Option<i64>,
            /// Customer user id.
            pub customer_id: Option<i64>,
            /// Customer company id.
            pub company_id: Option<i64>,
            /// Priority levels, comma-separated (`4,5`).
            pub priority: Option<String>,
            /// Type id.
            pub type_id: Option<i64>,
            /// Created at or after (RFC 3339).
            pub created_after: Option<DateTime<Utc>>,
            /// Created before (RFC 3339).
            pub created_before: Option<DateTime<Utc>>,
            /// Updated at or after (RFC 3339).
            pub updated_after: Option<DateTime<Utc>>,
            /// Updated before (RFC 3339).
            pub updated_before: Option<DateTime<Utc>>,
            /// Only tickets in a pending state (`pending_reminder`, `pending_auto`) whose
            /// pending time is before this (RFC 3339): with the current time, the due
            /// reminders and automatic changes.
            pub pending_before: Option<DateTime<Utc>>,
            /// `created_at`, `updated_at`, `priority`, `number`, `title`, `state` (state type
            /// in life-cycle order: new, open, pending reminder, pending auto, closed, merged,
            /// removed), `owner` and `customer` (display name, ignoring case; none first),
            /// `pending_until` (lists only tickets with a pending time), `escalation_at`
            /// (agents; lists only tickets with an escalation time), `-` for descending; or
            /// `relevance` (the default with `q`; ranks the 300 most recent matches). Default
            /// `-updated_at`.
            pub sort: Option<String>,
            /// Full-text search over titles, numbers, subjects, bodies, senders and attachment
            /// names and text: words, `"phrases"`, `prefix*`, `-exclusion`, `subject:…`,
            /// `from:…` (docs/search.md). Customers never match internal notes.
            #[validate(length(max = 500))]
            pub q: Option<String>,
            /// Include archived tickets (closed longer ago than the archive age) in a search.
            #[serde(default)]
            pub include_archived: bool,
            /// `true`: only escalated tickets (an SLA deadline of a running clock has passed);
            /// `false`: only tickets that are not (agents).
            pub escalated: Option<bool>,
            /// `true`: only tickets with articles you have not read; `false`: only read ones
            /// (agents).
            pub unread: Option<bool>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// The service query of these parameters and the `cf.` ones; field errors for bad
            /// values.
            pub fn into_query_with(self, custom: &[(String, String)]) -> Result<TicketQuery, FieldErrors> {
                let mut query = self.into_query()?;
                query.custom = custom
                    .iter()
                    .filter_map(|(name, value)| FieldFilter::from_param(name, value))
                    .collect();
                Ok(query)
            }

            /// The service query of these parameters; field errors for bad values.
            pub fn into_query(self) -> Result<TicketQuery, FieldErrors> {
                filters_into_query(Filters {
                    queue_id: self.queue_id,
                    state_type: self.state_type,
                    state_id: self.state_id,
                    owner_id: self.owner_id,
                    responsible_id: self.responsible_id,
                    customer_id: self.customer_id,
                    company_id: self.company_id,
                    priority: self.priority,
                    type_id: self.type_id,
                    created_after: self.created_after,
                    created_before: self.created_before,
                    updated_after: self.updated_after,
                    updated_before: self.updated_before,
                    pending_before: self.pending_before,
                    sort: self.sort,
                    q: self.q,
                    include_archived: self.include_archived,
                    escalated: self.escalated,
                    unread: self.unread,
                })
            }
        }
    };
}

ticket_filter_params! {
    /// Filters, sort and paging of the ticket list.
    ListTicketsQuery {
        /// Page size, 1–200 (default 25).
        #[validate(range(min = 1, max = 200))]
        limit: Option<i64>,
        /// The `next_cursor` of the previous page.
        cursor: Option<String>,
    }
}

ticket_filter_params! {
    /// The filters of the ticket list, to count.
    CountTicketsQuery {}
}

/// The filter parameters, moved out of either query struct.
struct Filters {
    queue_id: Option<i64>,
    state_type: Option<String>,
    state_id: Option<i64>,
    owner_id: Option<String>,
    responsible_id: Option<i64>,
    customer_id: Option<i64>,
    company_id: Option<i64>,
    priority: Option<String>,
    type_id: Option<i64>,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    updated_after: Option<DateTime<Utc>>,
    updated_before: Option<DateTime<Utc>>,
    pending_before: Option<DateTime<Utc>>,
    sort: Option<String>,
    q: Option<String>,
    include_archived: bool,
    escalated: Option<bool>,
    unread: Option<bool>,
}

fn filters_into_query(f: Filters) -> Result<TicketQuery, FieldErrors> {
    let mut errors = FieldErrors::new();
    let state_types = f.state_type.as_deref().map(|list| {
        list.split(',')
            .filter_map(|name| {
                let parsed = StateType::parse(name.trim());
                if parsed.is_none() {
                    errors.add(
                        "state_type",
                        ValidationError::new("invalid", format!("{name:?} is not a state type")),
                    );
                }
                parsed
            })
            .collect::<Vec<_>>()
    });
    let owner = match f.owner_id.as_deref().map(str::trim) {
        None => None,
        Some("me") => Some(OwnerQuery::Me),
        Some("none") => Some(OwnerQuery::Nobody),
        Some(id) => match id.parse() {
            Ok(id) => Some(OwnerQuery::Id(id)),
            Err(_) => {
                errors.add(
                    "owner_id",
                    ValidationError::new("invalid", "must be an agent id, `me` or `none`"),
                );
                None
            }
        },
    };
    let priority_ids = f.priority.as_deref().map(|list| {
        list.split(',')
            .filter_map(|p| match p.trim().parse() {
                Ok(level) => Some(level),
                Err(_) => {
                    errors.add(
                        "priority",
                        ValidationError::new("invalid", "must be priority levels, e.g. 4,5"),
                    );
                    None
                }
            })
            .collect::<Vec<i64>>()
    });
    errors.into_result()?;
    Ok(TicketQuery {
        queue_id: f.queue_id,
        state_types,
        state_id: f.state_id,
        owner,
        responsible_id: f.responsible_id,
        customer_id: f.customer_id,
        company_id: f.company_id,
        priority_ids,
        type_id: f.type_id,
        created_after: f.created_after,
        created_before: f.created_before,
        updated_after: f.updated_after,
        updated_before: f.updated_before,
        sort: f.sort,
        q: f.q,
        include_archived: f.include_archived,
        escalated: f.escalated,
        pending_before: f.pending_before,
        unread: f.unread,
        watched_by_me: false,
        custom: Vec::new(),
    })
}

/// Changes to a ticket; omitted fields stay, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state_id": 2, "priority_id": 4}))]
pub struct UpdateTicketRequest {
    /// Title (`rw`).
    #[validate(length(max = 255))]
    pub title: Option<String>,
    /// Move to this queue (`move_into` there).
    pub queue_id: Option<i64>,
    /// State (`rw`).
    pub state_id: Option<i64>,
    /// Pending time; required for pending states.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub pending_until: Option<Option<DateTime<Utc>>>,
    /// Priority level (`priority`).
    pub priority_id: Option<i64>,
    /// Type (`rw`).
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub type_id: Option<Option<i64>>,
    /// Owner: yourself (take/steal), another agent (give, `rw`), or `null` (release).
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    /// Responsible agent (`rw`).
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub responsible_id: Option<Option<i64>>,
    /// Customer user (`rw`); `null` removes the customer.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub customer_id: Option<Option<i64>>,
    /// Customer by email (`rw`); unknown addresses become customer users.
    #[validate(length(max = 254))]
    pub customer_email: Option<String>,
    /// Service (`rw`; active services only); `null` removes it. The SLA follows.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub service_id: Option<Option<i64>>,
    /// Custom field values (`rw`; customers: the fields they may edit, nothing else); keys
    /// left out stay, `null` clears. Changes are in the history as `custom_field_changed`.
    pub custom_fields: Option<CustomFieldInputMap>,
}

fn customer_ref(
    id: Option<i64>,
    email: Option<String>,
    name: Option<String>,
    field: &str,
) -> Result<Option<CustomerRef>, ApiError> {
    match (id, email) {
        (Some(_), Some(_)) => Err(ApiError::validation(FieldErrors::single(
            field,
            ValidationError::new("ambiguous", "give either customer_id or customer_email"),
        ))),
        (Some(id), None) => Ok(Some(CustomerRef::Id(id))),
        (None, Some(email)) => Ok(Some(CustomerRef::Email { email, name })),
        (None, None) => Ok(None),
    }
}

/// Create a ticket with its first article.
///
/// Agents need `create` on the queue; customers may create tickets in queues open to customers
/// (and are always the ticket's customer). Send JSON, or `multipart/form-data` with the JSON in
/// a `ticket` part and files in `attachments` parts. With an `Idempotency-Key` header a retry
/// returns the ticket of the first request (`Idempotent-Replayed: true`).
#[utoipa::path(
    tag = "tickets",
    operation_id = "create_ticket",
    request_body(content(
        (CreateTicketRequest = "application/json"),
        (CreateTicketMultipart = "multipart/form-data"),
    )),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and request create one ticket")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` are set", body = TicketResponse),
        (status = 403, description = "No `create` right on the queue, or a field customers cannot set"),
    )
)]
#[post("/tickets")]
pub async fn create_ticket(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonOrMultipart<CreateTicketRequest>,
) -> Result<HttpResponse, ApiError> {
    let JsonOrMultipart { value, files } = body;
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let customer = customer_ref(
        value.customer_id,
        value.customer_email,
        value.customer_name,
        "customer_id",
    )?;
    let a = value.article;
    let attachments = dto::attachments(a.attachments, files, "article.attachments")
        .map_err(ApiError::validation)?;
    let input = NewTicket {
        title: value.title,
        queue_id: Some(value.queue_id),
        state_id: value.state_id,
        pending_until: value.pending_until,
        priority_id: value.priority_id,
        type_id: value.type_id,
        owner_id: value.owner_id,
        responsible_id: value.responsible_id,
        customer,
        service_id: value.service_id,
        article: NewArticle {
            kind: a
                .kind
                .map_or(vakt_service::tickets::ArticleKind::Reply, Into::into),
            channel: a.channel.map(Into::into),
            sender_type: a.sender_type.map(Into::into),
            subject: a.subject,
            body: a.body,
            body_html: a.body_html,
            to: a.to,
            cc: a.cc,
            time_accounted_minutes: a.time_accounted_minutes,
            attachments,
            custom_fields: from_wire(a.custom_fields),
            ..NewArticle::default()
        },
        idempotency_key: key,
        custom_fields: from_wire(value.custom_fields),
    };
    let (ticket, created) =
        blocking(&state, move |s| s.create_ticket(&caller.0.principal, input)).await?;
    let mut response = ticket_response(actix_web::http::StatusCode::CREATED, ticket);
    if !created {
        response.headers_mut().insert(
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// List tickets.
///
/// Only tickets the caller may see: agents those of queues where they have `ro` (and those they
/// own or are responsible for), customers their own (and their company's when allowed).
#[utoipa::path(
    tag = "tickets",
    operation_id = "list_tickets",
    params(ListTicketsQuery, ("cf.{key}" = Option<String>, Query, description = "Custom field filter: `cf.<key>=v` (equal; a multiselect has the option), `cf.<key>.in=a,b` (any of), `cf.<key>.from=` / `cf.<key>.to=` (numbers and dates, inclusive), `cf.<key>.set=true|false`; repeat for several fields"),),
    security(("bearer" = [])),
    responses((status = 200, description = "A page of tickets", body = TicketList))
)]
#[get("/tickets")]
pub async fn list_tickets(
    caller: Caller,
    state: web::Data<AppState>,
    query: WithFieldFilters<ListTicketsQuery>,
) -> Result<web::Json<TicketList>, ApiError> {
    let WithFieldFilters(query, custom) = query;
    let (limit, cursor) = (query.limit, query.cursor.clone());
    let query = query
        .into_query_with(&custom)
        .map_err(ApiError::validation)?;
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(limit, cursor.as_deref())?;
        s.list_tickets(&caller.0.principal, &query, &page)
    })
    .await?;
    Ok(web::Json(TicketList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// How many tickets a count shows (the list's filters and sort).
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketCount {
    /// Matching tickets you can see, at most 1000.
    pub count: i64,
    /// True when more than `count` match (show "1000+").
    pub capped: bool,
}

/// Count tickets.
///
/// How many tickets `GET /api/v1/tickets` with the same parameters would list in all its pages,
/// seen through the same rights (agents: queues with `ro` and their own tickets; customers:
/// their own and, when allowed, their company's). Counting stops at 1000 (`capped`), so a
/// count costs at most a thousand index entries at any volume.
#[utoipa::path(
    tag = "tickets",
    operation_id = "count_tickets",
    params(CountTicketsQuery, ("cf.{key}" = Option<String>, Query, description = "Custom field filter: `cf.<key>=v` (equal; a multiselect has the option), `cf.<key>.in=a,b` (any of), `cf.<key>.from=` / `cf.<key>.to=` (numbers and dates, inclusive), `cf.<key>.set=true|false`; repeat for several fields"),),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The count", body = TicketCount),
        (status = 403, description = "A customer asked about escalations"),
        (status = 422, description = "A bad filter or sort; see `errors`"),
    )
)]
#[get("/tickets/count")]
pub async fn count_tickets(
    caller: Caller,
    state: web::Data<AppState>,
    query: WithFieldFilters<CountTicketsQuery>,
) -> Result<web::Json<TicketCount>, ApiError> {
    let WithFieldFilters(query, custom) = query;
    let query = query
        .into_query_with(&custom)
        .map_err(ApiError::validation)?;
    let (count, capped) = blocking(&state, move |s| {
        s.count_tickets(&caller.0.principal, &query, COUNT_CAP)
    })
    .await?;
    Ok(web::Json(TicketCount { count, capped }))
}

/// Get a ticket by id or number.
#[utoipa::path(
    tag = "tickets",
    operation_id = "get_ticket",
    params(("ticket" = String, Path, description = "Ticket id or number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket; `ETag` is its version", body = TicketResponse),
        (status = 404, description = "No such ticket, or not visible to you"),
    )
)]
#[get("/tickets/{ticket}")]
pub async fn get_ticket(
    caller: Caller,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let ticket = blocking(&state, move |s| s.get_ticket(&caller.0.principal, &key)).await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, ticket))
}

/// Change a ticket.
///
/// Each field needs its right (see the field descriptions). Send `If-Match` with the `ETag` you
/// read to get 412 instead of overwriting someone else's change.
#[utoipa::path(
    tag = "tickets",
    operation_id = "update_ticket",
    params(
        ("ticket" = String, Path, description = "Ticket id or number"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read"),
    ),
    request_body = UpdateTicketRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed ticket", body = TicketResponse),
        (status = 403, description = "Missing a right for one of the changes"),
        (status = 404, description = "No such ticket, or not visible to you"),
        (status = 409, description = "Someone else owns it (`ticket_locked`)"),
        (status = 412, description = "The ticket changed since you read it"),
    )
)]
#[patch("/tickets/{ticket}")]
pub async fn update_ticket(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    body: ValidJson<UpdateTicketRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let body = body.into_inner();
    let customer = match (body.customer_id, body.customer_email) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(FieldErrors::single(
                "customer_id",
                ValidationError::new("ambiguous", "give either customer_id or customer_email"),
            )));
        }
        (Some(id), None) => Some(id.map(CustomerRef::Id)),
        (None, Some(email)) => Some(Some(CustomerRef::Email { email, name: None })),
        (None, None) => None,
    };
    let changes = TicketChanges {
        title: body.title,
        queue_id: body.queue_id,
        state_id: body.state_id,
        pending_until: body.pending_until,
        priority_id: body.priority_id,
        type_id: body.type_id,
        owner_id: body.owner_id,
        responsible_id: body.responsible_id,
        customer,
        service_id: body.service_id,
        custom_fields: body.custom_fields.map(from_wire),
        expected_version: if_match(req.headers())?,
    };
    let ticket = blocking(&state, move |s| {
        s.update_ticket(&caller.0.principal, &key, changes)
    })
    .await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, ticket))
}
