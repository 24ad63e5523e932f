//! Reminders with the moved clock and the real job registry: RT-style reminders (agents who can
//! see the ticket; due once), pending reminders (the owner or the queue, once per pending
//! time) and pending auto states (the state changes at the time, by the system, counted).

use chrono::Duration;
use serde_json::{Value, json};

use crate::sla_support::{AGENT_PASSWORD, at, history, of_kind, patch, rfc, run_jobs, utc};
use crate::support::{ClockExt, GENERAL_QUEUE, TestApp, text};

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

fn reminders_path(ticket: i64) -> String {
    format!("/api/v1/tickets/{ticket}/reminders")
}

/// Moves the clock by `by`, runs the due jobs, and returns the entries of `kind`.
fn after(app: &TestApp, by: Duration, ticket: i64, kind: &str) -> Vec<Value> {
    app.clock.advance(by);
    run_jobs(app);
    let agent = app.login("ola@example.com", AGENT_PASSWORD);
    of_kind(&history(app, &agent, ticket), kind)
}

both_backends! {
    fn reminders_belong_to_the_agents_who_see_the_ticket(app) {
        let (ola, agent) = app.agent_with_rights("ola@example.com", &["ro", "note"]);
        let (kari, colleague) = app.agent_with_rights("kari@example.com", &["ro"]);
        let (outsider_id, outsider) = app.create_agent("per@example.com", false);
        let (_, writer) = app.agent_with_rights("writer@example.com", &["rw"]);
        let t = id(&app.create_ticket(&writer, "Printer", "kunde@example.org"));
        let due = app.clock.now_utc() + Duration::hours(2);

        let created = app.post(&reminders_path(t), Some(&agent), &json!({"subject": "Call back", "due_at": rfc(due)}));
        assert_eq!(created.status, 201, "{}", created.text());
        let reminder = created.json();
        assert_eq!(reminder["owner"]["id"], ola, "the caller by default");
        assert_eq!(reminder["done"], false);
        assert!(reminder["notified_at"].is_null());
        let path = format!("{}/{}", reminders_path(t), id(&reminder));
        assert_eq!(created.header("location"), Some(path.as_str()));
        let given = app.post(&reminders_path(t), Some(&agent), &json!({"subject": "Order toner", "due_at": rfc(due + Duration::hours(1)), "owner_id": kari}));
        assert_eq!(given.status, 201, "{}", given.text());
        let refused = app.post(&reminders_path(t), Some(&agent), &json!({"subject": "x", "due_at": rfc(due), "owner_id": outsider_id}))
            .assert_problem(422, "validation_failed");
        assert_eq!(refused["error_codes"]["owner_id"][0], "not_allowed");
        assert_eq!(app.post(&reminders_path(t), Some(&agent), &json!({"subject": " ", "due_at": rfc(due)}))
            .assert_problem(422, "validation_failed")["error_codes"]["subject"][0], "required");

        let listed = app.get(&format!("{}?limit=1", reminders_path(t)), Some(&colleague)).json();
        assert_eq!(listed["items"][0]["subject"], "Call back");
        let next = app.get(&format!("{}?limit=1&cursor={}", reminders_path(t), text(&listed, "next_cursor")), Some(&colleague)).json();
        assert_eq!(next["items"][0]["subject"], "Order toner");

        // Mine: open, due before the given time, soonest first.
        let mine = app.get(&format!("/api/v1/me/reminders?due_before={}", rfc(due + Duration::minutes(1)).replace('+', "%2B")), Some(&agent)).json();
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        assert_eq!(mine["items"][0]["ticket_title"], "Printer");
        assert_eq!(mine["items"][0]["subject"], "Call back");
        let hers = app.get("/api/v1/me/reminders", Some(&colleague)).json();
        assert_eq!(hers["items"][0]["subject"], "Order toner");
        let none_yet = app.get(&format!("/api/v1/me/reminders?due_before={}", rfc(due - Duration::minutes(1))), Some(&agent)).json();
        assert!(none_yet["items"].as_array().unwrap().is_empty());

        let done = app.patch(&path, Some(&colleague), &json!({"done": true}));
        assert_eq!(done.status, 200, "{}", done.text());
        assert_eq!(done.json()["done"], true);
        assert!(!done.json()["done_at"].is_null());
        assert!(app.get("/api/v1/me/reminders", Some(&agent)).json()["items"].as_array().unwrap().is_empty(), "done ones are not open");
        let moved = app.patch(&path, Some(&agent), &json!({"done": false, "subject": "Call back again", "owner_id": kari}));
        assert_eq!(moved.json()["owner"]["id"], kari);
        assert_eq!(app.delete(&path, Some(&agent)).status, 204);
        app.delete(&path, Some(&agent)).assert_problem(404, "not_found");
        let kinds: Vec<String> = history(&app, &agent, t).iter().map(|h| text(h, "kind")).filter(|k| k.starts_with("reminder")).collect();
        assert_eq!(kinds, vec!["reminder_added", "reminder_added", "reminder_completed", "reminder_changed", "reminder_removed"]);
        let added = &of_kind(&history(&app, &agent, t), "reminder_added")[0];
        assert_eq!(added["new_value"], format!("#{} Call back", id(&reminder)));

        // Refusals: invisible tickets are 404, customers 403, anonymous 401.
        app.get(&reminders_path(t), Some(&outsider)).assert_problem(404, "not_found");
        app.post(&reminders_path(t), Some(&outsider), &json!({"subject": "x", "due_at": rfc(due)})).assert_problem(404, "not_found");
        let (_, customer) = app.create_customer("kunde2@example.org");
        let own = app.post("/api/v1/tickets", Some(&customer), &json!({"title": "Mine", "queue_id": GENERAL_QUEUE, "article": {"body": "x"}})).json();
        app.get(&reminders_path(id(&own)), Some(&customer)).assert_problem(403, "forbidden");
        app.get(&reminders_path(t), Some(&customer)).assert_problem(404, "not_found");
        app.get("/api/v1/me/reminders", Some(&customer)).assert_problem(403, "forbidden");
        app.get(&reminders_path(t), None).assert_problem(401, "unauthorized");
        app.get("/api/v1/me/reminders?due_before=tomorrow", Some(&agent)).assert_problem(422, "validation_failed");
    }

    fn reminders_come_due_once_per_due_time(app) {
        app.agent_with_rights("ola@example.com", &["rw"]);
        let agent = at(&app, utc(2026, 11, 30, 9, 0), "ola@example.com");
        let t = id(&app.create_ticket(&agent, "Printer", "kunde@example.org"));
        let reminder = app.post(&reminders_path(t), Some(&agent), &json!({"subject": "Check the toner", "due_at": rfc(utc(2026, 11, 30, 10, 0))})).json();
        assert!(after(&app, Duration::minutes(59), t, "ticket_reminder_due").is_empty());
        let due = after(&app, Duration::minutes(1), t, "ticket_reminder_due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0]["new_value"], format!("#{} Check the toner", id(&reminder)));
        assert_eq!(due[0]["old_value"], rfc(utc(2026, 11, 30, 10, 0)));
        assert!(due[0]["actor"].is_null());
        assert_eq!(after(&app, Duration::hours(2), t, "ticket_reminder_due").len(), 1, "once");
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        let listed = app.get(&reminders_path(t), Some(&agent)).json();
        assert_eq!(listed["items"][0]["notified_at"], rfc(utc(2026, 11, 30, 10, 0)), "recorded at the first run after it came due");
        // A new due time comes due again.
        let path = format!("{}/{}", reminders_path(t), id(&reminder));
        let moved = app.patch(&path, Some(&agent), &json!({"due_at": rfc(utc(2026, 11, 30, 14, 0))}));
        assert!(moved.json()["notified_at"].is_null());
        assert_eq!(after(&app, Duration::hours(2), t, "ticket_reminder_due").len(), 2);
        // Done reminders never come due.
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        let other = app.post(&reminders_path(t), Some(&agent), &json!({"subject": "Done early", "due_at": rfc(utc(2026, 11, 30, 16, 0))})).json();
        app.patch(&format!("{}/{}", reminders_path(t), id(&other)), Some(&agent), &json!({"done": true}));
        assert_eq!(after(&app, Duration::hours(4), t, "ticket_reminder_due").len(), 2);
    }

    fn pending_reminders_remind_the_owner_or_the_queue_once(app) {
        let (ola, _) = app.agent_with_rights("ola@example.com", &["rw", "owner"]);
        let agent = at(&app, utc(2026, 11, 30, 9, 0), "ola@example.com");
        let owned = id(&app.create_ticket(&agent, "Owned", "kunde@example.org"));
        let unowned = id(&app.create_ticket(&agent, "Unowned", "kunde@example.org"));
        let pending = rfc(utc(2026, 11, 30, 11, 0));
        patch(&app, &agent, owned, json!({"owner_id": ola, "state_id": 3, "pending_until": pending}));
        patch(&app, &agent, unowned, json!({"state_id": 3, "pending_until": pending}));
        assert!(after(&app, Duration::minutes(119), owned, "reminder_due").is_empty());
        let due = after(&app, Duration::minutes(1), owned, "reminder_due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0]["new_value"], format!("owner:{ola}"));
        assert_eq!(due[0]["old_value"], pending);
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        let queue = of_kind(&history(&app, &agent, unowned), "reminder_due");
        assert_eq!(queue[0]["new_value"], format!("queue:{GENERAL_QUEUE}"));
        assert_eq!(after(&app, Duration::hours(3), owned, "reminder_due").len(), 1, "once per pending time");
        // A new pending time reminds again; leaving the pending state cancels it.
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        patch(&app, &agent, owned, json!({"pending_until": rfc(utc(2026, 11, 30, 16, 0))}));
        patch(&app, &agent, unowned, json!({"pending_until": rfc(utc(2026, 11, 30, 16, 0))}));
        patch(&app, &agent, unowned, json!({"state_id": 2}));
        assert_eq!(after(&app, Duration::hours(2), owned, "reminder_due").len(), 2);
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        assert_eq!(of_kind(&history(&app, &agent, unowned), "reminder_due").len(), 1);
    }

    fn pending_auto_states_change_at_their_time(app) {
        app.agent_with_rights("ola@example.com", &["rw"]);
        let agent = at(&app, utc(2026, 11, 30, 9, 0), "ola@example.com");
        let created = app.post("/api/v1/tickets", Some(&agent), &json!({
            "title": "Closes itself", "queue_id": GENERAL_QUEUE, "state_id": 6,
            "pending_until": rfc(utc(2026, 11, 30, 12, 0)), "article": {"body": "Waiting for the customer"}
        }));
        assert_eq!(created.status, 201, "{}", created.text());
        let t = id(&created.json());
        let counts = |app: &TestApp| {
            let admin = app.admin_token();
            app.get(&format!("/api/v1/queues/{GENERAL_QUEUE}"), Some(&admin)).json()["counts"].clone()
        };
        assert_eq!(counts(&app)["pending_auto"], 1);
        assert!(after(&app, Duration::minutes(179), t, "state_changed").is_empty(), "not before its time");
        let changed = after(&app, Duration::minutes(1), t, "state_changed");
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0]["old_value"], "pending auto close+");
        assert_eq!(changed[0]["new_value"], "closed successful");
        assert!(changed[0]["actor"].is_null(), "the system did it");
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        let view = app.get(&format!("/api/v1/tickets/{t}"), Some(&agent)).json();
        assert_eq!(view["state"]["state_type"], "closed");
        assert!(view["pending_until"].is_null());
        assert_eq!(view["closed_at"], rfc(utc(2026, 11, 30, 12, 0)));
        let counts = counts(&app);
        assert_eq!((counts["pending_auto"].clone(), counts["closed"].clone()), (json!(0), json!(1)));
        assert_eq!(after(&app, Duration::hours(1), t, "state_changed").len(), 1, "once");
        let admin = app.admin_token();
        let jobs = app.get("/api/v1/jobs?kind=pending_auto&limit=50", Some(&admin)).json();
        let jobs = jobs["items"].as_array().unwrap();
        assert_eq!(jobs.len(), 1, "{jobs:?}");
        assert_eq!((jobs[0]["status"].clone(), jobs[0]["attempts"].clone()), (json!("done"), json!(1)));
    }
}
