//! Tickets, articles, attachments, ownership, watchers and history.

mod articles;
pub mod dto;
mod handlers;
mod ownership;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

pub use handlers::{ListTicketsQuery, UpdateTicketRequest};
pub use ownership::WatcherRequest;

/// Registers the ticket routes.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(handlers::create_ticket)
        .service(handlers::list_tickets)
        // Before `/tickets/{ticket}`, which would take `count` for a ticket number.
        .service(handlers::count_tickets)
        .service(handlers::get_ticket)
        .service(handlers::update_ticket)
        .service(ownership::take_ticket)
        .service(ownership::steal_ticket)
        .service(ownership::release_ticket)
        .service(ownership::add_watcher)
        .service(ownership::remove_watcher)
        .service(ownership::ticket_history)
        .service(articles::create_article)
        .service(articles::list_articles)
        .service(articles::download_attachment);
}

/// The `ETag` of a ticket version.
fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Adds the ticket's `ETag` to a response.
fn with_etag(mut response: HttpResponse, version: i64) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// A ticket as the response body, with its `ETag` (and `Location` when it was created).
pub(crate) fn ticket_response(
    status: StatusCode,
    ticket: vakt_service::tickets::Ticket,
) -> HttpResponse {
    let version = ticket.version;
    let id = ticket.id;
    let mut response = HttpResponse::build(status);
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("/api/v1/tickets/{id}")));
    }
    with_etag(response.json(dto::TicketResponse::from(ticket)), version)
}

/// The version an `If-Match` header names: `None` without the header or for `*`. A value that
/// is not one of our ETags can never match, so it answers 412.
pub(crate) fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::from(vakt_service::ServiceError::PreconditionFailed))
}
