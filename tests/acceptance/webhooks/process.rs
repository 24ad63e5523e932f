//! A real `vakt serve` killed in the middle of a delivery: after the restart every event
//! arrives (at least once, with its stable id), each ticket's in order.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Receiver, SECRET};
use crate::support::TestDb;
use crate::support::process::{VaktProcess, free_port, vakt_command};

const ADMIN: (&str, &str) = ("admin@example.com", "admin-password-1");

fn start_server(database_url: &str, dir: &std::path::Path, port: u16) -> VaktProcess {
    let mut command = vakt_command(dir);
    command
        .env("DATABASE_URL", database_url)
        .env("VAKT_ADMIN_EMAIL", ADMIN.0)
        .env("VAKT_ADMIN_PASSWORD", ADMIN.1)
        .env("VAKT_JOB_WORKERS", "2")
        .env("VAKT_JOB_POLL_MS", "100")
        // A job of a killed process is taken over after two seconds.
        .env("VAKT_JOB_LEASE_SECONDS", "2")
        .env("VAKT_LOG", "info,vakt::access=warn");
    let mut server = VaktProcess::serve(command, port);
    server.wait_ready();
    server
}

/// Waits (up to a minute) until `done` holds; panics with `what` otherwise.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gave up waiting: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run(db: TestDb) {
    let url = db.url_text();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = start_server(&url, dir.path(), port);
    let admin = server.login(ADMIN.0, ADMIN.1).unwrap();
    let receiver = Receiver::start();
    // Slow answers: the server is killed while a request waits for one.
    receiver.delay(Duration::from_secs(3));
    server.send(
        "PUT",
        "/api/v1/settings/webhooks",
        &admin,
        json!({"allow_private_targets": true, "disable_after_failures": 50}),
    );
    let hook = server.send(
        "POST",
        "/api/v1/webhooks",
        &admin,
        json!({"name": "r", "url": receiver.url(), "events": ["ticket.created", "ticket.updated"], "secret": SECRET}),
    );
    let hook_id = hook["id"].as_i64().unwrap();
    let mut tickets = Vec::new();
    for n in 0..3 {
        let ticket = server.send(
            "POST",
            "/api/v1/tickets",
            &admin,
            json!({"title": format!("T{n}"), "queue_id": 1, "customer_email": "ola@example.com", "article": {"body": "x"}}),
        );
        let id = ticket["id"].as_i64().unwrap();
        server.send(
            "PATCH",
            &format!("/api/v1/tickets/{id}"),
            &admin,
            json!({"title": format!("T{n} renamed")}),
        );
        tickets.push(id);
    }
    wait_until("a delivery in flight", || receiver.accepted() > 0);
    drop(server); // SIGKILL mid-request: no graceful shutdown, leases left behind.

    receiver.no_delay();
    let server = start_server(&url, dir.path(), port);
    let admin = server.login(ADMIN.0, ADMIN.1).unwrap();
    let path = format!("/api/v1/webhooks/{hook_id}/deliveries?limit=200");
    wait_until("every delivery succeeded", || {
        let log = server.send("GET", &path, &admin, json!(null));
        let items = log["items"].as_array().unwrap();
        items.len() == 6 && items.iter().all(|d| d["status"] == "succeeded")
    });
    let log = server.send("GET", &path, &admin, json!(null));
    let expected: HashSet<String> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event_id"].as_str().unwrap().to_owned())
        .collect();
    let received = receiver.received();
    let got: HashSet<String> = received.iter().map(|r| r.event().0).collect();
    assert_eq!(got, expected, "every event arrived");
    for ticket in tickets {
        let mut seen = Vec::new();
        for r in &received {
            let body = r.json();
            if body["data"]["ticket"]["id"] == ticket && !seen.contains(&r.event()) {
                seen.push(r.event());
            }
        }
        let types: Vec<&str> = seen.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            types,
            ["ticket.created", "ticket.updated"],
            "ticket {ticket} in order"
        );
    }
}

#[test]
fn no_event_is_lost_when_the_server_is_killed_mid_delivery_sqlite() {
    run(TestDb::sqlite());
}

#[test]
fn no_event_is_lost_when_the_server_is_killed_mid_delivery_postgres() {
    if let Some(db) = TestDb::postgres() {
        run(db);
    }
}
