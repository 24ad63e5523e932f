//! The knowledge base: categories, articles, versions, attachments, votes, search by audience,
//! and who may do what.

mod articles;
mod permissions;
mod portal;
mod search;

use serde_json::{Value, json};

use crate::support::{TestApp, USERS_GROUP};

/// Creates a category owned by `group` as the administrator.
pub fn category(app: &TestApp, name: &str, group: i64) -> i64 {
    let admin = app.admin_token();
    let response = app.post(
        "/api/v1/kb/categories",
        Some(&admin),
        &json!({"name": name, "group_id": group}),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["id"].as_i64().unwrap()
}

/// Creates a group as the administrator.
pub fn group(app: &TestApp, name: &str) -> i64 {
    let admin = app.admin_token();
    let response = app.post("/api/v1/groups", Some(&admin), &json!({"name": name}));
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["id"].as_i64().unwrap()
}

/// Writes an article as `token` and returns it.
pub fn article(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/api/v1/kb/articles", Some(token), &body);
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}

/// A category in the seeded `users` group and an editor (`rw` there).
pub fn editor(app: &TestApp) -> (i64, String) {
    let category = category(app, "Printing", USERS_GROUP);
    let (_, token) = app.agent_with_rights("editor@example.com", &["rw"]);
    (category, token)
}
