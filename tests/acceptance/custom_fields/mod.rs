//! Custom fields (issue 15): definitions, values on tickets, customers and companies, filters
//! and sorts, and the mail channel.

mod cache;
mod channels;
mod definitions;
mod filters;
mod seed;
mod values;

use serde_json::{Value, json};

use crate::support::{GENERAL_QUEUE, TestApp};

/// Creates a field as the administrator; returns its JSON.
pub fn define(app: &TestApp, body: Value) -> Value {
    let admin = app.admin_token();
    let response = app.post("/api/v1/custom-fields", Some(&admin), &body);
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}

/// Creates a queue in the `users` group; returns its id.
pub fn queue(app: &TestApp, name: &str) -> i64 {
    let admin = app.admin_token();
    let response = app.post(
        "/api/v1/queues",
        Some(&admin),
        &json!({"name": name, "group_id": 1, "customer_open": true}),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["id"].as_i64().unwrap()
}

/// A dropdown "Product" with three options, for `queues` (all when empty).
pub fn product(app: &TestApp, queues: &[i64]) -> Value {
    define(
        app,
        json!({
            "object_type": "ticket", "key": "product", "field_type": "dropdown",
            "labels": {"en": "Product", "nb": "Produkt", "nl": "Product", "de": "Produkt"},
            "queue_ids": if queues.is_empty() { Value::Null } else { json!(queues) },
            "customer_visibility": "read_only",
            "options": [
                {"value": "laptop", "labels": {"en": "Laptop"}},
                {"value": "printer", "labels": {"en": "Printer"}},
                {"value": "phone", "labels": {"en": "Phone"}}
            ]
        }),
    )
}

/// Creates a ticket in `queue` with `fields` as `token`; returns the response.
pub fn ticket_with(
    app: &TestApp,
    token: &str,
    queue: i64,
    fields: Value,
) -> crate::support::Response {
    app.post(
        "/api/v1/tickets",
        Some(token),
        &json!({
            "title": "Printer trouble", "queue_id": queue,
            "customer_email": "ola@example.org",
            "article": {"body": "It jams."},
            "custom_fields": fields
        }),
    )
}

/// A ticket in General with `fields`, created by the administrator; returns its JSON.
pub fn general_ticket(app: &TestApp, fields: Value) -> Value {
    let admin = app.admin_token();
    let response = ticket_with(app, &admin, GENERAL_QUEUE, fields);
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}
