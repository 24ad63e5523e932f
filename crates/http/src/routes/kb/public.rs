//! The public knowledge base: server-rendered pages at `/kb` (a search and the newest
//! articles) and `/kb/{slug}-{id}` (one article), for `public` articles, without signing in and
//! indexable (a real `<title>`, a description, the canonical address and the translations as
//! `hreflang` alternates). The SPA's portal shows customers more; these pages are for everyone.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use vakt_domain::locale::SUPPORTED_LANGUAGES;
use vakt_service::kb::{KbArticle, KbListQuery};
use vakt_service::{PageRequest, ServiceError};

use super::public_text::chrome;
use crate::error::ApiError;
use crate::observe::OwnErrorPage;
use crate::{AppState, blocking};

const POLICY: &str = "default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;\
line-height:1.5;color:#1b1f24}a{color:#0b57d0}header{margin-bottom:1.5rem}li{margin:.4rem 0}\
.muted{color:#555;font-size:.9rem}";

/// Registers the pages (outside the API: they are HTML, not part of the OpenAPI document).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kb", web::get().to(index))
        .route("/kb/{slug_id}", web::get().to(article));
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The reader's language: `?lang=`, else the first supported one of `Accept-Language`.
fn language(req: &HttpRequest, asked: Option<&str>) -> Option<String> {
    if let Some(lang) = asked.filter(|l| SUPPORTED_LANGUAGES.contains(l)) {
        return Some(lang.to_owned());
    }
    let accept = req.headers().get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(|tag| {
            tag.trim()
                .split('-')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .map(|tag| {
            if tag == "no" || tag == "nn" {
                "nb".to_owned()
            } else {
                tag
            }
        })
        .find(|tag| SUPPORTED_LANGUAGES.contains(&tag.as_str()))
}

fn page(
    status: actix_web::http::StatusCode,
    lang: &str,
    title: &str,
    head: &str,
    body: &str,
) -> HttpResponse {
    let words = chrome(lang);
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>{head}\
<style>{STYLE}</style></head><body><header><a href=\"/kb?lang={lang}\">{}</a></header><main>{body}</main>\
<footer class=\"muted\"><p><a href=\"/\">{}</a>{}</p></footer></body></html>",
        escape(title),
        words.knowledge_base,
        words.sign_in,
        words.sign_in_rest,
    );
    let mut response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header((header::VARY, "Accept-Language"))
        .body(html);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    response.extensions_mut().insert(OwnErrorPage);
    response
}

fn not_found(lang: &str) -> HttpResponse {
    let words = chrome(lang);
    page(
        actix_web::http::StatusCode::NOT_FOUND,
        lang,
        &format!("{} · {}", words.not_found, words.knowledge_base),
        "<meta name=\"robots\" content=\"noindex\">",
        &format!(
            "<h1>{}</h1><p>{}</p>",
            words.not_found, words.not_found_text
        ),
    )
}

fn link(article: &KbArticle) -> String {
    format!("/kb/{}-{}", article.slug, article.id)
}

/// Query of the index page.
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    q: Option<String>,
    lang: Option<String>,
}

async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let lang = language(&req, query.lang.as_deref());
    let q = query.q.clone().filter(|q| !q.trim().is_empty());
    let filter = KbListQuery {
        q: q.clone(),
        language: lang.clone(),
        ..KbListQuery::default()
    };
    let page_request = PageRequest {
        limit: 50,
        after: None,
    };
    let found = blocking(&state, move |s| {
        match s.list_kb_articles(None, &filter, &page_request) {
            // A query with nothing to search for lists nothing rather than failing the page.
            Err(ServiceError::Validation(_)) => Ok(vakt_service::Page {
                items: Vec::new(),
                next_cursor: None,
            }),
            other => other,
        }
    })
    .await?;
    let shown = lang.clone().unwrap_or_else(|| "en".into());
    let words = chrome(&shown);
    let mut body = format!(
        "<h1>{kb}</h1><form method=\"get\" action=\"/kb\" role=\"search\">\
<input type=\"hidden\" name=\"lang\" value=\"{shown}\">\
<label for=\"q\">{search}</label> <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\"> \
<button type=\"submit\">{search}</button></form>",
        escape(q.as_deref().unwrap_or_default()),
        kb = words.knowledge_base,
        search = words.search,
    );
    if found.items.is_empty() {
        body.push_str(&format!("<p>{}</p>", words.no_articles));
    } else {
        body.push_str("<ul>");
        for article in &found.items {
            let snippet = article
                .search
                .as_ref()
                .and_then(|h| h.snippet.as_ref())
                .map(|s| format!("<br><span class=\"muted\">{}</span>", escape(&s.text)))
                .unwrap_or_default();
            body.push_str(&format!(
                "<li><a href=\"{}\" hreflang=\"{}\">{}</a>{snippet}</li>",
                link(article),
                escape(&article.language),
                escape(&article.title)
            ));
        }
        body.push_str("</ul>");
    }
    Ok(page(
        actix_web::http::StatusCode::OK,
        &shown,
        words.knowledge_base,
        &format!(
            "<meta name=\"description\" content=\"{}\">",
            words.description
        ),
        &body,
    ))
}

async fn article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let reader = language(&req, None).unwrap_or_else(|| "en".into());
    let slug_id = path.into_inner();
    let Some(id) = slug_id
        .rsplit('-')
        .next()
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return Ok(not_found(&reader));
    };
    let article = match blocking(&state, move |s| s.get_kb_article(None, id)).await {
        Ok(article) => article,
        Err(_) => return Ok(not_found(&reader)),
    };
    let canonical = link(&article);
    if canonical.trim_start_matches("/kb/") != slug_id {
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, canonical))
            .finish());
    }
    let description: String = article
        .body_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect();
    let mut head = format!(
        "<meta name=\"description\" content=\"{}\"><link rel=\"canonical\" href=\"{canonical}\">",
        escape(&description)
    );
    for translation in &article.translations {
        head.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"/kb/{}-{}\">",
            escape(&translation.language),
            escape(&translation.slug),
            translation.id
        ));
    }
    let mut body = format!(
        "<article><h1>{}</h1><div>{}</div></article>",
        escape(&article.title),
        article.body_html
    );
    let words = chrome(&article.language);
    if !article.attachments.is_empty() {
        body.push_str(&format!("<h2>{}</h2><ul>", words.files));
        for file in &article.attachments {
            body.push_str(&format!(
                "<li><a href=\"/api/v1/kb/articles/{}/attachments/{}\">{}</a></li>",
                article.id,
                file.id,
                escape(&file.filename)
            ));
        }
        body.push_str("</ul>");
    }
    if !article.translations.is_empty() {
        body.push_str(&format!("<p class=\"muted\">{} ", words.also_in));
        let links: Vec<String> = article
            .translations
            .iter()
            .map(|t| {
                format!(
                    "<a href=\"/kb/{}-{}\" hreflang=\"{}\" lang=\"{2}\">{}</a>",
                    escape(&t.slug),
                    t.id,
                    escape(&t.language),
                    escape(&t.title)
                )
            })
            .collect();
        body.push_str(&links.join(", "));
        body.push_str("</p>");
    }
    Ok(page(
        actix_web::http::StatusCode::OK,
        &article.language,
        &format!("{} · {}", article.title, words.knowledge_base),
        &head,
        &body,
    ))
}
