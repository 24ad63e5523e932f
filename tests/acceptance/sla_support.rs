//! Helpers of the SLA tests: calendars, SLAs, the moved clock, running the background jobs,
//! reading a ticket's history.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use vakt_service::jobs::{WorkerOptions, WorkerPool};
use vakt_service::sla::CheckReport;

use crate::support::{ClockExt, GENERAL_QUEUE, TestApp, text};

/// The password `create_agent` gives agents.
pub const AGENT_PASSWORD: &str = "agent-password-1";

/// A UTC instant.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// RFC 3339 as the API writes it (seconds, `Z`).
pub fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Moves the clock to `t` and signs in again (tokens expire with the moved clock).
pub fn at(app: &TestApp, t: DateTime<Utc>, email: &str) -> String {
    app.clock.set(t);
    app.login(email, AGENT_PASSWORD)
}

/// Creates a calendar Mon–Fri 08:00–16:00 Europe/Oslo with `holidays`; returns its id.
pub fn office_calendar(app: &TestApp, admin: &str, name: &str, holidays: &[&str]) -> i64 {
    let day = json!(["08:00-16:00"]);
    let created = app.post(
        "/api/v1/calendars",
        Some(admin),
        &json!({
            "name": name,
            "time_zone": "Europe/Oslo",
            "working_hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day},
            "holidays": holidays,
        }),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().unwrap()
}

/// Creates an SLA on `calendar` with the settings in `targets`; returns its id.
pub fn create_sla(app: &TestApp, admin: &str, name: &str, calendar: i64, targets: Value) -> i64 {
    let mut body = json!({"name": name, "calendar_id": calendar});
    for (key, value) in targets.as_object().unwrap() {
        body[key] = value.clone();
    }
    let created = app.post("/api/v1/slas", Some(admin), &body);
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().unwrap()
}

/// Makes `sla` the default of the General queue.
pub fn general_sla(app: &TestApp, admin: &str, sla: i64) {
    let set = app.send_json(
        "PUT",
        &format!("/api/v1/queues/{GENERAL_QUEUE}/sla"),
        Some(admin),
        &json!({"sla_id": sla}),
    );
    assert_eq!(set.status, 200, "{}", set.text());
}

/// The office-hours calendar with a 2-hour first-response SLA warning at 75 % as General's
/// default; returns the SLA id.
pub fn two_hour_first_response(app: &TestApp, holidays: &[&str]) -> i64 {
    let admin = app.admin_token();
    let calendar = office_calendar(app, &admin, "Oslo office", holidays);
    let sla = create_sla(
        app,
        &admin,
        "Two hours",
        calendar,
        json!({"first_response_minutes": 120, "warning_percent": 75}),
    );
    general_sla(app, &admin, sla);
    sla
}

/// Runs the escalation check now.
pub fn check(app: &TestApp) -> CheckReport {
    app.services
        .check_escalations(StdDuration::from_secs(60))
        .unwrap()
}

/// A ticket's history entries.
pub fn history(app: &TestApp, token: &str, ticket: i64) -> Vec<Value> {
    let response = app.get(
        &format!("/api/v1/tickets/{ticket}/history?limit=200"),
        Some(token),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["items"].as_array().unwrap().clone()
}

/// The entries of one kind.
pub fn of_kind(history: &[Value], kind: &str) -> Vec<Value> {
    history
        .iter()
        .filter(|h| text(h, "kind") == kind)
        .cloned()
        .collect()
}

/// A ticket as `token` sees it.
pub fn ticket(app: &TestApp, token: &str, id: i64) -> Value {
    let response = app.get(&format!("/api/v1/tickets/{id}"), Some(token));
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// Changes a ticket as `token`.
pub fn patch(app: &TestApp, token: &str, id: i64, body: Value) -> Value {
    let response = app.patch(&format!("/api/v1/tickets/{id}"), Some(token), &body);
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// Queued or running jobs that are due.
fn busy_jobs(app: &TestApp) -> i64 {
    use vakt_persistence::schema::jobs;
    let now = vakt_persistence::time::to_db(app.clock.now_utc());
    let mut conn = app.pool().get().unwrap();
    jobs::table
        .filter(
            jobs::status
                .eq("running")
                .or(jobs::status.eq("queued").and(jobs::run_at.le(now))),
        )
        .count()
        .get_result(&mut conn)
        .unwrap()
}

/// Runs the real job registry (`vakt serve`'s) until no job is due, as a server's workers
/// would at the clock's current time.
pub fn run_jobs(app: &TestApp) {
    let options = WorkerOptions {
        workers: 2,
        poll_interval: StdDuration::from_millis(10),
        ..WorkerOptions::default()
    };
    let pool = WorkerPool::start(
        app.services.clone(),
        vakt_service::jobs::registry(),
        options,
    )
    .unwrap();
    pool.wake();
    // Let every worker enqueue the periodic schedules first.
    std::thread::sleep(StdDuration::from_millis(200));
    let started = Instant::now();
    let mut idle_polls = 0;
    while idle_polls < 3 {
        assert!(
            started.elapsed() < StdDuration::from_secs(60),
            "jobs still due after a minute"
        );
        std::thread::sleep(StdDuration::from_millis(50));
        idle_polls = if busy_jobs(app) == 0 {
            idle_polls + 1
        } else {
            0
        };
    }
    pool.shutdown();
}
