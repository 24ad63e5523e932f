//! Unread flags per agent: the zoom's newest article marks a ticket read, a new article makes it
//! unread, lists filter and count by it, `/me` counts, and agents mark tickets by hand.

use serde_json::json;

use crate::support::GENERAL_QUEUE;

both_backends! {
    fn reading_the_newest_article_marks_a_ticket_read_until_the_next_one(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let t = app.create_ticket(&ann, "Unread me", "kari@example.org");
        let other = app.create_ticket(&ann, "Other", "kari@example.org");
        let id = t["id"].as_i64().unwrap();
        let list = |token: &str, filter: &str| -> Vec<i64> {
            let r = app.get(&format!("/api/v1/tickets?queue_id={GENERAL_QUEUE}{filter}"), Some(token));
            assert_eq!(r.status, 200, "{}", r.text());
            r.json()["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
        };
        assert_eq!(list(&bob, "&unread=true").len(), 2);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], true);

        // Bob opens the ticket: its articles up to the newest.
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}/articles"), Some(&bob)).status, 200);
        assert_eq!(list(&bob, "&unread=true"), vec![other["id"].as_i64().unwrap()]);
        assert_eq!(list(&bob, "&unread=false"), vec![id]);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], false);
        assert_eq!(list(&ann, "&unread=true").len(), 2, "flags are per agent");
        let count = app.get(&format!("/api/v1/tickets/count?queue_id={GENERAL_QUEUE}&unread=true"), Some(&bob));
        assert_eq!(count.status, 200, "{}", count.text());
        assert_eq!(count.json()["count"], 1);

        // A page that does not reach the newest article does not.
        let note = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&ann), &json!({"kind": "note", "body": "news"}));
        assert_eq!(note.status, 201);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], true, "a new article");
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}/articles?limit=1"), Some(&bob)).status, 200);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], true);

        assert_eq!(app.post(&format!("/api/v1/tickets/{id}/read"), Some(&bob), &json!({})).status, 204);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], false);
        assert_eq!(app.post(&format!("/api/v1/tickets/{id}/unread"), Some(&bob), &json!({})).status, 204);
        assert_eq!(app.get(&format!("/api/v1/tickets/{id}"), Some(&bob)).json()["unread"], true);

        // /me counts: owned, watched, all.
        assert_eq!(app.post(&format!("/api/v1/tickets/{id}/take"), Some(&bob), &json!({})).status, 200);
        assert_eq!(app.post(&format!("/api/v1/tickets/{}/watchers", other["id"]), Some(&bob), &json!({})).status, 200);
        let me = app.get("/api/v1/me", Some(&bob)).json();
        assert_eq!(me["email"], "bob@example.com");
        assert_eq!(me["unread"]["owned"], 1, "{me}");
        assert_eq!(me["unread"]["watched"], 1, "{me}");
        assert_eq!(me["unread"]["all"], 2, "{me}");
        assert_eq!(me["unread"]["capped"], false);
        let _ = ann_id;
    }

    fn unread_flags_are_for_agents_who_can_see_the_ticket(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, nobody) = app.create_agent("nobody@example.com", false);
        let (_, kari) = app.create_customer("kari@example.org");
        let t = app.create_ticket(&ann, "T", "kari@example.org");
        let id = t["id"].as_i64().unwrap();
        assert_eq!(app.post(&format!("/api/v1/tickets/{id}/read"), Some(&nobody), &json!({})).status, 404);
        assert_eq!(app.post(&format!("/api/v1/tickets/{id}/read"), Some(&kari), &json!({})).status, 403);
        assert_eq!(app.get("/api/v1/tickets?unread=true", Some(&kari)).status, 403);
        let mine = app.get(&format!("/api/v1/tickets/{id}"), Some(&kari)).json();
        assert!(mine.get("unread").is_none(), "{mine}");
        assert!(app.get("/api/v1/me", Some(&kari)).json().get("unread").is_none());
        assert_eq!(app.get("/api/v1/tickets?unread=true", Some(&nobody)).json()["items"].as_array().unwrap().len(), 0);
    }
}
