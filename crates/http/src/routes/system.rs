//! Health, readiness and metrics for operators, load balancers and Prometheus.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;

/// Health or readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok` (alive) or `ready`.
    #[schema(example = "ready")]
    pub status: String,
    /// Checks that were made, each true when it passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<ReadinessChecks>,
}

/// The readiness checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessChecks {
    /// The database answered.
    pub database: bool,
    /// All migrations are applied.
    pub migrations: bool,
}

/// Is the process alive?
///
/// Answers without touching the database.
#[utoipa::path(
    tag = "system",
    operation_id = "healthz",
    responses((status = 200, description = "Alive", body = HealthResponse))
)]
#[get("/healthz")]
pub async fn healthz() -> web::Json<HealthResponse> {
    web::Json(HealthResponse {
        status: "ok".into(),
        checks: None,
    })
}

/// Is the server ready for traffic?
///
/// 200 when the database is reachable and every migration is applied; 503 otherwise.
#[utoipa::path(
    tag = "system",
    operation_id = "readyz",
    responses(
        (status = 200, description = "Ready", body = HealthResponse),
        (status = 503, description = "Not ready: the database is unreachable or migrations are pending"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<HealthResponse>, ApiError> {
    let services = state.services.clone();
    let readiness = web::block(move || services.readiness())
        .await
        .map_err(|_| ApiError::internal("readiness check panicked"))?;
    if !readiness.is_ready() {
        return Err(ApiError::new(
            "service_unavailable",
            format!(
                "Not ready: database reachable = {}, migrations applied = {}.",
                readiness.database, readiness.migrations
            ),
        ));
    }
    Ok(web::Json(HealthResponse {
        status: "ready".into(),
        checks: Some(ReadinessChecks {
            database: readiness.database,
            migrations: readiness.migrations,
        }),
    }))
}

/// Prometheus metrics of this process.
///
/// Request counts and latency histograms by route and status, and database pool usage, in the
/// Prometheus text format. When the server is configured with a metrics token, send it as
/// `Authorization: Bearer <token>`.
#[utoipa::path(
    tag = "system",
    operation_id = "metrics",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 401, description = "A metrics token is configured and was not sent"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    if let Some(expected) = &state.config.metrics_token {
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if sent != Some(expected.as_str()) {
            return Err(ApiError::new(
                "unauthorized",
                "Send the metrics token as `Authorization: Bearer <token>`.",
            )
            .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"vakt-metrics\""));
        }
    }
    let body = state.metrics.render(state.services.pool().status());
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}
