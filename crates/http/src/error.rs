//! One error type for the API, rendered as RFC 7807 `application/problem+json` with a stable
//! `code` from one table. Internal causes are logged (with the request id), never sent.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use vakt_domain::FieldErrors;
use vakt_service::{AuthFailure, ServiceError};

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The generic problem codes: code, HTTP status, title. Conflicts carry their own codes
/// (`email_taken`, `last_admin`, …) listed in docs/API-DESIGN.md.
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    ("bad_request", 400, "Bad request"),
    ("malformed_json", 400, "Malformed JSON"),
    ("invalid_path", 400, "Invalid path parameter"),
    ("invalid_query", 400, "Invalid query parameter"),
    ("unauthorized", 401, "Authentication required"),
    ("invalid_credentials", 401, "Invalid credentials"),
    ("invalid_token", 401, "Invalid token"),
    ("token_expired", 401, "Token expired"),
    ("second_factor_required", 401, "Second factor required"),
    ("invalid_second_factor", 401, "Invalid second factor"),
    (
        "two_factor_enrolment_required",
        403,
        "Two-factor enrolment required",
    ),
    ("forbidden", 403, "Forbidden"),
    ("token_scope", 403, "Token scope too narrow"),
    ("not_found", 404, "Not found"),
    ("method_not_allowed", 405, "Method not allowed"),
    ("conflict", 409, "Conflict"),
    ("gone", 410, "Gone"),
    ("precondition_failed", 412, "Precondition failed"),
    ("payload_too_large", 413, "Payload too large"),
    ("unsupported_media_type", 415, "Unsupported media type"),
    ("validation_failed", 422, "Validation failed"),
    ("too_many_requests", 429, "Too many requests"),
    ("internal_error", 500, "Internal server error"),
    ("service_unavailable", 503, "Service unavailable"),
];

/// An RFC 7807 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:vakt:problem:validation_failed",
    "title": "Validation failed",
    "status": 422,
    "detail": "The request has invalid fields.",
    "code": "validation_failed",
    "errors": {"email": ["must be a valid email address"]},
    "error_codes": {"email": ["invalid_email"]}
}))]
pub struct Problem {
    /// `urn:vakt:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Validation messages by field (422 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// Stable codes of the validation messages, by field (same order as `errors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_codes: Option<BTreeMap<String, Vec<String>>>,
}

/// An error on its way to becoming a problem+json response (boxed: it travels in many `Result`s).
#[derive(Debug)]
pub struct ApiError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    status: StatusCode,
    code: &'static str,
    title: &'static str,
    detail: String,
    errors: Option<FieldErrors>,
    headers: Vec<(HeaderName, String)>,
    internal: Option<String>,
}

/// The internal cause of a 5xx, attached to the response for the logging middleware.
#[derive(Debug, Clone)]
pub struct InternalCause(pub String);

fn lookup(code: &str) -> (StatusCode, &'static str) {
    ERROR_CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, status, title)| {
            (
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                *title,
            )
        })
        .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, "Internal server error"))
}

impl ApiError {
    /// An error with a generic code from [`ERROR_CODES`].
    pub fn new(code: &'static str, detail: impl Into<String>) -> Self {
        let (status, title) = lookup(code);
        Self(Box::new(Inner {
            status,
            code,
            title,
            detail: detail.into(),
            errors: None,
            headers: Vec::new(),
            internal: None,
        }))
    }

