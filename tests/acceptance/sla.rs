//! The SLA administration: calendars, SLAs and services with the domain's validation as field
//! errors, names unique, rights (administrators write; agents read SLAs and services); which SLA
//! a ticket gets (its service's, else its queue's), and recomputation after edits, in a job.

use serde_json::{Value, json};

use crate::sla_support::{
    at, create_sla, general_sla, history, of_kind, office_calendar, patch, rfc, run_jobs, ticket,
    utc,
};
use crate::support::{GENERAL_QUEUE, TestApp, text};

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

fn codes(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    app.post(path, Some(token), &body)
        .assert_problem(422, "validation_failed")["error_codes"]
        .clone()
}

both_backends! {
    fn calendars_are_checked_by_the_domain_and_kept_by_administrators(app) {
        let admin = app.admin_token();
        let hours = |mon: Value| json!({"name": "X", "time_zone": "Europe/Oslo", "working_hours": {"mon": mon}});
        let mut bad_zone = hours(json!(["08:00-16:00"]));
        bad_zone["time_zone"] = json!("Europe/Bergen");
        assert_eq!(codes(&app, &admin, "/api/v1/calendars", bad_zone)["time_zone"][0], "unknown_time_zone");
        let errors = codes(&app, &admin, "/api/v1/calendars", hours(json!(["08:00-08:00", "25:00-26:00", "08:00-12:00"])));
        assert_eq!(errors["working_hours.mon[0]"][0], "invalid_range");
        assert_eq!(errors["working_hours.mon[1]"][0], "invalid_time");
        assert!(errors["working_hours.mon[2]"].is_null(), "valid ranges pass: {errors}");
        assert_eq!(codes(&app, &admin, "/api/v1/calendars", hours(json!(["08:00-12:00", "11:00-16:00"])))["working_hours.mon"][0], "overlapping_ranges");
        assert_eq!(codes(&app, &admin, "/api/v1/calendars", hours(json!([])))["working_hours"][0], "no_working_hours");
        let mut bad_holiday = hours(json!(["08:00-16:00"]));
        bad_holiday["holidays"] = json!(["12-25", "13-45"]);
        assert_eq!(codes(&app, &admin, "/api/v1/calendars", bad_holiday)["holidays[1]"][0], "invalid_holiday");
        // Over midnight is fine, and belongs to the day it starts on.
        let mut night = hours(json!(["22:00-06:00"]));
        night["name"] = json!("Nights");
        night["holidays"] = json!(["05-17", "2026-12-24"]);
        let created = app.post("/api/v1/calendars", Some(&admin), &night);
        assert_eq!(created.status, 201, "{}", created.text());
        let calendar = created.json();
        assert_eq!(created.header("location").unwrap(), format!("/api/v1/calendars/{}", id(&calendar)));
        assert_eq!(calendar["working_hours"]["mon"], json!(["22:00-06:00"]));
        assert_eq!(calendar["working_hours"]["tue"], json!([]));
        assert_eq!(calendar["holidays"], json!(["05-17", "2026-12-24"]));
        assert_eq!(calendar["active"], true);
        app.post("/api/v1/calendars", Some(&admin), &night).assert_problem(409, "name_taken");

        let path = format!("/api/v1/calendars/{}", id(&calendar));
        let changed = app.patch(&path, Some(&admin), &json!({"holidays": [], "active": false, "time_zone": "UTC"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["holidays"], json!([]));
        assert_eq!(changed.json()["time_zone"], "UTC");
        assert_eq!(changed.json()["working_hours"]["mon"], json!(["22:00-06:00"]), "parts not given stay");
        assert_eq!(changed.json()["active"], false);
        app.patch(&path, Some(&admin), &json!({"working_hours": {"mon": ["nine to five"]}})).assert_problem(422, "validation_failed");
        app.patch("/api/v1/calendars/999", Some(&admin), &json!({"active": true})).assert_problem(404, "not_found");
        let list = app.get("/api/v1/calendars", Some(&admin)).json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);

        let (_, agent) = app.create_agent("ola@example.com", false);
        let (_, customer) = app.create_customer("kunde@example.org");
        for token in [&agent, &customer] {
            app.get("/api/v1/calendars", Some(token)).assert_problem(403, "forbidden");
            app.get(&path, Some(token)).assert_problem(403, "forbidden");
            app.post("/api/v1/calendars", Some(token), &night).assert_problem(403, "forbidden");
            app.patch(&path, Some(token), &json!({"active": true})).assert_problem(403, "forbidden");
        }
        app.get("/api/v1/calendars", None).assert_problem(401, "unauthorized");
    }

    fn slas_are_checked_field_by_field_and_read_by_agents(app) {
        let admin = app.admin_token();
        let calendar = office_calendar(&app, &admin, "Office", &[]);
        let sla = |extra: Value| {
            let mut body = json!({"name": "S", "calendar_id": calendar});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let errors = codes(&app, &admin, "/api/v1/slas", sla(json!({
            "first_response_minutes": 0, "update_minutes": 2_000_000, "solution_minutes": 600,
            "warning_percent": 100, "paused_state_types": ["pending_auto", "closed", "pending_remnder"]
        })));
        assert_eq!(errors["first_response_minutes"][0], "out_of_range");
        assert_eq!(errors["update_minutes"][0], "out_of_range");
        assert!(errors["solution_minutes"].is_null(), "{errors}");
        assert_eq!(errors["warning_percent"][0], "out_of_range");
        assert!(errors["paused_state_types[0]"].is_null());
        assert_eq!(errors["paused_state_types[1]"][0], "invalid_state_type");
        assert_eq!(errors["paused_state_types[2]"][0], "invalid_state_type");
        assert_eq!(codes(&app, &admin, "/api/v1/slas", sla(json!({})))["first_response_minutes"][0], "no_target");
        let mut unknown_calendar = sla(json!({"solution_minutes": 60}));
        unknown_calendar["calendar_id"] = json!(999);
        assert_eq!(codes(&app, &admin, "/api/v1/slas", unknown_calendar)["calendar_id"][0], "not_found");

        let created = app.post("/api/v1/slas", Some(&admin), &sla(json!({"first_response_minutes": 120, "warning_percent": 80})));
        assert_eq!(created.status, 201, "{}", created.text());
        let s = created.json();
        assert_eq!(s["paused_state_types"], json!(["pending_auto", "pending_reminder"]), "pending pauses by default");
        assert_eq!(s["first_response_minutes"], 120);
        assert!(s["solution_minutes"].is_null());
        app.post("/api/v1/slas", Some(&admin), &sla(json!({"solution_minutes": 5}))).assert_problem(409, "name_taken");
        let path = format!("/api/v1/slas/{}", id(&s));
        let changed = app.patch(&path, Some(&admin), &json!({"warning_percent": null, "solution_minutes": 960, "paused_state_types": []}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert!(changed.json()["warning_percent"].is_null());
        assert_eq!(changed.json()["solution_minutes"], 960);
        assert_eq!(changed.json()["paused_state_types"], json!([]));
        let emptied = app.patch(&path, Some(&admin), &json!({"first_response_minutes": null, "solution_minutes": null}))
            .assert_problem(422, "validation_failed");
        assert_eq!(emptied["error_codes"]["first_response_minutes"][0], "no_target");

        let (_, agent) = app.create_agent("ola@example.com", false);
        assert_eq!(app.get("/api/v1/slas", Some(&agent)).json()["items"][0]["name"], "S");
        assert_eq!(app.get(&path, Some(&agent)).status, 200);
        app.post("/api/v1/slas", Some(&agent), &sla(json!({"solution_minutes": 5}))).assert_problem(403, "forbidden");
        app.patch(&path, Some(&agent), &json!({"active": false})).assert_problem(403, "forbidden");
        let (_, customer) = app.create_customer("kunde@example.org");
        app.get("/api/v1/slas", Some(&customer)).assert_problem(403, "forbidden");
        app.get("/api/v1/slas", None).assert_problem(401, "unauthorized");
        app.get("/api/v1/slas/999", Some(&agent)).assert_problem(404, "not_found");

        // Queue defaults: administrators set them, agents who see the queue read them.
        let queue_path = format!("/api/v1/queues/{GENERAL_QUEUE}/sla");
        app.send_json("PUT", &queue_path, Some(&agent), &json!({"sla_id": id(&s)})).assert_problem(403, "forbidden");
        app.send_json("PUT", &queue_path, Some(&admin), &json!({"sla_id": 999})).assert_problem(422, "validation_failed");
        app.send_json("PUT", "/api/v1/queues/999/sla", Some(&admin), &json!({"sla_id": null})).assert_problem(404, "not_found");
        general_sla(&app, &admin, id(&s));
        app.get(&queue_path, Some(&agent)).assert_problem(404, "not_found");
        let (_, member) = app.agent_with_rights("kari@example.com", &["ro"]);
        assert_eq!(app.get(&queue_path, Some(&member)).json()["sla_id"], id(&s));
        assert_eq!(app.get(&path, Some(&admin)).json()["queue_ids"], json!([GENERAL_QUEUE]));
        app.get(&queue_path, Some(&customer)).assert_problem(403, "forbidden");
    }

    fn services_form_a_hierarchy_of_paths(app) {
        let admin = app.admin_token();
        let post = |body: Value| app.post("/api/v1/services", Some(&admin), &body);
        let it = post(json!({"name": "IT"})).json();
        let printing = post(json!({"name": "Printing", "parent_id": id(&it)}));
        assert_eq!(printing.status, 201, "{}", printing.text());
        let printing = printing.json();
        assert_eq!(printing["full_name"], "IT::Printing");
        let colour = post(json!({"name": "Colour", "parent_id": id(&printing)})).json();
        assert_eq!(colour["full_name"], "IT::Printing::Colour");
        post(json!({"name": "Printing", "parent_id": id(&it)})).assert_problem(409, "name_taken");
        assert_eq!(post(json!({"name": "IT::Mail"})).assert_problem(422, "validation_failed")["error_codes"]["name"][0], "invalid");
        assert_eq!(post(json!({"name": "Mail", "parent_id": 999})).assert_problem(422, "validation_failed")["error_codes"]["parent_id"][0], "not_found");
        assert_eq!(post(json!({"name": "Mail", "sla_id": 999})).assert_problem(422, "validation_failed")["error_codes"]["sla_id"][0], "not_found");

        let renamed = app.patch(&format!("/api/v1/services/{}", id(&it)), Some(&admin), &json!({"name": "Tech"}));
        assert_eq!(renamed.status, 200, "{}", renamed.text());
        assert_eq!(app.get(&format!("/api/v1/services/{}", id(&colour)), Some(&admin)).json()["full_name"], "Tech::Printing::Colour");
        let cycle = app.patch(&format!("/api/v1/services/{}", id(&it)), Some(&admin), &json!({"parent_id": id(&colour)}))
            .assert_problem(422, "validation_failed");
        assert_eq!(cycle["error_codes"]["parent_id"][0], "cycle");
        let moved = app.patch(&format!("/api/v1/services/{}", id(&printing)), Some(&admin), &json!({"parent_id": null}));
        assert_eq!(moved.json()["full_name"], "Printing");
        assert_eq!(app.get(&format!("/api/v1/services/{}", id(&colour)), Some(&admin)).json()["full_name"], "Printing::Colour");

        let (_, agent) = app.create_agent("ola@example.com", false);
        let names: Vec<String> = app.get("/api/v1/services", Some(&agent)).json()["items"]
            .as_array().unwrap().iter().map(|s| text(s, "full_name")).collect();
        assert_eq!(names, vec!["Printing", "Printing::Colour", "Tech"]);
        app.post("/api/v1/services", Some(&agent), &json!({"name": "Mine"})).assert_problem(403, "forbidden");
        app.patch(&format!("/api/v1/services/{}", id(&it)), Some(&agent), &json!({"active": false})).assert_problem(403, "forbidden");
        let (_, customer) = app.create_customer("kunde@example.org");
        app.get("/api/v1/services", Some(&customer)).assert_problem(403, "forbidden");
        app.get("/api/v1/services", None).assert_problem(401, "unauthorized");
        app.get("/api/v1/services/999", Some(&agent)).assert_problem(404, "not_found");
    }

    fn a_ticket_takes_its_services_sla_else_its_queues(app) {
        let admin = app.admin_token();
        let calendar = office_calendar(&app, &admin, "Office", &[]);
        let slow = create_sla(&app, &admin, "Slow", calendar, json!({"first_response_minutes": 480}));
        let fast = create_sla(&app, &admin, "Fast", calendar, json!({"first_response_minutes": 60}));
        general_sla(&app, &admin, slow);
        let printing = app.post("/api/v1/services", Some(&admin), &json!({"name": "Printing", "sla_id": fast})).json();
        let retired = app.post("/api/v1/services", Some(&admin), &json!({"name": "Fax", "active": false})).json();
        app.agent_with_rights("ola@example.com", &["rw", "move_into"]);

        // Monday 30 November, 08:00 Oslo.
        let agent = at(&app, utc(2026, 11, 30, 7, 0), "ola@example.com");
        let plain = app.create_ticket(&agent, "No service", "kari@example.org");
        assert_eq!(plain["sla"]["name"], "Slow");
        assert_eq!(plain["escalation_at"], rfc(utc(2026, 11, 30, 15, 0)));
        assert!(plain["service"].is_null());
        let body = |service: i64| json!({"title": "Printing", "queue_id": GENERAL_QUEUE, "service_id": service, "article": {"body": "x"}});
        let with_service = app.post("/api/v1/tickets", Some(&agent), &body(id(&printing)));
        assert_eq!(with_service.status, 201, "{}", with_service.text());
        let with_service = with_service.json();
        assert_eq!(with_service["service"]["name"], "Printing");
        assert_eq!(with_service["sla"]["name"], "Fast");
        assert_eq!(with_service["escalation_at"], rfc(utc(2026, 11, 30, 8, 0)));
        assert!(of_kind(&history(&app, &agent, id(&with_service)), "sla_changed").is_empty(), "starting with an SLA is no change");
        let refused = app.post("/api/v1/tickets", Some(&agent), &body(id(&retired))).assert_problem(422, "validation_failed");
        assert_eq!(refused["error_codes"]["service_id"][0], "not_found");
        let (_, customer) = app.create_customer("kunde@example.org");
        app.post("/api/v1/tickets", Some(&customer), &body(id(&printing))).assert_problem(403, "forbidden");

        // Changing the service changes the SLA and the deadlines, recorded in the history.
        let t = id(&plain);
        let changed = patch(&app, &agent, t, json!({"service_id": id(&printing)}));
        assert_eq!(changed["sla"]["name"], "Fast");
        assert_eq!(changed["escalation_at"], rfc(utc(2026, 11, 30, 8, 0)));
        let entries = history(&app, &agent, t);
        let service = &of_kind(&entries, "service_changed")[0];
        assert!(service["old_value"].is_null());
        assert_eq!(service["new_value"], "Printing");
        let sla = &of_kind(&entries, "sla_changed")[0];
        assert_eq!((text(sla, "old_value"), text(sla, "new_value")), ("Slow".into(), "Fast".into()));
        assert_eq!(sla["actor"]["email"], "ola@example.com");
        let removed = patch(&app, &agent, t, json!({"service_id": null}));
        assert_eq!(removed["sla"]["name"], "Slow");
        assert!(removed["service"].is_null());

        // A queue without a default: no SLA, no deadlines.
        let queue = app.post("/api/v1/queues", Some(&app.admin_token()), &json!({"name": "Other", "group_id": 1})).json();
        let moved = patch(&app, &agent, t, json!({"queue_id": id(&queue)}));
        assert!(moved["sla"].is_null() && moved["escalation_at"].is_null(), "{moved}");
        assert!(of_kind(&history(&app, &agent, t), "sla_changed").last().unwrap()["new_value"].is_null());
    }

    fn editing_slas_calendars_and_defaults_recomputes_open_tickets_in_a_job(app) {
        let admin = app.admin_token();
        let calendar = office_calendar(&app, &admin, "Office", &[]);
        let sla = create_sla(&app, &admin, "Standard", calendar, json!({"first_response_minutes": 120}));
        general_sla(&app, &admin, sla);
        app.agent_with_rights("ola@example.com", &["rw"]);
        let agent = at(&app, utc(2026, 11, 30, 7, 0), "ola@example.com");
        let open = id(&app.create_ticket(&agent, "Open", "kari@example.org"));
        let escalation = |app: &TestApp| {
            let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
            ticket(app, &agent, open)["escalation_at"].clone()
        };
        assert_eq!(escalation(&app), json!(rfc(utc(2026, 11, 30, 9, 0))));

        // A new target: the request only enqueues; the job moves the deadline.
        let admin = app.admin_token();
        let sla_path = format!("/api/v1/slas/{sla}");
        assert_eq!(app.patch(&sla_path, Some(&admin), &json!({"first_response_minutes": 60})).status, 200);
        assert_eq!(escalation(&app), json!(rfc(utc(2026, 11, 30, 9, 0))), "not recomputed in the request");
        let queued = app.get("/api/v1/jobs?kind=sla_recompute&status=queued", Some(&admin)).json();
        assert!(!queued["items"].as_array().unwrap().is_empty(), "{queued}");
        run_jobs(&app);
        assert_eq!(escalation(&app), json!(rfc(utc(2026, 11, 30, 8, 0))));

        // The calendar makes Monday a holiday: Tuesday 09:00 Oslo.
        let admin = app.admin_token();
        let changed = app.patch(&format!("/api/v1/calendars/{calendar}"), Some(&admin), &json!({"holidays": ["2026-11-30"]}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        run_jobs(&app);
        assert_eq!(escalation(&app), json!(rfc(utc(2026, 12, 1, 8, 0))));

        // Deactivated, the SLA applies no more; reactivated, it does again.
        assert_eq!(app.patch(&sla_path, Some(&admin), &json!({"active": false})).status, 200);
        run_jobs(&app);
        assert!(escalation(&app).is_null());
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        assert!(ticket(&app, &agent, open)["sla"].is_null());
        app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/sla"), Some(&admin), &json!({"sla_id": sla}))
            .assert_problem(422, "validation_failed");
        assert_eq!(app.patch(&sla_path, Some(&admin), &json!({"active": true})).status, 200);
        run_jobs(&app);
        assert_eq!(escalation(&app), json!(rfc(utc(2026, 12, 1, 8, 0))));

        // Removing the queue's default.
        let removed = app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/sla"), Some(&admin), &json!({"sla_id": null}));
        assert_eq!(removed.status, 200, "{}", removed.text());
        run_jobs(&app);
        assert!(escalation(&app).is_null());
        let entries = history(&app, &agent, open);
        let changes: Vec<(Value, Value)> = of_kind(&entries, "sla_changed").iter()
            .map(|h| (h["old_value"].clone(), h["new_value"].clone())).collect();
        assert_eq!(changes, vec![
            (json!("Standard"), Value::Null),
            (Value::Null, json!("Standard")),
            (json!("Standard"), Value::Null),
        ]);
    }
}
