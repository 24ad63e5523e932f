//! Webhooks (administrators): `/webhooks` (subscriptions), `/webhooks/{id}/deliveries` (the
//! delivery log, redeliver) and `/settings/webhooks` (private targets, auto-disable). The
//! signature scheme and the events are in `docs/webhooks.md`; the design in ADR 0011.

pub mod deliveries;
pub mod dto;
pub mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;
use vakt_service::kb::KbArticle;
use vakt_service::tickets::Ticket;
use vakt_service::webhooks::ResourceRenderer;

use crate::routes::kb::dto::KbArticleResponse;
use crate::routes::tickets::dto::TicketResponse;

/// Registers the webhook endpoints under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(handlers::list_webhooks)
        .service(handlers::create_webhook)
        .service(handlers::get_webhook_settings)
        .service(handlers::set_webhook_settings)
        .service(handlers::get_webhook)
        .service(handlers::update_webhook)
        .service(handlers::delete_webhook)
        .service(deliveries::list_webhook_deliveries)
        .service(deliveries::get_webhook_delivery)
        .service(deliveries::redeliver_webhook_delivery);
}

/// Renders event resources with the API's own response types, so that a webhook body carries
/// exactly what a `GET` returns.
#[derive(Debug)]
pub struct ApiRenderer;

impl ResourceRenderer for ApiRenderer {
    fn ticket(&self, ticket: Ticket) -> serde_json::Value {
        serde_json::to_value(TicketResponse::from(ticket)).unwrap_or_default()
    }

    fn kb_article(&self, article: KbArticle) -> serde_json::Value {
        serde_json::to_value(KbArticleResponse::from(article)).unwrap_or_default()
    }
}
