#![doc = include_str!("../README.md")]

pub mod csv;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod metrics;
pub mod observe;
pub mod openapi;
pub mod request_id;
pub mod routes;
pub mod security_headers;
pub mod spa;

use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;
use vakt_service::{ServiceResult, Services};

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::openapi::{ApiDoc, RouteTable};

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest JSON body accepted, in bytes.
    pub max_json_body_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// The built SPA (`frontend/dist`), if it should be served.
    pub static_dir: Option<PathBuf>,
    /// If set, `/metrics` requires `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Largest attachment file in an upload, in bytes.
    pub max_attachment_bytes: usize,
    /// Largest multipart upload as a whole, in bytes.
    pub max_upload_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_json_body_bytes: 1024 * 1024,
            trust_forwarded_for: false,
            static_dir: None,
            metrics_token: None,
            max_attachment_bytes: 25 * 1024 * 1024,
            max_upload_bytes: 100 * 1024 * 1024,
        }
    }
}

/// Shared state of all workers.
#[derive(Debug)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// HTTP settings.
    pub config: HttpConfig,
    /// Request metrics of this process.
    pub metrics: Metrics,
}

impl AppState {
    /// State for `services` with `config`.
    pub fn new(services: Services, config: HttpConfig) -> Self {
        services.set_resource_renderer(std::sync::Arc::new(routes::webhooks::ApiRenderer));
        Self {
            services,
            config,
            metrics: Metrics::default(),
        }
    }
}

/// Runs a use case on the blocking thread pool (diesel is synchronous), carrying the request
/// id into the log lines written there. A panic there becomes a 500.
pub async fn blocking<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&Services) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    let services = state.services.clone();
    let id = request_id::current();
    web::block(move || request_id::with_thread(id, || work(&services)))
        .await
        .map_err(|_| ApiError::internal("a blocking task panicked"))?
        .map_err(ApiError::from)
}

/// Registers all documented routes and splits the result into the app and its document.
fn assemble() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let (app, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
        .configure(routes::system)
        .split_for_parts();
    (app, openapi::finalize(doc))
}

/// The OpenAPI document, exactly as served at `/api/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    assemble().1
}

/// The complete application: API, documentation, fallback/SPA, middleware.
pub fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, doc) = assemble();
    let routes = web::Data::new(RouteTable::from_document(&doc));
    app.app_data(state)
        .app_data(routes)
        .app_data(web::PathConfig::default().error_handler(|error, _| {
            ApiError::new(
                "invalid_path",
                format!("A path parameter is malformed: {error}"),
            )
            .into()
        }))
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", doc))
        .route(
            "/api/docs",
            web::get().to(|| async {
                actix_web::HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/api/docs/"))
                    .finish()
            }),
        )
        .configure(routes::kb::public::configure)
        .default_service(web::to(spa::fallback))
        .wrap(from_fn(idempotency::idempotency))
        .wrap(
            DefaultHeaders::new()
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::REFERRER_POLICY, "same-origin")),
        )
        .wrap(from_fn(security_headers::security_headers))
        .wrap(from_fn(observe::observe))
}
