//! Reports (issue 16): a known timeline of three tickets over three days in Oslo, every
//! figure of every report checked exactly; the rights of agents; CSV; refusals.
//!
//! The timeline (UTC; Oslo is UTC+1; SLA: Mon–Fri 08–16 Oslo, first response 120, solution
//! 600 business minutes, General's default):
//! - T1 (alice) created Mon 23 Nov 08:00, reply 09:00 (15 min accounted), closed 10:00.
//! - T2 (alice) created Mon 13:00, owned by the agent, note 14:00 (10 min), reply Tue 08:00.
//! - T3 (bob) created Tue 24 09:00, reply 09:30, closed 10:00, reopened Wed 25 09:00.
//!
//! Reports are read on Fri 27 Nov 12:00 for 23–25 November, by day, in Europe/Oslo.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::sla_support::{AGENT_PASSWORD, create_sla, general_sla, office_calendar, utc};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, GENERAL_QUEUE, TestApp};

const AGENT: &str = "reporter@example.com";
const PERIOD: &str = "from=2026-11-23&to=2026-11-25&time_zone=Europe/Oslo";

/// Moves the clock and signs in as the agent.
fn agent_at(app: &TestApp, t: DateTime<Utc>) -> String {
    app.clock.set(t);
    app.login(AGENT, AGENT_PASSWORD)
}

