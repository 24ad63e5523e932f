//! Saved searches: private and shared, counts, validation, and who may change them.

use serde_json::json;

use crate::support::text;

both_backends! {
    fn saved_searches_are_private_or_shared_and_count_their_tickets(app) {
        let (_, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        let (_, kari) = app.agent_with_rights("kari@example.com", &["ro"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        for n in 0..3 {
            app.create_ticket(&ola, &format!("Printer {n}"), "kunde@example.org");
        }
        app.create_ticket(&ola, "Network", "kunde@example.org");

        let private = app.post("/api/v1/saved-searches", Some(&ola), &json!({"name": "My printers", "query": "q=printer&sort=-priority"}));
        assert_eq!(private.status, 201, "{}", private.text());
        let shared = app.post("/api/v1/saved-searches", Some(&ola), &json!({"name": "New in General", "query": "state_type=new&queue_id=1", "group_id": 1}));
        assert_eq!(shared.status, 201, "{}", shared.text());
        let shared_id = shared.json()["id"].as_i64().unwrap();

        let mine = app.get("/api/v1/saved-searches?with_counts=true", Some(&ola)).json();
        let counts: Vec<(String, i64)> = mine["items"].as_array().unwrap().iter().map(|s| (text(s, "name"), s["count"].as_i64().unwrap())).collect();
        assert_eq!(counts, vec![("My printers".into(), 3), ("New in General".into(), 4)]);
        assert_eq!(mine["items"][0]["count_capped"], false);

        let theirs = app.get("/api/v1/saved-searches", Some(&kari)).json();
        let names: Vec<String> = theirs["items"].as_array().unwrap().iter().map(|s| text(s, "name")).collect();
        assert_eq!(names, vec!["New in General"], "the shared one only");
        assert_eq!(theirs["items"][0]["mine"], false);
        app.patch(&format!("/api/v1/saved-searches/{shared_id}"), Some(&kari), &json!({"name": "mine now"})).assert_problem(403, "forbidden");
        app.delete(&format!("/api/v1/saved-searches/{shared_id}"), Some(&kari)).assert_problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/saved-searches", Some(&outsider)).json()["items"], json!([]));
        app.get(&format!("/api/v1/saved-searches/{shared_id}"), Some(&outsider)).assert_problem(404, "not_found");
        app.post("/api/v1/saved-searches", Some(&outsider), &json!({"name": "x", "query": "", "group_id": 1})).assert_problem(403, "forbidden");

        let renamed = app.patch(&format!("/api/v1/saved-searches/{shared_id}"), Some(&ola), &json!({"name": "New tickets", "group_id": null}));
        assert_eq!(renamed.status, 200, "{}", renamed.text());
        assert!(renamed.json()["group"].is_null());
        assert_eq!(app.get("/api/v1/saved-searches", Some(&kari)).json()["items"], json!([]), "private again");
        assert_eq!(app.delete(&format!("/api/v1/saved-searches/{shared_id}"), Some(&ola)).status, 204);
    }

    fn saved_queries_are_validated_and_customers_have_none(app) {
        let (_, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        for bad in ["state_type=done", "colour=red", "limit=5", "sort=colour", "owner_id=somebody"] {
            let doc = app.post("/api/v1/saved-searches", Some(&ola), &json!({"name": "bad", "query": bad}))
                .assert_problem(422, "validation_failed");
            assert_eq!(doc["error_codes"]["query"][0], "invalid_query", "{bad}: {doc}");
        }
        app.post("/api/v1/saved-searches", Some(&ola), &json!({"name": " ", "query": ""})).assert_problem(422, "validation_failed");
        let (_, kunde) = app.create_customer("kunde@example.org");
        app.get("/api/v1/saved-searches", Some(&kunde)).assert_problem(403, "forbidden");
        app.get("/api/v1/saved-searches", None).assert_problem(401, "unauthorized");
    }
}
