//! `Idempotency-Key` on every creating POST (issue 17 point 2): a middleware around
//! `/api/v1` that reserves the caller's key before the handler runs, stores the first
//! response, and answers a retry of the same request (same method, path and body) with that
//! response again (`Idempotent-Replayed: true`); the same key with another request is 422
//! `idempotency_key_reused`, and while the first request runs 409 `idempotency_key_in_use`.
//! The keys live in the same table as ticket creation's, whose own, transactional path
//! (`POST /api/v1/tickets`) this leaves alone.

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use futures_util::StreamExt;
use vakt_service::idempotency::{Begin, StoredResponse, request_hash};

use crate::error::ApiError;
use crate::extract::Caller;
use crate::{AppState, blocking};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The header on a replayed response.
pub const REPLAYED: &str = "idempotent-replayed";

/// POSTs that keep their own key handling or must not store their answer: ticket creation
/// (checked inside its transaction), sign-in, API tokens and two-factor secrets (a stored
/// response would keep a secret in the database for a day).
fn exempt(path: &str) -> bool {
    path == "/api/v1/tickets"
        || path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/me/tokens")
        || path.starts_with("/api/v1/me/two-factor")
}

/// Whether a response is the creation a retry must get again: `201`, `202`, or a merge.
fn remembered(path: &str, status: StatusCode) -> bool {
    status == StatusCode::CREATED
        || status == StatusCode::ACCEPTED
        || (status == StatusCode::OK && path.ends_with("/merge"))
}

/// The middleware (mount with `actix_web::middleware::from_fn(idempotency)`).
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = req.path().to_owned();
    let (Some(key), true, true, false) = (
        key,
        req.method() == Method::POST,
        path.starts_with("/api/v1/"),
        exempt(&path),
    ) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Without a valid caller the handler answers 401/403 itself.
    let Ok(caller) = req.extract::<Caller>().await else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let user = caller.0.principal.user_id;
    let limit = state
        .config
        .max_upload_bytes
        .max(state.config.max_json_body_bytes);
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(req.error_response(ApiError::new(
                "payload_too_large",
                format!("The body is larger than {limit} bytes."),
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_owned());
    let hash = request_hash("POST", &path_and_query, &body);
    req.set_payload(Payload::from(body));
    let scope = format!("POST {path}");
    let begin = {
        let key = key.clone();
        blocking(&state, move |s| {
            s.begin_idempotent(user, &key, &scope, &hash)
        })
        .await
    };
    match begin {
        Err(error) => return Ok(req.error_response(error)),
        Ok(Begin::Replay(stored)) => {
            let mut response =
                HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
            response
                .content_type("application/json")
                .insert_header((REPLAYED, "true"));
            if let Some(location) = stored.location {
                response.insert_header((header::LOCATION, location));
            }
            return Ok(req.into_response(response.body(stored.body)));
        }
        Ok(Begin::Run) => {}
    }
    let response = match next.call(req).await {
        Ok(response) => response,
        Err(error) => {
            release(&state, user, key).await;
            return Err(error);
        }
    };
    if !remembered(&path, response.status()) {
        release(&state, user, key).await;
        return Ok(response.map_into_boxed_body());
    }
    let (req, response) = response.into_parts();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let status = response.status();
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body)
        .await
        .map_err(|_| ApiError::internal("a response body could not be read"))?;
    let stored = StoredResponse {
        status: status.as_u16(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        location,
    };
    if let Err(error) = blocking(&state, move |s| s.finish_idempotent(user, &key, &stored)).await {
        log::error!("the response of an idempotent request could not be stored: {error}");
    }
    Ok(ServiceResponse::new(req, head.set_body(bytes)).map_into_boxed_body())
}

async fn release(state: &web::Data<AppState>, user: i64, key: String) {
    if let Err(error) = blocking(state, move |s| s.release_idempotent(user, &key)).await {
        log::warn!("an idempotency key could not be released: {error}");
    }
}
