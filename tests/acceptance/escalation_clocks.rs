//! The SLA clocks with the moved clock: pending states pause them, closing stops them,
//! reopening resumes them with the time that was left; an agent's reply stops first response
//! and update, a customer's email restarts update, and each run of a clock breaches once.

use serde_json::{Value, json};

use crate::mail_support::{deliver_ok, gateway_token, message};
use crate::sla_support::{
    AGENT_PASSWORD, at, check, create_sla, general_sla, history, of_kind, office_calendar, patch,
    rfc, ticket, utc,
};
use crate::support::{TestApp, text};

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

fn breaches(app: &TestApp, t: chrono::DateTime<chrono::Utc>, ticket: i64) -> Vec<Value> {
    let agent = at(app, t, "ola@example.com");
    check(app);
    of_kind(&history(app, &agent, ticket), "escalation_breach")
}

fn setup(app: &TestApp, targets: Value) {
    let admin = app.admin_token();
    let calendar = office_calendar(app, &admin, "Oslo office", &[]);
    let sla = create_sla(app, &admin, "Standard", calendar, targets);
    general_sla(app, &admin, sla);
    app.agent_with_rights("ola@example.com", &["rw"]);
}

both_backends! {
    fn pending_pauses_closing_stops_and_reopening_resumes(app) {
        setup(&app, json!({"first_response_minutes": 120, "solution_minutes": 480}));
        // Monday 30 November 2026, 08:00 in Oslo.
        let agent = at(&app, utc(2026, 11, 30, 7, 0), "ola@example.com");
        let t = id(&app.create_ticket(&agent, "Printer", "kari@example.org"));
        let view = ticket(&app, &agent, t);
        assert_eq!(view["sla"]["first_response"]["due_at"], rfc(utc(2026, 11, 30, 9, 0)));
        assert_eq!(view["sla"]["solution"]["due_at"], rfc(utc(2026, 11, 30, 15, 0)));

        // 09:00 Oslo: pending until tomorrow. The clocks pause with 60 and 420 minutes left.
        let agent = at(&app, utc(2026, 11, 30, 8, 0), "ola@example.com");
        let paused = patch(&app, &agent, t, json!({"state_id": 3, "pending_until": rfc(utc(2026, 12, 1, 7, 0))}));
        assert!(paused["escalation_at"].is_null(), "{paused}");
        let first = &paused["sla"]["first_response"];
        assert_eq!(first["state"], "paused");
        assert!(first["due_at"].is_null(), "a pause moves the deadline");
        assert_eq!(first["business_minutes_left"], 60);
        assert_eq!(paused["sla"]["solution"]["business_minutes_left"], 420);
        assert!(breaches(&app, utc(2026, 11, 30, 9, 30), t).is_empty(), "no breach while paused");

        // 11:00 Oslo: open again; the 60 minutes left run out at 12:00 Oslo, the solution's
        // 420 at 10:00 Oslo on Tuesday.
        let agent = at(&app, utc(2026, 11, 30, 10, 0), "ola@example.com");
        let open = patch(&app, &agent, t, json!({"state_id": 2}));
        assert_eq!(open["sla"]["first_response"]["due_at"], rfc(utc(2026, 11, 30, 11, 0)));
        assert_eq!(open["sla"]["solution"]["due_at"], rfc(utc(2026, 12, 1, 9, 0)));
        assert_eq!(open["escalation_at"], rfc(utc(2026, 11, 30, 11, 0)));
        assert!(breaches(&app, utc(2026, 11, 30, 10, 59), t).is_empty());
        let found = breaches(&app, utc(2026, 11, 30, 11, 0), t);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["new_value"], "first_response");

        // 12:30 Oslo: closed. Every clock stops; nothing escalates any more.
        let agent = at(&app, utc(2026, 11, 30, 11, 30), "ola@example.com");
        let closed = patch(&app, &agent, t, json!({"state_id": 4}));
        assert!(closed["escalation_at"].is_null());
        assert_eq!(closed["sla"]["solution"]["state"], "stopped");
        assert_eq!(closed["sla"]["solution"]["breached"], false);
        assert_eq!(closed["sla"]["solution"]["business_minutes_left"], 330);
        assert_eq!(breaches(&app, utc(2026, 12, 1, 10, 0), t).len(), 1, "a closed ticket does not escalate");

        // Tuesday 11:00 Oslo: reopened. The solution clock resumes with its 330 minutes:
        // 11:00-16:00 today and 30 on Wednesday. The first response never came: still breached,
        // still escalated, but not recorded again.
        let agent = at(&app, utc(2026, 12, 1, 10, 0), "ola@example.com");
        let reopened = patch(&app, &agent, t, json!({"state_id": 2}));
        assert_eq!(reopened["sla"]["solution"]["due_at"], rfc(utc(2026, 12, 2, 7, 30)));
        assert_eq!(reopened["sla"]["first_response"]["breached"], true);
        assert_eq!(reopened["escalation_at"], rfc(utc(2026, 11, 30, 11, 0)));
        assert_eq!(breaches(&app, utc(2026, 12, 1, 10, 0), t).len(), 1);
        assert_eq!(breaches(&app, utc(2026, 12, 2, 7, 29), t).len(), 1);
        let found = breaches(&app, utc(2026, 12, 2, 7, 30), t);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1]["new_value"], "solution");
        assert_eq!(found[1]["old_value"], rfc(utc(2026, 12, 2, 7, 30)));
        assert_eq!(breaches(&app, utc(2026, 12, 9, 7, 30), t).len(), 2, "once per clock");
    }

    fn replies_stop_the_clocks_and_customer_mail_restarts_the_update_clock(app) {
        setup(&app, json!({"first_response_minutes": 60, "update_minutes": 120}));
        let agent = at(&app, utc(2026, 11, 30, 7, 0), "ola@example.com");
        let created = app.create_ticket(&agent, "Printer", "kari@example.org");
        let (t, number) = (id(&created), text(&created, "number"));
        assert_eq!(created["sla"]["update"]["due_at"], rfc(utc(2026, 11, 30, 9, 0)), "the creation is a contact");

        // 08:30 Oslo: the agent answers; first response met, the customer is not waiting.
        let agent = at(&app, utc(2026, 11, 30, 7, 30), "ola@example.com");
        let reply = app.post(&format!("/api/v1/tickets/{t}/articles"), Some(&agent), &json!({"kind": "reply", "body": "Restart it."}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        let after = &reply.json()["ticket"];
        assert_eq!(after["sla"]["first_response"]["state"], "stopped");
        assert_eq!(after["sla"]["first_response"]["breached"], false);
        assert_eq!(after["sla"]["update"]["state"], "stopped");
        assert!(after["escalation_at"].is_null());

        // 09:00 Oslo: the customer writes back by email; the update clock runs from now.
        let gateway = gateway_token(&app);
        let mail = |n: u32, minute_utc: (u32, u32)| {
            app.clock.set(utc(2026, 11, 30, minute_utc.0, minute_utc.1));
            deliver_ok(&app, &gateway, &message(
                "kari@example.org", "helpdesk@localhost", &format!("Re: [Ticket#{number}] Printer"),
                &format!("follow-up-{n}@example.org"), "", "Still broken.",
            ))
        };
        let delivered = mail(1, (8, 0));
        assert_eq!(delivered["outcome"], "appended", "{delivered}");
        let agent = app.login("ola@example.com", AGENT_PASSWORD);
        let view = ticket(&app, &agent, t);
        assert_eq!(view["sla"]["update"]["state"], "running");
        assert_eq!(view["sla"]["update"]["started_at"], rfc(utc(2026, 11, 30, 8, 0)));
        assert_eq!(view["sla"]["update"]["due_at"], rfc(utc(2026, 11, 30, 10, 0)));
        assert_eq!(view["escalation_at"], rfc(utc(2026, 11, 30, 10, 0)));
        assert!(breaches(&app, utc(2026, 11, 30, 9, 59), t).is_empty());
        assert_eq!(breaches(&app, utc(2026, 11, 30, 10, 0), t).len(), 1);

        // An internal note answers nobody; a reply does.
        let agent = at(&app, utc(2026, 11, 30, 10, 30), "ola@example.com");
        let note = app.post(&format!("/api/v1/tickets/{t}/articles"), Some(&agent), &json!({"kind": "note", "body": "Ordered a drum."}));
        assert_eq!(note.json()["ticket"]["escalation_at"], rfc(utc(2026, 11, 30, 10, 0)));
        let reply = app.post(&format!("/api/v1/tickets/{t}/articles"), Some(&agent), &json!({"kind": "reply", "body": "A new drum is coming."}));
        assert!(reply.json()["ticket"]["escalation_at"].is_null());

        // The next email starts a new run of the clock, which breaches once of its own.
        mail(2, (11, 0));
        assert_eq!(breaches(&app, utc(2026, 11, 30, 12, 59), t).len(), 1);
        let found = breaches(&app, utc(2026, 11, 30, 13, 0), t);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0]["old_value"], rfc(utc(2026, 11, 30, 10, 0)));
        assert_eq!(found[1]["old_value"], rfc(utc(2026, 11, 30, 13, 0)));
        assert!(found.iter().all(|b| b["new_value"] == "update"));
        assert_eq!(breaches(&app, utc(2026, 12, 1, 13, 0), t).len(), 2);
    }
}
