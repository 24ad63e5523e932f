//! Email against real servers: replies reach an SMTP server (aiosmtpd) threaded correctly and
//! the customer's answer threads back; SMTP down → the mail waits in the outbox and goes out
//! when the server is back; permanent refusals are visible on the article; automatic answers
//! carry the loop headers and their echo is not a ticket; IMAP (dovecot) mail becomes tickets
//! and leaves the server only after its ticket committed.

use std::time::{Duration as StdDuration, Instant};

use serde_json::{Value, json};
use vakt_http::HttpConfig;
use vakt_mail::{SmtpConfig, TlsMode, TransportConfig};
use vakt_service::ServiceConfig;
use vakt_service::jobs::{WorkerOptions, WorkerPool};

use crate::mail_servers::{Dovecot, PASSWORD, SmtpSink, USER, free_port, header};
use crate::mail_support::*;
use crate::support::{GENERAL_QUEUE, TestApp, TestDb, text};

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::support::TestDb::sqlite());
            }
            #[test]
            fn postgres() {
                if let Some(db) = $crate::support::TestDb::postgres() {
                    super::$name(db);
                }
            }
        }
    )*};
}

on_both!(
    a_reply_reaches_smtp_threaded_and_the_answer_threads_back,
    smtp_down_keeps_the_mail_in_the_outbox_until_it_is_back,
    automatic_answers_carry_loop_headers_and_their_echo_is_ignored,
    imap_mail_leaves_the_server_only_after_its_ticket_committed,
    pop3_mail_leaves_the_server_only_after_its_ticket_committed,
);

fn app_with_smtp(db: TestDb, port: u16) -> TestApp {
    let mut smtp = SmtpConfig::new("127.0.0.1", port);
    smtp.tls = TlsMode::None;
    smtp.timeout = StdDuration::from_secs(5);
    let mut config = ServiceConfig::default();
    config.mail.transport = Some(TransportConfig::Smtp(smtp));
    config.mail.domain = "vakt.example.com".into();
    TestApp::start_with(db, config, HttpConfig::default())
}

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

/// Waits until the article's delivery satisfies `done`; returns the article.
fn wait_delivery(app: &TestApp, ticket: i64, article: i64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + StdDuration::from_secs(20);
    loop {
        let found = articles(app, ticket)
            .into_iter()
            .find(|a| a["id"] == article)
            .unwrap();
        if done(&found["delivery"]) || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(StdDuration::from_millis(50));
    }
}