    /// A 409 with a specific code (e.g. `email_taken`).
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        let mut error = Self::new("conflict", detail);
        error.0.code = code;
        error
    }

    /// A 422 with field errors.
    pub fn validation(errors: FieldErrors) -> Self {
        let mut error = Self::new("validation_failed", "The request has invalid fields.");
        error.0.errors = Some(errors);
        error
    }

    /// A 500; `cause` is logged, not sent.
    pub fn internal(cause: impl Into<String>) -> Self {
        let mut error = Self::new(
            "internal_error",
            "Something went wrong on our side. The request id identifies it in the server log.",
        );
        error.0.internal = Some(cause.into());
        error
    }

    /// The generic problem for a bare HTTP status (used to normalise foreign error responses).
    pub fn from_status(status: StatusCode) -> Self {
        let code = ERROR_CODES
            .iter()
            .find(|(_, s, _)| *s == status.as_u16())
            .map_or("bad_request", |(code, _, _)| *code);
        let mut error = Self::new(code, status.canonical_reason().unwrap_or("Error"));
        error.0.status = status;
        error
    }

    /// Adds a response header (`Retry-After`, `Allow`, `WWW-Authenticate`).
    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.0.headers.push((name, value.into()));
        self
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.0.code
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The problem document.
    pub fn problem(&self) -> Problem {
        let inner = &self.0;
        let (errors, error_codes) = match &inner.errors {
            None => (None, None),
            Some(fields) => {
                let mut messages = BTreeMap::new();
                let mut codes = BTreeMap::new();
                for (field, list) in fields.iter() {
                    messages.insert(
                        field.to_owned(),
                        list.iter().map(|e| e.message.clone()).collect(),
                    );
                    codes.insert(
                        field.to_owned(),
                        list.iter().map(|e| e.code.to_owned()).collect(),
                    );
                }
                (Some(messages), Some(codes))
            }
        };
        Problem {
            problem_type: format!("urn:vakt:problem:{}", inner.code),
            title: inner.title.to_owned(),
            status: inner.status.as_u16(),
            detail: inner.detail.clone(),
            code: inner.code.to_owned(),
            errors,
            error_codes,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.0.status.as_u16(),
            self.0.code,
            self.0.detail
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.0.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        for (name, value) in &self.0.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                response.insert_header((name.clone(), value));
            }
        }
        let mut response = response.body(serde_json::to_vec(&self.problem()).unwrap_or_default());
        if let Some(cause) = &self.0.internal {
            response
                .extensions_mut()
                .insert(InternalCause(cause.clone()));
        }
        response
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Unauthorized(failure) => {
                let (code, detail) = match failure {
                    AuthFailure::Missing => (
                        "unauthorized",
                        "Send an access token or API token as `Authorization: Bearer <token>`.",
                    ),
                    AuthFailure::InvalidCredentials => {
                        ("invalid_credentials", "The email or password is wrong.")
                    }
                    AuthFailure::InvalidToken => ("invalid_token", "The token is not valid."),
                    AuthFailure::ExpiredToken => ("token_expired", "The token has expired."),
                    AuthFailure::SecondFactorRequired => (
                        "second_factor_required",
                        "Send the code of your authenticator app (or a recovery code) as `otp`.",
                    ),
                    AuthFailure::InvalidSecondFactor => (
                        "invalid_second_factor",
                        "The code is wrong or was already used.",
                    ),
                };
                Self::new(code, detail)
                    .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"vakt\"")
            }
            ServiceError::Forbidden(detail) => Self::new("forbidden", detail),
            ServiceError::NotFound(entity) => Self::new(
                "not_found",
                format!("The {entity} does not exist or is not visible to you."),
            ),
            ServiceError::Validation(errors) => Self::validation(errors),
            ServiceError::Conflict { code, detail } => Self::conflict(code, detail),
            ServiceError::Gone { code, detail } => {
                let mut error = Self::new("gone", detail);
                error.0.code = code;
                error
            }
            ServiceError::PreconditionFailed => Self::new(
                "precondition_failed",
                "The resource was changed since you loaded it (If-Match does not match its ETag). Reload and try again.",
            ),
            ServiceError::TooManyAttempts { retry_after_secs } => Self::new(
                "too_many_requests",
                format!("Too many failed attempts. Try again in {retry_after_secs} seconds."),
            )
            .with_header(header::RETRY_AFTER, retry_after_secs.to_string()),
            ServiceError::Unavailable(cause) => {
                let mut error = Self::new(
                    "service_unavailable",
                    "A dependency is temporarily unavailable. Try again shortly.",
                );
                error.0.internal = Some(cause);
                error.with_header(header::RETRY_AFTER, "5")
            }
            ServiceError::Internal(cause) => Self::internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_maps_to_its_status() {
        let mut seen = std::collections::HashSet::new();
        for (code, status, _) in ERROR_CODES {
            assert!(seen.insert(code), "duplicate {code}");
            assert_eq!(ApiError::new(code, "x").status().as_u16(), *status);
        }
    }

    #[test]
    fn internal_causes_stay_out_of_the_document() {
        let error = ApiError::internal("SELECT * FROM secrets failed");
        let body = serde_json::to_string(&error.problem()).unwrap();
        assert!(!body.contains("SELECT"), "{body}");
        assert!(body.contains("\"code\":\"internal_error\""));
    }

    #[test]
    fn foreign_statuses_get_a_generic_code() {
        assert_eq!(
            ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED).code(),
            "method_not_allowed"
        );
        assert_eq!(
            ApiError::from_status(StatusCode::IM_A_TEAPOT)
                .status()
                .as_u16(),
            418
        );
    }
}
