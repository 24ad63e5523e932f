//! "Forgot password": the mailed link reaches a real SMTP server (aiosmtpd) through the job
//! outbox, sets a new password once, ends the user's sessions, and is refused when used again,
//! superseded or expired (test clock). Unknown, inactive and password-less addresses get the
//! same answer and no mail; the answer takes about as long for known and unknown addresses;
//! requests are throttled per address.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use serde_json::json;
use vakt_http::HttpConfig;
use vakt_mail::{SmtpConfig, TlsMode, TransportConfig};
use vakt_service::jobs::{WorkerOptions, WorkerPool};
use vakt_service::{LockoutPolicy, ServiceConfig};

use crate::mail_servers::{SmtpSink, free_port, header};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, Response, TestApp, TestDb, text};

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
    a_mailed_link_sets_the_password_once_and_ends_the_sessions,
    newer_links_supersede_older_ones_and_links_expire,
    unknown_inactive_and_known_addresses_get_the_same_answer,
    known_and_unknown_addresses_take_about_as_long,
    requests_are_throttled_per_address,
);

const PUBLIC_URL: &str = "https://help.example.org";

fn config(smtp_port: Option<u16>) -> ServiceConfig {
    let mut config = ServiceConfig::default();
    if let Some(port) = smtp_port {
        let mut smtp = SmtpConfig::new("127.0.0.1", port);
        smtp.tls = TlsMode::None;
        smtp.timeout = StdDuration::from_secs(5);
        config.mail.transport = Some(TransportConfig::Smtp(smtp));
    }
    config.mail.domain = "vakt.example.com".into();
    config.notifications.public_url = format!("{PUBLIC_URL}/");
    config
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

fn request_reset(app: &TestApp, email: &str) -> Response {
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": email}),
    )
}

fn confirm(app: &TestApp, token: &str, password: &str) -> Response {
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "password": password}),
    )
}

fn sign_in(app: &TestApp, email: &str, password: &str) -> Response {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
}

/// The token of the reset link in a raw message (decoded), checking the link's base.
fn token_of(raw: &str) -> String {
    let parsed = vakt_mail::parse(raw.as_bytes());
    let prefix = format!("{PUBLIC_URL}/reset-password?token=");
    let start = parsed.text.find(&prefix).expect("a reset link") + prefix.len();
    parsed.text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn a_mailed_link_sets_the_password_once_and_ends_the_sessions(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = TestApp::start_with(db, config(Some(port)), HttpConfig::default());
    let _workers = workers(&app);
    let (_, customer_token) = app.create_customer("kari@example.org");
    let session = sign_in(&app, "kari@example.org", "customer-password-1").json();

    let r = request_reset(&app, "Kari@Example.org ");
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(r.json()["status"], "accepted");
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1);
    let raw = &sent[0];
    assert!(
        header(raw, "To").unwrap().contains("kari@example.org"),
        "{raw}"
    );
    assert_eq!(
        header(raw, "Subject").as_deref(),
        Some("Reset your password")
    );
    assert_eq!(
        header(raw, "Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    let token = token_of(raw);
    assert!(token.len() >= 40, "{token}");

    // The password policy applies; a refused password leaves the token usable.
    let short = confirm(&app, &token, "short").assert_problem(422, "validation_failed");
    assert_eq!(short["error_codes"]["password"][0], "too_short", "{short}");
    // A stored hash is not the token.
    confirm(
        &app,
        &vakt_service::crypto::token_hash(&token),
        "a new long passphrase",
    )
    .assert_problem(410, "reset_token_invalid");

    let r = confirm(&app, &token, "a new long passphrase");
    assert_eq!(r.status, 204, "{}", r.text());
    // Every session ended: access tokens and refresh tokens.
    app.get("/api/v1/me", Some(&customer_token))
        .assert_problem(401, "invalid_token");
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": text(&session, "refresh_token")}),
    )
    .assert_problem(401, "invalid_token");
    sign_in(&app, "kari@example.org", "customer-password-1")
        .assert_problem(401, "invalid_credentials");
    let fresh = sign_in(&app, "kari@example.org", "a new long passphrase");
    assert_eq!(fresh.status, 200, "{}", fresh.text());

    // The link works once.
    confirm(&app, &token, "yet another passphrase").assert_problem(410, "reset_token_used");
    let still = sign_in(&app, "kari@example.org", "a new long passphrase");
    assert_eq!(still.status, 200, "{}", still.text());
}

fn newer_links_supersede_older_ones_and_links_expire(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = TestApp::start_with(db, config(Some(port)), HttpConfig::default());
    let _workers = workers(&app);
    // Agents (here the administrator) reset their password the same way.
    assert_eq!(request_reset(&app, ADMIN_EMAIL).status, 202);
    let first = token_of(&sink.wait_for(1)[0]);
    app.clock.advance(Duration::minutes(5));
    assert_eq!(request_reset(&app, ADMIN_EMAIL).status, 202);
    let sent = sink.wait_for(2);
    assert_eq!(sent.len(), 2);
    let second = token_of(&sent[1]);
    assert_ne!(first, second);
    confirm(&app, &first, "a new long passphrase").assert_problem(410, "reset_token_used");

    // Valid for an hour (the default), not longer.
    app.clock.advance(Duration::minutes(61));
    confirm(&app, &second, "a new long passphrase").assert_problem(410, "reset_token_expired");
    let r = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "the old password still works: {}", r.text());

    // A link used within its hour works.
    assert_eq!(request_reset(&app, ADMIN_EMAIL).status, 202);
    let sent = sink.wait_for(3);
    assert_eq!(sent.len(), 3);
    app.clock.advance(Duration::minutes(59));
    let r = confirm(&app, &token_of(&sent[2]), "a new long passphrase");
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        sign_in(&app, ADMIN_EMAIL, "a new long passphrase").status,
        200
    );
}

