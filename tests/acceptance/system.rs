//! Health, readiness, metrics, the documentation page and serving the SPA.

use vakt_http::HttpConfig;
use vakt_service::ServiceConfig;

use crate::support::{TestApp, TestDb};

both_backends! {
    fn health_and_readiness(app) {
        let health = app.get("/healthz", None);
        assert_eq!(health.status, 200);
        assert_eq!(health.json()["status"], "ok");
        let ready = app.get("/readyz", None);
        assert_eq!(ready.status, 200, "{}", ready.text());
        assert_eq!(ready.json()["checks"]["database"], true);
        assert_eq!(ready.json()["checks"]["migrations"], true);
    }

    fn metrics_count_requests_by_route_and_show_the_pool(app) {
        let admin = app.admin_token();
        app.get("/api/v1/users/1", Some(&admin));
        app.get("/api/v1/users/2", Some(&admin));
        let metrics = app.get("/metrics", None);
        assert_eq!(metrics.status, 200);
        assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
        let text = metrics.text();
        assert!(text.contains("vakt_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"200\"} 1"), "{text}");
        assert!(text.contains("vakt_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"404\"} 1"), "{text}");
        assert!(text.contains("vakt_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/auth/login\"} 1"), "{text}");
        assert!(text.contains("vakt_db_pool_max_connections 4"), "{text}");
    }

    fn the_documentation_page_and_document_are_served(app) {
        let redirect = app.agent_without_redirects().get(&format!("{}/api/docs", app.base_url())).call().unwrap();
        assert_eq!(redirect.status(), 308);
        assert_eq!(redirect.header("location"), Some("/api/docs/"));
        let page = app.get("/api/docs/", None);
        assert_eq!(page.status, 200);
        assert!(page.text().contains("swagger-ui"), "offline Swagger UI page");
        let bundle = app.get("/api/docs/swagger-ui-bundle.js", None);
        assert_eq!(bundle.status, 200, "the UI's JavaScript is bundled, not fetched from a CDN");
        let served = app.get("/api/openapi.json", None).json();
        let generated = serde_json::to_value(vakt_http::openapi_document()).unwrap();
        assert_eq!(served, generated);
    }
}

#[test]
fn metrics_can_require_a_token() {
    let http = HttpConfig {
        metrics_token: Some("s3cret".into()),
        ..HttpConfig::default()
    };
    let app = TestApp::start_with(TestDb::sqlite(), ServiceConfig::default(), http);
    app.get("/metrics", None)
        .assert_problem(401, "unauthorized");
    assert_eq!(app.get("/metrics", Some("s3cret")).status, 200);
}

#[test]
fn the_spa_is_served_with_history_fallback_and_cache_headers() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><meta name=\"csp-nonce\" content=\"__VAKT_CSP_NONCE__\"><title>Vakt SPA</title>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("assets/app-1a2b3c.js"),
        "console.log('vakt')",
    )
    .unwrap();
    std::fs::write(dist.path().join("favicon.svg"), "<svg/>").unwrap();
    let http = HttpConfig {
        static_dir: Some(dist.path().to_path_buf()),
        ..HttpConfig::default()
    };
    let app = TestApp::start_with(TestDb::sqlite(), ServiceConfig::default(), http);

    let index = app.get("/", None);
    assert_eq!(index.status, 200);
    assert!(index.text().contains("Vakt SPA"));
    assert_eq!(index.header("cache-control"), Some("no-store"));
    let deep = app.get("/agent/tickets/2026112410000017", None);
    assert_eq!(deep.status, 200, "client-side routes get the app");
    assert!(deep.text().contains("Vakt SPA"));
    let policy = deep.header("content-security-policy").unwrap();
    let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
    // Images may come from any https: origin ("Show images" in mail); nothing else may.
    assert!(
        directives.contains(&"img-src 'self' data: blob: https:"),
        "{policy}"
    );
    for strict in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(directives.contains(&strict), "{strict} in {policy}");
    }
    assert_eq!(
        policy.matches("https:").count(),
        1,
        "https: only for images: {policy}"
    );
    assert!(!policy.contains("http:"), "{policy}");
    assert!(
        !policy.contains("unsafe"),
        "nothing inline, nothing evaluated: {policy}"
    );
    // `<style>` elements need this page's nonce, which the page hands to the SPA, fresh each time.
    let nonce_of = |page: &str, policy: &str| {
        let style = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("style-src "))
            .unwrap()
            .to_owned();
        let nonce = style
            .strip_prefix("style-src 'self' 'nonce-")
            .and_then(|rest| rest.strip_suffix('\''))
            .unwrap_or_else(|| panic!("{style}"))
            .to_owned();
        assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
        assert!(
            page.contains(&format!("<meta name=\"csp-nonce\" content=\"{nonce}\">")),
            "{page}"
        );
        nonce
    };
    let first = nonce_of(&deep.text(), policy);
    let again = app.get("/agent/tickets/2026112410000017", None);
    let second = nonce_of(
        &again.text(),
        again.header("content-security-policy").unwrap(),
    );
    assert_ne!(first, second, "a nonce serves one page load");
    assert!(
        index.header("strict-transport-security").is_none(),
        "no HSTS on plain HTTP"
    );
    let asset = app.get("/assets/app-1a2b3c.js", None);
    assert_eq!(asset.status, 200);
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(asset.header("content-type").unwrap().contains("javascript"));
    app.get("/assets/missing.js", None)
        .assert_problem(404, "not_found");
    app.get("/robots.txt", None)
        .assert_problem(404, "not_found");
    assert_eq!(app.get("/favicon.svg", None).status, 200);
    let escape = app.get("/..%2f..%2fetc%2fpasswd", None);
    assert!(!escape.text().contains("root:"), "no path traversal");
    app.request("POST", "/agent/tickets", &[], None)
        .assert_problem(404, "not_found");
    app.get("/api/v1/unknown", None)
        .assert_problem(404, "not_found");
}

#[test]
fn without_a_built_spa_the_root_explains_itself() {
    let app = TestApp::start(TestDb::sqlite());
    let root = app.get("/", None);
    assert_eq!(root.status, 200);
    assert!(root.text().contains("/api/docs/"));
}

#[test]
fn hsts_is_sent_only_when_a_trusted_proxy_says_the_request_came_over_https() {
    let over_https = [("X-Forwarded-Proto", "https")];
    let untrusting = TestApp::start(TestDb::sqlite());
    let forged = untrusting.request("GET", "/readyz", &over_https, None);
    assert!(
        forged.header("strict-transport-security").is_none(),
        "a client's own header proves nothing"
    );

    let http = HttpConfig {
        trust_forwarded_for: true,
        ..HttpConfig::default()
    };
    let behind_proxy = TestApp::start_with(TestDb::sqlite(), ServiceConfig::default(), http);
    let secure = behind_proxy.request("GET", "/readyz", &over_https, None);
    assert_eq!(
        secure.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let api_error = behind_proxy.request("GET", "/api/v1/tickets", &over_https, None);
    assert_eq!(api_error.status, 401);
    assert!(
        api_error.header("strict-transport-security").is_some(),
        "errors too"
    );
    let plain = behind_proxy.request("GET", "/readyz", &[("X-Forwarded-Proto", "http")], None);
    assert!(plain.header("strict-transport-security").is_none());
}
