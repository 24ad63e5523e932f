//! Custom fields from mail: postmaster filters set them; `X-Vakt-Field-<key>` headers only
//! where the queue trusts them; mail is never refused for a field.

use serde_json::json;

use super::{define, product};
use crate::mail_support::{deliver_ok, gateway_token, message, set_queue_settings, ticket};
use crate::support::{GENERAL_QUEUE, TestApp};

fn history_of(app: &TestApp, id: i64) -> Vec<String> {
    let admin = app.admin_token();
    app.get(&format!("/api/v1/tickets/{id}/history"), Some(&admin))
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "custom_field_changed")
        .map(|h| h["new_value"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    fn a_postmaster_filter_sets_a_dropdown_from_mail(app) {
        product(&app, &[]);
        define(&app, json!({"object_type": "ticket", "key": "required_code", "field_type": "text", "labels": {"en": "Code"}, "required": true}));
        let admin = app.admin_token();
        let bad = app.post("/api/v1/postmaster-filters", Some(&admin), &json!({
            "name": "bad", "conditions": [{"field": "subject", "pattern": "printer"}],
            "actions": {"custom_fields": {"product": "tablet", "nope": "x"}}}));
        let doc = bad.assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["actions.custom_fields.product"][0], "unknown_option", "{doc}");
        assert_eq!(doc["error_codes"]["actions.custom_fields.nope"][0], "unknown_field", "{doc}");
        let filter = app.post("/api/v1/postmaster-filters", Some(&admin), &json!({
            "name": "printers", "conditions": [{"field": "subject", "pattern": "(?i)printer"}],
            "actions": {"custom_fields": {"product": "printer"}}}));
        assert_eq!(filter.status, 201, "{}", filter.text());
        assert_eq!(filter.json()["actions"]["custom_fields"]["product"], "printer");
        let token = gateway_token(&app);
        let mail = deliver_ok(&app, &token, &message("kari@example.org", "support@example.com", "Printer jammed", "p1@example.org", "", "Help"));
        let id = mail["ticket_id"].as_i64().unwrap();
        // Created although a required field is missing: mail is never refused for a field.
        assert_eq!(ticket(&app, id)["custom_fields"], json!({"product": "printer"}));
        assert_eq!(history_of(&app, id), vec!["product: printer"]);
        let other = deliver_ok(&app, &token, &message("kari@example.org", "support@example.com", "VPN down", "p2@example.org", "", "Help"));
        assert_eq!(ticket(&app, other["ticket_id"].as_i64().unwrap())["custom_fields"], json!({}));
    }

    fn field_headers_count_only_where_the_queue_trusts_them(app) {
        product(&app, &[]);
        define(&app, json!({"object_type": "ticket", "key": "seats", "field_type": "integer", "labels": {"en": "Seats"}, "max": "10"}));
        let token = gateway_token(&app);
        let headers = "X-Vakt-Field-product: laptop\r\nX-Vakt-Field-Seats: 4\r\nX-Vakt-Field-nope: 1\r\n";
        let untrusted = deliver_ok(&app, &token, &message("mon@example.org", "support@example.com", "Disk full", "h1@example.org", headers, "!"));
        assert_eq!(ticket(&app, untrusted["ticket_id"].as_i64().unwrap())["custom_fields"], json!({}));
        set_queue_settings(&app, GENERAL_QUEUE, &json!({"trust_field_headers": true}));
        let admin = app.admin_token();
        let settings = app.get(&format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin)).json();
        assert_eq!(settings["trust_field_headers"], true, "{settings}");
        let trusted = deliver_ok(&app, &token, &message("mon@example.org", "support@example.com", "Disk full", "h2@example.org", headers, "!"));
        let id = trusted["ticket_id"].as_i64().unwrap();
        assert_eq!(ticket(&app, id)["custom_fields"], json!({"product": "laptop", "seats": 4}));
        // A value that does not fit is left out; the mail still makes its ticket.
        let wrong = "X-Vakt-Field-product: tablet\r\nX-Vakt-Field-seats: 99\r\n";
        let left_out = deliver_ok(&app, &token, &message("mon@example.org", "support@example.com", "Disk full", "h3@example.org", wrong, "!"));
        assert_eq!(left_out["outcome"], "created");
        assert_eq!(ticket(&app, left_out["ticket_id"].as_i64().unwrap())["custom_fields"], json!({}));
    }
}

/// Custom field changes reach agents' live streams (from the history), not customers'.
mod live_updates {
    use std::time::Duration;

    use serde_json::json;

    use super::super::{general_ticket, product};
    use crate::live::{live_app, stream};
    use crate::support::{TestApp, TestDb};

    fn run(app: TestApp) {
        product(&app, &[]);
        let (_, agent) = app.agent_with_rights("bob@example.com", &["rw"]);
        let (_, customer) = app.create_customer("ola@example.org");
        let ticket = general_ticket(&app, json!({"product": "laptop"}));
        let id = ticket["id"].as_i64().unwrap();
        let (agent_stream, _) = stream(&app, &agent, None);
        let (customer_stream, _) = stream(&app, &customer, None);
        let admin = app.admin_token();
        let path = format!("/api/v1/tickets/{id}");
        let changed = app.patch(
            &path,
            Some(&admin),
            &json!({"custom_fields": {"product": "printer"}}),
        );
        assert_eq!(changed.status, 200, "{}", changed.text());
        let seen = agent_stream.until(Duration::from_secs(10), |e| {
            e.event == "ticket" && e.data["kind"] == "custom_field_changed"
        });
        let event = seen.last().unwrap();
        assert_eq!(event.data["ticket_id"], id);
        assert_eq!(event.data["old_value"], "product: laptop");
        assert_eq!(event.data["new_value"], "product: printer");
        // The customer's stream carries the next customer-visible change, and nothing of the
        // field before it.
        app.patch(&path, Some(&admin), &json!({"title": "Renamed"}));
        let seen = customer_stream.until(Duration::from_secs(10), |e| {
            e.event == "ticket" && e.data["kind"] == "title_changed"
        });
        assert!(
            seen.iter()
                .all(|e| e.data["kind"] != "custom_field_changed"),
            "{seen:?}"
        );
    }

    #[test]
    fn sqlite() {
        run(live_app(TestDb::sqlite()));
    }

    #[test]
    fn postgres() {
        if let Some(db) = TestDb::postgres() {
            run(live_app(db));
        }
    }
}
