//! Collision detection: agents say they have a ticket open (and whether they are answering);
//! others see it in the presence list and on their event stream; it expires unless renewed.

use std::time::Duration as StdDuration;

use chrono::Duration;
use serde_json::json;

use crate::live::{live_app, stream};
use crate::support::{TestApp, TestDb};

macro_rules! presence_tests {
    ($(fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn run($app: TestApp) $body
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
    )*};
}

const WAIT: StdDuration = StdDuration::from_secs(10);

presence_tests! {
    fn another_agent_composing_shows_in_the_list_and_on_the_stream(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        let ticket = app.create_ticket(&ann, "Who is here", "kari@example.org");
        let number = ticket["number"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/tickets/{number}/presence");
        let (bobs_stream, _) = stream(&app, &bob, None);
        let (anns_stream, _) = stream(&app, &ann, None);
        let mine = app.send_json("PUT", &path, Some(&bob), &json!({}));
        assert_eq!(mine.status, 200, "{}", mine.text());
        assert_eq!(mine.json()["items"][0]["me"], true);
        let opened = app.send_json("PUT", &path, Some(&ann), &json!({"composing": true}));
        assert_eq!(opened.status, 200, "{}", opened.text());
        assert_eq!(opened.json()["items"].as_array().unwrap().len(), 2);
        let list = app.get(&path, Some(&bob)).json();
        let ann_there = list["items"].as_array().unwrap().iter().find(|p| p["user_id"] == ann_id).unwrap().clone();
        assert_eq!(ann_there["composing"], true);
        assert_eq!(ann_there["me"], false);
        assert_eq!(ann_there["name"], "ann@example.com");
        let seen = bobs_stream.until(WAIT, |e| e.event == "presence" && e.data["user_id"] == ann_id);
        let event = seen.last().unwrap();
        assert_eq!(event.data["composing"], true);
        assert_eq!(event.data["present"], true);
        assert_eq!(event.data["ticket_number"], number.as_str());
        assert!(event.data["expires_at"].is_string());
        // Ann does not hear of herself, but of bob.
        let seen = anns_stream.until(WAIT, |e| e.event == "presence");
        assert!(seen.iter().filter(|e| e.event == "presence").all(|e| e.data["user_id"] != ann_id), "{seen:#?}");
        // Leaving is an event too.
        let left = app.delete(&path, Some(&ann));
        assert_eq!(left.status, 204, "{}", left.text());
        let seen = bobs_stream.until(WAIT, |e| e.event == "presence" && e.data["present"] == false);
        assert_eq!(seen.last().unwrap().data["user_id"], ann_id);
        assert_eq!(app.get(&path, Some(&bob)).json()["items"].as_array().unwrap().len(), 1);
        // Unless renewed, a presence ends after a minute.
        app.clock.advance(Duration::seconds(61));
        assert_eq!(app.get(&path, Some(&bob)).json()["items"], json!([]));
    }

    fn presence_is_for_agents_who_can_see_the_ticket(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, eve) = app.create_agent("eve@example.com", false);
        let (_, kari) = app.create_customer("kari@example.org");
        let ticket = app.create_ticket(&ann, "Private", "kari@example.org");
        let path = format!("/api/v1/tickets/{}/presence", ticket["id"]);
        for method in ["GET", "PUT", "DELETE"] {
            let call = |token: Option<&str>| match method {
                "GET" => app.get(&path, token),
                "DELETE" => app.delete(&path, token),
                _ => app.send_json(method, &path, token, &json!({"composing": false})),
            };
            call(None).assert_problem(401, "unauthorized");
            call(Some(&eve)).assert_problem(404, "not_found");
            call(Some(&kari)).assert_problem(403, "forbidden");
        }
        app.get("/api/v1/tickets/999999/presence", Some(&ann)).assert_problem(404, "not_found");
        app.send_json("PUT", &path, Some(&ann), &json!({"composing": "yes"})).assert_problem(422, "validation_failed");
    }
}
