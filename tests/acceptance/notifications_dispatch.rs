//! The dispatcher: exactly once under concurrent dispatchers and worker pools, history ids that
//! commit late or never, and notification mail reaching a real SMTP server (aiosmtpd).

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::json;
use vakt_http::HttpConfig;
use vakt_mail::{SmtpConfig, TlsMode, TransportConfig};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::time::to_db;
use vakt_service::ServiceConfig;
use vakt_service::jobs::{WorkerOptions, WorkerPool};

use crate::mail_servers::{SmtpSink, free_port, header};
use crate::notifications::{dispatch, inbox};
use crate::support::{ClockExt, TestApp, TestDb};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.pool().get().unwrap();
    let query = diesel::sql_query(sql);
    let row: Count = match &mut *conn {
        DbConnection::Postgresql(pg) => query.get_result(pg),
        DbConnection::Sqlite(sqlite) => query.get_result(sqlite),
    }
    .unwrap();
    row.n
}

/// In-app notifications and whether any (user, history row, event) appears twice.
fn totals(app: &TestApp) -> (i64, i64) {
    (
        count(app, "SELECT COUNT(*) AS n FROM notifications"),
        count(
            app,
            "SELECT COUNT(*) AS n FROM (SELECT user_id, history_id, event FROM notifications \
             GROUP BY user_id, history_id, event HAVING COUNT(*) > 1) d",
        ),
    )
}

fn notification_jobs(app: &TestApp) -> (i64, i64) {
    (
        count(
            app,
            "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'send_notification'",
        ),
        count(
            app,
            "SELECT COUNT(DISTINCT payload) AS n FROM jobs WHERE kind = 'send_notification'",
        ),
    )
}

fn cursor(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT last_id AS n FROM event_cursors WHERE name = 'notifications'",
    )
}

fn max_history(app: &TestApp) -> i64 {
    count(app, "SELECT COALESCE(MAX(id), 0) AS n FROM history")
}

/// Three queue members who get every new ticket and every customer follow-up.
fn team(app: &TestApp) -> (String, String) {
    let (_, writer) = app.agent_with_rights("writer@example.com", &["rw"]);
    for name in ["a", "b", "c"] {
        app.agent_with_rights(&format!("{name}@example.com"), &["ro"]);
    }
    let (_, customer) = app.create_customer("kari@example.org");
    (writer, customer)
}

