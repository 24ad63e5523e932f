//! Splitting: an article (and optionally the later ones) starts a new ticket linked to the
//! original, with the queue, customer and title the agent chose.

use serde_json::json;

use super::*;
use crate::mail_support::{articles, ticket};

both_backends! {
    fn an_article_and_the_later_ones_start_a_linked_ticket(app) {
        let (secret, secret_group) = secret_queue(&app, "Hardware");
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        app.grant(secret_group, ann_id, &["rw"]);
        let original = app.create_ticket(&ann, "Two problems", "kari@example.org");
        let id = original["id"].as_i64().unwrap();
        let second = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&ann),
            &json!({"kind": "note", "body": "Also the printer", "subject": "Printer", "time_accounted_minutes": 5}));
        assert_eq!(second.status, 201);
        let second_id = second.json()["article"]["id"].as_i64().unwrap();
        let third = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&ann), &json!({"kind": "note", "body": "Printer still jams"}));
        assert_eq!(third.status, 201);

        let split = app.post(&format!("/api/v1/tickets/{id}/articles/{second_id}/split"), Some(&ann),
            &json!({"title": "Printer jams", "queue_id": secret, "customer_email": "ola@example.org", "include_following": true}));
        assert_eq!(split.status, 201, "{}", split.text());
        let new = split.json();
        assert_eq!(new["title"], "Printer jams");
        assert_eq!(new["queue"]["id"], secret);
        assert_eq!(new["customer"]["email"], "ola@example.org");
        assert_eq!(new["article_count"], 2);
        assert_eq!(new["time_accounted_minutes"], 5);
        let new_id = new["id"].as_i64().unwrap();
        let moved = articles(&app, new_id);
        assert_eq!(moved.len(), 2);
        assert_eq!(moved[0]["id"], second_id);
        assert_eq!(articles(&app, id).len(), 1);
        assert_eq!(ticket(&app, id)["article_count"], 1);
        let links = links_of(&app, &ann, &original);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0]["kind"], "parent_of");
        assert_eq!(links[0]["ticket"]["id"], new_id);
        assert!(has_history(&history(&app, id), "split_off", new["number"].as_str().unwrap()));
        assert!(has_history(&history(&app, new_id), "split_from", original["number"].as_str().unwrap()));

        // Only one article: it stays, and so does the ticket.
        let only = moved[0]["id"].as_i64().unwrap();
        let just_one = app.post(&format!("/api/v1/tickets/{new_id}/articles/{only}/split"), Some(&ann), &json!({}));
        assert_eq!(just_one.status, 201, "{}", just_one.text());
        assert_eq!(just_one.json()["title"], "Printer", "the article's subject by default");
        let last = articles(&app, new_id)[0]["id"].as_i64().unwrap();
        let nothing_left = app.post(&format!("/api/v1/tickets/{new_id}/articles/{last}/split"), Some(&ann), &json!({}));
        assert_eq!(nothing_left.status, 422, "{}", nothing_left.text());
    }

    fn splitting_needs_rw_and_create_in_the_new_queue(app) {
        let (secret, _) = secret_queue(&app, "Hardware");
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let (_, nobody) = app.create_agent("nobody@example.com", false);
        let t = app.create_ticket(&ann, "T", "kari@example.org");
        let id = t["id"].as_i64().unwrap();
        let note = app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&ann), &json!({"kind": "note", "body": "n"}));
        let article = note.json()["article"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{id}/articles/{article}/split");
        assert_eq!(app.post(&path, Some(&reader), &json!({})).status, 403);
        assert_eq!(app.post(&path, Some(&nobody), &json!({})).status, 404);
        assert_eq!(app.post(&path, Some(&ann), &json!({"queue_id": secret})).status, 403, "no create right there");
        let other = app.create_ticket(&ann, "Other", "kari@example.org");
        let foreign = format!("/api/v1/tickets/{}/articles/{article}/split", other["id"]);
        assert_eq!(app.post(&foreign, Some(&ann), &json!({})).status, 404, "the article is not on that ticket");
        assert_eq!(articles(&app, id).len(), 2, "nothing moved");
    }
}
