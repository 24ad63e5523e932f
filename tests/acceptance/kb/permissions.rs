//! Who may do what in the knowledge base: every endpoint refuses those without the right and
//! tells them nothing.

use serde_json::json;

use super::{article, category, group};

both_backends! {
    fn only_editors_write_and_readers_of_the_group_see_the_past(app) {
        let support = group(&app, "support");
        let cat = category(&app, "Shared", support);
        let (reader_id, reader) = app.create_agent("reader@example.com", false);
        app.grant(support, reader_id, &["ro"]);
        let (editor_id, editor) = app.create_agent("editor@example.com", false);
        app.grant(support, editor_id, &["rw"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        let (_, kunde) = app.create_customer("kunde@example.org");
        let public = article(&app, &editor, json!({"category_id": cat, "title": "Public", "language": "en", "visibility": "public", "state": "published"}));
        let internal = article(&app, &editor, json!({"category_id": cat, "title": "Internal", "language": "en", "visibility": "internal", "state": "published"}));
        let (p, i) = (public["id"].as_i64().unwrap(), internal["id"].as_i64().unwrap());
        assert_eq!(app.get(&format!("/api/v1/kb/articles/{i}"), Some(&reader)).json()["editable"], false);

        // Writing: agents with rw only.
        let new = json!({"category_id": cat, "title": "x", "language": "en"});
        app.post("/api/v1/kb/articles", Some(&reader), &new).assert_problem(403, "forbidden");
        app.post("/api/v1/kb/articles", Some(&outsider), &new).assert_problem(403, "forbidden");
        app.post("/api/v1/kb/articles", Some(&kunde), &new).assert_problem(403, "forbidden");
        app.post("/api/v1/kb/articles", None, &new).assert_problem(401, "unauthorized");
        app.post("/api/v1/kb/articles", Some(&reader), &json!({"translation_of": i, "title": "x", "language": "nb"})).assert_problem(403, "forbidden");
        let doc = app.post("/api/v1/kb/articles", Some(&outsider), &json!({"translation_of": i, "title": "x", "language": "nb"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["translation_of"][0], "not_found", "an unseen article is not named");
        for (token, status) in [(&reader, 403), (&outsider, 403), (&kunde, 403)] {
            let response = app.patch(&format!("/api/v1/kb/articles/{p}"), Some(token), &json!({"title": "mine"}));
            assert_eq!(response.status, status, "{}", response.text());
            let response = app.delete(&format!("/api/v1/kb/articles/{p}"), Some(token));
            assert_eq!(response.status, status);
            let response = app.post(&format!("/api/v1/kb/articles/{p}/versions/1/restore"), Some(token), &json!({}));
            assert_eq!(response.status, status);
            let response = app.post(&format!("/api/v1/kb/articles/{p}/attachments"), Some(token), &json!({"attachments": []}));
            assert_eq!(response.status, status);
        }
        // An internal article outside one's groups does not exist for them.
        app.patch(&format!("/api/v1/kb/articles/{i}"), Some(&outsider), &json!({"title": "mine"})).assert_problem(404, "not_found");
        app.delete(&format!("/api/v1/kb/articles/{i}"), Some(&outsider)).assert_problem(404, "not_found");
        app.post(&format!("/api/v1/kb/articles/{i}/versions/1/restore"), Some(&outsider), &json!({})).assert_problem(404, "not_found");
        app.post(&format!("/api/v1/kb/articles/{i}/vote"), Some(&outsider), &json!({"helpful": true})).assert_problem(404, "not_found");
        app.post(&format!("/api/v1/kb/articles/{i}/vote"), None, &json!({"helpful": true})).assert_problem(404, "not_found");
        app.get(&format!("/api/v1/kb/articles/{i}/attachments"), Some(&kunde)).assert_problem(404, "not_found");
        // Moving an article into a category one cannot write in.
        let elsewhere = category(&app, "Elsewhere", 1);
        app.patch(&format!("/api/v1/kb/articles/{p}"), Some(&editor), &json!({"category_id": elsewhere})).assert_problem(403, "forbidden");

        // Versions and history: agents who read the group.
        for path in [format!("/api/v1/kb/articles/{i}/versions"), format!("/api/v1/kb/articles/{i}/versions/1"), format!("/api/v1/kb/articles/{i}/history")] {
            assert_eq!(app.get(&path, Some(&reader)).status, 200, "{path}");
            app.get(&path, Some(&outsider)).assert_problem(404, "not_found");
            app.get(&path, Some(&kunde)).assert_problem(403, "forbidden");
            app.get(&path, None).assert_problem(401, "unauthorized");
        }
        for path in [format!("/api/v1/kb/articles/{p}/versions"), format!("/api/v1/kb/articles/{p}/history")] {
            app.get(&path, Some(&outsider)).assert_problem(403, "forbidden");
        }

        // Categories: administrators manage them.
        for token in [&editor, &kunde] {
            app.post("/api/v1/kb/categories", Some(token), &json!({"name": "x", "group_id": 1})).assert_problem(403, "forbidden");
            app.patch(&format!("/api/v1/kb/categories/{cat}"), Some(token), &json!({"name": "x"})).assert_problem(403, "forbidden");
            app.delete(&format!("/api/v1/kb/categories/{cat}"), Some(token)).assert_problem(403, "forbidden");
        }
        app.post("/api/v1/kb/categories", None, &json!({"name": "x", "group_id": 1})).assert_problem(401, "unauthorized");
        // A bad credential is 401, never anonymous.
        app.get("/api/v1/kb/articles", Some("not-a-token")).assert_problem(401, "invalid_token");
        // Nothing changed.
        assert_eq!(app.get(&format!("/api/v1/kb/articles/{p}"), Some(&editor)).json()["title"], "Public");
    }
}
