//! "Forgot password": ask for a mailed link, then set a new password with its token.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::identity::client_info;
use crate::{AppState, blocking};

/// Whose password to reset.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "kari@uio.no"}))]
pub struct PasswordResetRequest {
    /// The account's email (case-insensitive).
    #[validate(length(min = 1, max = 254))]
    pub email: String,
}

/// The mailed token and the new password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "0bq3…", "password": "a new long passphrase"}))]
pub struct PasswordResetConfirm {
    /// The `token` of the mailed link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    /// The new password (the same policy as everywhere: at least 8 characters).
    #[validate(length(max = 1024))]
    pub password: String,
}

/// The same answer for every well-formed request.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetAccepted {
    /// Always `accepted`.
    #[schema(example = "accepted")]
    pub status: &'static str,
    /// What happens next.
    pub detail: &'static str,
}

const ACCEPTED_DETAIL: &str = "If the address belongs to an account that signs in with a password, a mail with a link to choose a new one is on its way.";

/// Ask for a password-reset link.
///
/// Always 202 with the same body, whether or not the address belongs to an account (no
/// account enumeration). An active user (agent or customer) with a local password gets a mail
/// with a single-use link to `/reset-password?token=…` in the web interface; it expires after
/// `VAKT_PASSWORD_RESET_TTL_SECONDS` (1 h) and supersedes earlier links. Requests are throttled
/// per address and per client like logins: 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    operation_id = "request_password_reset",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted (the same for known and unknown addresses)", body = PasswordResetAccepted),
        (status = 429, description = "Too many requests for this address or from this client; see `Retry-After`"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.into_inner().email;
    let client = client_info(&req, state.config.trust_forwarded_for);
    blocking(&state, move |s| s.request_password_reset(&email, &client)).await?;
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        status: "accepted",
        detail: ACCEPTED_DETAIL,
    }))
}

/// Set a new password with a mailed token.
///
/// Uses the token up, sets the password and ends all of the user's sessions and refresh
/// tokens (API tokens stay). Sign in with the new password afterwards.
#[utoipa::path(
    tag = "auth",
    operation_id = "confirm_password_reset",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; all sessions ended"),
        (status = 410, description = "The token is unknown (`reset_token_invalid`), was used or replaced by a newer one (`reset_token_used`), or expired (`reset_token_expired`)"),
        (status = 422, description = "The password does not meet the policy (on `password`); the token stays valid"),
        (status = 429, description = "Too many refused tokens from this client; see `Retry-After`"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let client = client_info(&req, state.config.trust_forwarded_for);
    blocking(&state, move |s| {
        s.confirm_password_reset(&body.token, &body.password, &client)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
