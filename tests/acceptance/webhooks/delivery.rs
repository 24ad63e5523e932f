//! Deliveries to a real receiver: the signature, retries after the receiver was down, the
//! order of one ticket's events, redelivery, and turning a failing webhook off.

use chrono::Duration;
use serde_json::json;

use super::{Receiver, SECRET, allow_private, deliveries, expected_signature, pump, webhook};
use crate::support::{ClockExt, TestApp, process::free_port};

fn ticket(app: &TestApp, title: &str) -> serde_json::Value {
    let admin = app.admin_token();
    app.create_ticket(&admin, title, "ola@example.com")
}

fn rename(app: &TestApp, id: i64, title: &str) {
    let admin = app.admin_token();
    let response = app.patch(
        &format!("/api/v1/tickets/{id}"),
        Some(&admin),
        &json!({"title": title}),
    );
    assert_eq!(response.status, 200, "{}", response.text());
}

both_backends! {
    fn a_delivery_is_signed_and_carries_the_ticket_as_the_api_returns_it(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let hook = webhook(&app, &receiver.url(), &["ticket.created", "ticket.updated"]);
        let created = ticket(&app, "Printer jammed");
        let id = created["id"].as_i64().unwrap();
        pump(&app);

        let got = receiver.received();
        assert_eq!(got.len(), 1, "{got:?}");
        let request = &got[0];
        let timestamp = request.header("x-vakt-timestamp");
        assert_eq!(
            request.header("x-vakt-signature"),
            expected_signature(SECRET, timestamp, &request.body),
            "the signature covers timestamp.body"
        );
        assert_ne!(
            request.header("x-vakt-signature"),
            expected_signature("another-secret-1234", timestamp, &request.body)
        );
        assert_eq!(timestamp, app.clock.now_utc().timestamp().to_string());
        assert_eq!(request.header("content-type"), "application/json");
        assert_eq!(request.header("x-vakt-event"), "ticket.created");
        let body = request.json();
        assert_eq!(request.header("x-vakt-event-id"), body["id"].as_str().unwrap());
        assert!(body["id"].as_str().unwrap().starts_with("evt_"), "{body}");
        assert_eq!(body["type"], "ticket.created");
        assert!(body["time"].is_string(), "{body}");
        let admin = app.admin_token();
        let api = app.get(&format!("/api/v1/tickets/{id}"), Some(&admin)).json();
        assert_eq!(body["data"]["ticket"]["number"], api["number"]);
        assert_eq!(body["data"]["ticket"]["queue"], api["queue"]);
        assert_eq!(body["data"]["ticket"]["state"], api["state"]);
        assert_eq!(body["data"]["ticket"]["customer"], api["customer"]);

        let log = deliveries(&app, hook["id"].as_i64().unwrap());
        assert_eq!(log.len(), 1);
        assert_eq!(log[0]["status"], "succeeded");
        assert_eq!(log[0]["attempts"], 1);
        assert_eq!(log[0]["response_status"], 200);
        assert_eq!(log[0]["response_excerpt"], "status=200");
        assert!(log[0]["duration_ms"].is_i64(), "{}", log[0]);
        assert_eq!(log[0]["event_id"], body["id"]);

        pump(&app);
        assert_eq!(receiver.received().len(), 1, "nothing is sent twice");
    }

    fn a_delivery_is_retried_after_the_receiver_was_down(app) {
        allow_private(&app, 50);
        let port = free_port();
        let hook = webhook(&app, &format!("http://127.0.0.1:{port}/hook"), &["ticket.created"]);
        let hook_id = hook["id"].as_i64().unwrap();
        ticket(&app, "Nobody listens yet");
        pump(&app);
        let log = deliveries(&app, hook_id);
        assert_eq!(log[0]["status"], "pending");
        assert_eq!(log[0]["attempts"], 1);
        assert_eq!(log[0]["response_status"], json!(null));
        assert!(log[0]["error"].is_string(), "{}", log[0]);

        pump(&app);
        assert_eq!(deliveries(&app, hook_id)[0]["attempts"], 1, "backing off");

        let receiver = Receiver::start_on(port);
        app.clock.advance(Duration::minutes(2));
        pump(&app);
        let log = deliveries(&app, hook_id);
        assert_eq!(log[0]["status"], "succeeded", "{}", log[0]);
        assert_eq!(log[0]["attempts"], 2);
        assert_eq!(receiver.events().len(), 1);
        let webhook = app.get(&format!("/api/v1/webhooks/{hook_id}"), Some(&app.admin_token())).json();
        assert_eq!(webhook["consecutive_failures"], 0);
    }

    fn a_later_event_of_a_ticket_waits_for_the_earlier_one(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let hook = webhook(&app, &receiver.url(), &["ticket.created", "ticket.updated"]);
        let hook_id = hook["id"].as_i64().unwrap();
        receiver.answer(&[500]);
        let first = ticket(&app, "First");
        let first_id = first["id"].as_i64().unwrap();
        rename(&app, first_id, "First, renamed");
        rename(&app, first_id, "First, renamed again");
        let second = ticket(&app, "Second");
        pump(&app);

        // The first ticket's creation failed: its updates wait; the other ticket goes on.
        let events = receiver.events();
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0].1, "ticket.created");
        let second_body = &receiver.received()[1];
        assert_eq!(second_body.json()["data"]["ticket"]["id"], second["id"]);
        let log = deliveries(&app, hook_id);
        let statuses: Vec<&str> = log.iter().rev().map(|d| d["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["pending", "waiting", "waiting", "succeeded"], "{log:?}");

        app.clock.advance(Duration::minutes(2));
        pump(&app);
        let received = receiver.received();
        let of_first: Vec<String> = received
            .iter()
            .filter(|r| r.json()["data"]["ticket"]["id"] == first_id)
            .map(|r| r.event().1)
            .collect();
        assert_eq!(
            of_first,
            ["ticket.created", "ticket.created", "ticket.updated", "ticket.updated"],
            "the failed attempt, its retry, then the updates in order"
        );
        let titles: Vec<String> = received
            .iter()
            .filter(|r| r.event().1 == "ticket.updated")
            .map(|r| r.json()["data"]["change"]["new_value"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(titles, ["First, renamed", "First, renamed again"]);
        let log = deliveries(&app, hook_id);
        assert!(log.iter().all(|d| d["status"] == "succeeded"), "{log:?}");
    }

    fn an_administrator_redelivers_an_event_with_the_same_id(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let hook = webhook(&app, &receiver.url(), &["ticket.created"]);
        let hook_id = hook["id"].as_i64().unwrap();
        ticket(&app, "Send it twice");
        pump(&app);
        let first = deliveries(&app, hook_id)[0].clone();
        let admin = app.admin_token();
        let again = app.post(
            &format!("/api/v1/webhooks/{hook_id}/deliveries/{}/redeliver", first["id"]),
            Some(&admin),
            &json!({}),
        );
        assert_eq!(again.status, 202, "{}", again.text());
        let again = again.json();
        assert_eq!(again["redelivery_of"], first["id"]);
        assert_eq!(again["event_id"], first["event_id"]);
        pump(&app);
        let got = receiver.received();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].body, got[1].body, "the same body");
        assert_eq!(got[0].event(), got[1].event());
        assert_ne!(got[0].header("x-vakt-delivery"), got[1].header("x-vakt-delivery"));
        let shown = app.get(&format!("/api/v1/webhooks/{hook_id}/deliveries/{}", again["id"]), Some(&admin)).json();
        assert_eq!(shown["status"], "succeeded");
        assert_eq!(shown["payload"].as_str().unwrap(), got[1].body);
        app.post(&format!("/api/v1/webhooks/{hook_id}/deliveries/999999/redeliver"), Some(&admin), &json!({}))
            .assert_problem(404, "not_found");
    }

    fn a_failing_webhook_is_turned_off_and_administrators_are_told(app) {
        let receiver = Receiver::start();
        receiver.answer_always(503);
        allow_private(&app, 3);
        let hook = webhook(&app, &receiver.url(), &["ticket.created"]);
        let hook_id = hook["id"].as_i64().unwrap();
        ticket(&app, "Receiver broken");
        for _ in 0..5 {
            pump(&app);
            app.clock.advance(Duration::hours(1));
        }
        assert_eq!(receiver.received().len(), 3, "no attempts after it was turned off");
        let admin = app.admin_token();
        let off = app.get(&format!("/api/v1/webhooks/{hook_id}"), Some(&admin)).json();
        assert_eq!(off["enabled"], false, "{off}");
        assert_eq!(off["consecutive_failures"], 3);
        assert!(off["disabled_reason"].as_str().unwrap().contains('3'), "{off}");
        let notes = app.get("/api/v1/me/notifications", Some(&admin)).json();
        let disabled: Vec<_> = notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["event"] == "webhook_disabled")
            .collect();
        assert_eq!(disabled.len(), 1, "{notes}");
        assert_eq!(deliveries(&app, hook_id)[0]["status"], "pending", "held, not lost");

        // Fixed and turned on again: the held delivery goes out.
        receiver.answer_always(200);
        let on = app.patch(&format!("/api/v1/webhooks/{hook_id}"), Some(&admin), &json!({"enabled": true}));
        assert_eq!(on.json()["consecutive_failures"], 0);
        assert_eq!(on.json()["disabled_at"], json!(null));
        pump(&app);
        assert_eq!(deliveries(&app, hook_id)[0]["status"], "succeeded");
        assert_eq!(receiver.received().len(), 4);
    }

    fn only_subscribed_events_of_filtered_queues_are_sent(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        let admin = app.admin_token();
        let queue = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Elsewhere", "group_id": 1}));
        assert_eq!(queue.status, 201, "{}", queue.text());
        let other_queue = queue.json()["id"].as_i64().unwrap();
        let created = app.post(
            "/api/v1/webhooks",
            Some(&admin),
            &json!({"name": "only other", "url": receiver.url(), "events": ["ticket.created"], "queue_ids": [other_queue], "secret": SECRET}),
        );
        assert_eq!(created.status, 201, "{}", created.text());
        let general = ticket(&app, "In General");
        rename(&app, general["id"].as_i64().unwrap(), "Not subscribed");
        let elsewhere = app.post(
            "/api/v1/tickets",
            Some(&admin),
            &json!({"title": "Elsewhere", "queue_id": other_queue, "customer_email": "kari@example.com", "article": {"body": "x"}}),
        );
        assert_eq!(elsewhere.status, 201, "{}", elsewhere.text());
        pump(&app);
        let got = receiver.received();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].json()["data"]["ticket"]["title"], "Elsewhere");
    }

    fn publishing_a_kb_article_is_announced_once_per_version(app) {
        let receiver = Receiver::start();
        allow_private(&app, 50);
        webhook(&app, &receiver.url(), &["kb.published"]);
        let category = crate::kb::category(&app, "Help", crate::support::USERS_GROUP);
        let admin = app.admin_token();
        let draft = app.post("/api/v1/kb/articles", Some(&admin), &json!({"category_id": category, "title": "Passwords",
            "language": "en", "body_text": "Use three words.", "visibility": "public", "state": "draft"}));
        assert_eq!(draft.status, 201, "{}", draft.text());
        let id = draft.json()["id"].as_i64().unwrap();
        ticket(&app, "Not a KB event");
        pump(&app);
        assert!(receiver.received().is_empty(), "drafts and ticket events are not announced");
        let published = app.patch(&format!("/api/v1/kb/articles/{id}"), Some(&admin), &json!({"state": "published"}));
        assert_eq!(published.status, 200, "{}", published.text());
        pump(&app);
        pump(&app);
        let got = receiver.received();
        assert_eq!(got.len(), 1, "{got:?}");
        let body = got[0].json();
        assert_eq!(body["type"], "kb.published");
        assert_eq!(body["data"]["kb_article"]["title"], "Passwords");
        assert_eq!(body["data"]["version"], 1);
        assert_eq!(got[0].header("x-vakt-signature"), expected_signature(SECRET, got[0].header("x-vakt-timestamp"), &got[0].body));
    }
}