fn reply(app: &TestApp, ticket: i64, body: &Value) -> i64 {
    let admin = app.admin_token();
    let r = app.post(
        &format!("/api/v1/tickets/{ticket}/articles"),
        Some(&admin),
        body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let json = r.json();
    json["article"]["id"]
        .as_i64()
        .or_else(|| json["id"].as_i64())
        .unwrap()
}

fn set_queue_address(app: &TestApp) {
    let admin = app.admin_token();
    let r = app.patch(
        &format!("/api/v1/queues/{GENERAL_QUEUE}"),
        Some(&admin),
        &json!({"email_address": "support@example.com"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

fn a_reply_reaches_smtp_threaded_and_the_answer_threads_back(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = app_with_smtp(db, port);
    set_queue_address(&app);
    set_queue_settings(
        &app,
        GENERAL_QUEUE,
        &json!({"sender_name": "UiO IT", "salutation": "Dear {{customer_name}},", "signature": "Your IT team ({{ticket_number}})"}),
    );
    let token = gateway_token(&app);
    let first = deliver_ok(
        &app,
        &token,
        &message(
            "Kari Nordmann <kari@example.org>",
            "support@example.com",
            "Printer",
            "c1@example.org",
            "",
            "It is broken.",
        ),
    );
    let id = first["ticket_id"].as_i64().unwrap();
    let number = text(&first, "ticket_number");
    let article = reply(
        &app,
        id,
        &json!({"kind": "reply", "body": "Turn it off and on again."}),
    );
    let pool = workers(&app);
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1, "the reply reached the SMTP server");
    let raw = &sent[0];
    assert!(
        header(raw, "From").unwrap().contains("support@example.com"),
        "{raw}"
    );
    assert!(header(raw, "From").unwrap().contains("UiO IT"), "{raw}");
    assert!(
        header(raw, "To").unwrap().contains("kari@example.org"),
        "{raw}"
    );
    assert_eq!(
        header(raw, "In-Reply-To").as_deref(),
        Some("<c1@example.org>"),
        "{raw}"
    );
    assert!(
        header(raw, "References")
            .unwrap()
            .contains("<c1@example.org>"),
        "{raw}"
    );
    assert_eq!(
        header(raw, "Subject").unwrap(),
        format!("Re: [Ticket#{number}] Printer")
    );
    assert_eq!(header(raw, "X-Loop").as_deref(), Some("helpdesk@localhost"));
    assert!(
        header(raw, "Auto-Submitted").is_none(),
        "a person's reply is not automatic"
    );
    assert!(
        raw.contains("Dear Kari Nordmann,")
            && raw.contains("Turn it off and on again.")
            && raw.contains(&format!("Your IT team ({number})")),
        "{raw}"
    );
    let ours = header(raw, "Message-ID").unwrap();
    assert!(ours.ends_with("@vakt.example.com>"), "{ours}");
    let stored = wait_delivery(&app, id, article, |d| d["status"] == "sent");
    assert_eq!(stored["delivery"]["status"], "sent");
    assert_eq!(format!("<{}>", text(&stored, "message_id")), ours);

    // The customer answers our reply without the tag: it threads by In-Reply-To.
    let answer = message(
        "kari@example.org",
        "support@example.com",
        "Re: Printer",
        "c2@example.org",
        &format!("In-Reply-To: {ours}\r\nReferences: <c1@example.org> {ours}\r\n"),
        "Works now.",
    );
    let appended = deliver_ok(&app, &token, &answer);
    assert_eq!(appended["outcome"], "appended");
    assert_eq!(appended["ticket_id"], id);
    pool.shutdown();
}

fn smtp_down_keeps_the_mail_in_the_outbox_until_it_is_back(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let app = app_with_smtp(db, port);
    let token = gateway_token(&app);
    let first = deliver_ok(
        &app,
        &token,
        &message(
            "kari@example.org",
            "support@example.com",
            "Down",
            "d1@example.org",
            "",
            "x",
        ),
    );
    let id = first["ticket_id"].as_i64().unwrap();
    let article = reply(
        &app,
        id,
        &json!({"kind": "reply", "body": "Answer while SMTP is down."}),
    );
    let rejected = reply(
        &app,
        id,
        &json!({"kind": "reply", "body": "To a bad address.", "to": "reject-me@example.org"}),
    );
    let pool = workers(&app);
    let waiting = wait_delivery(&app, id, article, |d| {
        d["attempts"].as_i64().unwrap_or(0) >= 1
    });
    assert_eq!(
        waiting["delivery"]["status"], "queued",
        "a down server is temporary: {waiting}"
    );
    assert!(
        waiting["delivery"]["last_error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{waiting}"
    );
    let jobs = send_jobs(&app);
    assert!(
        jobs.iter()
            .any(|j| j["status"] == "queued" && j["attempts"] == 1 && j["last_error"].is_string()),
        "retried with backoff: {jobs:?}"
    );

    let sink = SmtpSink::start_on(port);
    app.clock.advance(chrono::Duration::minutes(10));
    pool.wake();
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1, "the mail went out once the server was back");
    assert!(sent[0].contains("Answer while SMTP is down."));
    let done = wait_delivery(&app, id, article, |d| d["status"] == "sent");
    assert_eq!(done["delivery"]["status"], "sent");
    assert_eq!(done["delivery"]["attempts"], 2);
    let failed = wait_delivery(&app, id, rejected, |d| d["status"] == "failed");
    assert_eq!(
        failed["delivery"]["status"], "failed",
        "550 is permanent: {failed}"
    );
    assert!(
        failed["delivery"]["last_error"]
            .as_str()
            .unwrap()
            .contains("550"),
        "{failed}"
    );
    pool.shutdown();
}

fn automatic_answers_carry_loop_headers_and_their_echo_is_ignored(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = app_with_smtp(db, port);
    set_queue_address(&app);
    set_queue_settings(
        &app,
        GENERAL_QUEUE,
        &json!({"auto_reply_enabled": true, "auto_reply_subject": "Received: {{subject}}"}),
    );
    let token = gateway_token(&app);
    let first = deliver_ok(
        &app,
        &token,
        &message(
            "kari@example.org",
            "support@example.com",
            "Help",
            "a1@example.org",
            "",
            "x",
        ),
    );
    let pool = workers(&app);
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1);
    let raw = &sent[0];
    assert_eq!(
        header(raw, "Auto-Submitted").as_deref(),
        Some("auto-replied")
    );
    assert_eq!(header(raw, "X-Loop").as_deref(), Some("helpdesk@localhost"));
    assert_eq!(
        header(raw, "In-Reply-To").as_deref(),
        Some("<a1@example.org>")
    );
    assert!(header(raw, "Subject").unwrap().contains(&format!(
        "[Ticket#{}] Received: Help",
        text(&first, "ticket_number")
    )));
    // The customer's mail server bounces our answer straight back to the queue address.
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let echo = format!(
        "X-Sink-Ignored: 1\r\n{}",
        raw.replacen("X-Sink-", "X-Old-Sink-", 2)
    );
    let again = deliver_ok(&app, &token, echo.as_bytes());
    assert_eq!(
        again["outcome"], "ignored",
        "our own mail coming back ({body:.40}…)"
    );
    pool.shutdown();
}

fn imap_mail_leaves_the_server_only_after_its_ticket_committed(db: TestDb) {
    mail_leaves_the_server_only_after_its_ticket_committed(db, "imap");
}

fn pop3_mail_leaves_the_server_only_after_its_ticket_committed(db: TestDb) {
    mail_leaves_the_server_only_after_its_ticket_committed(db, "pop3");
}

/// A polled account (`protocol` imap or pop3) on a real dovecot: a failing database keeps the
/// mail on the server and in quarantine; the next poll makes the tickets, then deletes it.
fn mail_leaves_the_server_only_after_its_ticket_committed(db: TestDb, protocol: &str) {
    let Some(dovecot) = Dovecot::start() else {
        return;
    };
    let port = if protocol == "pop3" {
        dovecot.pop3
    } else {
        dovecot.imap
    };
    let app = TestApp::start(db);
    let admin = app.admin_token();
    let created = app.post(
        "/api/v1/mail-accounts",
        Some(&admin),
        &json!({
        "name": "Support", "protocol": protocol, "host": "127.0.0.1", "port": port,
        "tls": "none", "username": USER, "password": PASSWORD, "queue_id": GENERAL_QUEUE}),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    let account = created.json();
    assert!(
        account.get("password").is_none(),
        "the password is write-only"
    );
    let account_id = account["id"].as_i64().unwrap();
    dovecot.deliver(
        "one",
        &message(
            "kari@example.org",
            "support@example.com",
            &format!("From {protocol}"),
            "i1@example.org",
            "",
            "Fetched.",
        ),
    );
    dovecot.deliver(
        "two",
        &message(
            "ola@example.org",
            "support@example.com",
            &format!("Also {protocol}"),
            "i2@example.org",
            "",
            "Fetched too.",
        ),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // The database refuses new tickets: both messages are kept, on the server and in quarantine.
    inject_failure(&app, true);
    assert_eq!(
        app.services
            .poll_mail_account(&runtime, account_id)
            .unwrap(),
        0
    );
    assert_eq!(
        dovecot.stored(),
        2,
        "nothing is deleted before its ticket committed"
    );
    let quarantined = app
        .get("/api/v1/mail/messages?status=quarantined", Some(&admin))
        .json();
    assert_eq!(quarantined["items"].as_array().unwrap().len(), 2);
    assert!(
        quarantined["items"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("failure injected"),
        "{quarantined}"
    );
    assert_eq!(quarantined["items"][0]["source"], "account");

    // The database is back: the next poll makes the tickets, then removes the messages.
    inject_failure(&app, false);
    assert_eq!(
        app.services
            .poll_mail_account(&runtime, account_id)
            .unwrap(),
        2
    );
    assert_eq!(dovecot.stored(), 0, "deleted after commit");
    let processed = app
        .get("/api/v1/mail/messages?status=processed", Some(&admin))
        .json();
    let items = processed["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        2,
        "the same two messages, no duplicates: {processed}"
    );
    for item in items {
        assert_eq!(item["outcome"], "created");
        let t = ticket(&app, item["ticket_id"].as_i64().unwrap());
        assert!(t["title"].as_str().unwrap().contains(protocol), "{t}");
    }
    assert!(
        app.get("/api/v1/mail/messages?status=quarantined", Some(&admin))
            .json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let polled = app
        .get(&format!("/api/v1/mail-accounts/{account_id}"), Some(&admin))
        .json();
    assert!(
        polled["last_error"].is_null() && polled["last_poll_at"].is_string(),
        "{polled}"
    );
}