fn unknown_inactive_and_known_addresses_get_the_same_answer(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = TestApp::start_with(db, config(Some(port)), HttpConfig::default());
    let admin = app.admin_token();
    let (inactive, _) = app.create_agent("gone@example.org", false);
    let r = app.patch(
        &format!("/api/v1/users/{inactive}"),
        Some(&admin),
        &json!({"active": false}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    app.create_customer("known@example.org");

    let unknown = request_reset(&app, "nobody@example.org");
    let deactivated = request_reset(&app, "gone@example.org");
    let known = request_reset(&app, "known@example.org");
    for r in [&unknown, &deactivated, &known] {
        assert_eq!(r.status, 202, "{}", r.text());
        assert_eq!(r.header("content-type"), known.header("content-type"));
    }
    assert_eq!(unknown.text(), known.text());
    assert_eq!(deactivated.text(), known.text());

    // Only the known address was mailed (the jobs run in order, the known one last).
    let _workers = workers(&app);
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1);
    assert!(
        header(&sent[0], "To")
            .unwrap()
            .contains("known@example.org"),
        "{}",
        sent[0]
    );
    // All three jobs finished: still only that one mail.
    let deadline = Instant::now() + StdDuration::from_secs(20);
    let done = loop {
        let r = app.get(
            "/api/v1/jobs?kind=send_password_reset&status=done",
            Some(&admin),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let done = r.json()["items"].as_array().unwrap().len();
        if done >= 3 || Instant::now() > deadline {
            break done;
        }
        std::thread::sleep(StdDuration::from_millis(50));
    };
    assert_eq!(done, 3, "every request ran its job");
    assert_eq!(sink.wait_for(1).len(), 1, "no mail for unknown or inactive");

    // Bad input is refused before anything happens.
    request_reset(&app, "").assert_problem(422, "validation_failed");
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "a@b.c", "extra": 1}),
    )
    .assert_problem(422, "validation_failed");
}

fn median(mut samples: Vec<StdDuration>) -> StdDuration {
    samples.sort();
    samples[samples.len() / 2]
}

fn known_and_unknown_addresses_take_about_as_long(db: TestDb) {
    // No transport: the mails wait in the outbox; throttling is out of the way.
    let mut config = config(None);
    config.lockout = LockoutPolicy {
        max_failures_per_account: 10_000,
        max_failures_per_address: 10_000,
        window: Duration::minutes(15),
    };
    let app = TestApp::start_with(db, config, HttpConfig::default());
    app.create_customer("timed@example.org");
    const N: usize = 41;
    let mut known = Vec::with_capacity(N);
    let mut unknown = Vec::with_capacity(N);
    // Interleaved, so that a slow moment of the machine hits both alike.
    let timed = |email: &str| {
        let started = Instant::now();
        let r = request_reset(&app, email);
        let took = started.elapsed();
        assert_eq!(r.status, 202, "{}", r.text());
        took
    };
    for i in 0..N {
        known.push(timed("timed@example.org"));
        unknown.push(timed(&format!("nobody{i}@example.org")));
    }
    let (known, unknown) = (median(known), median(unknown));
    eprintln!("password reset medians over {N}: known {known:?}, unknown {unknown:?}");
    let (fast, slow) = if known < unknown {
        (known, unknown)
    } else {
        (unknown, known)
    };
    assert!(
        slow.as_secs_f64() <= fast.as_secs_f64() * 3.0,
        "known {known:?} vs unknown {unknown:?}: more than a factor 3 apart"
    );
}

fn requests_are_throttled_per_address(db: TestDb) {
    let app = TestApp::start_with(db, config(None), HttpConfig::default());
    // The default policy: 5 per account (address typed) in 15 minutes.
    for _ in 0..5 {
        assert_eq!(request_reset(&app, "nobody@example.org").status, 202);
    }
    request_reset(&app, "NOBODY@example.org").assert_problem(429, "too_many_requests");
    let r = request_reset(&app, "nobody@example.org");
    let retry: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another address is not affected, nor is signing in.
    assert_eq!(request_reset(&app, ADMIN_EMAIL).status, 202);
    assert_eq!(sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).status, 200);
    // The window passes.
    app.clock.advance(Duration::minutes(16));
    assert_eq!(request_reset(&app, "nobody@example.org").status, 202);

    // Refused tokens count per client address (30 by default).
    for _ in 0..30 {
        confirm(&app, "not-a-token", "a new long passphrase")
            .assert_problem(410, "reset_token_invalid");
    }
    confirm(&app, "not-a-token", "a new long passphrase").assert_problem(429, "too_many_requests");
}
