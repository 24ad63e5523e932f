//! Two-factor authentication: the caller's enrolment and recovery codes, and the
//! administrators' policy and reset.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::identity::totp::{TotpEnrolment, TwoFactorPolicy, TwoFactorStatus};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, Caller, EnrollingCaller, ValidJson};
use crate::{AppState, blocking};

/// The caller's second factor.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorStatusResponse {
    /// Sign-in needs a code from the authenticator app.
    pub enabled: bool,
    /// The policy requires it of this account (it cannot be turned off).
    pub required: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
}

impl From<TwoFactorStatus> for TwoFactorStatusResponse {
    fn from(s: TwoFactorStatus) -> Self {
        Self {
            enabled: s.enabled,
            required: s.required,
            recovery_codes_left: s.recovery_codes_left,
        }
    }
}

/// The current password, to confirm a change of sign-in settings.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    /// The caller's current password.
    #[validate(length(min = 1, max = 1024))]
    pub current_password: String,
}

/// What an authenticator app needs; shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetupResponse {
    /// The secret in base32, for typing it into the app.
    #[schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")]
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

impl From<TotpEnrolment> for TwoFactorSetupResponse {
    fn from(e: TotpEnrolment) -> Self {
        Self {
            secret: e.secret,
            otpauth_uri: e.otpauth_uri,
            qr_svg: e.qr_svg,
        }
    }
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Six digits from the app.
    #[validate(length(min = 1, max = 32))]
    #[schema(example = "123456")]
    pub code: String,
}

/// New recovery codes; shown once, stored hashed. Each works once instead of an app code.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodesResponse {
    /// The codes.
    pub recovery_codes: Vec<String>,
}

/// Who must use a second factor with a local password.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorPolicyDto {
    /// Nobody must; everyone may.
    Optional,
    /// Administrators must.
    Admins,
    /// All agents must (administrators included).
    Agents,
}

impl From<TwoFactorPolicy> for TwoFactorPolicyDto {
    fn from(p: TwoFactorPolicy) -> Self {
        match p {
            TwoFactorPolicy::Optional => Self::Optional,
            TwoFactorPolicy::Admins => Self::Admins,
            TwoFactorPolicy::Agents => Self::Agents,
        }
    }
}

impl From<TwoFactorPolicyDto> for TwoFactorPolicy {
    fn from(p: TwoFactorPolicyDto) -> Self {
        match p {
            TwoFactorPolicyDto::Optional => Self::Optional,
            TwoFactorPolicyDto::Admins => Self::Admins,
            TwoFactorPolicyDto::Agents => Self::Agents,
        }
    }
}

/// The two-factor policy.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwoFactorPolicyBody {
    /// Who must use a second factor.
    pub required_for: TwoFactorPolicyDto,
}

fn codes(recovery_codes: Vec<String>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RecoveryCodesResponse { recovery_codes })
}

/// My second factor.
#[utoipa::path(
    tag = "me",
    operation_id = "get_my_two_factor",
    security(("bearer" = [])),
    responses((status = 200, description = "Whether it is on and required", body = TwoFactorStatusResponse))
)]
#[get("/me/two-factor")]
pub async fn get_my_two_factor(
    caller: EnrollingCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<TwoFactorStatusResponse>, ApiError> {
    let status = blocking(&state, move |s| s.two_factor_status(&caller.0)).await?;
    Ok(web::Json(status.into()))
}

/// Start setting up an authenticator app.
///
/// Returns a new secret with its QR code; two-factor authentication is on only after
/// `POST /api/v1/me/two-factor/confirm` with a code from the app. Starting again replaces an
/// unconfirmed setup.
#[utoipa::path(
    tag = "me",
    operation_id = "start_my_two_factor",
    request_body = PasswordConfirmation,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The secret and its QR code", body = TwoFactorSetupResponse),
        (status = 409, description = "Already on (`two_factor_enabled`)"),
        (status = 422, description = "Wrong current password (`wrong_password` on `current_password`)"),
    )
)]
#[post("/me/two-factor/setup")]
pub async fn start_my_two_factor(
    caller: EnrollingCaller,
    state: web::Data<AppState>,
    body: ValidJson<PasswordConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let password = body.into_inner().current_password;
    let setup = blocking(&state, move |s| s.start_two_factor(&caller.0, &password)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TwoFactorSetupResponse::from(setup)))
}

