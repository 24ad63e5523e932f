//! Two real `vakt serve` processes with background workers on one PostgreSQL database: every
//! change notifies each recipient exactly once whichever process dispatches, a stream on one
//! process shows changes made through the other, and SIGTERM ends open streams cleanly.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::json;
use vakt_persistence::{DatabaseUrl, DbConnection};

use crate::live::Sse;
use crate::support::TestDb;
use crate::support::process::{VaktProcess, free_port, vakt_command};

const ADMIN: (&str, &str) = ("admin@example.com", "admin-password-1");

/// A `vakt serve` child with background workers and a fast live-update poll.
fn start_server(database_url: &str, dir: &std::path::Path) -> VaktProcess {
    let mut command = vakt_command(dir);
    command
        .env("DATABASE_URL", database_url)
        .env("VAKT_ADMIN_EMAIL", ADMIN.0)
        .env("VAKT_ADMIN_PASSWORD", ADMIN.1)
        .env("VAKT_JOB_WORKERS", "2")
        .env("VAKT_JOB_POLL_MS", "100")
        .env("VAKT_LIVE_POLL_MS", "100")
        .env("VAKT_SHUTDOWN_TIMEOUT", "30")
        .env("VAKT_LOG", "info,vakt::access=warn");
    let mut server = VaktProcess::serve(command, free_port());
    server.wait_ready();
    server
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    let DbConnection::Postgresql(pg) = conn else {
        panic!("PostgreSQL only");
    };
    diesel::sql_query(sql).get_result::<Count>(pg).unwrap().n
}

#[test]
fn two_servers_notify_exactly_once_and_stream_each_others_changes() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let url = db.url_text();
    let dir = tempfile::tempdir().unwrap();
    let servers = [
        start_server(&url, dir.path()),
        start_server(&url, dir.path()),
    ];
    let admin = servers[0].login(ADMIN.0, ADMIN.1).unwrap();
    let mut ids = Vec::new();
    for name in ["writer", "a", "b", "c"] {
        let user = servers[0].send("POST", "/api/v1/users", &admin, json!({"email": format!("{name}@example.com"), "name": name, "password": "agent-password-1"}));
        let id = user["id"].as_i64().unwrap();
        let rights = if name == "writer" {
            json!(["rw"])
        } else {
            json!(["ro", "owner"])
        };
        servers[0].send(
            "PUT",
            &format!("/api/v1/groups/1/members/{id}"),
            &admin,
            json!({"rights": rights}),
        );
        ids.push(id);
    }
    let a_id = ids[1];
    let writer = [
        servers[0]
            .login("writer@example.com", "agent-password-1")
            .unwrap(),
        servers[1]
            .login("writer@example.com", "agent-password-1")
            .unwrap(),
    ];
    // Agent a watches from the second process.
    let a_token = servers[1]
        .login("a@example.com", "agent-password-1")
        .unwrap();
    let stream = Sse::open(
        &servers[1].url("/api/v1/events/stream"),
        &[("authorization", &format!("Bearer {a_token}"))],
    )
    .unwrap();
    stream.until(Duration::from_secs(10), |e| e.event == "ready");
    let per_server = 10;
    let created: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2).map(|s| {
            let (server, token) = (&servers[s], &writer[s]);
            scope.spawn(move || {
                (0..per_server).map(|n| {
                    let ticket = server.send("POST", "/api/v1/tickets", token, json!({"title": format!("s{s}-{n}"), "queue_id": 1, "article": {"body": "x"}}));
                    let id = ticket["id"].as_i64().unwrap();
                    server.send("PATCH", &format!("/api/v1/tickets/{id}"), token, json!({"owner_id": a_id}));
                    id
                }).collect()
            })
        }).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // A change made through the first process reaches the stream of the second.
    let from_first = created[0][per_server - 1];
    stream.until(Duration::from_secs(15), |e| {
        e.event == "ticket"
            && e.data["ticket_id"] == from_first
            && e.data["kind"] == "owner_changed"
    });
    // Each ticket: a, b and c hear of it; a is told that she owns it.
    let expected = (2 * per_server * 4) as i64;
    let mut conn = DatabaseUrl::parse(&url).unwrap().connect().unwrap();
    let started = Instant::now();
    while count(&mut conn, "SELECT COUNT(*) AS n FROM notifications") < expected {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "only {} of {expected}:\n{}\n{}",
            count(&mut conn, "SELECT COUNT(*) AS n FROM notifications"),
            servers[0].output(),
            servers[1].output()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Several more dispatcher runs: still exactly once.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        count(&mut conn, "SELECT COUNT(*) AS n FROM notifications"),
        expected
    );
    let twice = count(
        &mut conn,
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM notifications GROUP BY user_id, history_id, event HAVING COUNT(*) > 1) d",
    );
    assert_eq!(twice, 0, "a notification was written twice");
    let mails = count(
        &mut conn,
        "SELECT COUNT(DISTINCT payload) AS n FROM jobs WHERE kind = 'send_notification'",
    );
    let mail_jobs = count(
        &mut conn,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'send_notification'",
    );
    assert_eq!((mails, mail_jobs), (expected, expected), "one email each");
    let history = count(&mut conn, "SELECT MAX(id) AS n FROM history");
    assert_eq!(
        count(
            &mut conn,
            "SELECT last_id AS n FROM event_cursors WHERE name = 'notifications'"
        ),
        history
    );
    let runs = count(
        &mut conn,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'dispatch_notifications'",
    );
    assert!(runs >= 3, "the dispatcher ran repeatedly ({runs})");

    // SIGTERM: the open stream is told and ends; the process exits long before its 30 s.
    let [first, mut second] = servers;
    drop(first);
    let stopped = Instant::now();
    second.signal_terminate();
    let seen = stream.until(Duration::from_secs(10), |e| {
        e.event == "shutdown" || e.event == "__closed"
    });
    assert_eq!(seen.last().unwrap().event, "shutdown", "{seen:#?}");
    let exit = second.wait_exit(Duration::from_secs(15));
    assert!(exit.success(), "{exit:?}\n{}", second.output());
    assert!(
        stopped.elapsed() < Duration::from_secs(10),
        "took {:?}",
        stopped.elapsed()
    );
    drop(conn);
    drop(db);
}
