//! Escalation with the moved clock (issue 7's "done means"): a 2-hour first-response SLA on a
//! Mon–Fri 08:00–16:00 Europe/Oslo calendar escalates a ticket created Friday 15:30 on Monday
//! 09:30 — not earlier — and on Tuesday when Monday is a holiday, across daylight-saving
//! changes too; warnings and breaches are recorded once; the list filters and sorts by it.

use serde_json::{Value, json};

use crate::sla_support::{at, check, history, of_kind, rfc, ticket, two_hour_first_response, utc};
use crate::support::{TestApp, text};

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

/// Creates the agent `ola@example.com` and a phone ticket at `created` (UTC); returns it.
fn ticket_at(app: &TestApp, created: chrono::DateTime<chrono::Utc>, title: &str) -> Value {
    let agent = at(app, created, "ola@example.com");
    app.create_ticket(&agent, title, "kari@example.org")
}

/// Runs the check at `t` and returns (warnings, breaches) in the ticket's history.
fn checked_at(app: &TestApp, t: chrono::DateTime<chrono::Utc>, ticket: i64) -> (usize, usize) {
    let agent = at(app, t, "ola@example.com");
    check(app);
    let history = history(app, &agent, ticket);
    (
        of_kind(&history, "escalation_warning").len(),
        of_kind(&history, "escalation_breach").len(),
    )
}

fn escalated_ids(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let list = app.get(&format!("/api/v1/tickets?{query}"), Some(token));
    assert_eq!(list.status, 200, "{}", list.text());
    list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect()
}

