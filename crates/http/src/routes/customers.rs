//! Customer users and customer companies (agents; a customer's password and active flag:
//! administrators).

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_service::PageRequest;
use vakt_service::customers::{
    Company, CompanyInput, Customer, CustomerChanges, CustomerFilter, NewCustomer,
};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AgentCaller, ValidJson, ValidQuery};
use crate::routes::custom_fields::dto::{CustomFieldInputMap, CustomFieldMap, from_wire, to_wire};
use crate::{AppState, blocking};

/// A customer user.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerResponse {
    /// Id.
    pub id: i64,
    /// Email (lower case), unique among all users.
    #[schema(example = "kari@uio.no")]
    pub email: String,
    /// Display name.
    #[schema(example = "Kari Nordmann")]
    pub name: String,
    /// Login name for the portal (lower case), besides the email.
    #[schema(example = "kari")]
    pub login: Option<String>,
    /// Their company.
    pub company_id: Option<i64>,
    /// Whether they see their company's tickets.
    pub sees_company_tickets: bool,
    /// Inactive customers cannot sign in.
    pub active: bool,
    /// Whether a password is set (otherwise they cannot sign in).
    pub has_password: bool,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
    /// Custom field values by key (`GET /api/v1/custom-fields?object_type=customer`).
    pub custom_fields: CustomFieldMap,
}

impl From<Customer> for CustomerResponse {
    fn from(c: Customer) -> Self {
        Self {
            id: c.id,
            email: c.email,
            name: c.name,
            login: c.login,
            company_id: c.company_id,
            sees_company_tickets: c.sees_company_tickets,
            active: c.active,
            has_password: c.has_password,
            created_at: c.created_at,
            updated_at: c.updated_at,
            custom_fields: to_wire(c.custom_fields),
        }
    }
}

/// A page of customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    /// This page.
    pub items: Vec<CustomerResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters and paging for the customer list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCustomersQuery {
    /// Case-insensitive part of the name or email.
    #[validate(length(max = 200))]
    pub search: Option<String>,
    /// Only this company's customers.
    pub company_id: Option<i64>,
    /// Only active (`true`) or inactive (`false`) customers.
    pub active: Option<bool>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A new customer.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "kari@uio.no", "name": "Kari Nordmann", "login": "kari"}))]
pub struct CreateCustomerRequest {
    /// Email; unique among all users, case-insensitive.
    #[validate(length(max = 254))]
    pub email: String,
    /// Display name.
    #[validate(length(max = 200))]
    pub name: String,
    /// Login name: letters, digits, `.`, `_`, `-`; unique, case-insensitive.
    #[validate(length(max = 100))]
    pub login: Option<String>,
    /// Company; when omitted, the active company whose `email_domain` matches the email.
    pub company_id: Option<i64>,
    /// Whether they see their company's tickets (default false).
    #[serde(default)]
    pub sees_company_tickets: bool,
    /// Initial password, at least 8 characters (administrators only: 403 otherwise).
    #[validate(length(max = 1024))]
    pub password: Option<String>,
    /// Custom field values by key; required customer fields must be given.
    #[serde(default)]
    pub custom_fields: CustomFieldInputMap,
}

/// Changes to a customer; omitted fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"company_id": 4, "sees_company_tickets": true}))]
pub struct UpdateCustomerRequest {
    /// New email.
    #[validate(length(max = 254))]
    pub email: Option<String>,
    /// New display name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// New login name; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub login: Option<Option<String>>,
    /// New company; `null` removes them from their company.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub company_id: Option<Option<i64>>,
    /// Whether they see their company's tickets.
    pub sees_company_tickets: Option<bool>,
    /// New password; ends their sessions (administrators only: 403 otherwise).
    #[validate(length(max = 1024))]
    pub password: Option<String>,
    /// Deactivate or reactivate; deactivation stops their tokens at once (administrators only).
    pub active: Option<bool>,
    /// Custom field values; keys left out stay, `null` clears.
    pub custom_fields: Option<CustomFieldInputMap>,
}

