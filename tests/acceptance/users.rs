//! Agent administration and the agent directory.

use serde_json::json;

use crate::support::{ADMIN_EMAIL, text};

both_backends! {
    fn admin_creates_gets_lists_and_changes_agents(app) {
        let admin = app.admin_token();
        let created = app.post(
            "/api/v1/users",
            Some(&admin),
            &json!({"email": "Kari.Nordmann@UiO.no", "name": "  Kari Nordmann ", "password": "long enough", "is_admin": false}),
        );
        assert_eq!(created.status, 201, "{}", created.text());
        let user = created.json();
        let id = user["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/users/{id}").as_str()));
        assert_eq!(user["email"], "kari.nordmann@uio.no");
        assert_eq!(user["name"], "Kari Nordmann");
        assert_eq!(user["kind"], "agent");
        assert_eq!(user["has_password"], true);

        assert_eq!(app.get(&format!("/api/v1/users/{id}"), Some(&admin)).json(), user);
        let changed = app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"name": "Kari N.", "is_admin": true}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["name"], "Kari N.");
        assert_eq!(changed.json()["is_admin"], true);

        let list = app.get("/api/v1/users?search=KARI", Some(&admin)).json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!(list["items"][0]["id"], id);
        assert!(list["next_cursor"].is_null());
    }

    fn the_agent_list_pages_with_a_cursor(app) {
        let admin = app.admin_token();
        for n in 0..5 {
            let r = app.post("/api/v1/users", Some(&admin), &json!({"email": format!("agent{n}@example.com"), "name": format!("Agent {n}")}));
            assert_eq!(r.status, 201);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
                None => "/api/v1/users?limit=2".to_owned(),
            };
            let page = app.get(&path, Some(&admin)).json();
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|u| u["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 6, "admin + 5 agents, each once: {seen:?}");
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        app.get("/api/v1/users?cursor=bm90LWEtY3Vyc29y", Some(&admin)).assert_problem(422, "validation_failed");
        app.get("/api/v1/users?limit=0", Some(&admin)).assert_problem(422, "validation_failed");
        app.get("/api/v1/users?limit=201", Some(&admin)).assert_problem(422, "validation_failed");
    }

    fn emails_are_unique_case_insensitively(app) {
        let admin = app.admin_token();
        app.post("/api/v1/users", Some(&admin), &json!({"email": ADMIN_EMAIL.to_uppercase(), "name": "Copy"}))
            .assert_problem(409, "email_taken");
        let (id, _) = app.create_agent("ola@example.com", false);
        app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"email": "ADMIN@example.com"}))
            .assert_problem(409, "email_taken");
    }

    fn invalid_input_names_every_field(app) {
        let admin = app.admin_token();
        let doc = app.post("/api/v1/users", Some(&admin), &json!({"email": "not-an-email", "name": "", "password": "short"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["email"][0], "invalid_email");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        assert_eq!(doc["error_codes"]["password"][0], "too_short");
        let doc = app.post("/api/v1/users", Some(&admin), &json!({"name": "No Email"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["email"][0], "required");
        let doc = app.post("/api/v1/users", Some(&admin), &json!({"email": "a@b.no", "name": "x", "is_admin": "yes"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["is_admin"][0], "invalid_type");
        let doc = app.post("/api/v1/users", Some(&admin), &json!({"email": "a@b.no", "name": "x", "role": "god"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["role"][0], "unknown_field");
        let listed = app.get("/api/v1/users", Some(&admin)).json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "nothing was created");
    }

    fn admin_endpoints_refuse_agents_customers_and_anonymous(app) {
        let (agent_id, agent) = app.create_agent("ola@example.com", false);
        let (customer_id, customer) = app.create_customer("kunde@example.com");
        let new_user = json!({"email": "x@example.com", "name": "X"});
        for (token, status, code) in [(Some(agent.as_str()), 403, "forbidden"), (Some(customer.as_str()), 403, "forbidden"), (None, 401, "unauthorized")] {
            let doc = app.post("/api/v1/users", token, &new_user).assert_problem(status, code);
            assert!(doc.get("items").is_none() && doc.get("email").is_none());
            app.patch(&format!("/api/v1/users/{agent_id}"), token, &json!({"is_admin": true})).assert_problem(status, code);
        }
        // The directory is for agents: customers see nothing of it.
        app.get("/api/v1/users", Some(&customer)).assert_problem(403, "forbidden");
        app.get(&format!("/api/v1/users/{agent_id}"), Some(&customer)).assert_problem(403, "forbidden");
        app.get("/api/v1/users", None).assert_problem(401, "unauthorized");
        assert_eq!(app.get("/api/v1/users", Some(&agent)).status, 200);
        // Customers are not agents: not in the directory, not found by id.
        let admin = app.admin_token();
        app.get(&format!("/api/v1/users/{customer_id}"), Some(&admin)).assert_problem(404, "not_found");
        let list = app.get("/api/v1/users", Some(&admin)).json();
        assert!(list["items"].as_array().unwrap().iter().all(|u| u["kind"] == "agent"));
        app.get("/api/v1/users/999999", Some(&admin)).assert_problem(404, "not_found");
        // Nothing was changed by the refused requests.
        assert_eq!(app.get(&format!("/api/v1/users/{agent_id}"), Some(&admin)).json()["is_admin"], false);
    }

    fn the_last_administrator_cannot_be_removed(app) {
        let admin = app.admin_token();
        let me = app.get("/api/v1/me", Some(&admin)).json();
        let id = me["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"is_admin": false})).assert_problem(409, "last_admin");
        app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"active": false})).assert_problem(409, "last_admin");
        app.create_agent("second@example.com", true);
        let demoted = app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"is_admin": false}));
        assert_eq!(demoted.status, 200, "{}", demoted.text());
    }

    fn a_new_password_works_and_ends_old_sessions(app) {
        let admin = app.admin_token();
        let (id, _) = app.create_agent("ola@example.com", false);
        let session = app.post("/api/v1/auth/login", None, &json!({"email": "ola@example.com", "password": "agent-password-1"})).json();
        let changed = app.patch(&format!("/api/v1/users/{id}"), Some(&admin), &json!({"password": "a brand new one"}));
        assert_eq!(changed.status, 200);
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": text(&session, "refresh_token")}))
            .assert_problem(401, "invalid_token");
        assert!(!app.login("ola@example.com", "a brand new one").is_empty());
        app.post("/api/v1/auth/login", None, &json!({"email": "ola@example.com", "password": "agent-password-1"}))
            .assert_problem(401, "invalid_credentials");
    }
}
