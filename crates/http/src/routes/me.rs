//! The signed-in user and their personal API tokens.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::TokenScope;
use vakt_service::tokens::{ApiToken, NewApiToken};
use vakt_service::users::ProfileChanges;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{Caller, EnrollingCaller, ValidJson};
use crate::routes::users::UserResponse;
use crate::{AppState, blocking};

/// What a token may be used for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TokenScopeDto {
    /// Everything the owner may do.
    Full,
    /// Only `POST /api/v1/mail/inbound` (for `vakt mailgate`); administrators only.
    MailGateway,
}

impl From<TokenScope> for TokenScopeDto {
    fn from(scope: TokenScope) -> Self {
        match scope {
            TokenScope::Full => Self::Full,
            TokenScope::MailGateway => Self::MailGateway,
        }
    }
}

impl From<TokenScopeDto> for TokenScope {
    fn from(scope: TokenScopeDto) -> Self {
        match scope {
            TokenScopeDto::Full => Self::Full,
            TokenScopeDto::MailGateway => Self::MailGateway,
        }
    }
}

/// A personal API token (without its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenResponse {
    /// Id.
    pub id: i64,
    /// Name.
    #[schema(example = "Zabbix")]
    pub name: String,
    /// The first characters of the secret, to recognise it.
    #[schema(example = "vakt_Hq3k9Zp")]
    pub prefix: String,
    /// Scope.
    pub scope: TokenScopeDto,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Expiry, if any.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for ApiTokenResponse {
    fn from(token: ApiToken) -> Self {
        Self {
            id: token.id,
            name: token.name,
            prefix: token.prefix,
            scope: token.scope.into(),
            created_at: token.created_at,
            expires_at: token.expires_at,
            last_used_at: token.last_used_at,
        }
    }
}

/// A new token, with its secret (shown only this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiTokenResponse {
    /// The token.
    #[serde(flatten)]
    pub token: ApiTokenResponse,
    /// The secret: send as `Authorization: Bearer <secret>`. It cannot be shown again.
    pub secret: String,
}

/// The caller's tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    /// All active tokens, oldest first.
    pub items: Vec<ApiTokenResponse>,
}

/// Input for a new token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Zabbix", "expires_in_days": 365}))]
pub struct CreateApiTokenRequest {
    /// A name to recognise the token by.
    #[validate(length(max = 100))]
    pub name: String,
    /// Scope (default `full`).
    pub scope: Option<TokenScopeDto>,
    /// Lifetime in days (1–3650); no expiry when omitted.
    pub expires_in_days: Option<i64>,
}

/// Changes to one's own profile; omitted fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"language": "nb", "time_zone": "Europe/Oslo"}))]
pub struct UpdateMeRequest {
    /// Display name.
    #[validate(length(max = 200))]
    pub name: Option<String>,
    /// Interface language: `en`, `nl`, `nb` or `de`; `null` for the browser's.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
    /// IANA time zone such as `Europe/Oslo`; `null` for the browser's.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
    /// A new password (at least 8 characters); needs `current_password`. Ends all sessions.
    #[validate(length(max = 1024))]
    pub new_password: Option<String>,
    /// The current password, to confirm a password change.
    #[validate(length(max = 1024))]
    pub current_password: Option<String>,
}

/// Change my profile.
///
/// Name, interface language, time zone, and password (with the current one).
#[utoipa::path(
    tag = "me",
    operation_id = "update_me",
    request_body = UpdateMeRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed user", body = UserResponse))
)]
#[patch("/me")]
pub async fn update_me(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<UpdateMeRequest>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let body = body.into_inner();
    let changes = ProfileChanges {
        name: body.name,
        language: body.language,
        time_zone: body.time_zone,
        new_password: body.new_password,
        current_password: body.current_password,
    };
    let user = blocking(&state, move |s| s.update_me(&caller.0.principal, changes)).await?;
    Ok(web::Json(user.into()))
}

/// Who am I?
#[utoipa::path(
    tag = "me",
    operation_id = "get_me",
    security(("bearer" = [])),
    responses((status = 200, description = "The signed-in user", body = MeResponse))
)]
#[get("/me")]
pub async fn get_me(
    caller: EnrollingCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let unread =
        crate::routes::relations::unread_counts(&state, caller.0.principal.clone()).await?;
    Ok(web::Json(MeResponse {
        user: caller.0.user.into(),
        unread,
    }))
}

/// The signed-in user, with their unread counts (agents).
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    /// The user.
    #[serde(flatten)]
    pub user: UserResponse,
    /// Open tickets with articles you have not read (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<crate::routes::relations::UnreadCountsDto>,
}

/// List my API tokens.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_tokens",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's active tokens", body = ApiTokenList))
)]
#[get("/me/tokens")]
pub async fn list_tokens(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<ApiTokenList>, ApiError> {
    let tokens = blocking(&state, move |s| s.list_api_tokens(&caller.0.principal)).await?;
    Ok(web::Json(ApiTokenList {
        items: tokens.into_iter().map(Into::into).collect(),
    }))
}

/// Create an API token.
///
/// The response carries the secret once; only its hash is stored. Use it as
/// `Authorization: Bearer <secret>` wherever an access token is accepted.
#[utoipa::path(
    tag = "me",
    operation_id = "create_my_token",
    request_body = CreateApiTokenRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created, with the secret", body = CreatedApiTokenResponse),
        (status = 403, description = "Only administrators may create `mail_gateway` tokens"),
    )
)]
#[post("/me/tokens")]
pub async fn create_token(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = NewApiToken {
        name: body.name,
        scope: body.scope.map_or(TokenScope::Full, Into::into),
        expires_in_days: body.expires_in_days,
    };
    let (token, secret) = blocking(&state, move |s| s.create_api_token(&caller.0, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/me/tokens/{}", token.id)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedApiTokenResponse {
            token: token.into(),
            secret,
        }))
}

/// Revoke one of my API tokens.
#[utoipa::path(
    tag = "me",
    operation_id = "revoke_my_token",
    params(("id" = i64, Path, description = "Token id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked; the token stops working at once"),
        (status = 404, description = "No such active token of yours"),
    )
)]
#[delete("/me/tokens/{id}")]
pub async fn revoke_token(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| s.revoke_api_token(&caller.0.principal, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
