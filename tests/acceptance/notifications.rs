//! Notifications: who is told of what (rules by role, never the actor, never anyone without the
//! right to see the ticket), preferences per channel, templates per language, the in-app list
//! and the administration of rules and templates, with their permissions.

use serde_json::{Value, json};
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::time::to_db;

use crate::support::{ClockExt, GENERAL_QUEUE, TestApp};

/// Runs the dispatcher once, as the periodic job would.
pub fn dispatch(app: &TestApp) -> vakt_service::notifications::DispatchReport {
    app.services.dispatch_notifications().expect("dispatch")
}

/// The caller's notifications (all, newest first).
pub fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get("/api/v1/me/notifications?limit=200", Some(token));
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The events of the caller's notifications, oldest first.
pub fn events(app: &TestApp, token: &str) -> Vec<String> {
    let mut items: Vec<String> = inbox(app, token)
        .iter()
        .map(|n| n["event"].as_str().unwrap_or_default().to_owned())
        .collect();
    items.reverse();
    items
}

/// The payloads of the `send_notification` jobs.
pub fn mails(app: &TestApp) -> Vec<Value> {
    let admin = app.admin_token();
    let jobs = app.get(
        "/api/v1/jobs?kind=send_notification&limit=200",
        Some(&admin),
    );
    assert_eq!(jobs.status, 200, "{}", jobs.text());
    jobs.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|j| serde_json::from_str(j["payload"].as_str().unwrap()).unwrap())
        .collect()
}

