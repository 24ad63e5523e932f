//! The webhook API: administrators only, the secret write-only, validation, and the SSRF
//! guard on `url`.

use serde_json::json;

use super::{Receiver, SECRET, allow_private, webhook};

both_backends! {
    fn administrators_manage_webhooks_and_never_see_the_secret(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let admin = app.admin_token();
        let created = webhook(&app, &receiver.url(), &["ticket.state_changed", "ticket.created"]);
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["events"], json!(["ticket.created", "ticket.state_changed"]));
        assert_eq!(created["queue_ids"], json!(null));
        assert_eq!(created["enabled"], true);
        assert!(created.get("secret").is_none(), "{created}");

        let changed = app.patch(
            &format!("/api/v1/webhooks/{id}"),
            Some(&admin),
            &json!({"queue_ids": [1], "name": "CRM"}),
        );
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["queue_ids"], json!([1]));
        assert_eq!(changed.json()["url"], receiver.url());
        let listed = app.get("/api/v1/webhooks", Some(&admin)).json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        assert!(!listed.to_string().contains(SECRET), "{listed}");
        let audit = app.get("/api/v1/audit-log?entity=webhook", Some(&admin)).json();
        assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
        assert!(!audit.to_string().contains(SECRET), "{audit}");

        let unknown = app.post(
            "/api/v1/webhooks",
            Some(&admin),
            &json!({"name": "x", "url": receiver.url(), "events": ["ticket.deleted"], "secret": "short"}),
        );
        let doc = unknown.assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["events[0]"], json!(["unknown_event"]), "{doc}");
        assert_eq!(doc["error_codes"]["secret"], json!(["invalid_length"]), "{doc}");

        assert_eq!(app.delete(&format!("/api/v1/webhooks/{id}"), Some(&admin)).status, 204);
        app.get(&format!("/api/v1/webhooks/{id}"), Some(&admin))
            .assert_problem(404, "not_found");
    }

    fn private_targets_are_refused_unless_allowed(app) {
        let admin = app.admin_token();
        for url in [
            "http://127.0.0.1:9/hook",
            "http://localhost:9/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.7/hook",
            "http://[::1]:9/hook",
            "http://0.0.0.0/hook",
        ] {
            let refused = app.post(
                "/api/v1/webhooks",
                Some(&admin),
                &json!({"name": "x", "url": url, "events": ["ticket.created"], "secret": SECRET}),
            );
            let doc = refused.assert_problem(422, "validation_failed");
            assert_eq!(doc["error_codes"]["url"], json!(["forbidden_target"]), "{url}: {doc}");
        }
        let ftp = app.post(
            "/api/v1/webhooks",
            Some(&admin),
            &json!({"name": "x", "url": "ftp://example.com/", "events": ["ticket.created"], "secret": SECRET}),
        );
        assert_eq!(ftp.assert_problem(422, "validation_failed")["error_codes"]["url"], json!(["invalid_url"]));
        let listed = app.get("/api/v1/webhooks", Some(&admin)).json();
        assert_eq!(listed["items"], json!([]), "nothing was stored");

        allow_private(&app, 50);
        let allowed = app.post(
            "/api/v1/webhooks",
            Some(&admin),
            &json!({"name": "x", "url": "http://127.0.0.1:9/hook", "events": ["ticket.created"], "secret": SECRET}),
        );
        assert_eq!(allowed.status, 201, "{}", allowed.text());
    }

    fn non_administrators_get_403_and_see_nothing(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let id = webhook(&app, &receiver.url(), &["ticket.created"])["id"].as_i64().unwrap();
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (_, customer) = app.create_customer("customer@example.com");
        for token in [&agent, &customer] {
            for response in [
                app.get("/api/v1/webhooks", Some(token)),
                app.get(&format!("/api/v1/webhooks/{id}"), Some(token)),
                app.get(&format!("/api/v1/webhooks/{id}/deliveries"), Some(token)),
                app.get("/api/v1/settings/webhooks", Some(token)),
                app.post(
                    "/api/v1/webhooks",
                    Some(token),
                    &json!({"name": "x", "url": receiver.url(), "events": ["ticket.created"], "secret": SECRET}),
                ),
                app.patch(&format!("/api/v1/webhooks/{id}"), Some(token), &json!({"enabled": false})),
                app.delete(&format!("/api/v1/webhooks/{id}"), Some(token)),
            ] {
                let doc = response.assert_problem(403, "forbidden");
                assert!(!doc.to_string().contains(&receiver.url()), "{doc}");
            }
        }
        app.get("/api/v1/webhooks", None).assert_problem(401, "unauthorized");
        let admin = app.admin_token();
        let still = app.get(&format!("/api/v1/webhooks/{id}"), Some(&admin)).json();
        assert_eq!(still["enabled"], true, "nothing changed");
    }
}