/// Confirm the authenticator app.
///
/// Turns two-factor authentication on and returns ten recovery codes (shown once). A session
/// that could only set up the second factor becomes a full one at its next refresh.
#[utoipa::path(
    tag = "me",
    operation_id = "confirm_my_two_factor",
    request_body = CodeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "On; the recovery codes", body = RecoveryCodesResponse),
        (status = 404, description = "No setup in progress"),
        (status = 422, description = "Wrong code (`wrong_code` on `code`)"),
    )
)]
#[post("/me/two-factor/confirm")]
pub async fn confirm_my_two_factor(
    caller: EnrollingCaller,
    state: web::Data<AppState>,
    body: ValidJson<CodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = body.into_inner().code;
    Ok(codes(
        blocking(&state, move |s| s.confirm_two_factor(&caller.0, &code)).await?,
    ))
}

/// Turn my second factor off.
#[utoipa::path(
    tag = "me",
    operation_id = "disable_my_two_factor",
    request_body = PasswordConfirmation,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Off; the recovery codes are gone"),
        (status = 404, description = "It was not on"),
        (status = 409, description = "The policy requires it (`two_factor_required`)"),
        (status = 422, description = "Wrong current password"),
    )
)]
#[delete("/me/two-factor")]
pub async fn disable_my_two_factor(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<PasswordConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let password = body.into_inner().current_password;
    blocking(&state, move |s| s.disable_two_factor(&caller.0, &password)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace my recovery codes.
#[utoipa::path(
    tag = "me",
    operation_id = "regenerate_my_recovery_codes",
    request_body = CodeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "New codes; the old ones stop working", body = RecoveryCodesResponse),
        (status = 404, description = "Two-factor authentication is not on"),
        (status = 422, description = "Wrong code"),
    )
)]
#[post("/me/two-factor/recovery-codes")]
pub async fn regenerate_my_recovery_codes(
    caller: Caller,
    state: web::Data<AppState>,
    body: ValidJson<CodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = body.into_inner().code;
    Ok(codes(
        blocking(&state, move |s| {
            s.regenerate_recovery_codes(&caller.0, &code)
        })
        .await?,
    ))
}

/// Reset a user's second factor.
///
/// For a lost phone: removes the user's authenticator app and recovery codes and ends their
/// sessions (audited). When the policy requires a second factor, their next sign-in sets up a
/// new one.
#[utoipa::path(
    tag = "users",
    operation_id = "reset_user_two_factor",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reset"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user, or no second factor"),
    )
)]
#[delete("/users/{id}/two-factor")]
pub async fn reset_user_two_factor(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| s.reset_two_factor(&caller.0.principal, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The two-factor policy.
#[utoipa::path(
    tag = "users",
    operation_id = "get_two_factor_policy",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who must use a second factor", body = TwoFactorPolicyBody),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/settings/two-factor")]
pub async fn get_two_factor_policy(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<TwoFactorPolicyBody>, ApiError> {
    let policy = blocking(&state, move |s| s.two_factor_policy(&caller.0.principal)).await?;
    Ok(web::Json(TwoFactorPolicyBody {
        required_for: policy.into(),
    }))
}

/// Set the two-factor policy.
///
/// Users it newly covers who have no second factor must set one up at their next password
/// sign-in (audited).
#[utoipa::path(
    tag = "users",
    operation_id = "set_two_factor_policy",
    request_body = TwoFactorPolicyBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new policy", body = TwoFactorPolicyBody),
        (status = 403, description = "Not an administrator"),
    )
)]
#[put("/settings/two-factor")]
pub async fn set_two_factor_policy(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<TwoFactorPolicyBody>,
) -> Result<web::Json<TwoFactorPolicyBody>, ApiError> {
    let value = body.into_inner().required_for.into();
    let policy = blocking(&state, move |s| {
        s.set_two_factor_policy(&caller.0.principal, value)
    })
    .await?;
    Ok(web::Json(TwoFactorPolicyBody {
        required_for: policy.into(),
    }))
}
