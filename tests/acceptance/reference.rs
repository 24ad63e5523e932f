//! Reference data over HTTP: states, priorities and ticket types.

use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect()
}

both_backends! {
    fn signed_in_users_read_the_seeded_reference_data(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let (_, customer) = app.create_customer("kunde@example.com");
        for token in [agent.as_str(), customer.as_str()] {
            let states = app.get("/api/v1/states", Some(token)).json();
            assert_eq!(names(&states), vec![
                "new", "open", "pending reminder", "closed successful", "closed unsuccessful",
                "pending auto close+", "pending auto close-", "merged", "removed",
            ]);
            let plus = &states["items"][5];
            assert_eq!(plus["state_type"], "pending_auto");
            assert_eq!(plus["next_state_id"], states["items"][3]["id"]);
            assert_eq!(states["items"][0], json!({"id": states["items"][0]["id"], "name": "new", "state_type": "new", "next_state_id": null, "active": true}));
            let priorities = app.get("/api/v1/priorities", Some(token)).json();
            assert_eq!(priorities["items"][2], json!({"id": 3, "name": "3 normal", "active": true}));
            assert_eq!(priorities["items"].as_array().unwrap().len(), 5);
        }
        let types = app.get("/api/v1/ticket-types", Some(&agent)).json();
        assert_eq!(names(&types), vec!["Unclassified", "Incident", "Service request", "Problem"]);
        app.get("/api/v1/ticket-types", Some(&customer)).assert_problem(403, "forbidden");
        for path in ["/api/v1/states", "/api/v1/priorities", "/api/v1/ticket-types"] {
            app.get(path, None).assert_problem(401, "unauthorized");
        }
    }

    fn admin_manages_states(app) {
        let admin = app.admin_token();
        let created = app.post("/api/v1/states", Some(&admin), &json!({"name": "rejected", "state_type": "closed"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let rejected = created.json();
        let id = rejected["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/states/{id}").as_str()));
        assert_eq!((rejected["state_type"].clone(), rejected["active"].clone()), (json!("closed"), json!(true)));

        let doc = app.post("/api/v1/states", Some(&admin), &json!({"name": "pending auto reopen", "state_type": "pending_auto"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["next_state_id"][0], "required");
        let open_id = app.get("/api/v1/states", Some(&admin)).json()["items"][1]["id"].as_i64().unwrap();
        let reopen = app.post("/api/v1/states", Some(&admin), &json!({"name": "pending auto reopen", "state_type": "pending_auto", "next_state_id": open_id}));
        assert_eq!(reopen.status, 201, "{}", reopen.text());
        let doc = app.post("/api/v1/states", Some(&admin), &json!({"name": "stalled", "state_type": "stalled"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["state_type"][0], "invalid_type");
        app.post("/api/v1/states", Some(&admin), &json!({"name": "open", "state_type": "open"})).assert_problem(409, "name_taken");

        let changed = app.patch(&format!("/api/v1/states/{id}"), Some(&admin), &json!({"name": "closed rejected", "active": false}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!((changed.json()["name"].clone(), changed.json()["active"].clone()), (json!("closed rejected"), json!(false)));
        app.patch(&format!("/api/v1/states/{id}"), Some(&admin), &json!({"name": "merged"})).assert_problem(409, "name_taken");
        let doc = app.patch(&format!("/api/v1/states/{id}"), Some(&admin), &json!({"next_state_id": open_id})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["next_state_id"][0], "invalid");
        app.patch("/api/v1/states/999999", Some(&admin), &json!({"active": true})).assert_problem(404, "not_found");
    }

    fn admin_manages_priorities_and_ticket_types(app) {
        let admin = app.admin_token();
        let created = app.post("/api/v1/priorities", Some(&admin), &json!({"id": 6, "name": "6 critical"}));
        assert_eq!(created.status, 201, "{}", created.text());
        assert_eq!(created.json(), json!({"id": 6, "name": "6 critical", "active": true}));
        assert_eq!(created.header("location"), Some("/api/v1/priorities/6"));
        app.post("/api/v1/priorities", Some(&admin), &json!({"id": 3, "name": "3 medium"})).assert_problem(409, "level_taken");
        app.post("/api/v1/priorities", Some(&admin), &json!({"id": 7, "name": "3 normal"})).assert_problem(409, "name_taken");
        let doc = app.post("/api/v1/priorities", Some(&admin), &json!({"id": 0, "name": "zero"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["id"][0], "out_of_range");
        let changed = app.patch("/api/v1/priorities/6", Some(&admin), &json!({"name": "6 on fire", "active": false}));
        assert_eq!(changed.json(), json!({"id": 6, "name": "6 on fire", "active": false}));
        app.patch("/api/v1/priorities/6", Some(&admin), &json!({"name": "1 very low"})).assert_problem(409, "name_taken");
        app.patch("/api/v1/priorities/99", Some(&admin), &json!({"active": false})).assert_problem(404, "not_found");

        let created = app.post("/api/v1/ticket-types", Some(&admin), &json!({"name": " Change request "}));
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["name"], "Change request");
        assert_eq!(created.header("location"), Some(format!("/api/v1/ticket-types/{id}").as_str()));
        app.post("/api/v1/ticket-types", Some(&admin), &json!({"name": "Incident"})).assert_problem(409, "name_taken");
        let doc = app.post("/api/v1/ticket-types", Some(&admin), &json!({"name": ""})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        let changed = app.patch(&format!("/api/v1/ticket-types/{id}"), Some(&admin), &json!({"active": false}));
        assert_eq!(changed.json()["active"], false);
        app.patch("/api/v1/ticket-types/999999", Some(&admin), &json!({"active": false})).assert_problem(404, "not_found");
        assert_eq!(app.get("/api/v1/ticket-types", Some(&admin)).json()["items"].as_array().unwrap().len(), 5);
    }

    fn reference_administration_refuses_non_administrators(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let (_, customer) = app.create_customer("kunde@example.com");
        for (token, status, code) in [(Some(agent.as_str()), 403, "forbidden"), (Some(customer.as_str()), 403, "forbidden"), (None, 401, "unauthorized")] {
            app.post("/api/v1/states", token, &json!({"name": "x", "state_type": "open"})).assert_problem(status, code);
            app.patch("/api/v1/states/1", token, &json!({"active": false})).assert_problem(status, code);
            app.post("/api/v1/priorities", token, &json!({"id": 9, "name": "x"})).assert_problem(status, code);
            app.patch("/api/v1/priorities/1", token, &json!({"active": false})).assert_problem(status, code);
            app.post("/api/v1/ticket-types", token, &json!({"name": "x"})).assert_problem(status, code);
            app.patch("/api/v1/ticket-types/1", token, &json!({"active": false})).assert_problem(status, code);
        }
        let admin = app.admin_token();
        assert_eq!(app.get("/api/v1/priorities", Some(&admin)).json()["items"][0]["active"], true);
        assert_eq!(app.get("/api/v1/states", Some(&admin)).json()["items"].as_array().unwrap().len(), 9);
    }

    fn cached_reference_data_follows_every_change_at_once(app) {
        // Each process keeps the reference data in memory, keyed by a token that triggers change
        // in the changing transaction: a change through the API, or straight in SQL, is seen by
        // the very next request.
        let admin = app.admin_token();
        let ticket = app.create_ticket(&admin, "Printer on fire", "kunde@example.com");
        let path = format!("/api/v1/tickets/{}", ticket["id"]);
        let state_id = ticket["state"]["id"].as_i64().unwrap();
        let queue_id = ticket["queue"]["id"].as_i64().unwrap();
        assert_eq!(app.get(&path, Some(&admin)).json()["state"]["name"], "new");
        let renamed = app.patch(&format!("/api/v1/states/{state_id}"), Some(&admin), &json!({"name": "fresh"}));
        assert_eq!(renamed.status, 200, "{}", renamed.text());
        assert_eq!(app.get(&path, Some(&admin)).json()["state"]["name"], "fresh");
        let mut conn = app.pool().get().unwrap();
        conn.batch_execute(&format!("UPDATE queues SET name = 'Renamed by hand' WHERE id = {queue_id}"))
            .unwrap();
        assert_eq!(app.get(&path, Some(&admin)).json()["queue"]["name"], "Renamed by hand");
    }
}
