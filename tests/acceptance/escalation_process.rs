//! Two real `vakt serve` processes on one fresh PostgreSQL database share the background jobs
//! (SPEC §12): due `pending_auto` tickets are spread over both processes' workers and each
//! changes state exactly once; each SLA warning is recorded once although both processes run
//! the periodic checks; every job ran once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use serde_json::{Value, json};

use crate::support::TestDb;
use crate::support::db::postgres_admin_url;
use crate::support::process::{VaktProcess, free_port, vakt_command};

const ADMIN: (&str, &str) = ("admin@example.com", "admin-password-1");

/// A `vakt serve` child with short job intervals.
struct Server(VaktProcess);

impl Server {
    fn start(url: &str, dir: &std::path::Path) -> Self {
        let mut command = vakt_command(dir);
        command
            .env("DATABASE_URL", url)
            .env("VAKT_ADMIN_EMAIL", ADMIN.0)
            .env("VAKT_ADMIN_PASSWORD", ADMIN.1)
            .env("VAKT_JOB_WORKERS", "3")
            .env("VAKT_JOB_POLL_MS", "50")
            .env("VAKT_SLA_CHECK_SECONDS", "1");
        let mut process = VaktProcess::serve(command, free_port());
        process.wait_ready();
        Self(process)
    }

    fn token(&self) -> String {
        self.0.login(ADMIN.0, ADMIN.1).unwrap()
    }

    fn send(&self, method: &str, path: &str, token: &str, body: Value) -> Value {
        self.0.send(method, path, token, body)
    }

    /// Tickets whose pending time came that this process changed (from its log).
    fn automatic_changes(&self) -> usize {
        self.0.output().matches("pending time reached").count()
    }
}

#[derive(QueryableByName)]
struct PerTicket {
    #[diesel(sql_type = BigInt)]
    ticket_id: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct JobState {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Text)]
    payload: String,
}

fn per_ticket(conn: &mut PgConnection, kind: &str) -> HashMap<i64, i64> {
    diesel::sql_query(
        "SELECT ticket_id, COUNT(*) AS n FROM history WHERE kind = $1 AND actor_id IS NULL GROUP BY ticket_id",
    )
    .bind::<Text, _>(kind)
    .load::<PerTicket>(conn)
    .unwrap()
    .into_iter()
    .map(|r| (r.ticket_id, r.n))
    .collect()
}

