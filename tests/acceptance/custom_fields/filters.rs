//! Finding tickets by custom fields: `cf.<key>` filters in lists, counts and saved searches,
//! ranges, `in`, and sorting by a field; plus values of customers and companies.

use serde_json::{Value, json};

use super::{define, general_ticket, product};
use crate::support::TestApp;

fn numbers(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

fn titled(app: &TestApp, title: &str, fields: Value) -> Value {
    let admin = app.admin_token();
    let response = app.post(
        "/api/v1/tickets",
        Some(&admin),
        &json!({
            "title": title, "queue_id": 1, "customer_email": "ola@example.org",
            "article": {"body": "x"}, "custom_fields": fields
        }),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}

both_backends! {
    fn agents_filter_and_sort_by_a_dropdown_and_save_the_search(app) {
        product(&app, &[]);
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        for (title, value) in [("A", "printer"), ("B", "laptop"), ("C", "printer"), ("D", "phone")] {
            let ticket = titled(&app, title, json!({"product": value}));
            app.clock.advance(chrono::Duration::seconds(1));
            let _ = ticket;
        }
        titled(&app, "E", json!({}));
        let list = app.get("/api/v1/tickets?cf.product=printer&sort=created_at", Some(&agent));
        assert_eq!(list.status, 200, "{}", list.text());
        assert_eq!(numbers(&list.json()), vec!["A", "C"]);
        let count = app.get("/api/v1/tickets/count?cf.product=printer", Some(&agent)).json();
        assert_eq!(count["count"], 2);
        let any = app.get("/api/v1/tickets?cf.product.in=phone,laptop&sort=created_at", Some(&agent)).json();
        assert_eq!(numbers(&any), vec!["B", "D"]);
        let unset = app.get("/api/v1/tickets?cf.product.set=false", Some(&agent)).json();
        assert_eq!(numbers(&unset), vec!["E"]);
        // Sorted by the field (no value first ascending), paged by cursor.
        let page = app.get("/api/v1/tickets?sort=cf.product&limit=2", Some(&agent)).json();
        assert_eq!(numbers(&page), vec!["E", "B"]);
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let next = app.get(&format!("/api/v1/tickets?sort=cf.product&limit=2&cursor={cursor}"), Some(&agent)).json();
        assert_eq!(numbers(&next), vec!["D", "A"]);
        let desc = app.get("/api/v1/tickets?sort=-cf.product", Some(&agent)).json();
        assert_eq!(numbers(&desc), vec!["C", "A", "D", "B", "E"]);
        // Bad filters name the parameter.
        let doc = app.get("/api/v1/tickets?cf.nope=1", Some(&agent)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["cf.nope"][0], "unknown_field");
        let doc = app.get("/api/v1/tickets?cf.product.from=a", Some(&agent)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["cf.product.from"][0], "not_applicable");
        let doc = app.get("/api/v1/tickets?sort=cf.nope", Some(&agent)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["sort"][0], "invalid_sort");
        // Saved searches keep the filter and count it.
        let saved = app.post("/api/v1/saved-searches", Some(&agent), &json!({"name": "Printers", "query": "cf.product=printer&sort=-cf.product"}));
        assert_eq!(saved.status, 201, "{}", saved.text());
        let listed = app.get("/api/v1/saved-searches?with_counts=true", Some(&agent)).json();
        assert_eq!(listed["items"][0]["count"], 2, "{listed}");
        let bad = app.post("/api/v1/saved-searches", Some(&agent), &json!({"name": "Bad", "query": "cf.product.set=maybe"}));
        bad.assert_problem(422, "validation_failed");
    }

    fn numbers_and_dates_filter_by_range_and_multiselects_by_option(app) {
        define(&app, json!({"object_type": "ticket", "key": "seats", "field_type": "integer", "labels": {"en": "Seats"}}));
        define(&app, json!({"object_type": "ticket", "key": "price", "field_type": "decimal", "labels": {"en": "Price"}}));
        define(&app, json!({"object_type": "ticket", "key": "due", "field_type": "date", "labels": {"en": "Due"}}));
        define(&app, json!({"object_type": "ticket", "key": "urgent", "field_type": "checkbox", "labels": {"en": "Urgent"}}));
        define(&app, json!({"object_type": "ticket", "key": "tags", "field_type": "multiselect", "labels": {"en": "Tags"},
            "options": [{"value": "vpn", "labels": {"en": "VPN"}}, {"value": "wifi", "labels": {"en": "Wi-Fi"}}, {"value": "mail", "labels": {"en": "Mail"}}]}));
        let admin = app.admin_token();
        titled(&app, "small", json!({"seats": 2, "price": "9.99", "due": "2026-12-01", "urgent": true, "tags": ["vpn"]}));
        titled(&app, "medium", json!({"seats": 10, "price": "100", "due": "2026-12-15", "urgent": false, "tags": ["vpn", "wifi"]}));
        titled(&app, "large", json!({"seats": 50, "price": "1000.5", "due": "2027-01-10", "tags": ["mail"]}));
        let titles = |query: &str| {
            let response = app.get(&format!("/api/v1/tickets?sort=title&{query}"), Some(&admin));
            assert_eq!(response.status, 200, "{query}: {}", response.text());
            let mut t = numbers(&response.json());
            t.sort();
            t
        };
        assert_eq!(titles("cf.seats.from=5&cf.seats.to=10"), vec!["medium"]);
        assert_eq!(titles("cf.seats.from=10"), vec!["large", "medium"]);
        assert_eq!(titles("cf.seats=2"), vec!["small"]);
        assert_eq!(titles("cf.seats.in=2,50"), vec!["large", "small"]);
        assert_eq!(titles("cf.price.to=100"), vec!["medium", "small"]);
        assert_eq!(titles("cf.price=1000.50"), vec!["large"]);
        assert_eq!(titles("cf.due.from=2026-12-10&cf.due.to=2026-12-31"), vec!["medium"]);
        assert_eq!(titles("cf.urgent=true"), vec!["small"]);
        assert_eq!(titles("cf.tags=vpn"), vec!["medium", "small"]);
        assert_eq!(titles("cf.tags.in=wifi,mail"), vec!["large", "medium"]);
        assert_eq!(titles("cf.tags=vpn&cf.seats.from=5"), vec!["medium"]);
        let by_price = numbers(&app.get("/api/v1/tickets?sort=-cf.price", Some(&admin)).json());
        assert_eq!(by_price, vec!["large", "medium", "small"]);
        let by_due = numbers(&app.get("/api/v1/tickets?sort=cf.due", Some(&admin)).json());
        assert_eq!(by_due, vec!["small", "medium", "large"]);
        let doc = app.get("/api/v1/tickets?cf.due.from=soon", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["cf.due.from"][0], "invalid");
        let doc = app.get("/api/v1/tickets?sort=cf.tags", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["sort"][0], "invalid_sort");
    }

    fn customers_and_companies_carry_their_own_fields(app) {
        define(&app, json!({"object_type": "customer", "key": "student_no", "field_type": "text", "labels": {"en": "Student number"}, "required": true, "pattern": "\\d{6}"}));
        define(&app, json!({"object_type": "company", "key": "contract", "field_type": "dropdown", "labels": {"en": "Contract"},
            "options": [{"value": "gold", "labels": {"en": "Gold"}}, {"value": "basic", "labels": {"en": "Basic"}}], "default_value": "basic"}));
        let (_, agent) = app.agent_with_rights("agent@example.com", &["ro"]);
        let doc = app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@uio.example", "name": "Kari"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.student_no"][0], "required", "{doc}");
        let doc = app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@uio.example", "name": "Kari", "custom_fields": {"student_no": "12"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.student_no"][0], "pattern_mismatch", "{doc}");
        let created = app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@uio.example", "name": "Kari", "custom_fields": {"student_no": "123456"}}));
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["custom_fields"], json!({"student_no": "123456"}));
        let changed = app.patch(&format!("/api/v1/customers/{id}"), Some(&agent), &json!({"custom_fields": {"student_no": "654321"}}));
        assert_eq!(changed.json()["custom_fields"]["student_no"], "654321", "{}", changed.text());
        let read = app.get(&format!("/api/v1/customers/{id}"), Some(&agent)).json();
        assert_eq!(read["custom_fields"]["student_no"], "654321");
        let listed = app.get("/api/v1/customers", Some(&agent)).json();
        assert_eq!(listed["items"][0]["custom_fields"]["student_no"], "654321", "{listed}");
        let admin = app.admin_token();
        let log = app.get(&format!("/api/v1/audit-log?entity=user&entity_id={id}"), Some(&admin)).json();
        let entry = log["items"].as_array().unwrap().iter()
            .find(|e| e["after"]["custom_fields"]["student_no"] == "654321").expect("audited");
        assert_eq!(entry["before"]["custom_fields"]["student_no"], "123456");
        let company = app.post("/api/v1/customer-companies", Some(&agent), &json!({"name": "UiO"}));
        assert_eq!(company.status, 201, "{}", company.text());
        assert_eq!(company.json()["custom_fields"], json!({"contract": "basic"}));
        let cid = company.json()["id"].as_i64().unwrap();
        let gold = app.patch(&format!("/api/v1/customer-companies/{cid}"), Some(&agent), &json!({"custom_fields": {"contract": "gold"}}));
        assert_eq!(gold.json()["custom_fields"]["contract"], "gold", "{}", gold.text());
        let doc = app.patch(&format!("/api/v1/customer-companies/{cid}"), Some(&agent), &json!({"custom_fields": {"contract": "platinum"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.contract"][0], "unknown_option");
        // Ticket fields are not customer fields.
        let _ = general_ticket;
    }
}
