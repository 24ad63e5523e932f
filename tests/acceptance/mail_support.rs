//! Helpers of the mail tests: a gateway token, delivering raw messages, building messages.

use serde_json::{Value, json};

use crate::support::{Response, TestApp, text};

/// A `mail_gateway` token of the administrator.
pub fn gateway_token(app: &TestApp) -> String {
    let admin = app.admin_token();
    let created = app.post(
        "/api/v1/me/tokens",
        Some(&admin),
        &json!({"name": "mx", "scope": "mail_gateway"}),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    text(&created.json(), "secret")
}

/// Posts a raw message to the gateway (`query` like `?queue=General`).
pub fn deliver(app: &TestApp, token: &str, raw: &[u8], query: &str) -> Response {
    let bearer = format!("Bearer {token}");
    app.request(
        "POST",
        &format!("/api/v1/mail/inbound{query}"),
        &[
            ("authorization", &bearer),
            ("content-type", "message/rfc822"),
        ],
        Some(raw),
    )
}

/// Delivers and expects 200; returns the JSON answer.
#[track_caller]
pub fn deliver_ok(app: &TestApp, token: &str, raw: &[u8]) -> Value {
    let response = deliver(app, token, raw, "");
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// A plain message.
pub fn message(
    from: &str,
    to: &str,
    subject: &str,
    message_id: &str,
    extra: &str,
    body: &str,
) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Tue, 24 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The articles of a ticket as the administrator sees them.
pub fn articles(app: &TestApp, ticket: i64) -> Vec<Value> {
    let admin = app.admin_token();
    let response = app.get(
        &format!("/api/v1/tickets/{ticket}/articles?limit=200"),
        Some(&admin),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A ticket as the administrator sees it.
pub fn ticket(app: &TestApp, id: i64) -> Value {
    let admin = app.admin_token();
    let response = app.get(&format!("/api/v1/tickets/{id}"), Some(&admin));
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// Saves queue mail settings as the administrator.
pub fn set_queue_settings(app: &TestApp, queue: i64, settings: &Value) {
    let admin = app.admin_token();
    let bearer = format!("Bearer {admin}");
    let response = app.request(
        "PUT",
        &format!("/api/v1/queues/{queue}/mail-settings"),
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        Some(settings.to_string().as_bytes()),
    );
    assert_eq!(response.status, 200, "{}", response.text());
}

/// Makes every new ticket fail in the database (a trigger), or stops doing so.
pub fn inject_failure(app: &TestApp, on: bool) {
    use diesel::connection::SimpleConnection as _;
    let mut conn = app.pool().get().unwrap();
    let sql = match (app.pool().backend(), on) {
        (vakt_persistence::Backend::Sqlite, true) => {
            "CREATE TRIGGER vakt_test_fail BEFORE INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'failure injected by the test'); END;"
        }
        (vakt_persistence::Backend::Sqlite, false) => "DROP TRIGGER vakt_test_fail;",
        (vakt_persistence::Backend::Postgres, true) => {
            "CREATE FUNCTION vakt_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'failure injected by the test'; END $$ LANGUAGE plpgsql; \
            CREATE TRIGGER vakt_test_fail BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION vakt_test_fail();"
        }
        (vakt_persistence::Backend::Postgres, false) => {
            "DROP TRIGGER vakt_test_fail ON tickets; DROP FUNCTION vakt_test_fail();"
        }
    };
    conn.batch_execute(sql).unwrap();
}

/// The `send_mail` jobs, from the job API.
pub fn send_jobs(app: &TestApp) -> Vec<Value> {
    let admin = app.admin_token();
    app.get("/api/v1/jobs?kind=send_mail&limit=200", Some(&admin))
        .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}
