//! Articles, attachments and what customers see.

use serde_json::{Value, json};
use vakt_http::HttpConfig;
use vakt_service::ServiceConfig;

use crate::support::{TestApp, TestDb, text};

fn id(ticket: &Value) -> i64 {
    ticket["id"].as_i64().unwrap()
}

/// A multipart body with a JSON part and file parts.
fn multipart(part: &str, json: &Value, files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "vakt-test-boundary-7f3a";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{part}\"\r\nContent-Type: application/json\r\n\r\n{json}\r\n").as_bytes());
    for (name, content_type, data) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(
    app: &TestApp,
    path: &str,
    token: &str,
    part: &str,
    json: &Value,
    files: &[(&str, &str, &[u8])],
) -> crate::support::Response {
    let (content_type, body) = multipart(part, json, files);
    let bearer = format!("Bearer {token}");
    app.request(
        "POST",
        path,
        &[("authorization", &bearer), ("content-type", &content_type)],
        Some(&body),
    )
}

both_backends! {
    fn replies_and_notes_need_their_rights(app) {
        let (_, writer) = app.agent_with_rights("writer@example.com", &["rw"]);
        let (_, noter) = app.agent_with_rights("noter@example.com", &["note"]);
        let (_, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let ticket = app.create_ticket(&writer, "Talk", "kunde@example.org");
        let path = format!("/api/v1/tickets/{}/articles", id(&ticket));
        let reply = app.post(&path, Some(&writer), &json!({"kind": "reply", "body": "We are on it.", "time_accounted_minutes": 7}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        let created = reply.json();
        assert_eq!(created["article"]["customer_visible"], true);
        assert_eq!(created["article"]["channel"], "email");
        assert_eq!(created["article"]["to"], "kunde@example.org");
        assert_eq!(created["article"]["subject"], "Re: Talk");
        assert_eq!(created["ticket"]["article_count"], 2);
        assert_eq!(created["ticket"]["time_accounted_minutes"], 7);
        assert_eq!(reply.header("etag"), Some("\"2\""));
        let note = app.post(&path, Some(&noter), &json!({"kind": "note", "body": "Internal: customer is VIP."}));
        assert_eq!(note.status, 201, "{}", note.text());
        assert_eq!(note.json()["article"]["customer_visible"], false);
        assert_eq!(note.json()["article"]["channel"], "note");
        app.post(&path, Some(&noter), &json!({"kind": "reply", "body": "x"})).assert_problem(403, "forbidden");
        app.post(&path, Some(&reader), &json!({"kind": "note", "body": "x"})).assert_problem(403, "forbidden");
        let doc = app.post(&path, Some(&writer), &json!({"body": "no kind"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["kind"][0], "required");
        // A reply can move the state in the same step; a stale If-Match is refused.
        let moved = app.send_json_with("POST", &path, &writer, &[("if-match", "\"3\"")], &json!({"kind": "reply", "body": "Done.", "state_id": 4}));
        assert_eq!(moved.status, 201, "{}", moved.text());
        assert_eq!(moved.json()["ticket"]["state"]["state_type"], "closed");
        app.send_json_with("POST", &path, &writer, &[("if-match", "\"3\"")], &json!({"kind": "note", "body": "late"}))
            .assert_problem(412, "precondition_failed");
        let list = app.get(&path, Some(&reader)).json();
        assert_eq!(list["items"].as_array().unwrap().len(), 4, "agents see internal notes");
    }

    fn customers_see_only_what_is_theirs_to_see(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (kunde_id, kunde) = app.create_customer("kunde@example.org");
        let ticket = app.create_ticket(&agent, "Portal", "kunde@example.org");
        let path = format!("/api/v1/tickets/{}", id(&ticket));
        app.post(&format!("{path}/articles"), Some(&agent), &json!({"kind": "note", "body": "SECRET internal note", "time_accounted_minutes": 3}));
        app.post(&format!("{path}/articles"), Some(&agent), &json!({"kind": "reply", "body": "Please restart it."}));

        let seen = app.get(&path, Some(&kunde));
        assert_eq!(seen.status, 200, "{}", seen.text());
        let seen = seen.json();
        assert_eq!(seen["customer"]["id"], kunde_id);
        assert!(seen.get("time_accounted_minutes").is_none(), "{seen}");
        assert!(seen["responsible"].is_null());
        let articles = app.get(&format!("{path}/articles"), Some(&kunde)).json();
        let bodies: Vec<String> = articles["items"].as_array().unwrap().iter().map(|a| text(a, "body")).collect();
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert!(!articles.to_string().contains("SECRET"), "no internal note leaks");
        assert!(articles["items"][0].get("time_accounted_minutes").is_none());

        // The customer answers; a closed ticket reopens.
        app.patch(&path, Some(&agent), &json!({"state_id": 4}));
        let answer = app.post(&format!("{path}/articles"), Some(&kunde), &json!({"kind": "reply", "body": "Still broken."}));
        assert_eq!(answer.status, 201, "{}", answer.text());
        let answer = answer.json();
        assert_eq!(answer["article"]["sender_type"], "customer");
        assert_eq!(answer["article"]["channel"], "web");
        assert_eq!(answer["ticket"]["state"]["state_type"], "open", "a follow-up reopens");
        assert!(answer["ticket"]["closed_at"].is_null());

        app.post(&format!("{path}/articles"), Some(&kunde), &json!({"kind": "note", "body": "x"})).assert_problem(403, "forbidden");
        app.patch(&path, Some(&kunde), &json!({"title": "mine now"})).assert_problem(403, "forbidden");
        app.get(&format!("{path}/history"), Some(&kunde)).assert_problem(403, "forbidden");
        app.post(&format!("{path}/take"), Some(&kunde), &json!({})).assert_problem(403, "forbidden");

        // Another customer sees nothing of it.
        let (_, other) = app.create_customer("other@example.org");
        app.get(&path, Some(&other)).assert_problem(404, "not_found");
        app.get(&format!("{path}/articles"), Some(&other)).assert_problem(404, "not_found");
        app.post(&format!("{path}/articles"), Some(&other), &json!({"kind": "reply", "body": "x"})).assert_problem(404, "not_found");
        assert_eq!(app.get("/api/v1/tickets", Some(&other)).json()["items"], json!([]));
        assert_eq!(app.get("/api/v1/tickets", Some(&kunde)).json()["items"].as_array().unwrap().len(), 1);
    }

    fn customers_open_tickets_in_customer_queues_only(app) {
        let (kunde_id, kunde) = app.create_customer("kunde@example.org");
        let created = app.post("/api/v1/tickets", Some(&kunde), &json!({"title": "Help", "queue_id": 1, "article": {"body": "My laptop"}}));
        assert_eq!(created.status, 201, "{}", created.text());
        let ticket = created.json();
        assert_eq!(ticket["customer"]["id"], kunde_id);
        let first = app.get(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&kunde)).json();
        assert_eq!(first["items"][0]["sender_type"], "customer");
        assert_eq!(first["items"][0]["channel"], "web");
        app.post("/api/v1/tickets", Some(&kunde), &json!({"title": "x", "queue_id": 1, "priority_id": 5, "article": {"body": "b"}}))
            .assert_problem(403, "forbidden");
        app.post("/api/v1/tickets", Some(&kunde), &json!({"title": "x", "queue_id": 1, "customer_email": "else@example.org", "article": {"body": "b"}}))
            .assert_problem(403, "forbidden");
        let admin = app.admin_token();
        let closed = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Internal IT", "group_id": 1}));
        assert_eq!(closed.status, 201, "{}", closed.text());
        let doc = app.post("/api/v1/tickets", Some(&kunde), &json!({"title": "x", "queue_id": closed.json()["id"], "article": {"body": "b"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["queue_id"][0], "not_found");
    }

    fn attachments_upload_download_and_deduplicate(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (_, kunde) = app.create_customer("kunde@example.org");
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRfake";
        let created = upload(&app, "/api/v1/tickets", &agent, "ticket",
            &json!({"title": "With files", "queue_id": 1, "customer_email": "kunde@example.org", "article": {"body": "see attached"}}),
            &[("../../etc/report.html", "text/html", b"<script>alert(1)</script>"), ("screen.png", "image/png", png)]);
        assert_eq!(created.status, 201, "{}", created.text());
        let ticket = created.json();
        let articles = app.get(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&kunde)).json();
        let article = &articles["items"][0];
        let files = article["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["filename"], "report.html", "paths are stripped");
        assert_eq!(files[1]["size"], png.len());
        let url = |f: &Value| format!("/api/v1/tickets/{}/articles/{}/attachments/{}", id(&ticket), article["id"], f["id"]);

        let html = app.get(&url(&files[0]), Some(&kunde));
        assert_eq!(html.status, 200);
        assert_eq!(html.body, b"<script>alert(1)</script>");
        assert!(html.header("content-disposition").unwrap().starts_with("attachment"), "{:?}", html.headers);
        assert_eq!(html.header("content-type"), Some("application/octet-stream"), "HTML is never served as HTML");
        assert_eq!(html.header("x-content-type-options"), Some("nosniff"));
        assert!(html.header("content-security-policy").unwrap().contains("sandbox"));
        let image = app.get(&url(&files[1]), Some(&kunde));
        assert!(image.header("content-disposition").unwrap().starts_with("inline"));
        assert_eq!(image.header("content-type"), Some("image/png"));
        assert_eq!(image.body, png);

        // The same content on another article is stored once.
        let before = vakt_persistence::repo::articles::blob_count(&mut app.pool().get().unwrap()).unwrap();
        let again = upload(&app, &format!("/api/v1/tickets/{}/articles", id(&ticket)), &agent, "article",
            &json!({"kind": "note", "body": "same screenshot"}), &[("copy.png", "image/png", png)]);
        assert_eq!(again.status, 201, "{}", again.text());
        let after = vakt_persistence::repo::articles::blob_count(&mut app.pool().get().unwrap()).unwrap();
        assert_eq!(before, after, "deduplicated by SHA-256");
        let note = again.json();
        let note_file = format!("/api/v1/tickets/{}/articles/{}/attachments/{}", id(&ticket), note["article"]["id"], note["article"]["attachments"][0]["id"]);
        assert_eq!(app.get(&note_file, Some(&agent)).status, 200);
        app.get(&note_file, Some(&kunde)).assert_problem(404, "not_found");
        // An attachment id under the wrong article is not found.
        let wrong = format!("/api/v1/tickets/{}/articles/{}/attachments/{}", id(&ticket), article["id"], note["article"]["attachments"][0]["id"]);
        app.get(&wrong, Some(&agent)).assert_problem(404, "not_found");

        // Base64 attachments in JSON.
        let b64 = app.post(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&agent),
            &json!({"kind": "note", "body": "log", "attachments": [{"filename": "log.txt", "content_type": "text/plain", "content_base64": "aGVsbG8="}]}));
        assert_eq!(b64.status, 201, "{}", b64.text());
        assert_eq!(b64.json()["article"]["attachments"][0]["size"], 5);
        let doc = app.post(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&agent),
            &json!({"kind": "note", "body": "log", "attachments": [{"filename": "x", "content_base64": "not base64!"}]}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["attachments[0].content_base64"][0], "invalid_base64");
        let doc = upload(&app, &format!("/api/v1/tickets/{}/articles", id(&ticket)), &agent, "wrong", &json!({}), &[])
            .assert_problem(422, "validation_failed");
        assert!(doc["errors"]["wrong"].is_array(), "{doc}");
    }

    fn html_bodies_are_sanitised(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let ticket = app.create_ticket(&agent, "HTML", "kunde@example.org");
        let created = app.post(&format!("/api/v1/tickets/{}/articles", id(&ticket)), Some(&agent), &json!({
            "kind": "note",
            "body_html": "<p onclick=\"steal()\">Hello <b>there</b></p><script>alert(1)</script><img src=\"https://tracker.example/pixel.gif\"><iframe src=\"https://evil.example\"></iframe>"
        }));
        assert_eq!(created.status, 201, "{}", created.text());
        let article = &created.json()["article"];
        let html = text(article, "body_html");
        assert!(html.contains("<b>there</b>"), "{html}");
        for bad in ["<script", "onclick", "<iframe", " src=\"https://tracker"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("data-vakt-remote-src"), "remote images are kept but not loaded: {html}");
        let rendered = text(article, "body");
        assert!(rendered.contains("Hello") && rendered.contains("there") && !rendered.contains('<'), "a text rendering is made: {rendered}");
    }
}

#[test]
fn attachments_over_the_limit_are_413() {
    let http = HttpConfig {
        max_attachment_bytes: 1024,
        max_upload_bytes: 4096,
        ..HttpConfig::default()
    };
    let app = TestApp::start_with(
        TestDb::sqlite(),
        ServiceConfig {
            max_attachment_bytes: 1024,
            ..ServiceConfig::default()
        },
        http,
    );
    let admin = app.admin_token();
    let ticket = app.create_ticket(&admin, "Big", "kunde@example.org");
    let path = format!("/api/v1/tickets/{}/articles", id(&ticket));
    let big = vec![b'x'; 2000];
    let doc = upload(
        &app,
        &path,
        &admin,
        "article",
        &json!({"kind": "note", "body": "big"}),
        &[("big.bin", "application/octet-stream", &big)],
    )
    .assert_problem(413, "payload_too_large");
    assert!(doc["detail"].as_str().unwrap().contains("big.bin"), "{doc}");
    let many: Vec<(&str, &str, &[u8])> = (0..6)
        .map(|_| ("part.bin", "application/octet-stream", &big[..900]))
        .collect();
    upload(
        &app,
        &path,
        &admin,
        "article",
        &json!({"kind": "note", "body": "many"}),
        &many,
    )
    .assert_problem(413, "payload_too_large");
    let ok = upload(
        &app,
        &path,
        &admin,
        "article",
        &json!({"kind": "note", "body": "fits"}),
        &[("ok.bin", "application/octet-stream", &big[..1000])],
    );
    assert_eq!(ok.status, 201, "{}", ok.text());
    assert_eq!(
        app.get(&path, Some(&admin)).json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "nothing partial was stored"
    );
}
