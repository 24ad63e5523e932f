//! Garbage input of every kind gets a problem+json 4xx, never a 500.

use serde_json::json;
use vakt_http::HttpConfig;
use vakt_service::ServiceConfig;

use crate::support::{TestApp, TestDb};

both_backends! {
    fn malformed_bodies_get_precise_problems(app) {
        let admin = app.admin_token();
        let auth = format!("Bearer {admin}");
        let json_headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
        app.request("POST", "/api/v1/users", &json_headers, Some(b"{\"email\": ")).assert_problem(400, "malformed_json");
        app.request("POST", "/api/v1/users", &json_headers, Some(b"{\"name\": \"x\",")).assert_problem(400, "malformed_json");
        app.request("POST", "/api/v1/users", &json_headers, Some(b"")).assert_problem(400, "malformed_json");
        app.request("POST", "/api/v1/users", &json_headers, Some(&[0xff, 0xfe, 0x00])).assert_problem(400, "malformed_json");
        let doc = app.request("POST", "/api/v1/users", &json_headers, Some(b"[]")).assert_problem(422, "validation_failed");
        assert!(doc["errors"]["body"].is_array(), "{doc}");
        let form = [("authorization", auth.as_str()), ("content-type", "application/x-www-form-urlencoded")];
        app.request("POST", "/api/v1/users", &form, Some(b"email=a")).assert_problem(415, "unsupported_media_type");
        app.request("POST", "/api/v1/users", &[("authorization", auth.as_str())], Some(b"{}")).assert_problem(415, "unsupported_media_type");
        app.request("POST", "/api/v1/auth/login", &[("content-type", "text/plain")], Some(b"hi")).assert_problem(415, "unsupported_media_type");
        // Vendor JSON types are JSON too.
        let ok = app.request("POST", "/api/v1/auth/login", &[("content-type", "application/vnd.api+json")],
            Some(json!({"email": "a@b.no", "password": "x"}).to_string().as_bytes()));
        ok.assert_problem(401, "invalid_credentials");
    }

    fn unknown_routes_wrong_methods_and_bad_parameters(app) {
        let admin = app.admin_token();
        app.get("/api/v1/nothing-here", Some(&admin)).assert_problem(404, "not_found");
        app.get("/api", None).assert_problem(404, "not_found");
        let wrong = app.delete("/api/v1/users", Some(&admin));
        wrong.assert_problem(405, "method_not_allowed");
        assert_eq!(wrong.header("allow"), Some("GET, POST"));
        let wrong = app.request("PUT", "/api/v1/users/12", &[], None);
        wrong.assert_problem(405, "method_not_allowed");
        assert_eq!(wrong.header("allow"), Some("GET, PATCH"));
        app.get("/api/v1/users/abc", Some(&admin)).assert_problem(400, "invalid_path");
        app.get("/api/v1/users/99999999999999999999999", Some(&admin)).assert_problem(400, "invalid_path");
        let doc = app.get("/api/v1/users?limit=many", Some(&admin)).assert_problem(422, "validation_failed");
        assert!(doc["errors"]["limit"].is_array(), "{doc}");
        let doc = app.get("/api/v1/users?active=perhaps", Some(&admin)).assert_problem(422, "validation_failed");
        assert!(doc["errors"]["active"].is_array(), "{doc}");
        let doc = app.get("/api/v1/users?color=red", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["color"][0], "unknown_field");
    }

    fn every_response_carries_a_request_id(app) {
        let response = app.get("/api/v1/me", None);
        let id = response.header("x-request-id").unwrap().to_owned();
        assert_eq!(id.len(), 16);
        let echoed = app.request("GET", "/healthz", &[("x-request-id", "lb-7f3a.1")], None);
        assert_eq!(echoed.header("x-request-id"), Some("lb-7f3a.1"));
        let replaced = app.request("GET", "/healthz", &[("x-request-id", "<script>")], None);
        assert_ne!(replaced.header("x-request-id"), Some("<script>"));
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn bodies_over_the_limit_are_413() {
    let http = HttpConfig {
        max_json_body_bytes: 2048,
        ..HttpConfig::default()
    };
    let app = TestApp::start_with(TestDb::sqlite(), ServiceConfig::default(), http);
    let admin = app.admin_token();
    let name = "x".repeat(4096);
    let doc = app
        .post(
            "/api/v1/users",
            Some(&admin),
            &json!({"email": "a@b.no", "name": name}),
        )
        .assert_problem(413, "payload_too_large");
    assert!(doc["detail"].as_str().unwrap().contains("2048"));
}
