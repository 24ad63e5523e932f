//! Sign-in, sessions, lockout.

use chrono::Duration;
use serde_json::json;
use vakt_http::HttpConfig;
use vakt_service::{LockoutPolicy, ServiceConfig};

use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TestDb, text};

fn login(app: &TestApp, email: &str, password: &str) -> crate::support::Response {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
}

both_backends! {
    fn login_returns_a_bearer_session_and_is_case_insensitive(app) {
        let response = login(&app, &ADMIN_EMAIL.to_uppercase(), ADMIN_PASSWORD);
        assert_eq!(response.status, 200, "{}", response.text());
        let body = response.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert!(text(&body, "refresh_token").len() >= 40);
        let me = app.get("/api/v1/me", Some(&text(&body, "access_token")));
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["email"], ADMIN_EMAIL);
        assert_eq!(me.json()["is_admin"], true);
        assert!(me.json().get("password_hash").is_none());
    }

    fn wrong_password_and_unknown_email_look_the_same(app) {
        let wrong = login(&app, ADMIN_EMAIL, "not-the-password");
        let unknown = login(&app, "nobody@example.com", "not-the-password");
        let a = wrong.assert_problem(401, "invalid_credentials");
        let b = unknown.assert_problem(401, "invalid_credentials");
        assert_eq!(a, b, "the answers must not reveal whether the account exists");
        assert_eq!(wrong.header("www-authenticate"), Some("Bearer realm=\"vakt\""));
    }

    fn an_inactive_agent_is_refused_at_once(app) {
        let admin = app.admin_token();
        let (id, token) = app.create_agent("kari@example.com", false);
        assert_eq!(app.get("/api/v1/me", Some(&token)).status, 200);
        let off = app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"active": false}));
        assert_eq!(off.status, 200, "{}", off.text());
        app.get("/api/v1/me", Some(&token)).assert_problem(401, "invalid_token");
        login(&app, "kari@example.com", "agent-password-1").assert_problem(401, "invalid_credentials");
        let on = app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"active": true}));
        assert_eq!(on.status, 200);
        assert_eq!(login(&app, "kari@example.com", "agent-password-1").status, 200);
    }

    fn repeated_failures_lock_the_account_for_the_window(app) {
        for _ in 0..5 {
            login(&app, ADMIN_EMAIL, "wrong").assert_problem(401, "invalid_credentials");
        }
        let locked = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD);
        locked.assert_problem(429, "too_many_requests");
        let retry: i64 = locked.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        // Unknown accounts lock the same way: locking reveals nothing.
        for _ in 0..5 {
            login(&app, "ghost@example.com", "wrong");
        }
        login(&app, "ghost@example.com", "wrong").assert_problem(429, "too_many_requests");
        app.clock.advance(Duration::minutes(16));
        assert_eq!(login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).status, 200);
    }

    fn refresh_rotates_and_reuse_ends_all_sessions(app) {
        let first = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).json();
        let old = text(&first, "refresh_token");
        let second = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": old}));
        assert_eq!(second.status, 200, "{}", second.text());
        let second = second.json();
        assert_ne!(text(&second, "refresh_token"), old);
        assert_eq!(app.get("/api/v1/me", Some(&text(&second, "access_token"))).status, 200);
        // Within the grace period a second use is merely refused…
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": old})).assert_problem(401, "invalid_token");
        // …later it is treated as theft: the newer token dies too.
        app.clock.advance(Duration::minutes(2));
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": old})).assert_problem(401, "invalid_token");
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": text(&second, "refresh_token")}))
            .assert_problem(401, "invalid_token");
    }

    fn logout_revokes_the_refresh_token(app) {
        let session = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).json();
        let refresh = text(&session, "refresh_token");
        assert_eq!(app.post("/api/v1/auth/logout", None, &json!({"refresh_token": refresh})).status, 204);
        assert_eq!(app.post("/api/v1/auth/logout", None, &json!({"refresh_token": "unknown"})).status, 204);
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": refresh})).assert_problem(401, "invalid_token");
    }

    fn expired_and_forged_tokens_are_refused(app) {
        let token = app.admin_token();
        let mut forged = token.clone();
        forged.pop();
        forged.push(if token.ends_with('A') { 'B' } else { 'A' });
        app.get("/api/v1/me", Some(&forged)).assert_problem(401, "invalid_token");
        app.get("/api/v1/me", Some("garbage")).assert_problem(401, "invalid_token");
        app.request("GET", "/api/v1/me", &[("authorization", "Basic YWRtaW46YWRtaW4=")], None)
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/me", None).assert_problem(401, "unauthorized");
        app.clock.advance(Duration::minutes(16));
        app.get("/api/v1/me", Some(&token)).assert_problem(401, "token_expired");
    }

    fn a_refresh_token_expires(app) {
        let session = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).json();
        app.clock.advance(Duration::days(31));
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": text(&session, "refresh_token")}))
            .assert_problem(401, "token_expired");
    }
}

#[test]
fn failures_from_one_address_lock_that_address() {
    let config = ServiceConfig {
        lockout: LockoutPolicy {
            max_failures_per_address: 3,
            ..LockoutPolicy::default()
        },
        ..ServiceConfig::default()
    };
    let app = TestApp::start_with(TestDb::sqlite(), config, HttpConfig::default());
    for n in 0..3 {
        login(&app, &format!("user{n}@example.com"), "wrong")
            .assert_problem(401, "invalid_credentials");
    }
    login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).assert_problem(429, "too_many_requests");
}
