//! The fallback for everything no route matched: 405 for a known path with the wrong method,
//! problem+json 404 under `/api`, and otherwise the built SPA with history-API fallback.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::AppState;
use crate::error::ApiError;
use crate::openapi::RouteTable;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// What the built `index.html` holds where each response puts a fresh nonce
/// (`<meta name="csp-nonce" content="…">`, read by the SPA for the `<style>` elements it injects).
pub const CSP_NONCE_PLACEHOLDER: &str = "__VAKT_CSP_NONCE__";

/// The page policy of the SPA. Nothing inline is allowed: scripts only from our origin, and
/// `<style>` elements only with this response's nonce (Mantine's and the mail frame's; the
/// mail's `style` attributes are moved into the frame's sheet). Style properties set from
/// JavaScript (React's `style`) are not inline markup and need no allowance. Images alone may
/// come from any `https:` origin: a mail's remote images load once the reader clicks "Show
/// images" (the mail frame inherits this policy and narrows it further with its own); frames
/// and connections stay on our origin. Plain `http:` images stay blocked (mixed content on an
/// HTTPS installation).
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'nonce-{nonce}'; \
script-src 'self'; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; \
base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )
}

const NO_SPA_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Vakt</title></head><body><h1>Vakt is running</h1><p>The web interface has not been \
built (no <code>frontend/dist</code>). The API is documented at <a href=\"/api/docs/\">/api/docs/</a>.\
</p></body></html>";

/// The default service of the application.
pub async fn fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(methods) = routes.allowed(path) {
        return Err(ApiError::new(
            "method_not_allowed",
            format!(
                "{} is not allowed on {path}; use {}.",
                req.method(),
                methods.join(", ")
            ),
        )
        .with_header(header::ALLOW, methods.join(", ")));
    }
    let is_api = path == "/api" || path.starts_with("/api/");
    if is_api || !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return Err(ApiError::new(
            "not_found",
            format!("There is nothing at {path}."),
        ));
    }
    match &state.config.static_dir {
        Some(dir) if dir.join("index.html").is_file() => serve(&req, dir).await,
        _ if path == "/" => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NO_SPA_PAGE)),
        _ => Err(ApiError::new(
            "not_found",
            format!("There is nothing at {path}."),
        )),
    }
}

/// Serves a file of the built SPA, or `index.html` for client-side routes.
async fn serve(req: &HttpRequest, dir: &Path) -> Result<HttpResponse, ApiError> {
    let relative = req.path().trim_start_matches('/');
    if let Some(file) = safe_join(dir, relative).filter(|p| p.is_file()) {
        let cache = if relative.starts_with("assets/") {
            IMMUTABLE
        } else {
            "no-cache"
        };
        return open(req, &file, cache).await;
    }
    // A missing hashed asset is a 404, not the app (which would be parsed as JavaScript).
    if relative.starts_with("assets/") || Path::new(relative).extension().is_some() {
        return Err(ApiError::new(
            "not_found",
            format!("There is no file {relative}."),
        ));
    }
    index(dir.join("index.html")).await
}

/// `index.html` with a fresh style nonce, and the policy that allows it. Never cached: a nonce
/// serves one page load.
async fn index(file: PathBuf) -> Result<HttpResponse, ApiError> {
    let shown = file.display().to_string();
    let html = web::block(move || std::fs::read_to_string(file))
        .await
        .map_err(|_| ApiError::internal("reading index.html panicked"))?
        .map_err(|e| ApiError::internal(format!("cannot read {shown}: {e}")))?;
    let nonce = STANDARD.encode(rand::random::<[u8; 16]>());
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(&nonce),
        ))
        .body(html.replace(CSP_NONCE_PLACEHOLDER, &nonce)))
}

async fn open(
    req: &HttpRequest,
    file: &Path,
    cache: &'static str,
) -> Result<HttpResponse, ApiError> {
    let named = NamedFile::open_async(file)
        .await
        .map_err(|e| ApiError::internal(format!("cannot open {}: {e}", file.display())))?;
    let mut response = named.into_response(req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// Joins a URL path onto `dir`, refusing anything that could leave it.
fn safe_join(dir: &Path, relative: &str) -> Option<PathBuf> {
    if relative.is_empty() || relative.contains('\\') || relative.contains('\0') {
        return None;
    }
    let mut path = dir.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            _ => return None,
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let dir = Path::new("/srv/dist");
        assert_eq!(
            safe_join(dir, "assets/app.js"),
            Some(PathBuf::from("/srv/dist/assets/app.js"))
        );
        assert_eq!(safe_join(dir, "../etc/passwd"), None);
        assert_eq!(safe_join(dir, "assets/../../x"), None);
        assert_eq!(safe_join(dir, "/etc/passwd"), None);
        assert_eq!(safe_join(dir, ""), None);
    }
}
