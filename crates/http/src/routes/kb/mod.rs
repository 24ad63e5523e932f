//! The knowledge base: `/kb/categories` (a tree owned by groups) and `/kb/articles` (search,
//! read, write, versions, history, attachments, votes). Reads work without signing in for
//! public articles; what anyone finds depends on who they are (ADR 0009).

pub mod articles;
pub mod categories;
pub mod dto;
pub mod extras;
pub mod public;
mod public_text;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the knowledge-base endpoints under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(categories::list_kb_categories)
        .service(articles::suggest_kb_articles)
        .service(categories::create_kb_category)
        .service(categories::get_kb_category)
        .service(categories::update_kb_category)
        .service(categories::delete_kb_category)
        .service(articles::list_kb_articles)
        .service(articles::create_kb_article)
        .service(articles::get_kb_article)
        .service(articles::update_kb_article)
        .service(articles::delete_kb_article)
        .service(articles::record_kb_deflection)
        .service(extras::list_kb_versions)
        .service(extras::get_kb_version)
        .service(extras::restore_kb_version)
        .service(extras::get_kb_article_history)
        .service(extras::list_kb_attachments)
        .service(extras::add_kb_attachments)
        .service(extras::download_kb_attachment)
        .service(extras::delete_kb_attachment)
        .service(extras::vote_kb_article);
}