both_backends! {
    fn concurrent_dispatchers_notify_each_recipient_exactly_once(app) {
        let (writer, customer) = team(&app);
        let changes = 12;
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    let started = Instant::now();
                    while started.elapsed() < StdDuration::from_secs(60) {
                        let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                        // A run that fails (SQLite's write lock is busy for too long under this
                        // hammering) leaves nothing behind; the next one does the work.
                        if let Err(error) = app.services.dispatch_notifications() {
                            eprintln!("a dispatcher run failed and will be repeated: {error}");
                        }
                        if finished && cursor(&app) >= max_history(&app) {
                            break;
                        }
                        std::thread::sleep(StdDuration::from_millis(5));
                    }
                });
            }
            scope.spawn(|| {
                for n in 0..changes / 2 {
                    let ticket = app.create_ticket(&writer, &format!("T{n}"), "kari@example.org");
                    let id = ticket["id"].as_i64().unwrap();
                    let r = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&customer), &json!({"kind": "reply", "body": "more"}));
                    assert_eq!(r.status, 201, "{}", r.text());
                }
                done.store(true, std::sync::atomic::Ordering::SeqCst);
            });
        });
        dispatch(&app);
        assert_eq!(inbox(&app, &writer).len(), changes / 2, "the writer hears of each follow-up");
        // Each new ticket: a, b, c. Each follow-up: writer, a, b, c.
        let expected = (changes / 2) as i64 * 3 + (changes / 2) as i64 * 4;
        assert_eq!(totals(&app), (expected, 0));
        let (jobs, distinct) = notification_jobs(&app);
        assert_eq!((jobs, distinct), (expected, expected), "one email each");
        assert_eq!(cursor(&app), max_history(&app));
    }

    fn two_worker_pools_share_the_dispatcher_without_duplicates(app) {
        let (writer, customer) = team(&app);
        let options = WorkerOptions {
            workers: 2,
            poll_interval: StdDuration::from_millis(20),
            ..WorkerOptions::default()
        };
        let pools = [
            WorkerPool::start(app.services.clone(), vakt_service::jobs::registry(), WorkerOptions { process: "one".into(), ..options.clone() }).unwrap(),
            WorkerPool::start(app.services.clone(), vakt_service::jobs::registry(), WorkerOptions { process: "two".into(), ..options }).unwrap(),
        ];
        for n in 0..5 {
            let ticket = app.create_ticket(&writer, &format!("P{n}"), "kari@example.org");
            let id = ticket["id"].as_i64().unwrap();
            let r = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&customer), &json!({"kind": "reply", "body": "again"}));
            assert_eq!(r.status, 201, "{}", r.text());
        }
        let expected = 5 * 3 + 5 * 4;
        let started = Instant::now();
        while totals(&app).0 < expected && started.elapsed() < StdDuration::from_secs(60) {
            // The schedule runs the dispatcher every 2 s of the (fixed) test clock.
            app.clock.advance(Duration::seconds(3));
            std::thread::sleep(StdDuration::from_millis(50));
        }
        for _ in 0..10 {
            app.clock.advance(Duration::seconds(3));
            std::thread::sleep(StdDuration::from_millis(30));
        }
        for pool in pools {
            pool.shutdown();
        }
        assert_eq!(totals(&app), (expected, 0));
        assert_eq!(notification_jobs(&app).1, expected);
        let runs = count(&app, "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'dispatch_notifications' AND status = 'running'");
        assert_eq!(runs, 0);
    }

    fn a_history_id_that_never_commits_is_passed_after_the_timeout(app) {
        let (writer, _) = team(&app);
        app.create_ticket(&writer, "Before", "kari@example.org");
        dispatch(&app);
        // A hole: an id that was taken and is gone (as after a deleted row).
        let now = to_db(app.clock.now_utc());
        let mut conn = app.pool().get().unwrap();
        let ticket_id = count(&app, "SELECT MAX(id) AS n FROM tickets");
        history::append(&mut conn, &[NewHistory { ticket_id, actor_id: None, kind: "title_changed".into(), old_value: None, new_value: None, article_id: None, created_at: now }]).unwrap();
        let hole = max_history(&app);
        conn.batch_execute(&format!("DELETE FROM history WHERE id = {hole}")).unwrap();
        drop(conn);
        app.create_ticket(&writer, "After", "kari@example.org");
        let waiting = dispatch(&app);
        assert!(waiting.waiting && waiting.in_app == 0, "{waiting:?}");
        assert_eq!(cursor(&app), hole - 1);
        app.clock.advance(Duration::seconds(30));
        assert!(dispatch(&app).waiting, "still within the wait");
        app.clock.advance(Duration::seconds(31));
        let passed = dispatch(&app);
        assert!(!passed.waiting && passed.in_app == 3, "{passed:?}");
        assert_eq!(cursor(&app), max_history(&app));
    }
}

/// On PostgreSQL a transaction can hold a lower history id while a higher one commits: the
/// dispatcher waits for it (late commit: nothing lost), and passes it as soon as every
/// transaction that could own it has ended (rollback: no long stall).
#[test]
fn postgres_late_commits_are_not_lost_and_rollbacks_are_passed_quickly() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let app = TestApp::start(db);
    let (writer, _) = team(&app);
    let ticket = app.create_ticket(&writer, "Race", "kari@example.org");
    let ticket_id = ticket["id"].as_i64().unwrap();
    // The later change goes to another ticket: the open transaction's foreign key locks this one.
    let other = app.create_ticket(&writer, "Elsewhere", "kari@example.org")["id"]
        .as_i64()
        .unwrap();
    dispatch(&app);
    for commit in [true, false] {
        let mut open = app.pool().get().unwrap();
        open.batch_execute("BEGIN").unwrap();
        let now = to_db(app.clock.now_utc());
        history::append(
            &mut open,
            &[NewHistory {
                ticket_id,
                actor_id: None,
                kind: "escalation_breach".into(),
                old_value: None,
                new_value: Some("solution".into()),
                article_id: None,
                created_at: now,
            }],
        )
        .unwrap();
        // A later change commits first.
        let r = app.post(
            &format!("/api/v1/tickets/{other}/articles"),
            Some(&writer),
            &json!({"kind": "note", "body": "@a@example.com look"}),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let before = cursor(&app);
        assert!(
            dispatch(&app).waiting,
            "the uncommitted id holds the cursor"
        );
        assert_eq!(cursor(&app), before);
        app.clock.advance(Duration::seconds(2));
        assert!(dispatch(&app).waiting, "its transaction is still open");
        open.batch_execute(if commit { "COMMIT" } else { "ROLLBACK" })
            .unwrap();
        drop(open);
        // No need to wait out VAKT_EVENT_GAP_SECONDS: once every transaction that was running
        // has ended (other tests share this PostgreSQL server, so allow a moment), it passes.
        let started = Instant::now();
        let mut report = dispatch(&app);
        while report.waiting && started.elapsed() < StdDuration::from_secs(10) {
            std::thread::sleep(StdDuration::from_millis(100));
            report = dispatch(&app);
        }
        assert!(!report.waiting, "{report:?}");
        assert_eq!(cursor(&app), max_history(&app));
        let breaches = count(
            &app,
            "SELECT COUNT(*) AS n FROM notifications WHERE event = 'escalation_breach'",
        );
        // Committed: a, b, c and the writer (queue members; the ticket is unowned).
        assert_eq!(breaches, 4, "commit={commit}");
    }
    let mentions = count(
        &app,
        "SELECT COUNT(*) AS n FROM notifications WHERE event = 'mentioned'",
    );
    assert_eq!(mentions, 2, "the later change was not lost either time");
    assert_eq!(totals(&app).1, 0);
}

