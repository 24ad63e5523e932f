//! Sessions: listing where one is signed in, ending sessions (at once), and administrators
//! ending a user's sessions.

use serde_json::{Value, json};

use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};

/// Signs in with a `User-Agent`; returns the whole token response.
fn sign_in(app: &TestApp, email: &str, password: &str, agent: &str) -> Value {
    let body = json!({"email": email, "password": password}).to_string();
    let r = app.request(
        "POST",
        "/api/v1/auth/login",
        &[("content-type", "application/json"), ("user-agent", agent)],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn access(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_owned()
}

fn sessions(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get("/api/v1/me/sessions", Some(token));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().unwrap().clone()
}

both_backends! {
    fn a_user_sees_their_sessions_and_ends_one_at_once(app) {
        let laptop = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "Firefox on Linux");
        app.clock.advance(chrono::Duration::minutes(5));
        let phone = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "Safari on iPhone");
        let listed = sessions(&app, &access(&laptop));
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0]["user_agent"], "Safari on iPhone");
        assert_eq!(listed[0]["current"], false);
        assert_eq!(listed[1]["user_agent"], "Firefox on Linux");
        assert_eq!(listed[1]["current"], true);
        assert_eq!(listed[1]["method"], "password");
        assert_eq!(listed[1]["client_address"], "127.0.0.1");

        let phone_session = listed[0]["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/me/sessions/{phone_session}"), Some(&access(&laptop))).status, 204);
        // The phone's access token stops at once, not when it expires; so does its refresh token.
        app.get("/api/v1/me", Some(&access(&phone))).assert_problem(401, "invalid_token");
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": phone["refresh_token"]}))
            .assert_problem(401, "invalid_token");
        assert_eq!(sessions(&app, &access(&laptop)).len(), 1);
        app.delete(&format!("/api/v1/me/sessions/{phone_session}"), Some(&access(&laptop)))
            .assert_problem(404, "not_found");
    }

    fn a_refresh_stays_in_its_session(app) {
        let first = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "curl/8");
        let before = sessions(&app, &access(&first));
        app.clock.advance(chrono::Duration::minutes(10));
        let renewed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first["refresh_token"]})).json();
        let after = sessions(&app, &access(&renewed));
        assert_eq!(after.len(), 1);
        assert_eq!(after[0]["id"], before[0]["id"]);
        assert_eq!(after[0]["current"], true);
        assert_eq!(after[0]["last_seen_at"], "2026-11-24T09:10:00Z");
        assert_eq!(after[0]["created_at"], "2026-11-24T09:00:00Z");
    }

    fn logout_ends_the_session_and_its_access_token(app) {
        let tokens = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "curl/8");
        assert_eq!(app.post("/api/v1/auth/logout", None, &json!({"refresh_token": tokens["refresh_token"]})).status, 204);
        app.get("/api/v1/me", Some(&access(&tokens))).assert_problem(401, "invalid_token");
    }

    fn ending_the_other_sessions_keeps_this_one(app) {
        let here = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "here");
        let there = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "there");
        let also = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD, "also there");
        let r = app.post("/api/v1/me/sessions/end-others", Some(&access(&here)), &json!({}));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["ended"], 2);
        assert_eq!(app.get("/api/v1/me", Some(&access(&here))).status, 200);
        for gone in [&there, &also] {
            app.get("/api/v1/me", Some(&access(gone))).assert_problem(401, "invalid_token");
        }
    }

    fn sessions_are_private_and_administrators_end_them(app) {
        let (ola, ola_token) = app.create_agent("ola@example.com", false);
        let (kari, kari_token) = app.create_agent("kari@example.com", false);
        let ola_session = sessions(&app, &ola_token)[0]["id"].as_i64().unwrap();
        app.delete(&format!("/api/v1/me/sessions/{ola_session}"), Some(&kari_token)).assert_problem(404, "not_found");
        let karis = sessions(&app, &kari_token);
        assert_eq!(karis.len(), 1, "only Kari's own: {karis:?}");
        assert_eq!(sessions(&app, &ola_token).len(), 1, "Ola's session lives on");
        app.get(&format!("/api/v1/users/{ola}/sessions"), Some(&kari_token)).assert_problem(403, "forbidden");
        app.delete(&format!("/api/v1/users/{ola}/sessions"), Some(&kari_token)).assert_problem(403, "forbidden");

        let admin = app.admin_token();
        let listed = app.get(&format!("/api/v1/users/{ola}/sessions"), Some(&admin)).json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let ended = app.delete(&format!("/api/v1/users/{ola}/sessions"), Some(&admin)).json();
        assert_eq!(ended["ended"], 1);
        app.get("/api/v1/me", Some(&ola_token)).assert_problem(401, "invalid_token");
        assert_eq!(app.get("/api/v1/me", Some(&kari_token)).status, 200);
        let entry = &app.get(&format!("/api/v1/audit-log?user_id={ola}&action=end_sessions"), Some(&admin)).json()["items"][0];
        assert_eq!(entry["after"], json!({"sessions_ended": 1}));
        app.get("/api/v1/users/999999/sessions", Some(&admin)).assert_problem(404, "not_found");
        let _ = kari;
    }

    fn api_tokens_are_not_sessions_and_survive_ending_them(app) {
        let admin = app.admin_token();
        let secret = app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": "script"})).json()["secret"].as_str().unwrap().to_owned();
        let r = app.post("/api/v1/me/sessions/end-others", Some(&secret), &json!({}));
        assert_eq!(r.json()["ended"], 1, "with a token every session is 'other'");
        app.get("/api/v1/me", Some(&admin)).assert_problem(401, "invalid_token");
        assert_eq!(app.get("/api/v1/me", Some(&secret)).status, 200);
    }
}
