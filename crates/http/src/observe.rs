//! The outermost middleware: gives every request an id, logs one line per request, records
//! metrics, turns a panic into a 500, and makes every error response problem+json.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError, web};
use futures_util::FutureExt;

use crate::AppState;
use crate::error::{ApiError, InternalCause, PROBLEM_JSON};
use crate::request_id;

/// The request/response header carrying the request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The request id, stored in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The middleware function (mount with `actix_web::middleware::from_fn(observe)`).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(request_id::sanitize)
        .unwrap_or_else(request_id::generate);
    req.extensions_mut().insert(RequestId(id.clone()));
    let metrics = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let started = Instant::now();

    let outcome =
        request_id::scope(id.clone(), AssertUnwindSafe(next.call(req)).catch_unwind()).await;
    let finish = |status: u16, route: &str| {
        let elapsed = started.elapsed();
        if let Some(state) = &metrics {
            state.metrics.observe(&method, route, status, elapsed);
        }
        request_id::with_thread(Some(id.clone()), || {
            log::info!(
                target: "vakt::access",
                "method={method} path={path} route={route} status={status} duration_ms={:.2}",
                elapsed.as_secs_f64() * 1000.0
            )
        });
    };
    let log_cause = |response: &HttpResponse<BoxBody>| {
        if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
            request_id::with_thread(Some(id.clone()), || log::error!("{method} {path}: {cause}"));
        }
    };

    match outcome {
        Ok(Ok(response)) => {
            let mut response = response.map_into_boxed_body();
            if response.status().as_u16() >= 400
                && !is_problem(response.headers())
                && response
                    .response()
                    .extensions()
                    .get::<OwnErrorPage>()
                    .is_none()
            {
                let (request, old) = response.into_parts();
                response = ServiceResponse::new(request, normalise(old));
            }
            log_cause(response.response());
            set_request_id(response.headers_mut(), &id);
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            finish(response.status().as_u16(), &route);
            Ok(response)
        }
        // An error that escaped the app (rare) or a panic: answer it here, fully rendered.
        Ok(Err(error)) => {
            let mut response = error.error_response();
            if !is_problem(response.headers()) {
                response = normalise(response);
            }
            log_cause(&response);
            Err(escaped(response, &id, &finish))
        }
        Err(panic) => {
            let cause = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let response =
                ApiError::internal(format!("handler panicked: {cause}")).error_response();
            log_cause(&response);
            Err(escaped(response, &id, &finish))
        }
    }
}

fn escaped(mut response: HttpResponse<BoxBody>, id: &str, finish: &dyn Fn(u16, &str)) -> Error {
    set_request_id(response.headers_mut(), id);
    finish(response.status().as_u16(), "unmatched");
    InternalError::from_response("request failed", response).into()
}

fn set_request_id(headers: &mut HeaderMap, id: &str) {
    if let Ok(value) = HeaderValue::from_str(id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
}

/// Marks an error response whose body is a page meant for people (the public knowledge base's
/// "not found" page), which the normalisation to problem+json leaves as it is.
pub struct OwnErrorPage;

fn is_problem(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

/// Replaces a non-problem error body (from actix itself or a third-party service) with the
/// generic problem for its status, keeping headers such as `Allow`.
fn normalise(old: HttpResponse<BoxBody>) -> HttpResponse<BoxBody> {
    let mut fresh = ApiError::from_status(old.status()).error_response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_becomes_a_problem_500_with_a_request_id() {
        let app = test::init_service(App::new().wrap(from_fn(observe)).route(
            "/boom",
            web::get().to(|| async { panic!("secret internals") as HttpResponse }),
        ))
        .await;
        let error =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .expect_err("the middleware answers with a rendered error");
        let response = error.error_response();
        assert_eq!(response.status().as_u16(), 500);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        assert!(response.headers().contains_key(REQUEST_ID_HEADER));
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("\"code\":\"internal_error\""), "{text}");
        assert!(
            !text.contains("secret internals"),
            "the cause is logged, not sent: {text}"
        );
    }

    #[actix_web::test]
    async fn foreign_error_bodies_are_normalised_to_problems() {
        let app = test::init_service(App::new().wrap(from_fn(observe)).route(
            "/teapot",
            web::get().to(|| async { HttpResponse::ImATeapot().body("plain text") }),
        ))
        .await;
        let response =
            test::call_service(&app, test::TestRequest::get().uri("/teapot").to_request()).await;
        assert_eq!(response.status().as_u16(), 418);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
    }
}
