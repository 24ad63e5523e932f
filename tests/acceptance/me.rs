//! The signed-in user's own profile.

use serde_json::json;

use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, text};

both_backends! {
    fn language_and_time_zone_are_stored_per_user(app) {
        let token = app.admin_token();
        let me = app.get("/api/v1/me", Some(&token)).json();
        assert!(me["language"].is_null() && me["time_zone"].is_null());
        let changed = app.patch("/api/v1/me", Some(&token), &json!({"language": "NB", "time_zone": "Europe/Oslo", "name": "Ola Admin"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        let again = app.get("/api/v1/me", Some(&token)).json();
        assert_eq!(again["language"], "nb");
        assert_eq!(again["time_zone"], "Europe/Oslo");
        assert_eq!(again["name"], "Ola Admin");
        // Omitted fields stay, null clears.
        let cleared = app.patch("/api/v1/me", Some(&token), &json!({"language": null})).json();
        assert!(cleared["language"].is_null());
        assert_eq!(cleared["time_zone"], "Europe/Oslo");
        let doc = app.patch("/api/v1/me", Some(&token), &json!({"language": "sv", "time_zone": "Mars/Base"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["language"][0], "unsupported_language");
        assert_eq!(doc["error_codes"]["time_zone"][0], "unknown_time_zone");
    }

    fn changing_my_password_needs_the_current_one(app) {
        let session = app.post("/api/v1/auth/login", None, &json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).json();
        let token = text(&session, "access_token");
        let doc = app.patch("/api/v1/me", Some(&token), &json!({"new_password": "another long one"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["current_password"][0], "required");
        let doc = app.patch("/api/v1/me", Some(&token), &json!({"new_password": "another long one", "current_password": "wrong"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["current_password"][0], "wrong_password");
        let ok = app.patch("/api/v1/me", Some(&token), &json!({"new_password": "another long one", "current_password": ADMIN_PASSWORD}));
        assert_eq!(ok.status, 200, "{}", ok.text());
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": text(&session, "refresh_token")}))
            .assert_problem(401, "invalid_token");
        assert!(!app.login(ADMIN_EMAIL, "another long one").is_empty());
    }

    fn customers_can_set_their_own_profile_too(app) {
        let (_, customer) = app.create_customer("kunde@example.com");
        let changed = app.patch("/api/v1/me", Some(&customer), &json!({"language": "de"}));
        assert_eq!(changed.status, 200);
        assert_eq!(changed.json()["kind"], "customer");
        app.patch("/api/v1/me", None, &json!({"language": "de"})).assert_problem(401, "unauthorized");
    }
}
