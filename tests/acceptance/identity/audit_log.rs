//! The administrators' audit log: what is recorded, who may read it, filters, CSV export, and
//! that the database keeps it append-only.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::organisation::{create_group, set_member};
use crate::support::TestApp;

fn entries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/audit-log{query}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().unwrap().clone()
}

both_backends! {
    fn answers_who_gave_an_agent_rights_on_a_queue_and_when(app) {
        let admin = app.admin_token();
        let group = create_group(&app, "IT");
        let queue = app.post("/api/v1/queues", Some(&admin), &json!({"name": "IT support", "group_id": group}));
        assert_eq!(queue.status, 201, "{}", queue.text());
        let (kari, kari_token) = app.create_agent("kari@example.com", false);
        let (ola, _) = app.create_agent("ola@example.com", false);
        set_member(&app, group, kari, json!({"rights": ["ro"], "queue_manager": true}));

        // Kari, a queue manager, gives Ola rights; an hour later she narrows them.
        let path = format!("/api/v1/groups/{group}/members/{ola}");
        let r = app.send_json("PUT", &path, Some(&kari_token), &json!({"rights": ["rw"]}));
        assert_eq!(r.status, 200, "{}", r.text());
        app.clock.advance(chrono::Duration::hours(1));
        let (admin, kari_token) = (app.admin_token(), app.login("kari@example.com", "agent-password-1"));
        assert_eq!(app.send_json("PUT", &path, Some(&kari_token), &json!({"rights": ["ro", "note"]})).status, 200);

        let found = entries(&app, &admin, &format!("?user_id={ola}&entity=group_membership&entity_id={group}"));
        assert_eq!(found.len(), 2, "{found:?}");
        let (latest, first) = (&found[0], &found[1]);
        assert_eq!(first["actor"], "kari@example.com");
        assert_eq!(first["actor_id"], kari);
        assert_eq!(first["action"], "grant");
        assert_eq!(first["entity_label"], "IT");
        assert_eq!(first["before"], Value::Null);
        assert_eq!(first["after"], json!({"user": "ola@example.com", "group": "IT", "rights": ["rw"], "queue_manager": false}));
        assert_eq!(first["at"], "2026-11-24T09:00:00Z");
        assert_eq!(latest["at"], "2026-11-24T10:00:00Z");
        assert_eq!(latest["before"]["rights"], json!(["rw"]));
        assert_eq!(latest["after"]["rights"], json!(["ro", "note"]));

        assert_eq!(app.delete(&path, Some(&kari_token)).status, 204);
        let revoked = &entries(&app, &admin, &format!("?user_id={ola}&action=revoke"))[0];
        assert_eq!(revoked["before"]["rights"], json!(["ro", "note"]));
        assert_eq!(revoked["after"], Value::Null);

        // The administrator who made Kari a queue manager is on record too.
        let promoted = entries(&app, &admin, &format!("?user_id={kari}&entity=group_membership"));
        assert_eq!(promoted[0]["actor"], "admin@example.com");
        assert_eq!(promoted[0]["after"]["queue_manager"], true);
    }

    fn records_users_roles_and_queues_with_before_and_after(app) {
        let admin = app.admin_token();
        let (ola, _) = app.create_agent("ola@example.com", false);
        let r = app.patch(&format!("/api/v1/users/{ola}"), Some(&admin), &json!({"is_admin": true, "password": "a new password 1"}));
        assert_eq!(r.status, 200, "{}", r.text());
        let user_changes = entries(&app, &admin, &format!("?entity=user&entity_id={ola}"));
        assert_eq!(user_changes.len(), 2);
        assert_eq!(user_changes[1]["action"], "create");
        assert_eq!(user_changes[0]["action"], "update");
        assert_eq!(user_changes[0]["before"]["is_admin"], false);
        assert_eq!(user_changes[0]["after"]["is_admin"], true);
        assert_eq!(user_changes[0]["after"]["password"], "changed");
        let raw = app.get("/api/v1/audit-log", Some(&admin)).text();
        assert!(!raw.contains("a new password 1") && !raw.contains("$argon2"), "no secrets in the log");

        let role = app.post("/api/v1/roles", Some(&admin), &json!({"name": "Helpdesk"})).json()["id"].as_i64().unwrap();
        let group = create_group(&app, "Desk");
        app.send_json("PUT", &format!("/api/v1/roles/{role}/grants/{group}"), Some(&admin), &json!({"rights": ["ro", "owner"]}));
        app.send_json("PUT", &format!("/api/v1/roles/{role}/members/{ola}"), Some(&admin), &json!({}));
        let grant = &entries(&app, &admin, &format!("?entity=role_grant&entity_id={role}"))[0];
        assert_eq!(grant["after"], json!({"group": "Desk", "rights": ["ro", "owner"]}));
        let holder = &entries(&app, &admin, &format!("?entity=role_membership&user_id={ola}"))[0];
        assert_eq!(holder["entity_label"], "Helpdesk");
        assert_eq!(holder["action"], "grant");

        let queue = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Desk", "group_id": group})).json()["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/queues/{queue}"), Some(&admin), &json!({"customer_open": true}));
        let queue_change = &entries(&app, &admin, &format!("?entity=queue&entity_id={queue}&action=update"))[0];
        assert_eq!(queue_change["before"]["customer_open"], false);
        assert_eq!(queue_change["after"]["customer_open"], true);

        // An update that changes nothing is not an entry.
        let before = entries(&app, &admin, "?entity=queue").len();
        app.patch(&format!("/api/v1/queues/{queue}"), Some(&admin), &json!({"customer_open": true}));
        assert_eq!(entries(&app, &admin, "?entity=queue").len(), before);
    }

    fn only_administrators_read_or_export_it(app) {
        let group = create_group(&app, "IT");
        let (manager, manager_token) = app.create_agent("kari@example.com", false);
        set_member(&app, group, manager, json!({"rights": ["ro"], "queue_manager": true}));
        let (_, customer) = app.create_customer("kunde@example.com");
        for token in [&manager_token, &customer] {
            let body = app.get("/api/v1/audit-log", Some(token)).assert_problem(403, "forbidden");
            assert!(!body.to_string().contains("kari@example.com"), "{body}");
            app.get("/api/v1/audit-log/export", Some(token)).assert_problem(403, "forbidden");
        }
        app.get("/api/v1/audit-log", None).assert_problem(401, "unauthorized");
    }

    fn exports_filtered_entries_as_csv(app) {
        let admin = app.admin_token();
        create_group(&app, "=cmd|' /C calc'!A0");
        create_group(&app, "Plain, with comma");
        app.create_agent("ola@example.com", false);
        let r = app.get("/api/v1/audit-log/export?entity=group", Some(&admin));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(r.header("x-vakt-truncated"), Some("false"));
        assert!(r.header("content-disposition").unwrap().contains("vakt-audit-log.csv"));
        let csv = r.text();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "id,at,actor_id,actor,action,entity,entity_id,entity_label,user_id,before,after");
        assert_eq!(lines.len(), 3, "only the two groups: {csv}");
        assert!(lines[1].contains(",\"Plain, with comma\","), "{}", lines[1]);
        assert!(lines[2].contains(",\"'=cmd|' /C calc'!A0\","), "formula neutralised: {}", lines[2]);
        assert!(lines[1].contains("admin@example.com,create,group,"));
    }

    fn filters_by_actor_and_time_and_pages(app) {
        let (kari, _) = app.create_agent("kari@example.com", true);
        app.clock.advance(chrono::Duration::days(1));
        let (admin, kari_token) = (app.admin_token(), app.login("kari@example.com", "agent-password-1"));
        for name in ["A", "B", "C"] {
            app.post("/api/v1/groups", Some(&kari_token), &json!({"name": name}));
        }
        let by_kari = entries(&app, &admin, &format!("?actor_id={kari}"));
        assert_eq!(by_kari.len(), 3);
        let page = app.get(&format!("/api/v1/audit-log?actor_id={kari}&limit=2"), Some(&admin)).json();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let next = page["next_cursor"].as_str().unwrap();
        let rest = app.get(&format!("/api/v1/audit-log?actor_id={kari}&limit=2&cursor={next}"), Some(&admin)).json();
        assert_eq!(rest["items"][0]["entity_label"], "A");
        assert!(rest["next_cursor"].is_null());
        let yesterday = entries(&app, &admin, "?until=2026-11-25T00:00:00Z");
        assert!(yesterday.iter().all(|e| e["entity"] == "user"), "{yesterday:?}");
        let doc = app.get("/api/v1/audit-log?from=2026-11-26T00:00:00Z&until=2026-11-25T00:00:00Z", Some(&admin))
            .assert_problem(422, "validation_failed");
        assert!(doc["errors"]["until"].is_array(), "{doc}");
    }

    fn the_database_refuses_to_change_or_delete_entries(app) {
        create_group(&app, "IT");
        let mut conn = app.pool().get().unwrap();
        use vakt_persistence::schema::audit_log::dsl::*;
        let changed = diesel::update(audit_log).set(actor_label.eq("someone else")).execute(&mut *conn);
        assert!(changed.is_err(), "update must fail: {changed:?}");
        let deleted = diesel::delete(audit_log).execute(&mut *conn);
        assert!(deleted.is_err(), "delete must fail: {deleted:?}");
        let count: i64 = audit_log.count().get_result(&mut *conn).unwrap();
        assert_eq!(count, 1);
    }
}
