//! Queues: the list with counts per state type, who sees which queue (directly, through roles,
//! as a customer), and queue administration.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};
use vakt_persistence::repo::reference;
use vakt_persistence::repo::tickets::{self, NewTicket, TicketChanges};
use vakt_persistence::time::to_db;

use crate::organisation::{group_id, set_member};
use crate::support::{ClockExt, TestApp};

static NUMBER: AtomicU32 = AtomicU32::new(0);

/// The id of the state with this name.
fn state(app: &TestApp, name: &str) -> (i64, String) {
    let mut conn = app.pool().get().unwrap();
    let row = reference::states(&mut conn)
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap();
    (row.id, row.state_type)
}

/// Inserts a ticket the way the ticket use cases do (row + counter), without the ticket API.
fn insert_ticket(app: &TestApp, queue_id: i64, state_name: &str) -> i64 {
    let (state_id, state_type) = state(app, state_name);
    let now = to_db(app.clock.now_utc());
    let number = format!("2026112410{:08}", NUMBER.fetch_add(1, Ordering::SeqCst));
    let mut conn = app.pool().get().unwrap();
    conn.write_transaction(|conn| {
        let id = tickets::insert(
            conn,
            &NewTicket {
                number: &number,
                title: "Printer on fire",
                queue_id,
                state_id,
                state_type: &state_type,
                priority_id: 3,
                type_id: None,
                owner_id: None,
                responsible_id: None,
                customer_id: None,
                company_id: None,
                created_by: None,
                pending_until: None,
                time_accounted_minutes: 0,
                article_count: 0,
                service_id: None,
                created_at: now,
                updated_at: now,
                closed_at: None,
            },
        )?
        .id;
        tickets::move_count(conn, None, Some((queue_id, &state_type)))?;
        Ok::<_, diesel::result::Error>(id)
    })
    .unwrap()
}

/// Moves a ticket to another queue and state, keeping the counters right.
fn move_ticket(app: &TestApp, id: i64, queue_id: i64, state_name: &str) {
    let (state_id, state_type) = state(app, state_name);
    let mut conn = app.pool().get().unwrap();
    conn.write_transaction(|conn| {
        let old = tickets::find(conn, id)?.unwrap();
        tickets::update(
            conn,
            id,
            &TicketChanges {
                queue_id: Some(queue_id),
                state_id: Some(state_id),
                state_type: Some(state_type.clone()),
                ..TicketChanges::default()
            },
        )?;
        tickets::move_count(
            conn,
            Some((old.queue_id, &old.state_type)),
            Some((queue_id, &state_type)),
        )
    })
    .unwrap();
}

fn general(app: &TestApp) -> i64 {
    let admin = app.admin_token();
    let list = app.get("/api/v1/queues", Some(&admin)).json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "General")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn create_queue(app: &TestApp, body: Value) -> Value {
    let r = app.post("/api/v1/queues", Some(&app.admin_token()), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn queue_names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect()
}

fn counts_of<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == name)
        .unwrap()
}

const ZEROS: &str =
    r#"{"new":0,"open":0,"pending_reminder":0,"pending_auto":0,"closed":0,"merged":0,"removed":0}"#;

