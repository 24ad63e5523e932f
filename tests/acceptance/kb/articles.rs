//! Articles: writing, reading, translations, versions and restore, history, files and votes.

use serde_json::json;

use super::{article, category, editor};
use crate::support::text;

both_backends! {
    fn an_article_is_written_published_changed_and_restored_with_its_history(app) {
        let (category, editor) = editor(&app);
        let draft = article(&app, &editor, json!({
            "category_id": category, "title": "Paper jam on floor 3", "language": "en",
            "body_html": "<p>Open the <b>side door</b>.<script>alert(1)</script></p>",
            "keywords": [" Printer ", "printer", "Paper jam"], "visibility": "public"
        }));
        let id = draft["id"].as_i64().unwrap();
        assert_eq!(draft["state"], "draft");
        assert_eq!(draft["version"], 0);
        assert_eq!(draft["entry_id"], id);
        assert_eq!(draft["slug"], "paper-jam-on-floor-3");
        assert_eq!(text(&draft, "url"), format!("/kb/paper-jam-on-floor-3-{id}"));
        assert_eq!(draft["keywords"], json!(["printer", "paper jam"]));
        assert!(!text(&draft, "body_html").contains("script"), "{draft}");
        assert!(text(&draft, "body_text").contains("side door"));
        assert_eq!(draft["created_by"]["email"], "editor@example.com");
        assert_eq!(draft["editable"], true);

        // Anonymous readers do not see drafts.
        app.get(&format!("/api/v1/kb/articles/{id}"), None).assert_problem(404, "not_found");

        let published = app.patch(&format!("/api/v1/kb/articles/{id}"), Some(&editor), &json!({"state": "published"}));
        assert_eq!(published.status, 200, "{}", published.text());
        assert_eq!(published.json()["version"], 1);
        assert!(published.json()["published_at"].is_string());
        let changed = app.patch(&format!("/api/v1/kb/articles/{id}"), Some(&editor), &json!({"body_text": "Pull the paper out."}));
        assert_eq!(changed.json()["version"], 2);
        assert_eq!(changed.json()["body_html"], "<p>Pull the paper out.</p>");
        // Moving nothing changes nothing.
        let same = app.patch(&format!("/api/v1/kb/articles/{id}"), Some(&editor), &json!({"body_text": "Pull the paper out."}));
        assert_eq!(same.json()["version"], 2);

        let versions = app.get(&format!("/api/v1/kb/articles/{id}/versions"), Some(&editor)).json();
        let numbers: Vec<i64> = versions["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
        assert_eq!(numbers, vec![2, 1]);
        let first = app.get(&format!("/api/v1/kb/articles/{id}/versions/1"), Some(&editor)).json();
        assert!(text(&first, "body_text").contains("side door"));
        app.get(&format!("/api/v1/kb/articles/{id}/versions/9"), Some(&editor)).assert_problem(404, "not_found");

        let restored = app.post(&format!("/api/v1/kb/articles/{id}/versions/1/restore"), Some(&editor), &json!({}));
        assert_eq!(restored.status, 200, "{}", restored.text());
        assert_eq!(restored.json()["version"], 3);
        assert!(text(&restored.json(), "body_text").contains("side door"));

        let history = app.get(&format!("/api/v1/kb/articles/{id}/history"), Some(&editor)).json();
        let actions: Vec<String> = history["items"].as_array().unwrap().iter().map(|h| text(h, "action")).collect();
        assert_eq!(actions, vec!["created", "published", "updated", "published", "restored"]);
        assert_eq!(history["items"][2]["detail"]["fields"], json!(["body"]));
        assert_eq!(history["items"][4]["detail"], json!({"from_version": 1, "version": 3}));
        assert_eq!(history["items"][0]["actor"]["email"], "editor@example.com");

        let archived = app.patch(&format!("/api/v1/kb/articles/{id}"), Some(&editor), &json!({"state": "archived"}));
        assert_eq!(archived.json()["state"], "archived");
        app.get(&format!("/api/v1/kb/articles/{id}"), None).assert_problem(404, "not_found");
    }

    fn translations_are_linked_as_one_entry_and_views_and_votes_are_counted(app) {
        let (category, editor) = editor(&app);
        let en = article(&app, &editor, json!({"category_id": category, "title": "Reset your password", "language": "en",
            "body_text": "Use the link.", "visibility": "public", "state": "published"}));
        let en_id = en["id"].as_i64().unwrap();
        let nb = article(&app, &editor, json!({"translation_of": en_id, "title": "Tilbakestill passordet", "language": "nb",
            "body_text": "Bruk lenken.", "visibility": "public", "state": "published"}));
        assert_eq!(nb["entry_id"], en_id);
        assert_eq!(nb["category"]["id"], category);
        let doc = app.post("/api/v1/kb/articles", Some(&editor), &json!({"translation_of": en_id, "title": "Again", "language": "nb"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["language"][0], "taken", "{doc}");
        let doc = app.post("/api/v1/kb/articles", Some(&editor), &json!({"category_id": category, "title": "x", "language": "sv"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["language"][0], "unsupported_language");
        app.patch(&format!("/api/v1/kb/articles/{en_id}"), Some(&editor), &json!({"language": "de"})).assert_problem(422, "validation_failed");

        let read = app.get(&format!("/api/v1/kb/articles/{en_id}"), None).json();
        assert_eq!(read["translations"], json!([{"id": nb["id"], "language": "nb", "title": "Tilbakestill passordet", "slug": "tilbakestill-passordet"}]));
        assert!(read["created_by"].is_null(), "anonymous readers do not learn who wrote it");
        assert_eq!(read["view_count"], 1);
        assert_eq!(app.get(&format!("/api/v1/kb/articles/{en_id}"), None).json()["view_count"], 2);
        let entry = app.get(&format!("/api/v1/kb/articles?entry_id={en_id}"), None).json();
        assert_eq!(entry["items"].as_array().unwrap().len(), 2);
        let nb_only = app.get(&format!("/api/v1/kb/articles?entry_id={en_id}&language=nb"), None).json();
        assert_eq!(nb_only["items"][0]["language"], "nb");

        let (_, kunde) = app.create_customer("kunde@example.org");
        let vote = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), Some(&kunde), &json!({"helpful": true})).json();
        assert_eq!(vote, json!({"helpful": 1, "not_helpful": 0, "mine": true}));
        let again = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), Some(&kunde), &json!({"helpful": true})).json();
        assert_eq!(again["helpful"], 1, "one vote per user");
        let changed = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), Some(&kunde), &json!({"helpful": false})).json();
        assert_eq!((changed["helpful"].as_i64(), changed["not_helpful"].as_i64()), (Some(0), Some(1)));
        let anonymous = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), None, &json!({"helpful": true})).json();
        assert_eq!(anonymous, json!({"helpful": 1, "not_helpful": 1}));
        // Anonymous readers have one vote per address (the test client's loopback address here).
        let again = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), None, &json!({"helpful": true})).json();
        assert_eq!(again, json!({"helpful": 1, "not_helpful": 1}), "the same address votes once");
        let changed = app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), None, &json!({"helpful": false})).json();
        assert_eq!(changed, json!({"helpful": 0, "not_helpful": 2}), "voting again changes the vote");
        let other = app.services.vote_kb_article(None, en_id, true, Some("198.51.100.7")).unwrap();
        assert_eq!((other.helpful, other.not_helpful), (1, 2), "another address is another reader");
        let read = app.get(&format!("/api/v1/kb/articles/{en_id}"), None).json();
        assert_eq!(read["votes"], json!({"helpful": 1, "not_helpful": 2}));
        app.post(&format!("/api/v1/kb/articles/{en_id}/vote"), None, &json!({"helpful": "yes"})).assert_problem(422, "validation_failed");
    }

    fn files_are_added_downloaded_and_removed(app) {
        let (category, editor) = editor(&app);
        let a = article(&app, &editor, json!({"category_id": category, "title": "Driver", "language": "en",
            "body_text": "Install the driver.", "visibility": "customer", "state": "published"}));
        let id = a["id"].as_i64().unwrap();
        let added = app.post(&format!("/api/v1/kb/articles/{id}/attachments"), Some(&editor),
            &json!({"attachments": [{"filename": "../driver.txt", "content_type": "text/plain", "content_base64": "aGVsbG8="}]}));
        assert_eq!(added.status, 201, "{}", added.text());
        let file = &added.json()["items"][0];
        assert_eq!(file["filename"], "driver.txt");
        assert_eq!(file["size"], 5);
        let file_id = file["id"].as_i64().unwrap();
        let (_, kunde) = app.create_customer("kunde@example.org");
        let listed = app.get(&format!("/api/v1/kb/articles/{id}/attachments"), Some(&kunde)).json();
        assert_eq!(listed["items"][0]["id"], file_id);
        let download = app.get(&format!("/api/v1/kb/articles/{id}/attachments/{file_id}"), Some(&kunde));
        assert_eq!(download.status, 200);
        assert_eq!(download.body, b"hello");
        assert_eq!(download.header("x-content-type-options"), Some("nosniff"));
        // Customer-visible: anonymous callers learn nothing.
        app.get(&format!("/api/v1/kb/articles/{id}/attachments/{file_id}"), None).assert_problem(404, "not_found");
        app.get(&format!("/api/v1/kb/articles/{id}/attachments"), None).assert_problem(404, "not_found");
        app.delete(&format!("/api/v1/kb/articles/{id}/attachments/{file_id}"), Some(&kunde)).assert_problem(403, "forbidden");
        assert_eq!(app.delete(&format!("/api/v1/kb/articles/{id}/attachments/{file_id}"), Some(&editor)).status, 204);
        app.get(&format!("/api/v1/kb/articles/{id}/attachments/{file_id}"), Some(&editor)).assert_problem(404, "not_found");
        let history = app.get(&format!("/api/v1/kb/articles/{id}/history"), Some(&editor)).json();
        let actions: Vec<String> = history["items"].as_array().unwrap().iter().map(|h| text(h, "action")).collect();
        assert_eq!(actions, vec!["created", "published", "attachment_added", "attachment_removed"]);
        let bad = app.post(&format!("/api/v1/kb/articles/{id}/attachments"), Some(&editor),
            &json!({"attachments": [{"filename": "x", "content_base64": "!!"}]})).assert_problem(422, "validation_failed");
        assert_eq!(bad["error_codes"]["attachments[0].content_base64"][0], "invalid_base64");
    }

    fn categories_form_a_tree_that_admins_manage(app) {
        let admin = app.admin_token();
        let top = category(&app, "Hardware", 1);
        let child = app.post("/api/v1/kb/categories", Some(&admin), &json!({"name": "Printers", "group_id": 1, "parent_id": top})).json();
        let child_id = child["id"].as_i64().unwrap();
        assert_eq!(child["depth"], 1);
        let other = category(&app, "Accounts", 1);
        let listed = app.get("/api/v1/kb/categories", Some(&admin)).json();
        let names: Vec<String> = listed["items"].as_array().unwrap().iter().map(|c| text(c, "name")).collect();
        assert_eq!(names, vec!["Accounts", "Hardware", "Printers"]);
        assert_eq!(listed["items"][0]["group"]["id"], 1);
        let doc = app.patch(&format!("/api/v1/kb/categories/{top}"), Some(&admin), &json!({"parent_id": child_id}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["parent_id"][0], "cycle");
        let doc = app.post("/api/v1/kb/categories", Some(&admin), &json!({"name": " ", "group_id": 999}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required", "{doc}");
        let doc = app.post("/api/v1/kb/categories", Some(&admin), &json!({"name": "x", "group_id": 999}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["group_id"][0], "not_found");
        let moved = app.patch(&format!("/api/v1/kb/categories/{child_id}"), Some(&admin), &json!({"parent_id": null, "name": "Printing"}));
        assert_eq!(moved.status, 200, "{}", moved.text());
        assert_eq!(moved.json()["depth"], 0);
        app.delete(&format!("/api/v1/kb/categories/{top}"), Some(&admin));
        app.get(&format!("/api/v1/kb/categories/{top}"), Some(&admin)).assert_problem(404, "not_found");
        let (_, editor) = app.agent_with_rights("editor@example.com", &["rw"]);
        article(&app, &editor, json!({"category_id": other, "title": "Password", "language": "en"}));
        app.delete(&format!("/api/v1/kb/categories/{other}"), Some(&admin)).assert_problem(409, "category_in_use");
        let audit = app.get("/api/v1/audit-log?entity=kb_category", Some(&admin)).json();
        assert!(audit["items"].as_array().unwrap().len() >= 5, "{audit}");
    }
}
