//! `Idempotency-Key` on every creating POST: the OpenAPI document declares it on each, and a
//! retry of the same request gets the first response while another request with the key is
//! refused — for customers, companies, articles, text modules, saved searches, webhooks, links
//! and splits, on both backends.

use serde_json::{Value, json};

use crate::support::{GENERAL_QUEUE, Response, TestApp};

fn post_keyed(app: &TestApp, path: &str, token: &str, key: &str, body: &Value) -> Response {
    app.send_json_with("POST", path, token, &[("idempotency-key", key)], body)
}

#[test]
fn every_creating_post_documents_the_idempotency_key() {
    let doc = serde_json::to_value(vakt_http::openapi_document()).unwrap();
    let mut creating = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(post) = item.get("post") else {
            continue;
        };
        let responses = post["responses"].as_object().unwrap();
        let creates = responses.contains_key("201")
            || responses.contains_key("202")
            || path.ends_with("/merge");
        if !creates || path == "/api/v1/me/tokens" {
            continue;
        }
        let documented = post["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| {
                p["name"] == "Idempotency-Key" && p["in"] == "header" && p["required"] != true
            });
        assert!(
            documented,
            "POST {path} creates but does not document Idempotency-Key"
        );
        creating.push(post["operationId"].as_str().unwrap().to_owned());
    }
    for op in [
        "create_ticket",
        "create_article",
        "create_customer",
        "create_customer_company",
        "create_user",
        "create_kb_article",
        "create_text_module",
        "create_webhook",
        "create_custom_field",
        "create_ticket_link",
        "merge_ticket",
        "split_ticket",
        "create_saved_search",
        "bulk_tickets",
    ] {
        assert!(
            creating.iter().any(|c| c == op),
            "{op} is not among the creating POSTs: {creating:?}"
        );
    }
}

/// A retry gets the first response; another body with the key is refused; nothing is created
/// twice.
fn replays(app: &TestApp, token: &str, path: &str, body: Value, other: Value) -> Value {
    let key = format!("key-{path}");
    let first = post_keyed(app, path, token, &key, &body);
    assert!(
        first.status == 201 || first.status == 202,
        "{path}: {}",
        first.text()
    );
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = post_keyed(app, path, token, &key, &body);
    assert_eq!(again.status, first.status, "{path}: {}", again.text());
    assert_eq!(
        again.json(),
        first.json(),
        "{path}: the first response again"
    );
    assert_eq!(again.header("location"), first.header("location"), "{path}");
    assert_eq!(again.header("idempotent-replayed"), Some("true"), "{path}");
    let doc = post_keyed(app, path, token, &key, &other).assert_problem(422, "validation_failed");
    assert_eq!(
        doc["error_codes"]["idempotency_key"],
        json!(["idempotency_key_reused"]),
        "{path}: {doc}"
    );
    first.json()
}

both_backends! {
    fn creating_posts_replay_the_first_response_and_refuse_another_request(app) {
        let admin = app.admin_token();
        let customer = replays(&app, &admin, "/api/v1/customers",
            json!({"email": "per@example.org", "name": "Per"}), json!({"email": "pal@example.org", "name": "Pål"}));
        let listed = app.get("/api/v1/customers?limit=200", Some(&admin)).json();
        let pers = listed["items"].as_array().unwrap().iter().filter(|c| c["email"] == "per@example.org").count();
        assert_eq!(pers, 1, "one customer, not two");
        assert!(customer["id"].is_i64());

        replays(&app, &admin, "/api/v1/customer-companies", json!({"name": "Acme"}), json!({"name": "Other"}));
        replays(&app, &admin, "/api/v1/text-modules",
            json!({"name": "Thanks", "body": "Thank you"}), json!({"name": "Thanks", "body": "Cheers"}));
        replays(&app, &admin, "/api/v1/saved-searches",
            json!({"name": "Mine", "query": "q=printer"}), json!({"name": "Mine", "query": "q=scanner"}));

        let ticket = app.create_ticket(&admin, "Printer", "ola@example.com");
        let id = ticket["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{id}/articles");
        replays(&app, &admin, &path, json!({"kind": "note", "body": "Checked"}), json!({"kind": "note", "body": "Other"}));
        let articles = app.get(&path, Some(&admin)).json();
        let notes = articles["items"].as_array().unwrap().iter().filter(|a| a["body"] == "Checked").count();
        assert_eq!(notes, 1, "one note, not two: {articles}");

        let other = app.create_ticket(&admin, "Scanner", "ola@example.com");
        replays(&app, &admin, &format!("/api/v1/tickets/{id}/links"),
            json!({"kind": "refers_to", "ticket": other["number"]}), json!({"kind": "parent_of", "ticket": other["number"]}));

        let settings = app.send_json("PUT", "/api/v1/settings/webhooks", Some(&admin),
            &json!({"allow_private_targets": true, "disable_after_failures": 50}));
        assert_eq!(settings.status, 200);
        replays(&app, &admin, "/api/v1/webhooks",
            json!({"name": "a", "url": "http://127.0.0.1:9/a", "events": ["ticket.created"], "secret": "0123456789abcdef"}),
            json!({"name": "b", "url": "http://127.0.0.1:9/b", "events": ["ticket.created"], "secret": "0123456789abcdef"}));
        let hooks = app.get("/api/v1/webhooks", Some(&admin)).json();
        assert_eq!(hooks["items"].as_array().unwrap().len(), 1);

        let _ = GENERAL_QUEUE;
    }

    fn a_key_belongs_to_one_caller_one_endpoint_and_a_failed_request_frees_it(app) {
        let admin = app.admin_token();
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let body = json!({"name": "Acme"});
        assert_eq!(post_keyed(&app, "/api/v1/customer-companies", &admin, "k1", &body).status, 201);
        // Another caller's key of the same name is theirs.
        let theirs = post_keyed(&app, "/api/v1/customer-companies", &agent, "k1", &json!({"name": "Beta"}));
        assert_eq!(theirs.status, 201, "{}", theirs.text());
        // The same key on another endpoint is another request.
        let doc = post_keyed(&app, "/api/v1/customers", &admin, "k1", &json!({"email": "x@example.org", "name": "X"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["idempotency_key"], json!(["idempotency_key_reused"]));
        // A refused request does not use up its key: the corrected one goes through.
        post_keyed(&app, "/api/v1/customers", &admin, "k2", &json!({"email": "not an address", "name": "Y"}))
            .assert_problem(422, "validation_failed");
        let fixed = post_keyed(&app, "/api/v1/customers", &admin, "k2", &json!({"email": "y@example.org", "name": "Y"}));
        assert_eq!(fixed.status, 201, "{}", fixed.text());
        // Without permission nothing is reserved or created.
        let (_, customer) = app.create_customer("kunde@example.org");
        post_keyed(&app, "/api/v1/webhooks", &customer, "k3", &json!({"name": "x", "url": "http://127.0.0.1:9/", "events": ["ticket.created"], "secret": "0123456789abcdef"}))
            .assert_problem(403, "forbidden");
        let key_too_long = "k".repeat(201);
        let doc = post_keyed(&app, "/api/v1/customer-companies", &admin, &key_too_long, &json!({"name": "Z"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["idempotency_key"], json!(["invalid_length"]));
    }
}