both_backends! {
    fn admin_creates_gets_and_changes_queues(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let general = general(&app);
        let created = app.post("/api/v1/queues", Some(&admin), &json!({
            "name": " IT::Printers ", "group_id": users, "parent_id": general, "email_address": "Printers@UiO.no",
            "default_priority_id": 4, "customer_open": false, "description": "Paper jams"
        }));
        assert_eq!(created.status, 201, "{}", created.text());
        let queue = created.json();
        let id = queue["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/queues/{id}").as_str()));
        assert_eq!(queue["name"], "IT::Printers");
        assert_eq!(queue["email_address"], "printers@uio.no");
        assert_eq!((queue["parent_id"].as_i64(), queue["group_id"].as_i64(), queue["default_priority_id"].as_i64()), (Some(general), Some(users), Some(4)));
        assert_eq!(queue["counts"], serde_json::from_str::<Value>(ZEROS).unwrap());
        assert_eq!(queue["total_open"], 0);
        assert_eq!(app.get(&format!("/api/v1/queues/{id}"), Some(&admin)).json(), queue);

        let changed = app.patch(&format!("/api/v1/queues/{id}"), Some(&admin), &json!({"parent_id": null, "email_address": null, "default_priority_id": null, "active": false, "customer_open": true}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        let changed = changed.json();
        assert!(changed["parent_id"].is_null() && changed["email_address"].is_null() && changed["default_priority_id"].is_null());
        assert_eq!((changed["active"].clone(), changed["customer_open"].clone(), changed["description"].clone()), (json!(false), json!(true), json!("Paper jams")));
        // Deactivated, never deleted: administrators still see it.
        assert_eq!(queue_names(&app.get("/api/v1/queues", Some(&admin)).json()), vec!["General", "IT::Printers"]);
        app.patch("/api/v1/queues/999999", Some(&admin), &json!({"active": true})).assert_problem(404, "not_found");
    }

    fn queue_input_is_validated(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let general = general(&app);
        let a = create_queue(&app, json!({"name": "A", "group_id": users, "email_address": "a@uio.no"}))["id"].as_i64().unwrap();
        let b = create_queue(&app, json!({"name": "B", "group_id": users, "parent_id": a}))["id"].as_i64().unwrap();
        let c = create_queue(&app, json!({"name": "C", "group_id": users, "parent_id": b}))["id"].as_i64().unwrap();

        app.post("/api/v1/queues", Some(&admin), &json!({"name": "General", "group_id": users})).assert_problem(409, "name_taken");
        app.post("/api/v1/queues", Some(&admin), &json!({"name": "D", "group_id": users, "email_address": "A@UIO.NO"})).assert_problem(409, "email_taken");
        app.patch(&format!("/api/v1/queues/{b}"), Some(&admin), &json!({"name": "A"})).assert_problem(409, "name_taken");
        app.patch(&format!("/api/v1/queues/{b}"), Some(&admin), &json!({"email_address": "a@uio.no"})).assert_problem(409, "email_taken");

        let doc = app.post("/api/v1/queues", Some(&admin), &json!({"name": "", "group_id": 999999, "parent_id": 999999, "default_priority_id": 99, "email_address": "nope"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        assert_eq!(doc["error_codes"]["email_address"][0], "invalid_email");
        let doc = app.post("/api/v1/queues", Some(&admin), &json!({"name": "D", "group_id": 999999, "parent_id": 999999, "default_priority_id": 99}))
            .assert_problem(422, "validation_failed");
        for field in ["group_id", "parent_id", "default_priority_id"] {
            assert_eq!(doc["error_codes"][field][0], "not_found", "{field}: {doc}");
        }
        let doc = app.post("/api/v1/queues", Some(&admin), &json!({"name": "D"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["group_id"][0], "required");

        // The hierarchy stays a tree.
        for (queue, parent) in [(a, c), (a, b), (a, a), (b, c)] {
            let doc = app.patch(&format!("/api/v1/queues/{queue}"), Some(&admin), &json!({"parent_id": parent}))
                .assert_problem(422, "validation_failed");
            assert_eq!(doc["error_codes"]["parent_id"][0], "cycle", "{queue} under {parent}");
        }
        let moved = app.patch(&format!("/api/v1/queues/{c}"), Some(&admin), &json!({"parent_id": general}));
        assert_eq!(moved.status, 200, "{}", moved.text());
        let moved = app.patch(&format!("/api/v1/queues/{a}"), Some(&admin), &json!({"parent_id": c}));
        assert_eq!(moved.status, 200, "now A under C under General is fine: {}", moved.text());
    }

    fn queue_administration_is_for_administrators(app) {
        let users = group_id(&app, "users");
        let general = general(&app);
        let (ola, agent) = app.create_agent("ola@example.com", false);
        set_member(&app, users, ola, json!({"rights": ["rw"], "queue_manager": true}));
        let (_, customer) = app.create_customer("kunde@example.com");
        for (token, status, code) in [(Some(agent.as_str()), 403, "forbidden"), (Some(customer.as_str()), 403, "forbidden"), (None, 401, "unauthorized")] {
            app.post("/api/v1/queues", token, &json!({"name": "Mine", "group_id": users})).assert_problem(status, code);
            app.patch(&format!("/api/v1/queues/{general}"), token, &json!({"active": false})).assert_problem(status, code);
        }
        app.get("/api/v1/queues", None).assert_problem(401, "unauthorized");
        app.get(&format!("/api/v1/queues/{general}"), None).assert_problem(401, "unauthorized");
        app.get(&format!("/api/v1/queues/{general}"), Some(&customer)).assert_problem(403, "forbidden");
        assert_eq!(app.get(&format!("/api/v1/queues/{general}"), Some(&agent)).json()["active"], true);
    }

    fn agents_see_the_queues_they_have_ro_on_and_customers_the_open_ones(app) {
        let users = group_id(&app, "users");
        let general = general(&app);
        let other_group = crate::organisation::create_group(&app, "secret");
        create_queue(&app, json!({"name": "Internal", "group_id": users, "customer_open": false}));
        create_queue(&app, json!({"name": "Portal", "group_id": users, "customer_open": true, "email_address": "portal@uio.no"}));
        create_queue(&app, json!({"name": "Closed portal", "group_id": users, "customer_open": true, "active": false}));
        let secret = create_queue(&app, json!({"name": "Secret", "group_id": other_group}))["id"].as_i64().unwrap();
        let (ola, agent) = app.create_agent("ola@example.com", false);

        // No rights: no queues, and a queue by id is "not found".
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json()["items"], json!([]));
        app.get(&format!("/api/v1/queues/{general}"), Some(&agent)).assert_problem(404, "not_found");
        // Any right implies ro.
        set_member(&app, users, ola, json!({"rights": ["note"]}));
        let list = app.get("/api/v1/queues", Some(&agent)).json();
        assert_eq!(queue_names(&list), vec!["Closed portal", "General", "Internal", "Portal"]);
        assert_eq!(counts_of(&list, "General")["counts"], serde_json::from_str::<Value>(ZEROS).unwrap());
        app.get(&format!("/api/v1/queues/{secret}"), Some(&agent)).assert_problem(404, "not_found");
        app.get("/api/v1/queues/999999", Some(&agent)).assert_problem(404, "not_found");
        let admin = app.admin_token();
        assert_eq!(app.get("/api/v1/queues", Some(&admin)).json()["items"].as_array().unwrap().len(), 5);

        // Customers: active queues open to customers, id and name only.
        let (_, customer) = app.create_customer("kunde@example.com");
        let list = app.get("/api/v1/queues", Some(&customer));
        assert_eq!(list.status, 200, "{}", list.text());
        let list = list.json();
        assert_eq!(queue_names(&list), vec!["General", "Portal"]);
        for item in list["items"].as_array().unwrap() {
            let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
            keys.sort();
            assert_eq!(keys, vec!["id", "name"], "{item}");
        }
    }

    fn counts_follow_tickets_as_they_are_created_and_moved(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let general = general(&app);
        let second = create_queue(&app, json!({"name": "Second", "group_id": users}))["id"].as_i64().unwrap();
        let first = insert_ticket(&app, general, "new");
        insert_ticket(&app, general, "new");
        insert_ticket(&app, general, "open");
        insert_ticket(&app, general, "closed successful");
        insert_ticket(&app, general, "pending auto close+");
        let list = app.get("/api/v1/queues", Some(&admin)).json();
        assert_eq!(counts_of(&list, "General")["counts"], json!({"new": 2, "open": 1, "pending_reminder": 0, "pending_auto": 1, "closed": 1, "merged": 0, "removed": 0}));
        assert_eq!(counts_of(&list, "General")["total_open"], 4);
        assert_eq!(counts_of(&list, "Second")["total_open"], 0);

        move_ticket(&app, first, second, "pending reminder");
        let list = app.get("/api/v1/queues", Some(&admin)).json();
        assert_eq!(counts_of(&list, "General")["counts"]["new"], 1);
        assert_eq!(counts_of(&list, "General")["total_open"], 3);
        assert_eq!(counts_of(&list, "Second")["counts"]["pending_reminder"], 1);
        assert_eq!(counts_of(&list, "Second")["total_open"], 1);
        assert_eq!(app.get(&format!("/api/v1/queues/{second}"), Some(&admin)).json()["counts"]["pending_reminder"], 1);

        // An agent with ro on the queues sees the same counts.
        let (ola, agent) = app.create_agent("ola@example.com", false);
        set_member(&app, users, ola, json!({"rights": ["ro"]}));
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json(), list);
        // Customers never see counts.
        let (_, customer) = app.create_customer("kunde@example.com");
        assert!(app.get("/api/v1/queues", Some(&customer)).json()["items"][0].get("counts").is_none());
    }

    fn rights_through_a_role_show_queues_until_the_role_is_deactivated(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let (ola, agent) = app.create_agent("ola@example.com", false);
        let role = app.post("/api/v1/roles", Some(&admin), &json!({"name": "1st line"})).json()["id"].as_i64().unwrap();
        app.send_json("PUT", &format!("/api/v1/roles/{role}/grants/{users}"), Some(&admin), &json!({"rights": ["ro"]}));
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json()["items"], json!([]), "a grant alone gives nobody anything");
        assert_eq!(app.send_json("PUT", &format!("/api/v1/roles/{role}/members/{ola}"), Some(&admin), &json!({})).status, 204);
        assert_eq!(queue_names(&app.get("/api/v1/queues", Some(&agent)).json()), vec!["General"]);

        app.patch(&format!("/api/v1/roles/{role}"), Some(&admin), &json!({"active": false}));
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json()["items"], json!([]));
        app.patch(&format!("/api/v1/roles/{role}"), Some(&admin), &json!({"active": true}));
        assert_eq!(queue_names(&app.get("/api/v1/queues", Some(&agent)).json()), vec!["General"]);
        // An inactive group grants nothing either.
        app.patch(&format!("/api/v1/groups/{users}"), Some(&admin), &json!({"active": false}));
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json()["items"], json!([]));
        app.patch(&format!("/api/v1/groups/{users}"), Some(&admin), &json!({"active": true}));
        // Taking the role away ends it too.
        app.delete(&format!("/api/v1/roles/{role}/members/{ola}"), Some(&admin));
        assert_eq!(app.get("/api/v1/queues", Some(&agent)).json()["items"], json!([]));
    }
}