both_backends! {
    fn a_ticket_created_friday_afternoon_escalates_monday_morning_not_earlier(app) {
        two_hour_first_response(&app, &[]);
        app.agent_with_rights("ola@example.com", &["rw"]);
        // Friday 27 November 2026, 15:30 in Oslo (CET, UTC+1).
        let created = ticket_at(&app, utc(2026, 11, 27, 14, 30), "Printer on floor 3");
        let t = id(&created);
        // 30 minutes on Friday, 90 on Monday: due Monday 09:30 Oslo; 75 % used at 09:00.
        let due = utc(2026, 11, 30, 8, 30);
        assert_eq!(created["escalation_at"], rfc(due));
        let sla = &created["sla"];
        assert_eq!(sla["name"], "Two hours");
        assert_eq!(sla["first_response"]["state"], "running");
        assert_eq!(sla["first_response"]["due_at"], rfc(due));
        assert_eq!(sla["first_response"]["warn_at"], rfc(utc(2026, 11, 30, 8, 0)));
        assert_eq!(sla["first_response"]["business_minutes_left"], 120);
        assert!(sla["update"].is_null() && sla["solution"].is_null(), "only the target the SLA sets");

        for (moment, expected) in [
            (utc(2026, 11, 27, 15, 0), (0, 0)),  // Friday 16:00: 90 minutes left
            (utc(2026, 11, 28, 12, 0), (0, 0)),  // the weekend does not count
            (utc(2026, 11, 30, 7, 59), (0, 0)),  // Monday 08:59
            (utc(2026, 11, 30, 8, 0), (1, 0)),   // Monday 09:00: the warning
            (utc(2026, 11, 30, 8, 15), (1, 0)),  // recorded once
            (utc(2026, 11, 30, 8, 29), (1, 0)),  // Monday 09:29: not yet
            (utc(2026, 11, 30, 8, 30), (1, 1)),  // Monday 09:30: the breach
            (utc(2026, 11, 30, 13, 0), (1, 1)),  // once
        ] {
            assert_eq!(checked_at(&app, moment, t), expected, "at {moment}");
            let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
            let listed = escalated_ids(&app, &agent, "escalated=true");
            assert_eq!(listed.contains(&t), moment >= due, "escalated=true at {moment}");
            assert_eq!(escalated_ids(&app, &agent, "escalated=false").contains(&t), moment < due);
        }

        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        let entries = history(&app, &agent, t);
        let breach = &of_kind(&entries, "escalation_breach")[0];
        assert_eq!(breach["new_value"], "first_response");
        assert_eq!(breach["old_value"], rfc(due), "the deadline that passed");
        assert!(breach["actor"].is_null(), "recorded by the system");
        assert_eq!(breach["created_at"], rfc(due));
        let warning = &of_kind(&entries, "escalation_warning")[0];
        assert_eq!(warning["new_value"], "first_response");
        assert_eq!(warning["created_at"], rfc(utc(2026, 11, 30, 8, 0)));

        let view = ticket(&app, &agent, t);
        assert_eq!(view["sla"]["escalated"], true);
        assert_eq!(view["sla"]["first_response"]["breached"], true);
        assert_eq!(view["sla"]["first_response"]["business_minutes_left"], -270, "30 minutes on Friday and 08:00-14:00 on Monday against 120");

        // An agent's reply stops the clock: no longer escalated, nothing more to record.
        let reply = app.post(&format!("/api/v1/tickets/{t}/articles"), Some(&agent), &json!({"kind": "reply", "body": "On my way."}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        let after = &reply.json()["ticket"];
        assert!(after["escalation_at"].is_null(), "{after}");
        assert_eq!(after["sla"]["first_response"]["state"], "stopped");
        assert_eq!(after["sla"]["first_response"]["breached"], true, "answered late");
        assert!(escalated_ids(&app, &agent, "escalated=true").is_empty());
        assert_eq!(checked_at(&app, utc(2026, 12, 7, 12, 0), t), (1, 1));
    }

    fn a_holiday_moves_the_escalation_to_the_next_working_day(app) {
        two_hour_first_response(&app, &["2026-11-30", "12-25"]);
        app.agent_with_rights("ola@example.com", &["rw"]);
        let t = id(&ticket_at(&app, utc(2026, 11, 27, 14, 30), "Monday is a holiday"));
        let due = utc(2026, 12, 1, 8, 30); // Tuesday 09:30 Oslo
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        assert_eq!(ticket(&app, &agent, t)["escalation_at"], rfc(due));
        assert_eq!(checked_at(&app, utc(2026, 11, 30, 12, 0), t), (0, 0), "Monday counts not at all");
        assert_eq!(checked_at(&app, utc(2026, 12, 1, 7, 59), t), (0, 0));
        assert_eq!(checked_at(&app, utc(2026, 12, 1, 8, 0), t), (1, 0));
        assert_eq!(checked_at(&app, utc(2026, 12, 1, 8, 29), t), (1, 0));
        assert_eq!(checked_at(&app, utc(2026, 12, 1, 8, 30), t), (1, 1));

        // A yearly holiday: Christmas Day 2026 is a Friday; 15:30 on Thursday 24th gives
        // 30 minutes that day, none on Friday, 90 on Monday 28th.
        let t = id(&ticket_at(&app, utc(2026, 12, 24, 14, 30), "Before Christmas"));
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        assert_eq!(ticket(&app, &agent, t)["escalation_at"], rfc(utc(2026, 12, 28, 8, 30)));
    }

    fn escalation_follows_the_oslo_wall_clock_across_daylight_saving_changes(app) {
        two_hour_first_response(&app, &[]);
        app.agent_with_rights("ola@example.com", &["rw"]);
        // Clocks go back on Sunday 25 October 2026: Friday 15:30 is CEST (UTC+2), Monday 09:30
        // CET (UTC+1). Counting in UTC would escalate an hour early, at 07:30 UTC.
        let autumn = id(&ticket_at(&app, utc(2026, 10, 23, 13, 30), "Autumn"));
        let due = utc(2026, 10, 26, 8, 30);
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        assert_eq!(ticket(&app, &agent, autumn)["escalation_at"], rfc(due));
        assert_eq!(checked_at(&app, utc(2026, 10, 26, 7, 30), autumn), (0, 0));
        assert_eq!(checked_at(&app, utc(2026, 10, 26, 8, 29), autumn), (1, 0));
        assert_eq!(checked_at(&app, due, autumn), (1, 1));

        // Clocks go forward on Sunday 28 March 2027: Friday 15:30 CET, Monday 09:30 CEST.
        let spring = id(&ticket_at(&app, utc(2027, 3, 26, 14, 30), "Spring"));
        let due = utc(2027, 3, 29, 7, 30);
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        assert_eq!(ticket(&app, &agent, spring)["escalation_at"], rfc(due));
        assert_eq!(checked_at(&app, utc(2027, 3, 29, 7, 29), spring), (1, 0));
        assert_eq!(checked_at(&app, due, spring), (1, 1));
    }

    fn the_list_sorts_by_escalation_time_with_a_cursor(app) {
        two_hour_first_response(&app, &[]);
        app.agent_with_rights("ola@example.com", &["rw"]);
        let mut ids = Vec::new();
        // Monday 30 November, 08:00, 09:00 and 10:00 in Oslo: due 10:00, 11:00 and 12:00.
        for hour in [7, 8, 9] {
            ids.push(id(&ticket_at(&app, utc(2026, 11, 30, hour, 0), &format!("At {hour}"))));
        }
        // One without an escalation time: closed at once.
        let agent = app.login("ola@example.com", crate::sla_support::AGENT_PASSWORD);
        let closed = app.post("/api/v1/tickets", Some(&agent), &json!({
            "title": "Closed", "queue_id": 1, "state_id": 4, "article": {"body": "done"}
        }));
        assert_eq!(closed.status, 201, "{}", closed.text());
        assert!(closed.json()["escalation_at"].is_null());
        let first = app.get("/api/v1/tickets?sort=escalation_at&limit=2", Some(&agent)).json();
        let page: Vec<i64> = first["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(page, ids[..2].to_vec());
        // Lists carry the warning time too (75 % of two business hours: 90 minutes in).
        let listed = &first["items"][0];
        assert_eq!(listed["escalation_warning_at"], rfc(utc(2026, 11, 30, 8, 30)), "{listed}");
        assert_eq!(listed["escalation_warning_at"], ticket(&app, &agent, ids[0])["sla"]["warning_at"]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app.get(&format!("/api/v1/tickets?sort=escalation_at&limit=2&cursor={cursor}"), Some(&agent)).json();
        let page: Vec<i64> = second["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(page, vec![ids[2]], "tickets without an escalation time are not in this order");
        assert!(second["next_cursor"].is_null());
        let descending = escalated_ids(&app, &agent, "sort=-escalation_at");
        assert_eq!(descending, ids.iter().rev().copied().collect::<Vec<_>>());
        // At 11:00 Oslo two are escalated, soonest first.
        let agent = at(&app, utc(2026, 11, 30, 10, 0), "ola@example.com");
        assert_eq!(escalated_ids(&app, &agent, "escalated=true&sort=escalation_at"), ids[..2].to_vec());
        app.get("/api/v1/tickets?escalated=maybe", Some(&agent)).assert_problem(422, "validation_failed");

        // Customers see neither the escalation time nor the SLA, and may not filter by it.
        let (_, customer) = app.create_customer("kunde@example.org");
        app.get("/api/v1/tickets?escalated=true", Some(&customer)).assert_problem(403, "forbidden");
        app.get("/api/v1/tickets?sort=escalation_at", Some(&customer)).assert_problem(403, "forbidden");
        let own = app.post("/api/v1/tickets", Some(&customer), &json!({"title": "Mine", "queue_id": 1, "article": {"body": "help"}}));
        assert_eq!(own.status, 201, "{}", own.text());
        assert!(own.json()["escalation_at"].is_null() && own.json()["sla"].is_null());
        let listed = app.get("/api/v1/tickets", Some(&customer)).json();
        assert!(listed["items"][0]["escalation_warning_at"].is_null(), "{listed}");
        let seen_by_agent = ticket(&app, &agent, id(&own.json()));
        assert!(!seen_by_agent["escalation_at"].is_null(), "the SLA applies to it all the same");
        assert_eq!(text(&seen_by_agent["sla"], "name"), "Two hours");
    }
}
