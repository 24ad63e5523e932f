//! Ticket relations and mass work (issue 14): links, merge, split, master/slave, bulk changes
//! and unread flags, with their permissions.

mod bulk;
mod links;
mod master;
mod merge;
mod split;
mod unread;

use serde_json::{Value, json};

use crate::support::TestApp;

/// Closed-successful in the seeded states.
pub const CLOSED: i64 = 4;

/// A queue in a new group; returns (queue id, group id).
pub fn secret_queue(app: &TestApp, name: &str) -> (i64, i64) {
    crate::notifications::queue_in_new_group(app, name)
}

/// Creates a ticket in `queue` as `token`.
pub fn ticket_in(app: &TestApp, token: &str, queue: i64, title: &str, customer: &str) -> Value {
    let r = app.post(
        "/api/v1/tickets",
        Some(token),
        &json!({"title": title, "queue_id": queue, "customer_email": customer,
                "article": {"body": format!("Body of {title}")}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

/// Links `from` to `to` (`kind` as seen from `from`); returns the response.
pub fn link(
    app: &TestApp,
    token: &str,
    from: &Value,
    kind: &str,
    to: &Value,
) -> crate::support::Response {
    app.post(
        &format!("/api/v1/tickets/{}/links", from["id"]),
        Some(token),
        &json!({"kind": kind, "ticket": to["number"]}),
    )
}

/// The links of a ticket as `token` sees them.
pub fn links_of(app: &TestApp, token: &str, ticket: &Value) -> Vec<Value> {
    let r = app.get(
        &format!("/api/v1/tickets/{}/links", ticket["id"]),
        Some(token),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

/// The history kinds and values of a ticket.
pub fn history(app: &TestApp, ticket: i64) -> Vec<Value> {
    let admin = app.admin_token();
    let r = app.get(
        &format!("/api/v1/tickets/{ticket}/history?limit=200"),
        Some(&admin),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

/// Whether the history has an entry of `kind` whose old or new value contains `text`.
pub fn has_history(entries: &[Value], kind: &str, text: &str) -> bool {
    entries.iter().any(|h| {
        h["kind"] == kind
            && (h["new_value"].as_str().unwrap_or_default().contains(text)
                || h["old_value"].as_str().unwrap_or_default().contains(text))
    })
}