/// A customer company.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "Universitetet i Oslo")]
    pub name: String,
    /// Mail domain of its people (lower case); new customers with this domain join it.
    #[schema(example = "uio.no")]
    pub email_domain: Option<String>,
    /// Notes.
    pub notes: String,
    /// Active.
    pub active: bool,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
    /// Custom field values by key (`GET /api/v1/custom-fields?object_type=company`).
    pub custom_fields: CustomFieldMap,
}

impl From<Company> for CompanyResponse {
    fn from(c: Company) -> Self {
        Self {
            id: c.id,
            name: c.name,
            email_domain: c.email_domain,
            notes: c.notes,
            active: c.active,
            created_at: c.created_at,
            updated_at: c.updated_at,
            custom_fields: to_wire(c.custom_fields),
        }
    }
}

/// A page of companies.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyList {
    /// This page.
    pub items: Vec<CompanyResponse>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Search and paging for the company list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCompaniesQuery {
    /// Case-insensitive part of the name.
    #[validate(length(max = 200))]
    pub search: Option<String>,
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A new company.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Universitetet i Oslo", "email_domain": "uio.no"}))]
pub struct CreateCompanyRequest {
    /// Name (unique).
    #[validate(length(max = 200))]
    pub name: String,
    /// Mail domain such as `uio.no`.
    #[validate(length(max = 253))]
    pub email_domain: Option<String>,
    /// Notes.
    #[validate(length(max = 10000))]
    pub notes: Option<String>,
    /// Active (default `true`).
    pub active: Option<bool>,
    /// Custom field values by key; required company fields must be given.
    #[serde(default)]
    pub custom_fields: CustomFieldInputMap,
}

/// Changes to a company; omitted fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email_domain": null}))]
pub struct UpdateCompanyRequest {
    /// New name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// New mail domain; `null` removes it.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub email_domain: Option<Option<String>>,
    /// New notes.
    #[validate(length(max = 10000))]
    pub notes: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
    /// Custom field values; keys left out stay, `null` clears.
    pub custom_fields: Option<CustomFieldInputMap>,
}

/// List customers.
///
/// Customer users by id with cursor paging; filter by `search` (name or email) and
/// `company_id`. For agents.
#[utoipa::path(
    tag = "customers",
    operation_id = "list_customers",
    params(ListCustomersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of customers", body = CustomerList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/customers")]
pub async fn list_customers(
    caller: AgentCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListCustomersQuery>,
) -> Result<web::Json<CustomerList>, ApiError> {
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
        let filter = CustomerFilter {
            search: query.search,
            company_id: query.company_id,
            active: query.active,
        };
        s.list_customers(&caller.0.principal, &filter, &page)
    })
    .await?;
    Ok(web::Json(CustomerList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create a customer.
///
/// Agents may create customers; only administrators may give them a password. Without
/// `company_id`, a customer whose email domain matches an active company's `email_domain`
/// joins that company.
#[utoipa::path(
    tag = "customers",
    operation_id = "create_customer",
    request_body = CreateCustomerRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = CustomerResponse),
        (status = 403, description = "Not an agent, or a password set by a non-administrator"),
        (status = 409, description = "The email (`email_taken`) or login (`login_taken`) is taken"),
    )
)]
#[post("/customers")]
pub async fn create_customer(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateCustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = NewCustomer {
        email: body.email,
        name: body.name,
        login: body.login,
        company_id: body.company_id,
        sees_company_tickets: body.sees_company_tickets,
        password: body.password,
        custom_fields: from_wire(body.custom_fields),
    };
    let customer = blocking(&state, move |s| {
        s.create_customer(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/customers/{}", customer.id),
        ))
        .json(CustomerResponse::from(customer)))
}

/// Get a customer.
#[utoipa::path(
    tag = "customers",
    operation_id = "get_customer",
    params(("id" = i64, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer", body = CustomerResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such customer"),
    )
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CustomerResponse>, ApiError> {
    let id = id.into_inner();
    let customer = blocking(&state, move |s| s.get_customer(&caller.0.principal, id)).await?;
    Ok(web::Json(customer.into()))
}

