//! Sign-in and sessions.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::TokenPair;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::identity::client_info;
use crate::{AppState, blocking};

/// Credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "admin@localhost", "password": "correct horse battery"}))]
pub struct LoginRequest {
    /// The email (case-insensitive), or a customer's login name.
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    /// The password.
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
    /// The current code of the user's authenticator app, or one of their recovery codes; needed
    /// when the account has two-factor authentication (else 401 `second_factor_required`).
    #[validate(length(min = 1, max = 32))]
    pub otp: Option<String>,
}

/// A refresh token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[validate(length(min = 1, max = 200))]
    pub refresh_token: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single-use token for `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "Bearer".into(),
            expires_in: pair.expires_in,
            refresh_token: pair.refresh_token,
        }
    }
}

/// Sign in with email and password.
///
/// Returns a short-lived JWT access token and a single-use refresh token. A wrong password, an
/// unknown email and a deactivated account give the same answer. An account with two-factor
/// authentication also needs `otp`. When the policy requires a second factor the user has not
/// set up, the session may only set one up (everything else answers 403
/// `two_factor_enrolment_required`) until it is refreshed after enrolment. After repeated failures the
/// account (and the client address) is locked for a while: 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password (`invalid_credentials`); the account needs its second factor (`second_factor_required`: send `otp`) or the code was wrong (`invalid_second_factor`)"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    let client = client_info(&req, state.config.trust_forwarded_for);
    let pair = blocking(&state, move |s| {
        s.login(&body.email, &body.password, body.otp.as_deref(), &client)
    })
    .await?;
    Ok(web::Json(pair.into()))
}

/// Exchange a refresh token for a new session.
///
/// The refresh token is single use: the response carries a new one. Using a rotated token
/// again later ends all of the user's sessions (it suggests the token was stolen).
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh_session",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new session", body = TokenResponse),
        (status = 401, description = "Unknown, used, revoked or expired refresh token"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let token = body.into_inner().refresh_token;
    let pair = blocking(&state, move |s| s.refresh_session(&token)).await?;
    Ok(web::Json(pair.into()))
}

/// Sign out: revoke a refresh token.
///
/// Always answers 204, also for unknown tokens. The access token stays valid until it expires
/// (at most its `expires_in`); the SPA forgets it.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().refresh_token;
    blocking(&state, move |s| s.logout(&token)).await?;
    Ok(HttpResponse::NoContent().finish())
}
