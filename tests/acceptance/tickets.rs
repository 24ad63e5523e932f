//! Tickets: creation, reading, lists, changes with If-Match, states, ownership, watchers,
//! history, idempotency.

use chrono::Duration;
use serde_json::{Value, json};

use crate::support::{GENERAL_QUEUE, TestApp, text};

fn id(ticket: &Value) -> i64 {
    ticket["id"].as_i64().unwrap()
}

fn history_kinds(app: &TestApp, token: &str, ticket: i64) -> Vec<String> {
    let history = app.get(&format!("/api/v1/tickets/{ticket}/history"), Some(token));
    assert_eq!(history.status, 200, "{}", history.text());
    history.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| text(h, "kind"))
        .collect()
}

both_backends! {
    fn an_agent_creates_a_phone_ticket_for_a_new_customer(app) {
        let (agent_id, agent) = app.agent_with_rights("ola@example.com", &["rw"]);
        let created = app.post(
            "/api/v1/tickets",
            Some(&agent),
            &json!({
                "title": "  Printer on floor 3 is jammed ",
                "queue_id": GENERAL_QUEUE,
                "customer_email": "Kari.Kunde@Example.org",
                "customer_name": "Kari Kunde",
                "article": {"body": "Kari called: error E42.", "time_accounted_minutes": 5}
            }),
        );
        assert_eq!(created.status, 201, "{}", created.text());
        let ticket = created.json();
        let number = text(&ticket, "number");
        assert_eq!(number, format!("20261124{}{:06}", "10", 1), "date-based number from the service clock");
        assert_eq!(created.header("location"), Some(format!("/api/v1/tickets/{}", id(&ticket)).as_str()));
        assert_eq!(created.header("etag"), Some("\"1\""));
        assert_eq!(ticket["title"], "Printer on floor 3 is jammed");
        assert_eq!(ticket["state"]["state_type"], "new");
        assert_eq!(ticket["priority"]["id"], 3);
        assert_eq!(ticket["queue"]["name"], "General");
        assert_eq!(ticket["customer"]["email"], "kari.kunde@example.org");
        assert_eq!(ticket["customer"]["name"], "Kari Kunde");
        assert_eq!(ticket["time_accounted_minutes"], 5);
        assert_eq!(ticket["locked"], false);
        assert_eq!(ticket["article_count"], 1);

        let by_number = app.get(&format!("/api/v1/tickets/{number}"), Some(&agent));
        assert_eq!(by_number.status, 200);
        assert_eq!(by_number.json()["id"], ticket["id"]);
        let articles = app.get(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&agent)).json();
        let first = &articles["items"][0];
        assert_eq!(first["sender_type"], "customer", "a phone ticket records the customer's words");
        assert_eq!(first["channel"], "phone");
        assert_eq!(first["customer_visible"], true);
        assert_eq!(first["author"]["id"], agent_id);
        assert_eq!(history_kinds(&app, &agent, id(&ticket)), vec!["created", "article_added", "time_accounted"]);

        // The same customer email on a second ticket reuses the customer user.
        let second = app.create_ticket(&agent, "Second", "kari.kunde@example.org");
        assert_eq!(second["customer"]["id"], ticket["customer"]["id"]);
        assert_eq!(text(&second, "number"), format!("20261124{}{:06}", "10", 2));
    }

    fn creation_input_is_validated(app) {
        let (_, agent) = app.agent_with_rights("ola@example.com", &["rw"]);
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "", "queue_id": 999, "article": {"body": ""}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["title"][0], "required");
        assert_eq!(doc["error_codes"]["article.body"][0], "required");
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "x", "queue_id": 999, "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["queue_id"][0], "not_found");
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "x", "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["queue_id"][0], "required");
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "x", "queue_id": 1, "customer_email": "nope", "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["customer"][0], "invalid_email");
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "x", "queue_id": 1, "customer_email": "ola@example.com", "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["customer"][0], "not_a_customer");
        let doc = app.post("/api/v1/tickets", Some(&agent), &json!({"title": "x", "queue_id": 1, "state_id": 3, "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["pending_until"][0], "required");
        assert_eq!(app.get("/api/v1/tickets", Some(&agent)).json()["items"], json!([]), "nothing was created");
    }

    fn lists_filter_sort_and_page(app) {
        let admin = app.admin_token();
        let mut ids = Vec::new();
        for n in 0..5 {
            let ticket = app.create_ticket(&admin, &format!("Ticket {n}"), &format!("c{}@example.org", n % 2));
            ids.push(id(&ticket));
            app.clock.advance(Duration::minutes(1));
        }
        app.patch(&format!("/api/v1/tickets/{}", ids[1]), Some(&admin), &json!({"priority_id": 5, "state_id": 2}));
        app.patch(&format!("/api/v1/tickets/{}", ids[3]), Some(&admin), &json!({"priority_id": 1}));

        let all = app.get("/api/v1/tickets", Some(&admin)).json();
        let order: Vec<i64> = all["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(order[0], ids[3], "default sort is -updated_at: the last changed first");

        let by_priority = app.get("/api/v1/tickets?sort=-priority", Some(&admin)).json();
        let prios: Vec<i64> = by_priority["items"].as_array().unwrap().iter().map(|t| t["priority"]["id"].as_i64().unwrap()).collect();
        assert_eq!(prios, vec![5, 3, 3, 3, 1]);

        let open = app.get("/api/v1/tickets?state_type=open", Some(&admin)).json();
        assert_eq!(open["items"].as_array().unwrap().len(), 1);
        let new_or_open = app.get("/api/v1/tickets?state_type=new,open&priority=1,5", Some(&admin)).json();
        assert_eq!(new_or_open["items"].as_array().unwrap().len(), 2);
        let customer = app.get(&format!("/api/v1/tickets?customer_id={}", all["items"][0]["customer"]["id"]), Some(&admin)).json();
        assert_eq!(customer["items"].as_array().unwrap().len(), 2, "c1 has tickets 1 and 3");
        let created_after = app.get("/api/v1/tickets?created_after=2026-11-24T09:02:30Z&sort=created_at", Some(&admin)).json();
        let after: Vec<i64> = created_after["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(after, vec![ids[3], ids[4]]);
        assert_eq!(app.get("/api/v1/tickets?owner_id=none", Some(&admin)).json()["items"].as_array().unwrap().len(), 5);
        assert_eq!(app.get("/api/v1/tickets?owner_id=me", Some(&admin)).json()["items"], json!([]));

        // Cursor paging visits every ticket once, in order, for each sort.
        for sort in ["number", "-number", "created_at", "-updated_at", "priority", "-priority"] {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let path = match &cursor {
                    Some(c) => format!("/api/v1/tickets?sort={sort}&limit=2&cursor={c}"),
                    None => format!("/api/v1/tickets?sort={sort}&limit=2"),
                };
                let page = app.get(&path, Some(&admin)).json();
                seen.extend(page["items"].as_array().unwrap().iter().map(id));
                match page["next_cursor"].as_str() {
                    Some(next) => cursor = Some(next.to_owned()),
                    None => break,
                }
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 5, "{sort}: {seen:?}");
        }
        app.get("/api/v1/tickets?sort=colour", Some(&admin)).assert_problem(422, "validation_failed");
        app.get("/api/v1/tickets?state_type=done", Some(&admin)).assert_problem(422, "validation_failed");
        app.get("/api/v1/tickets?owner_id=somebody", Some(&admin)).assert_problem(422, "validation_failed");
        let page = app.get("/api/v1/tickets?sort=priority&limit=2", Some(&admin)).json();
        let cursor = text(&page, "next_cursor");
        app.get(&format!("/api/v1/tickets?sort=created_at&cursor={cursor}"), Some(&admin)).assert_problem(422, "validation_failed");
    }

    fn changes_are_versioned_and_recorded(app) {
        let (_, agent) = app.agent_with_rights("ola@example.com", &["rw"]);
        let ticket = app.create_ticket(&agent, "Versioned", "kunde@example.org");
        let path = format!("/api/v1/tickets/{}", id(&ticket));
        let changed = app.send_json_with("PATCH", &path, &agent, &[("if-match", "\"1\"")], &json!({"title": "Renamed", "state_id": 2, "priority_id": 4}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.header("etag"), Some("\"2\""));
        assert_eq!(changed.json()["state"]["name"], "open");
        // Someone changed it since version 1: refused, nothing written.
        app.send_json_with("PATCH", &path, &agent, &[("if-match", "\"1\"")], &json!({"title": "Lost update"}))
            .assert_problem(412, "precondition_failed");
        app.send_json_with("PATCH", &path, &agent, &[("if-match", "garbage")], &json!({"title": "x"}))
            .assert_problem(412, "precondition_failed");
        assert_eq!(app.get(&path, Some(&agent)).json()["title"], "Renamed");
        // A no-op keeps the version.
        let same = app.patch(&path, Some(&agent), &json!({"title": "Renamed"}));
        assert_eq!(same.json()["version"], 2);
        // Closing stamps closed_at; pending needs a time; reopening clears closed_at.
        let closed = app.patch(&path, Some(&agent), &json!({"state_id": 4})).json();
        assert_eq!(closed["state"]["state_type"], "closed");
        assert!(closed["closed_at"].is_string());
        let doc = app.patch(&path, Some(&agent), &json!({"state_id": 3})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["pending_until"][0], "required");
        let doc = app.patch(&path, Some(&agent), &json!({"state_id": 3, "pending_until": "2020-01-01T00:00:00Z"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["pending_until"][0], "in_the_past");
        let pending = app.patch(&path, Some(&agent), &json!({"state_id": 3, "pending_until": "2026-11-30T08:00:00Z"})).json();
        assert_eq!(pending["state"]["state_type"], "pending_reminder");
        assert!(pending["closed_at"].is_null());
        assert_eq!(pending["pending_until"], "2026-11-30T08:00:00Z");
        let reopened = app.patch(&path, Some(&agent), &json!({"state_id": 2})).json();
        assert!(reopened["pending_until"].is_null());
        assert_eq!(
            history_kinds(&app, &agent, id(&ticket)),
            vec!["created", "article_added", "title_changed", "state_changed", "priority_changed",
                 "state_changed", "state_changed", "pending_changed", "state_changed", "pending_changed"]
        );
        let history = app.get(&format!("{path}/history"), Some(&agent)).json();
        let title = &history["items"][2];
        assert_eq!(title["old_value"], "Versioned");
        assert_eq!(title["new_value"], "Renamed");
        assert_eq!(title["actor"]["email"], "ola@example.com");
        // Moving needs move_into on the target; unknown queues are named.
        let doc = app.patch(&path, Some(&agent), &json!({"queue_id": 99})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["queue_id"][0], "not_found");
    }

    fn ownership_take_steal_give_release(app) {
        let (ola_id, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        let (kari_id, kari) = app.agent_with_rights("kari@example.com", &["owner"]);
        let (_, thief) = app.agent_with_rights("thief@example.com", &["owner", "steal"]);
        let (_, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let ticket = app.create_ticket(&ola, "Own me", "kunde@example.org");
        let path = format!("/api/v1/tickets/{}", id(&ticket));

        app.post(&format!("{path}/take"), Some(&reader), &json!({})).assert_problem(403, "forbidden");
        let taken = app.post(&format!("{path}/take"), Some(&kari), &json!({}));
        assert_eq!(taken.status, 200, "{}", taken.text());
        assert_eq!(taken.json()["owner"]["id"], kari_id);
        assert_eq!(taken.json()["locked"], true);
        // Kari owns it: she has every right on it now, even without rw.
        assert_eq!(app.patch(&path, Some(&kari), &json!({"title": "Kari's"})).status, 200);
        app.post(&format!("{path}/take"), Some(&ola), &json!({})).assert_problem(409, "ticket_locked");
        let stolen = app.post(&format!("{path}/steal"), Some(&thief), &json!({})).json();
        assert_eq!(stolen["owner"]["email"], "thief@example.com");
        app.post(&format!("{path}/release"), Some(&kari), &json!({})).assert_problem(403, "forbidden");
        // Ola (rw) gives it to Kari, who has the owner right; not to the reader, who has not.
        let doc = app.patch(&path, Some(&ola), &json!({"owner_id": app.get("/api/v1/me", Some(&reader)).json()["id"]}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["owner_id"][0], "not_allowed");
        let given = app.patch(&path, Some(&ola), &json!({"owner_id": kari_id})).json();
        assert_eq!(given["owner"]["id"], kari_id);
        let released = app.post(&format!("{path}/release"), Some(&kari), &json!({})).json();
        assert!(released["owner"].is_null());
        assert_eq!(released["locked"], false);
        let mine = app.patch(&path, Some(&ola), &json!({"owner_id": ola_id})).json();
        assert_eq!(mine["owner"]["id"], ola_id);
        let owners: Vec<Value> = app.get(&format!("{path}/history"), Some(&ola)).json()["items"]
            .as_array().unwrap().iter().filter(|h| h["kind"] == "owner_changed").cloned().collect();
        assert_eq!(owners.len(), 5);
        assert_eq!(owners[1]["old_value"], "kari@example.com");
        assert_eq!(owners[1]["new_value"], "thief@example.com");
    }

    fn watchers_are_added_and_removed(app) {
        let (ola_id, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        let (kari_id, kari) = app.agent_with_rights("kari@example.com", &["ro"]);
        let (outsider_id, _) = app.create_agent("out@example.com", false);
        let ticket = app.create_ticket(&ola, "Watch me", "kunde@example.org");
        let path = format!("/api/v1/tickets/{}/watchers", id(&ticket));
        let me = app.post(&path, Some(&kari), &json!({}));
        assert_eq!(me.status, 200, "{}", me.text());
        assert_eq!(me.json()["watchers"][0]["id"], kari_id);
        app.post(&path, Some(&kari), &json!({"user_id": ola_id})).assert_problem(403, "forbidden");
        let doc = app.post(&path, Some(&ola), &json!({"user_id": outsider_id})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["user_id"][0], "not_allowed");
        assert_eq!(app.post(&path, Some(&ola), &json!({"user_id": ola_id})).json()["watchers"].as_array().unwrap().len(), 2);
        assert_eq!(app.get(&format!("/api/v1/tickets/{}", id(&ticket)), Some(&ola)).json()["watchers"].as_array().unwrap().len(), 2);
        let removed = app.delete(&format!("{path}/{kari_id}"), Some(&kari));
        assert_eq!(removed.status, 200);
        app.delete(&format!("{path}/{kari_id}"), Some(&kari)).assert_problem(404, "not_found");
        assert!(history_kinds(&app, &ola, id(&ticket)).contains(&"watcher_removed".to_owned()));
    }

    fn idempotency_keys_make_retries_safe(app) {
        let (_, agent) = app.agent_with_rights("ola@example.com", &["rw"]);
        let body = json!({"title": "From Zabbix", "queue_id": 1, "article": {"body": "disk full", "channel": "api"}});
        let first = app.send_json_with("POST", "/api/v1/tickets", &agent, &[("idempotency-key", "alert-42")], &body);
        assert_eq!(first.status, 201);
        let retry = app.send_json_with("POST", "/api/v1/tickets", &agent, &[("idempotency-key", "alert-42")], &body);
        assert_eq!(retry.status, 201);
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        assert_eq!(retry.json()["id"], first.json()["id"]);
        let other = json!({"title": "Something else", "queue_id": 1, "article": {"body": "x"}});
        let doc = app.send_json_with("POST", "/api/v1/tickets", &agent, &[("idempotency-key", "alert-42")], &other)
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["idempotency_key"][0], "idempotency_key_reused");
        assert_eq!(app.get("/api/v1/tickets", Some(&agent)).json()["items"].as_array().unwrap().len(), 1);
    }

    fn ticket_numbers_stay_unique_under_concurrency(app) {
        let admin = app.admin_token();
        let numbers = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for t in 0..4 {
                let (app, admin, numbers) = (&app, &admin, &numbers);
                scope.spawn(move || {
                    for n in 0..5 {
                        let ticket = app.create_ticket(admin, &format!("T{t}-{n}"), "kunde@example.org");
                        numbers.lock().unwrap().push(text(&ticket, "number"));
                    }
                });
            }
        });
        let mut numbers = numbers.into_inner().unwrap();
        numbers.sort();
        let total = numbers.len();
        numbers.dedup();
        assert_eq!(numbers.len(), total, "no duplicate numbers");
        assert_eq!(total, 20);
    }
}