/// Change a customer.
///
/// Customers are deactivated, never deleted. `password` and `active` are for administrators
/// (403 otherwise); both end the customer's sessions.
#[utoipa::path(
    tag = "customers",
    operation_id = "update_customer",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = UpdateCustomerRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed customer", body = CustomerResponse),
        (status = 403, description = "Not an agent, or `password`/`active` set by a non-administrator"),
        (status = 404, description = "No such customer"),
        (status = 409, description = "The email (`email_taken`) or login (`login_taken`) is taken"),
    )
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateCustomerRequest>,
) -> Result<web::Json<CustomerResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let changes = CustomerChanges {
        email: body.email,
        name: body.name,
        login: body.login,
        company_id: body.company_id,
        sees_company_tickets: body.sees_company_tickets,
        password: body.password,
        active: body.active,
        custom_fields: body.custom_fields.map(from_wire),
    };
    let customer = blocking(&state, move |s| {
        s.update_customer(&caller.0.principal, id, changes)
    })
    .await?;
    Ok(web::Json(customer.into()))
}

/// List customer companies.
///
/// By id with cursor paging; `search` matches the name. For agents.
#[utoipa::path(
    tag = "customers",
    operation_id = "list_customer_companies",
    params(ListCompaniesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of companies", body = CompanyList),
        (status = 403, description = "Not an agent"),
    )
)]
#[get("/customer-companies")]
pub async fn list_companies(
    caller: AgentCaller,
    state: web::Data<AppState>,
    query: ValidQuery<ListCompaniesQuery>,
) -> Result<web::Json<CompanyList>, ApiError> {
    let query = query.into_inner();
    let page = blocking(&state, move |s| {
        let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
        s.list_companies(&caller.0.principal, query.search.as_deref(), &page)
    })
    .await?;
    Ok(web::Json(CompanyList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Create a customer company.
#[utoipa::path(
    tag = "customers",
    operation_id = "create_customer_company",
    request_body = CreateCompanyRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = CompanyResponse),
        (status = 403, description = "Not an agent"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/customer-companies")]
pub async fn create_company(
    caller: AgentCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateCompanyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = CompanyInput {
        name: Some(body.name),
        email_domain: Some(body.email_domain),
        notes: body.notes,
        active: body.active,
        custom_fields: Some(from_wire(body.custom_fields)),
    };
    let company = blocking(&state, move |s| {
        s.create_company(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/customer-companies/{}", company.id),
        ))
        .json(CompanyResponse::from(company)))
}

/// Get a customer company.
///
/// Its customers: `GET /api/v1/customers?company_id=…`.
#[utoipa::path(
    tag = "customers",
    operation_id = "get_customer_company",
    params(("id" = i64, Path, description = "Company id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The company", body = CompanyResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such company"),
    )
)]
#[get("/customer-companies/{id}")]
pub async fn get_company(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CompanyResponse>, ApiError> {
    let id = id.into_inner();
    let company = blocking(&state, move |s| s.get_company(&caller.0.principal, id)).await?;
    Ok(web::Json(company.into()))
}

/// Change a customer company.
///
/// Companies are deactivated, never deleted.
#[utoipa::path(
    tag = "customers",
    operation_id = "update_customer_company",
    params(("id" = i64, Path, description = "Company id")),
    request_body = UpdateCompanyRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed company", body = CompanyResponse),
        (status = 403, description = "Not an agent"),
        (status = 404, description = "No such company"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/customer-companies/{id}")]
pub async fn update_company(
    caller: AgentCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateCompanyRequest>,
) -> Result<web::Json<CompanyResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = CompanyInput {
        name: body.name,
        email_domain: body.email_domain,
        notes: body.notes,
        active: body.active,
        custom_fields: body.custom_fields.map(from_wire),
    };
    let company = blocking(&state, move |s| {
        s.update_company(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(company.into()))
}
