//! Personal API tokens.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use crate::support::text;

both_backends! {
    fn token_lifecycle_create_use_list_revoke(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let created = app.post("/api/v1/me/tokens", Some(&agent), &json!({"name": "Zabbix"}));
        assert_eq!(created.status, 201, "{}", created.text());
        assert_eq!(created.header("cache-control"), Some("no-store"));
        let body = created.json();
        let secret = text(&body, "secret");
        assert!(secret.starts_with("vakt_") && secret.len() > 40, "{secret}");
        assert!(secret.starts_with(&text(&body, "prefix")));
        assert_eq!(body["scope"], "full");
        let id = body["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/me/tokens/{id}").as_str()));

        let me = app.get("/api/v1/me", Some(&secret));
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["email"], "ola@example.com");

        let list = app.get("/api/v1/me/tokens", Some(&agent)).json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert!(list["items"][0].get("secret").is_none());
        assert!(list["items"][0]["last_used_at"].is_string(), "use is recorded: {list}");

        // Only the hash is stored.
        let mut conn = app.pool().get().unwrap();
        let hashes: Vec<String> = vakt_persistence::schema::api_tokens::table
            .select(vakt_persistence::schema::api_tokens::token_hash)
            .load(&mut *conn)
            .unwrap();
        assert_eq!(hashes.len(), 1);
        assert_ne!(hashes[0], secret);
        assert!(!hashes[0].contains(&secret[5..]));

        assert_eq!(app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&agent)).status, 204);
        app.get("/api/v1/me", Some(&secret)).assert_problem(401, "invalid_token");
        assert_eq!(app.get("/api/v1/me/tokens", Some(&agent)).json()["items"], json!([]));
        app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&agent)).assert_problem(404, "not_found");
    }

    fn tokens_are_private_to_their_owner(app) {
        let (_, ola) = app.create_agent("ola@example.com", false);
        let (_, kari) = app.create_agent("kari@example.com", false);
        let id = app.post("/api/v1/me/tokens", Some(&ola), &json!({"name": "mine"})).json()["id"].as_i64().unwrap();
        app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&kari)).assert_problem(404, "not_found");
        assert_eq!(app.get("/api/v1/me/tokens", Some(&kari)).json()["items"], json!([]));
        let admin = app.admin_token();
        app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&admin)).assert_problem(404, "not_found");
    }

    fn a_deactivated_users_tokens_stop_at_once(app) {
        let (id, agent) = app.create_agent("ola@example.com", false);
        let secret = text(&app.post("/api/v1/me/tokens", Some(&agent), &json!({"name": "ci"})).json(), "secret");
        assert_eq!(app.get("/api/v1/me", Some(&secret)).status, 200);
        let admin = app.admin_token();
        app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"active": false}));
        app.get("/api/v1/me", Some(&secret)).assert_problem(401, "invalid_token");
    }

    fn tokens_expire(app) {
        let admin = app.admin_token();
        let secret = text(&app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": "short", "expires_in_days": 1})).json(), "secret");
        assert_eq!(app.get("/api/v1/me", Some(&secret)).status, 200);
        app.clock.advance(Duration::days(2));
        app.get("/api/v1/me", Some(&secret)).assert_problem(401, "token_expired");
    }

    fn mail_gateway_tokens_are_for_admins_and_only_for_mail(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        app.post("/api/v1/me/tokens", Some(&agent), &json!({"name": "mx", "scope": "mail_gateway"}))
            .assert_problem(403, "forbidden");
        let admin = app.admin_token();
        let created = app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": "mx", "scope": "mail_gateway"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let secret = text(&created.json(), "secret");
        app.get("/api/v1/me", Some(&secret)).assert_problem(403, "token_scope");
        app.get("/api/v1/users", Some(&secret)).assert_problem(403, "token_scope");
    }

    fn token_input_is_validated(app) {
        let admin = app.admin_token();
        let doc = app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": " ", "expires_in_days": 0}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        assert_eq!(doc["error_codes"]["expires_in_days"][0], "out_of_range");
        let doc = app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": "x", "scope": "root"}))
            .assert_problem(422, "validation_failed");
        assert!(doc["errors"]["scope"].is_array(), "{doc}");
    }
}