#[test]
fn two_servers_share_the_sla_jobs_and_each_runs_once() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    // A database cloned from the template is migrated already; the servers start on an empty one.
    drop(db);
    let name = format!(
        "vakt_sla_proc_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    let admin_url = postgres_admin_url();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let url = format!("{}/{name}", &admin_url[..admin_url.rfind('/').unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let a = Server::start(&url, dir.path());
    let b = Server::start(&url, dir.path());
    let (ta, tb) = (a.token(), b.token());

    // Round the clock in UTC, first response in a minute, warned after 5 % of it (3 seconds).
    let all_day = json!(["00:00-24:00"]);
    let calendar = a.send("POST", "/api/v1/calendars", &ta, json!({
        "name": "Always", "time_zone": "UTC",
        "working_hours": {"mon": all_day, "tue": all_day, "wed": all_day, "thu": all_day, "fri": all_day, "sat": all_day, "sun": all_day}
    }));
    let sla = b.send("POST", "/api/v1/slas", &tb, json!({
        "name": "Fast", "calendar_id": calendar["id"], "first_response_minutes": 1, "warning_percent": 5
    }));
    a.send(
        "PUT",
        "/api/v1/queues/1/sla",
        &ta,
        json!({"sla_id": sla["id"]}),
    );

    // Tickets created through both servers: some pending auto-close, due already, others open.
    let due = (Utc::now() - chrono::Duration::seconds(30)).to_rfc3339();
    let (mut pending, mut open) = (Vec::new(), Vec::new());
    for n in 0..120 {
        let (server, token) = if n % 2 == 0 { (&a, &ta) } else { (&b, &tb) };
        let body = if n < 80 {
            json!({"title": format!("pending {n}"), "queue_id": 1, "state_id": 6, "pending_until": due, "article": {"body": "x"}})
        } else {
            json!({"title": format!("open {n}"), "queue_id": 1, "article": {"body": "x"}})
        };
        let ticket = server.send("POST", "/api/v1/tickets", token, body);
        let id = ticket["id"].as_i64().unwrap();
        if n < 80 {
            pending.push(id)
        } else {
            open.push(id)
        }
    }

    let mut conn = PgConnection::establish(&url).unwrap();
    let started = Instant::now();
    loop {
        let changed = per_ticket(&mut conn, "state_changed");
        let warned = per_ticket(&mut conn, "escalation_warning");
        if pending.iter().all(|t| changed.contains_key(t))
            && open.iter().all(|t| warned.contains_key(t))
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "not done after 90 s: {} of {} changed, {} of {} warned\n--- a ---\n{}\n--- b ---\n{}",
            pending.iter().filter(|t| changed.contains_key(t)).count(),
            pending.len(),
            open.iter().filter(|t| warned.contains_key(t)).count(),
            open.len(),
            a.0.output(),
            b.0.output()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Several more rounds of both processes' checks find nothing left to do.
    std::thread::sleep(Duration::from_secs(4));

    let changed = per_ticket(&mut conn, "state_changed");
    for t in &pending {
        assert_eq!(
            changed.get(t),
            Some(&1),
            "ticket {t} changed state {:?} times",
            changed.get(t)
        );
    }
    let warned = per_ticket(&mut conn, "escalation_warning");
    for t in &open {
        assert_eq!(
            warned.get(t),
            Some(&1),
            "ticket {t} warned {:?} times",
            warned.get(t)
        );
    }
    assert!(
        pending.iter().all(|t| !warned.contains_key(t)),
        "pending tickets' clocks are paused"
    );
    let breaches = per_ticket(&mut conn, "escalation_breach");
    assert!(breaches.values().all(|n| *n == 1), "{breaches:?}");

    let jobs: Vec<JobState> =
        diesel::sql_query("SELECT status, attempts, payload FROM jobs WHERE kind = 'pending_auto'")
            .load(&mut conn)
            .unwrap();
    assert!(
        jobs.len() >= pending.len(),
        "one job per due ticket: {}",
        jobs.len()
    );
    assert!(
        jobs.iter().all(|j| j.status == "done" && j.attempts == 1),
        "every job ran once: {:?}",
        jobs.iter()
            .map(|j| (&j.status, j.attempts))
            .collect::<Vec<_>>()
    );
    let mut per_job_ticket: HashMap<i64, usize> = HashMap::new();
    for job in &jobs {
        let payload: Value = serde_json::from_str(&job.payload).unwrap();
        *per_job_ticket
            .entry(payload["ticket_id"].as_i64().unwrap())
            .or_default() += 1;
    }
    assert!(pending.iter().all(|t| per_job_ticket.contains_key(t)));
    let periodic: Vec<JobState> = diesel::sql_query(
        "SELECT status, attempts, payload FROM jobs WHERE kind IN ('sla_escalation_check', 'sla_pending_check') AND status = 'done'",
    )
    .load(&mut conn)
    .unwrap();
    assert!(
        periodic.len() > 4,
        "the checks ran repeatedly: {}",
        periodic.len()
    );
    assert!(periodic.iter().all(|j| j.attempts == 1), "each run once");

    let (by_a, by_b) = (a.automatic_changes(), b.automatic_changes());
    eprintln!("pending_auto changes: {by_a} by process a, {by_b} by process b");
    assert_eq!(
        by_a + by_b,
        pending.len(),
        "each change made by exactly one process"
    );
    assert!(
        by_a > 0 && by_b > 0,
        "both processes took jobs: a {by_a}, b {by_b}"
    );

    drop((a, b));
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin);
}