/// The addresses notification mail went to, sorted.
pub fn mailed_to(app: &TestApp) -> Vec<String> {
    let mut to: Vec<String> = mails(app)
        .iter()
        .map(|m| m["to"].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    to
}

fn reply(app: &TestApp, token: &str, ticket: i64, kind: &str, body: &str) -> Value {
    let r = app.post(
        &format!("/api/v1/tickets/{ticket}/articles"),
        Some(token),
        &json!({"kind": kind, "body": body}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn patch(app: &TestApp, token: &str, ticket: i64, body: Value) {
    let r = app.patch(&format!("/api/v1/tickets/{ticket}"), Some(token), &body);
    assert_eq!(r.status, 200, "{}", r.text());
}

/// A queue in a new group; returns (queue id, group id).
pub fn queue_in_new_group(app: &TestApp, name: &str) -> (i64, i64) {
    let admin = app.admin_token();
    let group = app.post(
        "/api/v1/groups",
        Some(&admin),
        &json!({"name": format!("{name} group")}),
    );
    assert_eq!(group.status, 201, "{}", group.text());
    let group = group.json()["id"].as_i64().unwrap();
    let queue = app.post(
        "/api/v1/queues",
        Some(&admin),
        &json!({"name": name, "group_id": group}),
    );
    assert_eq!(queue.status, 201, "{}", queue.text());
    (queue.json()["id"].as_i64().unwrap(), group)
}

both_backends! {
    fn a_new_ticket_notifies_queue_members_but_not_its_creator_nor_anyone_without_rights(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        let (_, carl) = app.create_agent("carl@example.com", false);
        let admin = app.admin_token();
        let ticket = app.create_ticket(&ann, "Printer on fire", "kari@example.org");
        let report = dispatch(&app);
        assert_eq!((report.in_app, report.emails), (1, 1), "{report:?}");
        let bobs = inbox(&app, &bob);
        assert_eq!(bobs.len(), 1);
        assert_eq!(bobs[0]["event"], "ticket_created");
        assert_eq!(bobs[0]["ticket"]["id"], ticket["id"]);
        assert_eq!(bobs[0]["actor"]["email"], "ann@example.com");
        assert!(bobs[0]["subject"].as_str().unwrap().contains("Printer on fire"), "{}", bobs[0]);
        assert!(bobs[0]["body"].as_str().unwrap().contains("Body of Printer on fire"), "{}", bobs[0]);
        assert!(bobs[0]["read_at"].is_null());
        assert!(inbox(&app, &ann).is_empty(), "never the actor");
        assert!(inbox(&app, &carl).is_empty(), "no rights on the queue");
        assert!(inbox(&app, &admin).is_empty(), "administrators are not queue members");
        assert_eq!(mailed_to(&app), ["bob@example.com"]);
        let again = dispatch(&app);
        assert_eq!((again.history_rows, again.in_app, again.emails), (0, 0, 0), "nothing twice");
    }

    fn customer_follow_ups_go_to_the_owner_or_the_queue_and_to_watchers(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let (_, cid) = app.agent_with_rights("cid@example.com", &["ro"]);
        let (_, kari) = app.create_customer("kari@example.org");
        let ticket = app.create_ticket(&ann, "VPN", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        dispatch(&app);
        reply(&app, &kari, id, "reply", "Still broken");
        dispatch(&app);
        for (token, expected) in [(&ann, vec!["customer_follow_up"]), (&bob, vec!["ticket_created", "customer_follow_up"]), (&cid, vec!["ticket_created", "customer_follow_up"])] {
            assert_eq!(events(&app, token), expected, "unowned: the whole queue");
        }
        patch(&app, &ann, id, json!({"owner_id": ann_id}));
        let watch = app.post(&format!("/api/v1/tickets/{id}/watchers"), Some(&bob), &json!({}));
        assert_eq!(watch.status, 200, "{}", watch.text());
        dispatch(&app);
        reply(&app, &kari, id, "reply", "Hello?");
        dispatch(&app);
        assert_eq!(events(&app, &ann), ["customer_follow_up", "customer_follow_up"], "the owner");
        assert_eq!(events(&app, &bob).last().unwrap(), "customer_follow_up", "a watcher");
        assert_eq!(events(&app, &bob).len(), 3);
        assert_eq!(events(&app, &cid).len(), 2, "owned: not the rest of the queue");
        assert!(inbox(&app, &ann)[0]["body"].as_str().unwrap().contains("Hello?"));
    }

    fn a_new_owner_and_a_new_queue_are_told(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (bob_id, bob) = app.agent_with_rights("bob@example.com", &["owner"]);
        let (it_queue, it_group) = queue_in_new_group(&app, "IT");
        let (ida_id, ida) = app.create_agent("ida@example.com", false);
        app.grant(it_group, ida_id, &["ro"]);
        app.grant(it_group, ann_id, &["move_into"]);
        let ticket = app.create_ticket(&ann, "Move me", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        dispatch(&app);
        patch(&app, &ann, id, json!({"owner_id": bob_id}));
        dispatch(&app);
        assert_eq!(events(&app, &bob), ["ticket_created", "owner_changed"]);
        assert!(inbox(&app, &bob)[0]["subject"].as_str().unwrap().contains("You now own"));
        patch(&app, &ann, id, json!({"queue_id": it_queue}));
        dispatch(&app);
        assert_eq!(events(&app, &ida), ["queue_moved"], "the members of the target queue");
        assert!(inbox(&app, &ida)[0]["subject"].as_str().unwrap().contains("moved to IT"));
        assert_eq!(events(&app, &bob).len(), 2, "not a member of IT");
        assert!(events(&app, &ann).iter().all(|e| e != "queue_moved"), "never the actor");
    }

    fn mentions_in_internal_notes_reach_the_agents_named(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        let (_, eve) = app.create_agent("eve@example.com", false);
        let ticket = app.create_ticket(&ann, "Mentions", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        let rules = app.get("/api/v1/notification-rules", Some(&app.admin_token())).json();
        set_rule(&app, &rules, "ticket_created", |r| r["enabled"] = json!(false));
        reply(&app, &ann, id, "note", "@bob@example.com and @eve@example.com: see the logs. (@ann@example.com)");
        reply(&app, &ann, id, "reply", "Dear @bob@example.com");
        dispatch(&app);
        assert_eq!(events(&app, &bob), ["mentioned"], "only the note, once");
        assert!(inbox(&app, &bob)[0]["body"].as_str().unwrap().contains("see the logs"));
        assert!(inbox(&app, &eve).is_empty(), "mentioned, but may not see the ticket");
        assert!(inbox(&app, &ann).is_empty(), "mentioning yourself does nothing");
    }

    fn escalations_and_reminders_from_the_history_notify_their_roles(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (bob_id, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let (_, cid) = app.agent_with_rights("cid@example.com", &["ro"]);
        let (_, dag) = app.create_agent("dag@example.com", false);
        let patch_language = app.patch("/api/v1/me", Some(&cid), &json!({"language": "nb", "time_zone": "Europe/Oslo"}));
        assert_eq!(patch_language.status, 200, "{}", patch_language.text());
        let ticket = app.create_ticket(&ann, "Slow", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        patch(&app, &ann, id, json!({"owner_id": ann_id, "responsible_id": bob_id}));
        dispatch(&app);
        let before: Vec<usize> = [&ann, &bob, &cid].iter().map(|t| inbox(&app, t).len()).collect();
        // As the escalation and pending checks write them (actor: the system).
        let now = to_db(app.clock.now_utc());
        let row = |kind: &str, old: Option<&str>, new: Option<String>| NewHistory {
            ticket_id: id, actor_id: None, kind: kind.into(), old_value: old.map(Into::into),
            new_value: new, article_id: None, created_at: now,
        };
        let mut conn = app.pool().get().unwrap();
        history::append(&mut conn, &[
            row("escalation_warning", Some("2026-11-24T10:00:00Z"), Some("first_response".into())),
            row("escalation_breach", Some("2026-11-24T11:00:00Z"), Some("solution".into())),
            row("reminder_due", Some("2026-11-24T09:00:00Z"), Some(format!("owner:{ann_id}"))),
            row("reminder_due", Some("2026-11-24T09:00:00Z"), Some(format!("owner:{}", 999_999))),
        ]).unwrap();
        drop(conn);
        dispatch(&app);
        let new_of = |token: &String, n: usize| -> Vec<String> {
            let mut all = events(&app, token);
            all.drain(..n);
            all
        };
        assert_eq!(new_of(&ann, before[0]), ["escalation_warning", "escalation_breach", "reminder_due"]);
        assert_eq!(new_of(&bob, before[1]), ["escalation_warning", "escalation_breach"], "responsible");
        assert_eq!(new_of(&cid, before[2]), ["escalation_warning", "escalation_breach"], "queue member");
        assert!(inbox(&app, &dag).is_empty());
        let breach = &inbox(&app, &cid)[0];
        assert_eq!(breach["event"], "escalation_breach");
        assert!(breach["actor"].is_null(), "the system");
        assert!(breach["subject"].as_str().unwrap().starts_with("Eskalert"), "{breach}");
        assert!(breach["body"].as_str().unwrap().contains("fristen for løsning"), "{breach}");
        assert!(breach["body"].as_str().unwrap().contains("2026-11-24 12:00 CET"), "Oslo time: {breach}");
    }
}

/// Changes one rule of `rules` (a GET answer) and puts them all back.
pub fn set_rule(app: &TestApp, rules: &Value, event: &str, change: impl Fn(&mut Value)) {
    let mut items: Vec<Value> = rules["items"].as_array().unwrap().clone();
    for item in &mut items {
        item.as_object_mut().unwrap().remove("updated_at");
        if item["event"] == event {
            change(item);
        }
    }
    let put = app.send_json(
        "PUT",
        "/api/v1/notification-rules",
        Some(&app.admin_token()),
        &json!({"items": items}),
    );
    assert_eq!(put.status, 200, "{}", put.text());
}

both_backends! {
    fn preferences_choose_the_channels(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        let (_, cid) = app.agent_with_rights("cid@example.com", &["ro"]);
        let prefs = app.get("/api/v1/me/notification-preferences", Some(&bob)).json();
        let created = prefs["items"].as_array().unwrap().iter().find(|p| p["event"] == "ticket_created").unwrap().clone();
        assert_eq!(created, json!({"event": "ticket_created", "email": true, "in_app": true, "default_email": true, "default_in_app": true, "customized": false}));
        assert_eq!(prefs["items"].as_array().unwrap().len(), 8);
        let put = app.send_json("PUT", "/api/v1/me/notification-preferences", Some(&bob), &json!({"items": [{"event": "ticket_created", "email": false, "in_app": true}]}));
        assert_eq!(put.status, 200, "{}", put.text());
        let mine = put.json()["items"].as_array().unwrap().iter().find(|p| p["event"] == "ticket_created").unwrap().clone();
        assert_eq!((mine["email"].clone(), mine["customized"].clone()), (json!(false), json!(true)));
        let put = app.send_json("PUT", "/api/v1/me/notification-preferences", Some(&cid), &json!({"items": [{"event": "ticket_created", "email": true, "in_app": false}]}));
        assert_eq!(put.status, 200, "{}", put.text());
        app.create_ticket(&ann, "Channels", "kari@example.org");
        dispatch(&app);
        assert_eq!(events(&app, &bob), ["ticket_created"], "email off: in-app only");
        assert!(inbox(&app, &cid).is_empty(), "in-app off");
        assert_eq!(mailed_to(&app), ["cid@example.com"], "email only for cid");
        let bad = app.send_json("PUT", "/api/v1/me/notification-preferences", Some(&bob), &json!({"items": [
            {"event": "ticket_closed", "email": true, "in_app": true},
            {"event": "mentioned", "email": true, "in_app": true},
            {"event": "mentioned", "email": false, "in_app": true},
        ]})).assert_problem(422, "validation_failed");
        assert_eq!(bad["error_codes"]["items[0].event"][0], "unknown_event");
        assert_eq!(bad["error_codes"]["items[2].event"][0], "duplicate");
        // An empty list restores the defaults.
        let reset = app.send_json("PUT", "/api/v1/me/notification-preferences", Some(&bob), &json!({"items": []})).json();
        assert!(reset["items"].as_array().unwrap().iter().all(|p| p["customized"] == false));
    }

    fn templates_follow_the_recipients_language(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        let (_, dirk) = app.agent_with_rights("dirk@example.com", &["ro"]);
        let set = app.patch("/api/v1/me", Some(&dirk), &json!({"language": "nl"}));
        assert_eq!(set.status, 200, "{}", set.text());
        app.create_ticket(&ann, "Kapotte printer", "kari@example.org");
        dispatch(&app);
        let dutch = &inbox(&app, &dirk)[0];
        assert!(dutch["subject"].as_str().unwrap().starts_with("Nieuw ticket"), "{dutch}");
        assert!(dutch["body"].as_str().unwrap().contains("heeft ticket"), "{dutch}");
        assert!(inbox(&app, &bob)[0]["subject"].as_str().unwrap().starts_with("New ticket"));
        let admin = app.admin_token();
        let path = "/api/v1/notification-templates/ticket_created/nl";
        let old = app.get(path, Some(&admin)).json();
        assert_eq!(old["language"], "nl");
        let changed = app.send_json("PUT", path, Some(&admin), &json!({"subject": "Nieuw: {{ticket_title}} ({{queue}})", "body": "Zie {{link}}"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        app.create_ticket(&ann, "Tweede", "kari@example.org");
        dispatch(&app);
        let newest = &inbox(&app, &dirk)[0];
        assert_eq!(newest["subject"], "Nieuw: Tweede (General)");
        assert!(newest["body"].as_str().unwrap().starts_with("Zie http://localhost:8080/agent/tickets/"), "{newest}");
        let bad = app.send_json("PUT", path, Some(&admin), &json!({"subject": "{{tiket_number}}", "body": "a\n{{link}}"})).assert_problem(422, "validation_failed");
        assert_eq!(bad["error_codes"]["subject"][0], "unknown_variable");
        let bad = app.send_json("PUT", path, Some(&admin), &json!({"subject": "two\nlines", "body": " "})).assert_problem(422, "validation_failed");
        assert_eq!(bad["error_codes"]["subject"][0], "invalid");
        assert_eq!(bad["error_codes"]["body"][0], "required");
        let all = app.get("/api/v1/notification-templates", Some(&admin)).json();
        assert_eq!(all["items"].as_array().unwrap().len(), 36, "9 events × 4 languages");
        assert!(all["variables"].as_array().unwrap().contains(&json!("ticket_number")));
        app.get("/api/v1/notification-templates/ticket_created/sv", Some(&admin)).assert_problem(404, "not_found");
        app.get("/api/v1/notification-templates/coffee_ready/en", Some(&admin)).assert_problem(404, "not_found");
    }

    fn administrators_change_the_rules(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (bob_id, bob) = app.agent_with_rights("bob@example.com", &["owner"]);
        let admin = app.admin_token();
        let rules = app.get("/api/v1/notification-rules", Some(&admin)).json();
        let items: Vec<Value> = rules["items"].as_array().unwrap().iter().map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("updated_at");
            r
        }).collect();
        assert_eq!(items.len(), 8);
        let follow = items.iter().find(|r| r["event"] == "customer_follow_up").unwrap();
        assert_eq!(follow["recipients"], json!(["owner", "queue_members_if_unowned", "watchers"]));
        let doc = app.send_json("PUT", "/api/v1/notification-rules", Some(&admin), &json!({"items": items[..1]})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["items"][0], "required", "every event must be listed: {doc}");
        let mut bad = items.clone();
        bad[1]["recipients"] = json!(["owner", "boss"]);
        bad[2]["event"] = json!("ticket_closed");
        let doc = app.send_json("PUT", "/api/v1/notification-rules", Some(&admin), &json!({"items": bad})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["items[1].recipients"][0], "unknown_role");
        assert_eq!(doc["error_codes"]["items[2].event"][0], "unknown_event", "customers' events have no rule");
        // New tickets tell nobody; the owner hears of moves.
        set_rule(&app, &rules, "ticket_created", |r| r["enabled"] = json!(false));
        let rules = app.get("/api/v1/notification-rules", Some(&admin)).json();
        set_rule(&app, &rules, "queue_moved", |r| r["recipients"] = json!(["owner"]));
        let changed = app.get("/api/v1/notification-rules", Some(&admin)).json();
        let moved = changed["items"].as_array().unwrap().iter().find(|r| r["event"] == "queue_moved").unwrap().clone();
        assert_eq!(moved["recipients"], json!(["owner"]));
        let (queue, group) = queue_in_new_group(&app, "Hardware");
        app.grant(group, ann_id, &["move_into"]);
        let ticket = app.create_ticket(&ann, "Rules", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        patch(&app, &ann, id, json!({"owner_id": bob_id}));
        patch(&app, &ann, id, json!({"queue_id": queue}));
        dispatch(&app);
        assert_eq!(events(&app, &bob), ["owner_changed", "queue_moved"]);
        assert!(inbox(&app, &ann).is_empty());
    }

    fn the_inbox_pages_filters_and_marks_read(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["ro"]);
        for n in 0..5 {
            app.create_ticket(&ann, &format!("T{n}"), "kari@example.org");
        }
        dispatch(&app);
        let first = app.get("/api/v1/me/notifications?limit=2", Some(&bob)).json();
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        assert_eq!(first["unread_count"], 5);
        assert!(first["items"][0]["ticket"]["title"] == "T4", "newest first: {first}");
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app.get(&format!("/api/v1/me/notifications?limit=2&cursor={cursor}"), Some(&bob)).json();
        assert_eq!(second["items"][0]["ticket"]["title"], "T2");
        let id = second["items"][0]["id"].as_i64().unwrap();
        let read = app.post(&format!("/api/v1/me/notifications/{id}/read"), Some(&bob), &json!({}));
        assert_eq!(read.status, 200, "{}", read.text());
        assert!(read.json()["read_at"].is_string());
        let unread = app.get("/api/v1/me/notifications?unread=true", Some(&bob)).json();
        assert_eq!(unread["items"].as_array().unwrap().len(), 4);
        assert_eq!(unread["unread_count"], 4);
        app.post(&format!("/api/v1/me/notifications/{id}/read"), Some(&ann), &json!({})).assert_problem(404, "not_found");
        // A ticket moved where Bob cannot see it leaves his list and his unread count.
        let (hidden_queue, _) = queue_in_new_group(&app, "Hidden");
        let moved = unread["items"][0]["ticket"]["id"].as_i64().unwrap();
        patch(&app, &app.admin_token(), moved, json!({"queue_id": hidden_queue}));
        let unread = app.get("/api/v1/me/notifications?unread=true", Some(&bob)).json();
        assert_eq!(unread["items"].as_array().unwrap().len(), 3, "{unread}");
        assert_eq!(unread["unread_count"], 3);
        let all = app.post("/api/v1/me/notifications/read-all", Some(&bob), &json!({})).json();
        assert_eq!(all["marked"], 4);
        assert_eq!(app.get("/api/v1/me/notifications?unread=true", Some(&bob)).json()["unread_count"], 0);
        app.get("/api/v1/me/notifications?limit=0", Some(&bob)).assert_problem(422, "validation_failed");
        app.get("/api/v1/me/notifications?cursor=%21%21", Some(&bob)).assert_problem(422, "validation_failed");
    }

    fn customers_are_told_of_closing_where_the_queue_says_so(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, kari) = app.create_customer("kari@example.org");
        let ticket = app.create_ticket(&ann, "Close me", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        patch(&app, &ann, id, json!({"state_id": 4}));
        dispatch(&app);
        assert!(mails(&app).iter().all(|m| m["to"] != "kari@example.org"), "off by default");
        let admin = app.admin_token();
        let path = format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings");
        let settings = app.get(&path, Some(&admin)).json();
        assert_eq!(settings["notify_customer_on_close"], false);
        let mut on = settings.clone();
        on["notify_customer_on_close"] = json!(true);
        let saved = app.send_json("PUT", &path, Some(&admin), &on);
        assert_eq!(saved.status, 200, "{}", saved.text());
        assert_eq!(saved.json()["notify_customer_on_close"], true);
        patch(&app, &ann, id, json!({"state_id": 2}));
        patch(&app, &ann, id, json!({"state_id": 4}));
        dispatch(&app);
        let to_kari: Vec<Value> = mails(&app).into_iter().filter(|m| m["to"] == "kari@example.org").collect();
        assert_eq!(to_kari.len(), 1, "{to_kari:?}");
        assert_eq!(to_kari[0]["event"], "ticket_closed");
        assert!(to_kari[0]["subject"].as_str().unwrap().contains("is closed"));
        assert!(to_kari[0]["body"].as_str().unwrap().contains("/portal/tickets/"));
        assert!(inbox_is_forbidden(&app, &kari));
    }
}

fn inbox_is_forbidden(app: &TestApp, token: &str) -> bool {
    app.get("/api/v1/me/notifications", Some(token))
        .assert_problem(403, "forbidden");
    true
}

both_backends! {
    fn every_notification_endpoint_checks_who_calls(app) {
        let (_, agent) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, customer) = app.create_customer("kari@example.org");
        let agent_paths: [(&str, &str); 5] = [
            ("GET", "/api/v1/me/notifications"),
            ("POST", "/api/v1/me/notifications/1/read"),
            ("POST", "/api/v1/me/notifications/read-all"),
            ("GET", "/api/v1/me/notification-preferences"),
            ("PUT", "/api/v1/me/notification-preferences"),
        ];
        let admin_paths: [(&str, &str); 5] = [
            ("GET", "/api/v1/notification-rules"),
            ("PUT", "/api/v1/notification-rules"),
            ("GET", "/api/v1/notification-templates"),
            ("GET", "/api/v1/notification-templates/ticket_created/en"),
            ("PUT", "/api/v1/notification-templates/ticket_created/en"),
        ];
        let call = |method: &str, path: &str, token: Option<&str>| {
            let body = match path {
                p if p.contains("templates/") => json!({"subject": "x", "body": "y"}),
                _ if method == "PUT" => json!({"items": []}),
                _ => json!({}),
            };
            match method {
                "GET" => app.get(path, token),
                _ => app.send_json(method, path, token, &body),
            }
        };
        for (method, path) in agent_paths.iter().chain(admin_paths.iter()) {
            call(method, path, None).assert_problem(401, "unauthorized");
            call(method, path, Some("not-a-token")).assert_problem(401, "invalid_token");
            call(method, path, Some(&customer)).assert_problem(403, "forbidden");
        }
        for (method, path) in admin_paths {
            call(method, path, Some(&agent)).assert_problem(403, "forbidden");
        }
        app.post("/api/v1/me/notifications/424242/read", Some(&agent), &json!({})).assert_problem(404, "not_found");
        app.post("/api/v1/me/notifications/abc/read", Some(&agent), &json!({})).assert_problem(400, "invalid_path");
    }
}