fn state_id(app: &TestApp, token: &str, state_type: &str) -> i64 {
    let states = app.get("/api/v1/states", Some(token)).json();
    states["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state_type"] == state_type)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn article(app: &TestApp, token: &str, ticket: i64, body: Value) {
    let r = app.post(
        &format!("/api/v1/tickets/{ticket}/articles"),
        Some(token),
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

fn set(app: &TestApp, token: &str, ticket: i64, body: Value) {
    let r = app.patch(&format!("/api/v1/tickets/{ticket}"), Some(token), &body);
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Seeds the timeline; returns the agent's id and the three ticket ids. The clock is left at
/// Fri 27 Nov 12:00.
fn seed(app: &TestApp) -> (i64, [i64; 3]) {
    app.clock.set(utc(2026, 11, 20, 9, 0));
    let admin = app.admin_token();
    let calendar = office_calendar(app, &admin, "Oslo office", &[]);
    let sla = create_sla(
        app,
        &admin,
        "Office",
        calendar,
        json!({"first_response_minutes": 120, "solution_minutes": 600}),
    );
    general_sla(app, &admin, sla);
    let (agent, token) = app.agent_with_rights(AGENT, &["rw"]);
    let closed = state_id(app, &token, "closed");
    let open = state_id(app, &token, "open");
    let create = |t: DateTime<Utc>, title: &str, customer: &str| {
        let token = agent_at(app, t);
        app.create_ticket(&token, title, customer)["id"]
            .as_i64()
            .unwrap()
    };
    let t1 = create(utc(2026, 11, 23, 8, 0), "T1", "alice@example.org");
    let token = agent_at(app, utc(2026, 11, 23, 9, 0));
    article(
        app,
        &token,
        t1,
        json!({"kind": "reply", "body": "Done.", "time_accounted_minutes": 15}),
    );
    let token = agent_at(app, utc(2026, 11, 23, 10, 0));
    set(app, &token, t1, json!({"state_id": closed}));
    let t2 = create(utc(2026, 11, 23, 13, 0), "T2", "alice@example.org");
    let token = agent_at(app, utc(2026, 11, 23, 13, 0));
    set(app, &token, t2, json!({"owner_id": agent}));
    let token = agent_at(app, utc(2026, 11, 23, 14, 0));
    article(
        app,
        &token,
        t2,
        json!({"kind": "note", "body": "Looking.", "time_accounted_minutes": 10}),
    );
    let token = agent_at(app, utc(2026, 11, 24, 8, 0));
    article(app, &token, t2, json!({"kind": "reply", "body": "Here."}));
    let t3 = create(utc(2026, 11, 24, 9, 0), "T3", "bob@example.org");
    let token = agent_at(app, utc(2026, 11, 24, 9, 30));
    article(
        app,
        &token,
        t3,
        json!({"kind": "reply", "body": "Try this."}),
    );
    let token = agent_at(app, utc(2026, 11, 24, 10, 0));
    set(app, &token, t3, json!({"state_id": closed}));
    let token = agent_at(app, utc(2026, 11, 25, 9, 0));
    set(app, &token, t3, json!({"state_id": open}));
    app.clock.set(utc(2026, 11, 27, 12, 0));
    (agent, [t1, t2, t3])
}

/// A report as JSON rows of `{column: value}`.
fn report(app: &TestApp, token: &str, name: &str, params: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/reports/{name}?{params}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let keys: Vec<String> = body["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_owned())
        .collect();
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let cells = row.as_array().unwrap();
            let mut object = serde_json::Map::new();
            for (key, cell) in keys.iter().zip(cells) {
                object.insert(key.clone(), cell.clone());
            }
            Value::Object(object)
        })
        .collect()
}

/// Picks `keys` of each row, to compare whole tables at a glance.
fn pick(rows: &[Value], keys: &[&str]) -> Vec<Vec<Value>> {
    rows.iter()
        .map(|r| keys.iter().map(|k| r[*k].clone()).collect())
        .collect()
}

both_backends! {
    fn every_report_gives_the_exact_figures_of_a_known_timeline(app) {
        let (agent, [_, t2, _]) = seed(&app);
        let token = app.login(AGENT, AGENT_PASSWORD);

        let volume = report(&app, &token, "volume", PERIOD);
        assert_eq!(
            pick(&volume, &["period", "period_start", "created", "closed", "reopened"]),
            vec![
                vec![json!("2026-11-23"), json!("2026-11-22T23:00:00Z"), json!(2), json!(1), json!(0)],
                vec![json!("2026-11-24"), json!("2026-11-23T23:00:00Z"), json!(1), json!(1), json!(0)],
                vec![json!("2026-11-25"), json!("2026-11-24T23:00:00Z"), json!(0), json!(0), json!(1)],
            ]
        );
        let by_queue = report(&app, &token, "volume", &format!("{PERIOD}&group_by=queue"));
        assert_eq!(
            pick(&by_queue, &["queue_id", "queue", "created"]),
            vec![
                vec![json!(GENERAL_QUEUE), json!("General"), json!(2)],
                vec![json!(GENERAL_QUEUE), json!("General"), json!(1)],
                vec![json!(GENERAL_QUEUE), json!("General"), json!(0)],
            ]
        );
        let by_channel = report(&app, &token, "volume", &format!("{PERIOD}&group_by=channel"));
        assert_eq!(pick(&by_channel, &["channel", "created"]), vec![
            vec![json!("phone"), json!(2)],
            vec![json!("phone"), json!(1)],
            vec![json!("phone"), json!(0)],
        ]);

        let backlog = report(&app, &token, "backlog", PERIOD);
        assert_eq!(
            pick(&backlog, &["at", "open_total", "pending_reminder", "under_1d", "1d_7d", "7d_30d"]),
            vec![
                vec![json!("2026-11-23T23:00:00Z"), json!(1), json!(0), json!(1), json!(0), json!(0)],
                vec![json!("2026-11-24T23:00:00Z"), json!(1), json!(0), json!(0), json!(1), json!(0)],
                vec![json!("2026-11-25T23:00:00Z"), json!(2), json!(0), json!(0), json!(2), json!(0)],
            ]
        );
        for row in &backlog {
            assert_eq!(
                row["new"].as_i64().unwrap() + row["open"].as_i64().unwrap(),
                row["open_total"].as_i64().unwrap()
            );
        }

        let times = report(&app, &token, "response-times", PERIOD);
        let keys = [
            "period", "metric", "tickets", "median_minutes", "p90_minutes", "mean_minutes",
            "business_tickets", "business_median_minutes", "business_p90_minutes",
            "business_mean_minutes",
        ];
        let n = Value::Null;
        assert_eq!(pick(&times, &keys), vec![
            vec![json!("2026-11-23"), json!("first_response"), json!(1), json!(60.0), json!(60.0), json!(60.0), json!(1), json!(60.0), json!(60.0), json!(60.0)],
            vec![json!("2026-11-23"), json!("solution"), json!(1), json!(120.0), json!(120.0), json!(120.0), json!(1), json!(120.0), json!(120.0), json!(120.0)],
            vec![json!("2026-11-24"), json!("first_response"), json!(2), json!(585.0), json!(1140.0), json!(585.0), json!(2), json!(105.0), json!(180.0), json!(105.0)],
            vec![json!("2026-11-24"), json!("solution"), json!(1), json!(60.0), json!(60.0), json!(60.0), json!(1), json!(60.0), json!(60.0), json!(60.0)],
            vec![json!("2026-11-25"), json!("first_response"), json!(0), n.clone(), n.clone(), n.clone(), json!(0), n.clone(), n.clone(), n.clone()],
            vec![json!("2026-11-25"), json!("solution"), json!(0), n.clone(), n.clone(), n.clone(), json!(0), n.clone(), n.clone(), n.clone()],
        ]);

        let sla = report(&app, &token, "sla-compliance", PERIOD);
        assert_eq!(
            pick(&sla, &["period", "target", "tickets", "met", "breached", "open", "met_percent"]),
            vec![
                vec![json!("2026-11-23"), json!("first_response"), json!(2), json!(1), json!(1), json!(0), json!(50.0)],
                vec![json!("2026-11-23"), json!("update"), json!(0), json!(0), json!(0), json!(0), n.clone()],
                vec![json!("2026-11-23"), json!("solution"), json!(2), json!(1), json!(1), json!(0), json!(50.0)],
                vec![json!("2026-11-24"), json!("first_response"), json!(1), json!(1), json!(0), json!(0), json!(100.0)],
                vec![json!("2026-11-24"), json!("update"), json!(0), json!(0), json!(0), json!(0), n.clone()],
                vec![json!("2026-11-24"), json!("solution"), json!(1), json!(0), json!(1), json!(0), json!(0.0)],
                vec![json!("2026-11-25"), json!("first_response"), json!(0), json!(0), json!(0), json!(0), n.clone()],
                vec![json!("2026-11-25"), json!("update"), json!(0), json!(0), json!(0), json!(0), n.clone()],
                vec![json!("2026-11-25"), json!("solution"), json!(0), json!(0), json!(0), json!(0), n.clone()],
            ]
        );

        // T2's first response was due Mon 16:00 Oslo, its solution Tue 16:00; T3's solution
        // (due Thu 26, after the period) is not listed.
        let breaches = report(&app, &token, "sla-breaches", PERIOD);
        assert_eq!(pick(&breaches, &["period", "due_at", "target", "ticket_id", "title"]), vec![
            vec![json!("2026-11-23"), json!("2026-11-23T15:00:00Z"), json!("first_response"), json!(t2), json!("T2")],
            vec![json!("2026-11-24"), json!("2026-11-24T15:00:00Z"), json!("solution"), json!(t2), json!("T2")],
        ]);

        let workload = report(&app, &token, "workload", PERIOD);
        assert_eq!(
            pick(&workload, &["agent_id", "owned_open", "closed", "replies", "notes", "time_accounted_minutes"]),
            vec![vec![json!(agent), json!(1), json!(2), json!(3), json!(1), json!(25)]]
        );

        let customers = report(&app, &token, "customers", &format!("{PERIOD}&group_by=customer"));
        assert_eq!(
            pick(&customers, &["customer", "created", "closed", "open_now", "escalated_now", "breached"]),
            vec![
                vec![json!("alice@example.org"), json!(2), json!(1), json!(1), json!(1), json!(1)],
                vec![json!("bob@example.org"), json!(1), json!(1), json!(1), json!(1), json!(1)],
            ]
        );
        // One customer, as on their page in the customer information center.
        let alice = customers[0]["customer_id"].as_i64().unwrap();
        let one = report(&app, &token, "customers", &format!("{PERIOD}&group_by=customer&customer_id={alice}"));
        assert_eq!(pick(&one, &["created", "open_now"]), vec![vec![json!(2), json!(1)]]);

        // Filters narrow the tickets: priority 3 is every ticket's, 5 none's; weeks widen.
        let none = report(&app, &token, "volume", &format!("{PERIOD}&priority=5"));
        assert!(none.iter().all(|r| r["created"] == 0), "{none:?}");
        let week = report(&app, &token, "volume", "from=2026-11-25&to=2026-11-25&time_zone=Europe/Oslo&granularity=week");
        assert_eq!(pick(&week, &["period", "period_start", "created", "closed", "reopened"]), vec![
            vec![json!("2026-W48"), json!("2026-11-22T23:00:00Z"), json!(3), json!(2), json!(1)],
        ]);
    }

    fn reports_download_as_csv_with_the_same_numbers(app) {
        seed(&app);
        let token = app.login(AGENT, AGENT_PASSWORD);
        let bearer = format!("Bearer {token}");
        let csv = app.request(
            "GET",
            &format!("/api/v1/reports/volume?{PERIOD}"),
            &[("authorization", bearer.as_str()), ("accept", "text/csv")],
            None,
        );
        assert_eq!(csv.status, 200, "{}", csv.text());
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert_eq!(
            csv.text(),
            "period,period_start,created,closed,reopened\r\n\
             2026-11-23,2026-11-22T23:00:00Z,2,1,0\r\n\
             2026-11-24,2026-11-23T23:00:00Z,1,1,0\r\n\
             2026-11-25,2026-11-24T23:00:00Z,0,0,1\r\n"
        );
        let by_param = app.get(&format!("/api/v1/reports/volume?{PERIOD}&format=csv"), Some(&token));
        assert_eq!(by_param.text(), csv.text());
        assert!(by_param.header("content-disposition").unwrap().contains("vakt-volume.csv"));
    }

    fn agents_see_reports_only_over_queues_they_may_read(app) {
        seed(&app);
        let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD);
        let reader = app.agent_with_rights("reader@example.com", &["ro"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        let (_, customer) = app.create_customer("carol@example.org");
        let created = |token: &str, params: &str| -> Vec<i64> {
            report(&app, token, "volume", params).iter().map(|r| r["created"].as_i64().unwrap()).collect()
        };
        assert_eq!(created(&admin, PERIOD), [2, 1, 0]);
        assert_eq!(created(&reader.1, PERIOD), [2, 1, 0]);
        assert_eq!(created(&reader.1, &format!("{PERIOD}&queue_id={GENERAL_QUEUE}")), [2, 1, 0]);
        // Without a queue filter an agent without rights counts nothing ...
        assert_eq!(created(&outsider, PERIOD), [0, 0, 0]);
        for name in ["backlog", "workload", "customers", "sla-breaches"] {
            let rows = report(&app, &outsider, name, PERIOD);
            let leaked = rows.iter().any(|r| {
                ["open_total", "replies", "created", "ticket_id"].iter().any(|k| r[*k].as_i64().unwrap_or(0) > 0)
            });
            assert!(!leaked, "{name}: {rows:?}");
        }
        // ... and naming a queue they cannot see is a 404, as for a queue that does not exist.
        for queue in [GENERAL_QUEUE.to_string(), "999".to_owned(), format!("999,{GENERAL_QUEUE}")] {
            app.get(&format!("/api/v1/reports/volume?{PERIOD}&queue_id={queue}"), Some(&outsider))
                .assert_problem(404, "not_found");
        }
        app.get(&format!("/api/v1/reports/volume?{PERIOD}"), Some(&customer))
            .assert_problem(403, "forbidden");
        app.get(&format!("/api/v1/reports/volume?{PERIOD}"), None).assert_problem(401, "unauthorized");
    }

    fn bad_report_parameters_are_field_errors(app) {
        let admin = app.admin_token();
        for (params, field) in [
            ("from=2026-11-23&to=2026-11-20", "to"),
            ("from=2026-11-23&to=2026-11-25&granularity=year", "granularity"),
            ("from=2026-11-23&to=2026-11-25&time_zone=Mars/Olympus", "time_zone"),
            ("from=2020-01-01&to=2026-11-25&granularity=hour", "granularity"),
            ("from=2026-11-23&to=2026-11-25&group_by=channel_x", "group_by"),
            ("from=2026-11-23&to=2026-11-25&queue_id=a", "queue_id"),
            ("from=23.11.2026&to=2026-11-25", "from"),
            ("to=2026-11-25", "from"),
        ] {
            let r = app.get(&format!("/api/v1/reports/volume?{params}"), Some(&admin));
            assert_eq!(r.status, 422, "{params}: {}", r.text());
            let body = r.json();
            assert!(body["errors"].get(field).is_some(), "{params}: {body}");
        }
        // A grouping another report does not offer.
        let r = app.get("/api/v1/reports/backlog?from=2026-11-23&to=2026-11-25&group_by=queue", Some(&admin));
        assert_eq!(r.status, 422, "{}", r.text());
    }
}

both_backends! {
    fn report_definitions_are_saved_and_shared_by_administrators(app) {
        let admin = app.admin_token();
        let (_, owner) = app.agent_with_rights("owner@example.com", &["ro"]);
        let (_, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        let query = "from=2026-07-01&to=2026-09-30&granularity=week&group_by=queue";
        let body = json!({"name": "Weekly volume", "report": "volume", "query": query});
        let created = app.post("/api/v1/reports/saved", Some(&owner), &body);
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/reports/saved/{id}").as_str()));
        let saved = created.json();
        assert_eq!((saved["report"].as_str(), saved["query"].as_str(), saved["mine"].as_bool()),
                   (Some("volume"), Some(query), Some(true)));

        // Refusals name the field.
        let bad = app.post("/api/v1/reports/saved", Some(&owner), &json!({"name": "x", "report": "weather", "query": query}));
        assert!(bad.assert_problem(422, "validation_failed")["errors"].get("report").is_some());
        for query in ["from=2026-07-01", "from=2026-07-01&to=2026-09-30&granularity=year", "from=2026-07-01&to=2026-09-30&colour=red"] {
            let bad = app.post("/api/v1/reports/saved", Some(&owner), &json!({"name": "x", "report": "volume", "query": query}));
            let problem = bad.assert_problem(422, "validation_failed");
            assert_eq!(problem["error_codes"]["query"][0], "invalid_query", "{query}: {problem}");
        }
        // Only administrators share.
        let shared = json!({"name": "Shared", "report": "backlog", "query": "from=2026-07-01&to=2026-09-30", "group_id": 1});
        app.post("/api/v1/reports/saved", Some(&owner), &shared).assert_problem(403, "forbidden");
        let by_admin = app.post("/api/v1/reports/saved", Some(&admin), &shared);
        assert_eq!(by_admin.status, 201, "{}", by_admin.text());
        let shared_id = by_admin.json()["id"].as_i64().unwrap();

        let names = |token: &str| -> Vec<String> {
            let list = app.get("/api/v1/reports/saved", Some(token));
            assert_eq!(list.status, 200, "{}", list.text());
            list.json()["items"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(names(&owner), ["Shared", "Weekly volume"]);
        assert_eq!(names(&reader), ["Shared"]);
        assert!(names(&outsider).is_empty());
        // Someone else's private definition is not found; a shared one is read-only.
        app.get(&format!("/api/v1/reports/saved/{id}"), Some(&reader)).assert_problem(404, "not_found");
        assert_eq!(app.get(&format!("/api/v1/reports/saved/{shared_id}"), Some(&reader)).status, 200);
        app.patch(&format!("/api/v1/reports/saved/{shared_id}"), Some(&reader), &json!({"name": "Mine now"}))
            .assert_problem(403, "forbidden");
        app.get(&format!("/api/v1/reports/saved/{shared_id}"), Some(&outsider)).assert_problem(404, "not_found");

        let changed = app.patch(&format!("/api/v1/reports/saved/{id}"), Some(&owner), &json!({"report": "response_times", "name": "Times"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["report"], "response_times");
        let deleted = app.request("DELETE", &format!("/api/v1/reports/saved/{id}"), &[("authorization", format!("Bearer {owner}").as_str())], None);
        assert_eq!(deleted.status, 204);
        assert_eq!(names(&owner), ["Shared"]);
    }
}
