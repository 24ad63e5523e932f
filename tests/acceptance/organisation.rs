//! Groups, group members and queue managers, roles and role grants.

use serde_json::{Value, json};

use crate::support::TestApp;

/// The id of the group with this name, as the administrator sees it.
pub fn group_id(app: &TestApp, name: &str) -> i64 {
    let admin = app.admin_token();
    let list = app.get("/api/v1/groups", Some(&admin)).json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no group {name}: {list}"))["id"]
        .as_i64()
        .unwrap()
}

/// Creates a group as the administrator and returns its id.
pub fn create_group(app: &TestApp, name: &str) -> i64 {
    let r = app.post(
        "/api/v1/groups",
        Some(&app.admin_token()),
        &json!({"name": name}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

/// Sets a direct membership as the administrator.
pub fn set_member(app: &TestApp, group: i64, user: i64, body: Value) {
    let path = format!("/api/v1/groups/{group}/members/{user}");
    let r = app.send_json("PUT", &path, Some(&app.admin_token()), &body);
    assert_eq!(r.status, 200, "{}", r.text());
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    fn admin_creates_lists_gets_and_changes_groups(app) {
        let admin = app.admin_token();
        let created = app.post("/api/v1/groups", Some(&admin), &json!({"name": "  support ", "description": "First line"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let group = created.json();
        let id = group["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/groups/{id}").as_str()));
        assert_eq!(group["name"], "support");
        assert_eq!(group["active"], true);
        assert_eq!(names(&app.get("/api/v1/groups", Some(&admin)).json()), vec!["support", "users"]);
        assert_eq!(app.get(&format!("/api/v1/groups/{id}"), Some(&admin)).json(), group);

        let changed = app.patch(&format!("/api/v1/groups/{id}"), Some(&admin), &json!({"name": "2nd line", "active": false}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["name"], "2nd line");
        assert_eq!(changed.json()["active"], false);
        assert_eq!(changed.json()["description"], "First line");
        // Deactivated, never deleted: still listed.
        assert_eq!(names(&app.get("/api/v1/groups", Some(&admin)).json()), vec!["2nd line", "users"]);

        app.post("/api/v1/groups", Some(&admin), &json!({"name": "users"})).assert_problem(409, "name_taken");
        app.patch(&format!("/api/v1/groups/{id}"), Some(&admin), &json!({"name": "users"})).assert_problem(409, "name_taken");
        let doc = app.post("/api/v1/groups", Some(&admin), &json!({"name": " "})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        let doc = app.post("/api/v1/groups", Some(&admin), &json!({"name": "x", "owner": 1})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["owner"][0], "unknown_field");
        app.patch("/api/v1/groups/999999", Some(&admin), &json!({"active": true})).assert_problem(404, "not_found");
        app.get("/api/v1/groups/999999", Some(&admin)).assert_problem(404, "not_found");
    }

    fn group_administration_refuses_everyone_else(app) {
        let users = group_id(&app, "users");
        let (agent_id, agent) = app.create_agent("ola@example.com", false);
        let (_, customer) = app.create_customer("kunde@example.com");
        // A plain agent manages no group: an empty list, and 403 on any group.
        assert_eq!(app.get("/api/v1/groups", Some(&agent)).json()["items"], json!([]));
        for (token, status, code) in [(Some(agent.as_str()), 403, "forbidden"), (Some(customer.as_str()), 403, "forbidden"), (None, 401, "unauthorized")] {
            if token != Some(agent.as_str()) {
                app.get("/api/v1/groups", token).assert_problem(status, code);
            }
            app.post("/api/v1/groups", token, &json!({"name": "mine"})).assert_problem(status, code);
            app.get(&format!("/api/v1/groups/{users}"), token).assert_problem(status, code);
            app.patch(&format!("/api/v1/groups/{users}"), token, &json!({"active": false})).assert_problem(status, code);
            app.get(&format!("/api/v1/groups/{users}/members"), token).assert_problem(status, code);
            app.send_json("PUT", &format!("/api/v1/groups/{users}/members/{agent_id}"), token, &json!({"rights": ["rw"]}))
                .assert_problem(status, code);
            app.delete(&format!("/api/v1/groups/{users}/members/{agent_id}"), token).assert_problem(status, code);
        }
        let admin = app.admin_token();
        assert_eq!(app.get(&format!("/api/v1/groups/{users}/members"), Some(&admin)).json()["items"], json!([]));
        assert_eq!(app.get(&format!("/api/v1/groups/{users}"), Some(&admin)).json()["active"], true);
    }

    fn admin_sets_and_removes_members(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let (ola, _) = app.create_agent("ola@example.com", false);
        let path = format!("/api/v1/groups/{users}/members/{ola}");
        let set = app.send_json("PUT", &path, Some(&admin), &json!({"rights": ["note", "ro", "note"]}));
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(set.json(), json!({"user": {"id": ola, "name": "ola@example.com", "email": "ola@example.com"}, "rights": ["ro", "note"], "queue_manager": false}));
        let members = app.get(&format!("/api/v1/groups/{users}/members"), Some(&admin)).json();
        assert_eq!(members["items"], json!([set.json()]));
        // Replacing the rights, and making a queue manager.
        let set = app.send_json("PUT", &path, Some(&admin), &json!({"rights": ["rw"], "queue_manager": true})).json();
        assert_eq!(set["rights"], json!(["rw"]));
        assert_eq!(set["queue_manager"], true);
        // Omitting the flag keeps it.
        let set = app.send_json("PUT", &path, Some(&admin), &json!({"rights": ["ro"]})).json();
        assert_eq!(set["queue_manager"], true);

        let doc = app.send_json("PUT", &path, Some(&admin), &json!({"rights": ["ro", "admin"]})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["rights[1]"][0], "invalid_type", "{doc}");
        let doc = app.send_json("PUT", &path, Some(&admin), &json!({"rights": [], "queue_manager": false})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["rights"][0], "required");
        let doc = app.send_json("PUT", &path, Some(&admin), &json!({})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["rights"][0], "required");
        let (customer, _) = app.create_customer("kunde@example.com");
        let doc = app.send_json("PUT", &format!("/api/v1/groups/{users}/members/{customer}"), Some(&admin), &json!({"rights": ["ro"]}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["user_id"][0], "not_an_agent");
        app.send_json("PUT", &format!("/api/v1/groups/{users}/members/999999"), Some(&admin), &json!({"rights": ["ro"]})).assert_problem(404, "not_found");
        app.send_json("PUT", &format!("/api/v1/groups/999999/members/{ola}"), Some(&admin), &json!({"rights": ["ro"]})).assert_problem(404, "not_found");
        app.request("PUT", &format!("/api/v1/groups/abc/members/{ola}"), &[("authorization", &format!("Bearer {admin}"))], None)
            .assert_problem(400, "invalid_path");

        assert_eq!(app.delete(&path, Some(&admin)).status, 204);
        app.delete(&path, Some(&admin)).assert_problem(404, "not_found");
        assert_eq!(app.get(&format!("/api/v1/groups/{users}/members"), Some(&admin)).json()["items"], json!([]));
    }

    fn queue_managers_manage_agents_of_their_own_groups_only(app) {
        let admin = app.admin_token();
        let a = create_group(&app, "alpha");
        let b = create_group(&app, "beta");
        let (manager, manager_token) = app.create_agent("manager@example.com", false);
        let (other_manager, _) = app.create_agent("other.manager@example.com", false);
        let (kari, _) = app.create_agent("kari@example.com", false);
        set_member(&app, a, manager, json!({"rights": [], "queue_manager": true}));
        set_member(&app, a, other_manager, json!({"rights": ["ro"], "queue_manager": true}));
        let m = Some(manager_token.as_str());

        assert_eq!(names(&app.get("/api/v1/groups", m).json()), vec!["alpha"]);
        assert_eq!(app.get(&format!("/api/v1/groups/{a}"), m).json()["name"], "alpha");
        assert_eq!(app.get(&format!("/api/v1/groups/{a}/members"), m).json()["items"].as_array().unwrap().len(), 2);
        // Another group, or one that does not exist: 403 alike (nothing is revealed).
        app.get(&format!("/api/v1/groups/{b}"), m).assert_problem(403, "forbidden");
        app.get("/api/v1/groups/999999", m).assert_problem(403, "forbidden");
        app.get(&format!("/api/v1/groups/{b}/members"), m).assert_problem(403, "forbidden");
        app.send_json("PUT", &format!("/api/v1/groups/{b}/members/{kari}"), m, &json!({"rights": ["ro"]})).assert_problem(403, "forbidden");

        // Agents of the own group: add, change, remove.
        let kari_in_a = format!("/api/v1/groups/{a}/members/{kari}");
        let set = app.send_json("PUT", &kari_in_a, m, &json!({"rights": ["ro", "owner"]}));
        assert_eq!(set.status, 200, "{}", set.text());
        let set = app.send_json("PUT", &kari_in_a, m, &json!({"rights": ["rw"], "queue_manager": false}));
        assert_eq!(set.status, 200, "sending the unchanged flag is fine: {}", set.text());
        // ... but not the flag, not another queue manager, and not themselves.
        app.send_json("PUT", &kari_in_a, m, &json!({"rights": ["ro"], "queue_manager": true})).assert_problem(403, "forbidden");
        let other = format!("/api/v1/groups/{a}/members/{other_manager}");
        app.send_json("PUT", &other, m, &json!({"rights": ["rw"]})).assert_problem(403, "forbidden");
        app.send_json("PUT", &other, m, &json!({"rights": ["ro"], "queue_manager": false})).assert_problem(403, "forbidden");
        app.delete(&other, m).assert_problem(403, "forbidden");
        let own = format!("/api/v1/groups/{a}/members/{manager}");
        app.send_json("PUT", &own, m, &json!({"rights": ["rw"]})).assert_problem(403, "forbidden");
        // Nor anything an administrator does.
        app.patch(&format!("/api/v1/groups/{a}"), m, &json!({"name": "mine"})).assert_problem(403, "forbidden");
        app.post("/api/v1/groups", m, &json!({"name": "gamma"})).assert_problem(403, "forbidden");
        assert_eq!(app.delete(&kari_in_a, m).status, 204);

        let members = app.get(&format!("/api/v1/groups/{a}/members"), Some(&admin)).json();
        let rights: Vec<(i64, Value, bool)> = members["items"].as_array().unwrap().iter()
            .map(|m| (m["user"]["id"].as_i64().unwrap(), m["rights"].clone(), m["queue_manager"].as_bool().unwrap()))
            .collect();
        assert_eq!(rights, vec![(manager, json!([]), true), (other_manager, json!(["ro"]), true)]);

        // A deactivated group is managed by administrators only.
        app.patch(&format!("/api/v1/groups/{a}"), Some(&admin), &json!({"active": false}));
        app.get(&format!("/api/v1/groups/{a}/members"), m).assert_problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/groups", m).json()["items"], json!([]));
    }

    fn admin_manages_roles_their_grants_and_members(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let created = app.post("/api/v1/roles", Some(&admin), &json!({"name": "1st line", "description": "Phones"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let role = created.json();
        let id = role["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/roles/{id}").as_str()));
        assert_eq!((role["grants"].clone(), role["member_ids"].clone(), role["active"].clone()), (json!([]), json!([]), json!(true)));

        let grant = app.send_json("PUT", &format!("/api/v1/roles/{id}/grants/{users}"), Some(&admin), &json!({"rights": ["owner", "ro"]}));
        assert_eq!(grant.status, 200, "{}", grant.text());
        assert_eq!(grant.json()["grants"], json!([{"group_id": users, "rights": ["ro", "owner"]}]));
        let (ola, _) = app.create_agent("ola@example.com", false);
        assert_eq!(app.send_json("PUT", &format!("/api/v1/roles/{id}/members/{ola}"), Some(&admin), &json!({})).status, 204);
        assert_eq!(app.request("PUT", &format!("/api/v1/roles/{id}/members/{ola}"), &[("authorization", &format!("Bearer {admin}"))], None).status, 204, "idempotent, no body needed");
        let detail = app.get(&format!("/api/v1/roles/{id}"), Some(&admin)).json();
        assert_eq!(detail["member_ids"], json!([ola]));
        assert_eq!(detail["name"], "1st line");
        let list = app.get("/api/v1/roles", Some(&admin)).json();
        assert_eq!(names(&list), vec!["1st line"]);
        assert!(list["items"][0].get("grants").is_none(), "the list is the short form");

        let (customer, _) = app.create_customer("kunde@example.com");
        let doc = app.request("PUT", &format!("/api/v1/roles/{id}/members/{customer}"), &[("authorization", &format!("Bearer {admin}"))], None)
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["user_id"][0], "not_an_agent");
        app.request("PUT", &format!("/api/v1/roles/{id}/members/999999"), &[("authorization", &format!("Bearer {admin}"))], None).assert_problem(404, "not_found");
        app.send_json("PUT", &format!("/api/v1/roles/{id}/grants/999999"), Some(&admin), &json!({"rights": ["ro"]})).assert_problem(404, "not_found");
        app.send_json("PUT", &format!("/api/v1/roles/999999/grants/{users}"), Some(&admin), &json!({"rights": ["ro"]})).assert_problem(404, "not_found");
        let doc = app.send_json("PUT", &format!("/api/v1/roles/{id}/grants/{users}"), Some(&admin), &json!({"rights": ["root"]})).assert_problem(422, "validation_failed");
        assert!(doc["errors"]["rights[0]"][0].as_str().unwrap().contains("move_into"), "names the allowed rights: {doc}");

        let removed = app.send_json("PUT", &format!("/api/v1/roles/{id}/grants/{users}"), Some(&admin), &json!({"rights": []}));
        assert_eq!(removed.json()["grants"], json!([]));
        assert_eq!(app.delete(&format!("/api/v1/roles/{id}/members/{ola}"), Some(&admin)).status, 204);
        app.delete(&format!("/api/v1/roles/{id}/members/{ola}"), Some(&admin)).assert_problem(404, "not_found");

        app.post("/api/v1/roles", Some(&admin), &json!({"name": "2nd line"}));
        app.post("/api/v1/roles", Some(&admin), &json!({"name": "2nd line"})).assert_problem(409, "name_taken");
        app.patch(&format!("/api/v1/roles/{id}"), Some(&admin), &json!({"name": "2nd line"})).assert_problem(409, "name_taken");
        let changed = app.patch(&format!("/api/v1/roles/{id}"), Some(&admin), &json!({"active": false}));
        assert_eq!(changed.json()["active"], false);
        app.get("/api/v1/roles/999999", Some(&admin)).assert_problem(404, "not_found");
        let doc = app.post("/api/v1/roles", Some(&admin), &json!({"name": "x".repeat(101)})).assert_problem(422, "validation_failed");
        assert!(doc["errors"]["name"].is_array());
    }

    fn role_administration_is_for_administrators_only(app) {
        let admin = app.admin_token();
        let users = group_id(&app, "users");
        let role = app.post("/api/v1/roles", Some(&admin), &json!({"name": "r"})).json()["id"].as_i64().unwrap();
        let (ola, agent) = app.create_agent("ola@example.com", false);
        let (manager, manager_token) = app.create_agent("manager@example.com", false);
        set_member(&app, users, manager, json!({"rights": ["rw"], "queue_manager": true}));
        let (_, customer) = app.create_customer("kunde@example.com");
        for (token, status, code) in [
            (Some(agent.as_str()), 403, "forbidden"),
            (Some(manager_token.as_str()), 403, "forbidden"),
            (Some(customer.as_str()), 403, "forbidden"),
            (None, 401, "unauthorized"),
        ] {
            app.get("/api/v1/roles", token).assert_problem(status, code);
            app.post("/api/v1/roles", token, &json!({"name": "mine"})).assert_problem(status, code);
            app.get(&format!("/api/v1/roles/{role}"), token).assert_problem(status, code);
            app.patch(&format!("/api/v1/roles/{role}"), token, &json!({"active": false})).assert_problem(status, code);
            app.send_json("PUT", &format!("/api/v1/roles/{role}/grants/{users}"), token, &json!({"rights": ["rw"]})).assert_problem(status, code);
            app.send_json("PUT", &format!("/api/v1/roles/{role}/members/{ola}"), token, &json!({})).assert_problem(status, code);
            app.delete(&format!("/api/v1/roles/{role}/members/{ola}"), token).assert_problem(status, code);
        }
        let detail = app.get(&format!("/api/v1/roles/{role}"), Some(&admin)).json();
        assert_eq!((detail["grants"].clone(), detail["member_ids"].clone(), detail["active"].clone()), (json!([]), json!([]), json!(true)));
    }
}
