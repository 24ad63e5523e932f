//! Bulk changes as a job: rights per ticket, one result per ticket, progress, and who may see
//! the job.

use std::time::{Duration as StdDuration, Instant};

use serde_json::{Value, json};
use vakt_service::jobs::{WorkerOptions, WorkerPool};

use super::*;
use crate::mail_support::{articles, ticket};
use crate::support::TestApp;

fn workers(app: &TestApp) -> WorkerPool {
    let options = WorkerOptions {
        workers: 1,
        poll_interval: StdDuration::from_millis(50),
        ..WorkerOptions::default()
    };
    WorkerPool::start(
        app.services.clone(),
        vakt_service::jobs::registry(),
        options,
    )
    .unwrap()
}

/// Polls the job until it is done; returns it.
fn wait_done(app: &TestApp, token: &str, job: i64) -> Value {
    let deadline = Instant::now() + StdDuration::from_secs(60);
    loop {
        let r = app.get(&format!("/api/v1/jobs/{job}"), Some(token));
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        if body["status"] == "done" || body["status"] == "dead" || Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(StdDuration::from_millis(50));
    }
}

both_backends! {
    fn a_bulk_change_reports_each_ticket_and_its_progress(app) {
        let (secret, _) = secret_queue(&app, "Secret");
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let admin = app.admin_token();
        let mut keys: Vec<Value> = (0..24)
            .map(|i| app.create_ticket(&ann, &format!("Bulk {i}"), "kari@example.org")["id"].clone())
            .collect();
        let hidden = ticket_in(&app, &admin, secret, "Hidden", "ceo@example.org");
        let locked = app.create_ticket(&admin, "Owned by the admin", "kari@example.org");
        assert_eq!(app.post(&format!("/api/v1/tickets/{}/take", locked["id"]), Some(&admin), &json!({})).status, 200);
        keys.push(locked["number"].clone());
        keys.push(hidden["id"].clone());
        keys.push(json!("99999999"));
        let keys: Vec<String> = keys.iter().map(|k| k.to_string().trim_matches('"').to_owned()).collect();

        let started = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({
            "tickets": keys, "operations": {"state_id": CLOSED, "note": "Closed in bulk", "owner_id": null}}));
        assert_eq!(started.status, 202, "{}", started.text());
        let job = started.json();
        let id = job["id"].as_i64().unwrap();
        assert_eq!(started.header("location"), Some(format!("/api/v1/jobs/{id}").as_str()));
        assert_eq!(job["kind"], "bulk_tickets");
        assert_eq!(job["progress"]["total"], 27);
        assert_eq!(job["progress"]["processed"], 0);
        // Only its agent (and administrators) can follow it.
        assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&bob)).status, 404);

        let pool = workers(&app);
        let done = wait_done(&app, &ann, id);
        pool.shutdown();
        assert_eq!(done["status"], "done", "{done}");
        assert_eq!(done["progress"]["processed"], 27);
        let results = done["results"].as_array().unwrap();
        assert_eq!(results.len(), 27);
        for r in &results[..24] {
            assert_eq!(r["status"], "done", "{r}");
            let t = ticket(&app, r["ticket_id"].as_i64().unwrap());
            assert_eq!(t["state"]["state_type"], "closed");
            assert!(articles(&app, t["id"].as_i64().unwrap()).iter().any(|a| a["body"] == "Closed in bulk"));
        }
        // Releasing someone else's ticket needs rw, which ann has: the locked one is done too.
        assert_eq!(results[24]["status"], "done", "{}", results[24]);
        // The hidden ticket and a missing one read the same: nothing about them.
        for r in &results[25..] {
            assert_eq!(r["status"], "forbidden", "{r}");
            assert_eq!(r["code"], "not_found");
            assert!(r["ticket_id"].is_null());
        }
        assert_eq!(results[25]["detail"], results[26]["detail"]);
        assert_eq!(ticket(&app, hidden["id"].as_i64().unwrap())["state"]["state_type"], "new");
        assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&admin)).json()["results"].as_array().unwrap().len(), 27);
    }

    fn bulk_results_say_why_a_ticket_was_refused_and_merges_go_into_one(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (reader_id, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let target = app.create_ticket(&ann, "Target", "kari@example.org");
        let sources: Vec<Value> = (0..3).map(|i| app.create_ticket(&ann, &format!("Dup {i}"), "kari@example.org")).collect();
        let mut keys: Vec<String> = sources.iter().map(|s| s["id"].to_string()).collect();
        keys.push(target["id"].to_string());
        let pool = workers(&app);
        let started = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({"tickets": keys, "operations": {"merge_into": target["number"]}}));
        assert_eq!(started.status, 202, "{}", started.text());
        let done = wait_done(&app, &ann, started.json()["id"].as_i64().unwrap());
        let results = done["results"].as_array().unwrap();
        assert!(results[..3].iter().all(|r| r["status"] == "done"), "{done}");
        assert_eq!(results[3]["status"], "conflict", "a ticket into itself");
        assert_eq!(ticket(&app, target["id"].as_i64().unwrap())["article_count"], 4);

        // Read-only: every ticket is forbidden, with the reason.
        let started = app.post("/api/v1/tickets/bulk", Some(&reader), &json!({"tickets": [target["id"].to_string()], "operations": {"priority_id": 5}}));
        let done = wait_done(&app, &reader, started.json()["id"].as_i64().unwrap());
        pool.shutdown();
        assert_eq!(done["results"][0]["status"], "forbidden", "{done}");
        assert_eq!(done["results"][0]["code"], "forbidden");
        assert_eq!(done["results"][0]["ticket_id"], target["id"]);
        let _ = reader_id;
    }

    fn a_bulk_request_is_checked_before_it_starts(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, kari) = app.create_customer("kari@example.org");
        let empty = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({"tickets": [], "operations": {"state_id": CLOSED}}));
        assert_eq!(empty.status, 422);
        let many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        let too_many = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({"tickets": many, "operations": {"state_id": CLOSED}}));
        assert_eq!(too_many.status, 422);
        assert_eq!(too_many.json()["error_codes"]["tickets"][0], "out_of_range");
        let nothing = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({"tickets": ["1"], "operations": {}}));
        assert_eq!(nothing.status, 422);
        assert_eq!(nothing.json()["error_codes"]["operations"][0], "required");
        let customer = app.post("/api/v1/tickets/bulk", Some(&kari), &json!({"tickets": ["1"], "operations": {"state_id": CLOSED}}));
        assert_eq!(customer.status, 403);
        assert_eq!(app.get("/api/v1/jobs/1", Some(&kari)).status, 404);
    }

    fn a_bulk_change_sets_custom_fields_ticket_by_ticket(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let admin = app.admin_token();
        crate::custom_fields::product(&app, &[crate::support::GENERAL_QUEUE]);
        let elsewhere_queue = crate::custom_fields::queue(&app, "Elsewhere");
        let one = app.create_ticket(&ann, "Laptop one", "kari@example.org");
        let two = app.create_ticket(&ann, "Laptop two", "kari@example.org");
        let elsewhere = crate::custom_fields::ticket_with(&app, &admin, elsewhere_queue, json!({}));
        assert_eq!(elsewhere.status, 201, "{}", elsewhere.text());
        let elsewhere = elsewhere.json();
        let keys: Vec<String> = [&one, &two, &elsewhere].iter().map(|t| t["id"].to_string()).collect();

        let nothing = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({
            "tickets": keys, "operations": {"custom_fields": {}}}));
        let problem = nothing.assert_problem(422, "validation_failed");
        assert!(problem.to_string().contains("operations.custom_fields"), "{problem}");

        let started = app.post("/api/v1/tickets/bulk", Some(&ann), &json!({
            "tickets": keys, "operations": {"custom_fields": {"product": "laptop"}}}));
        assert_eq!(started.status, 202, "{}", started.text());
        let id = started.json()["id"].as_i64().unwrap();
        let pool = workers(&app);
        let done = wait_done(&app, &ann, id);
        pool.shutdown();
        let results = done["results"].as_array().unwrap();
        for (result, t) in results[..2].iter().zip([&one, &two]) {
            assert_eq!(result["status"], "done", "{result}");
            assert_eq!(ticket(&app, t["id"].as_i64().unwrap())["custom_fields"]["product"], "laptop");
            let history = app.get(&format!("/api/v1/tickets/{}/history", t["id"]), Some(&ann)).json();
            assert!(history.to_string().contains("custom_field_changed"), "{history}");
        }
        // The field is not for that queue: that ticket is refused, with the field named.
        assert_eq!(results[2]["status"], "conflict", "{}", results[2]);
        assert_eq!(results[2]["code"], "validation_failed");
        assert!(results[2]["detail"].as_str().unwrap().contains("product"), "{}", results[2]);
        let untouched = ticket(&app, elsewhere["id"].as_i64().unwrap());
        assert!(untouched["custom_fields"].get("product").is_none(), "{untouched}");
    }
}