mod mail_reaches_smtp {
    #[test]
    fn sqlite() {
        super::mail_reaches_smtp(crate::support::TestDb::sqlite());
    }
    #[test]
    fn postgres() {
        if let Some(db) = crate::support::TestDb::postgres() {
            super::mail_reaches_smtp(db);
        }
    }
}

fn mail_reaches_smtp(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let mut smtp = SmtpConfig::new("127.0.0.1", port);
    smtp.tls = TlsMode::None;
    smtp.timeout = StdDuration::from_secs(5);
    let mut config = ServiceConfig::default();
    config.mail.transport = Some(TransportConfig::Smtp(smtp));
    config.mail.domain = "vakt.example.com".into();
    config.mail.default_sender = "helpdesk@example.com".into();
    config.notifications.public_url = "https://help.example.com/".into();
    let app = TestApp::start_with(db, config, HttpConfig::default());
    let (_, writer) = app.agent_with_rights("writer@example.com", &["rw"]);
    let (_, dirk) = app.agent_with_rights("dirk@example.com", &["ro"]);
    let set = app.patch("/api/v1/me", Some(&dirk), &json!({"language": "de"}));
    assert_eq!(set.status, 200, "{}", set.text());
    let ticket = app.create_ticket(&writer, "Drucker brennt", "kari@example.org");
    let number = ticket["number"].as_str().unwrap().to_owned();
    assert_eq!(dispatch(&app).emails, 1);
    let pool = WorkerPool::start(
        app.services.clone(),
        vakt_service::jobs::registry(),
        WorkerOptions {
            workers: 1,
            poll_interval: StdDuration::from_millis(50),
            ..WorkerOptions::default()
        },
    )
    .unwrap();
    let mail = sink.wait_for(1);
    pool.shutdown();
    assert_eq!(mail.len(), 1, "one notification mail");
    let raw = &mail[0];
    assert_eq!(
        header(raw, "X-Sink-Rcpt-To").as_deref(),
        Some("<dirk@example.com>")
    );
    assert_eq!(
        header(raw, "Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    assert_eq!(
        header(raw, "X-Loop").as_deref(),
        Some("helpdesk@example.com")
    );
    assert_eq!(
        header(raw, "X-Vakt-Notification").as_deref(),
        Some("ticket_created")
    );
    let subject = header(raw, "Subject").unwrap();
    assert!(
        subject.contains(&format!("Ticket#{number}")),
        "tagged: {subject}"
    );
    let message_id = header(raw, "Message-ID").unwrap();
    assert!(message_id.ends_with("@vakt.example.com>"), "{message_id}");
    let parsed = vakt_mail::parse(raw.as_bytes());
    assert!(
        parsed
            .subject
            .as_deref()
            .unwrap_or_default()
            .contains("Drucker brennt")
    );
    assert!(
        parsed
            .text
            .contains(&format!("https://help.example.com/agent/tickets/{number}")),
        "{raw}"
    );
    assert!(
        parsed.text.contains("Hallo dirk@example.com"),
        "German: {}",
        parsed.text
    );
    assert!(parsed.text.contains("„Drucker brennt“"), "{}", parsed.text);
}
