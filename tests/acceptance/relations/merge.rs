//! Merging: everything moves to the target, the source is `merged` and its number, id and mail
//! threading lead to the target; rights on both tickets.

use serde_json::json;

use super::*;
use crate::mail_support::{articles, deliver_ok, gateway_token, message, ticket};
use crate::support::text;

both_backends! {
    fn a_merged_ticket_moves_everything_and_late_mail_lands_in_the_target(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (bob_id, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let gateway = gateway_token(&app);
        let first = deliver_ok(&app, &gateway, &message("Kari <kari@example.org>", "support@example.com",
            "Printer on fire", "m1@example.org", "", "It burns."));
        let second = deliver_ok(&app, &gateway, &message("Kari <kari@example.org>", "support@example.com",
            "Printer still on fire", "m2@example.org", "", "Still burning."));
        let source = first["ticket_id"].as_i64().unwrap();
        let target = second["ticket_id"].as_i64().unwrap();
        let old_number = text(&first, "ticket_number");
        let note = app.post(&format!("/api/v1/tickets/{source}/articles"), Some(&ann),
            &json!({"kind": "note", "body": "Called the customer", "time_accounted_minutes": 15}));
        assert_eq!(note.status, 201, "{}", note.text());
        assert_eq!(app.post(&format!("/api/v1/tickets/{source}/watchers"), Some(&bob), &json!({})).status, 200);
        let other = app.create_ticket(&ann, "Toner", "kari@example.org");
        assert_eq!(link(&app, &ann, &json!({"id": source}), "refers_to", &other).status, 201);

        let merged = app.post(&format!("/api/v1/tickets/{source}/merge"), Some(&ann), &json!({"target": second["ticket_number"]}));
        assert_eq!(merged.status, 200, "{}", merged.text());
        let body = merged.json();
        assert_eq!(body["id"], target);
        assert_eq!(body["article_count"], 3);
        assert_eq!(body["time_accounted_minutes"], 15);

        let old = ticket(&app, source);
        assert_eq!(old["state"]["state_type"], "merged");
        assert_eq!(old["merged_into"]["id"], target);
        assert_eq!(old["merged_into"]["number"], second["ticket_number"]);
        assert!(articles(&app, source).is_empty());
        let moved = articles(&app, target);
        assert_eq!(moved.len(), 3);
        let ids: Vec<i64> = moved.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "in time order");
        assert!(moved.iter().any(|a| a["body"].as_str().unwrap().contains("It burns.")));
        let t = ticket(&app, target);
        assert!(t["watchers"].as_array().unwrap().iter().any(|w| w["id"] == bob_id), "{t}");
        let links = links_of(&app, &ann, &json!({"id": target}));
        assert_eq!(links.len(), 1);
        assert_eq!(links[0]["ticket"]["id"], other["id"]);
        // The target's history shows the source's, in time order.
        let h = history(&app, target);
        assert!(has_history(&h, "merged_from", &old_number));
        assert!(h.iter().any(|e| e["ticket_id"] == source && e["kind"] == "created"));
        assert!(has_history(&history(&app, source), "merged_into", second["ticket_number"].as_str().unwrap()));
        let _ = ann_id;

        // A late reply to the old number lands in the target.
        let late = deliver_ok(&app, &gateway, &message("kari@example.org", "support@example.com",
            &format!("Re: [Ticket#{old_number}] Printer on fire"), "m3@example.org", "", "Any news?"));
        assert_eq!(late["outcome"], "appended", "{late}");
        assert_eq!(late["ticket_id"], target);
        // So does one that only names the old Message-ID.
        let threaded = deliver_ok(&app, &gateway, &message("kari@example.org", "support@example.com",
            "Re: Printer on fire", "m4@example.org", "In-Reply-To: <m1@example.org>\r\n", "Hello?"));
        assert_eq!(threaded["ticket_id"], target, "{threaded}");
        // And an article written to the old id through the API.
        let api = app.post(&format!("/api/v1/tickets/{old_number}/articles"), Some(&ann), &json!({"kind": "note", "body": "late note"}));
        assert_eq!(api.status, 201, "{}", api.text());
        assert_eq!(api.json()["ticket"]["id"], target);
        assert_eq!(articles(&app, target).len(), 6);

        // A merged ticket cannot be merged again, nor a ticket into itself.
        let again = app.post(&format!("/api/v1/tickets/{source}/merge"), Some(&ann), &json!({"target": other["number"]}));
        assert_eq!(again.status, 409, "{}", again.text());
        assert_eq!(again.json()["code"], "ticket_merged");
        let itself = app.post(&format!("/api/v1/tickets/{target}/merge"), Some(&ann), &json!({"target": target.to_string()}));
        assert_eq!(itself.status, 422, "{}", itself.text());
    }

    fn merging_needs_rw_on_both_tickets_and_learns_nothing_of_hidden_ones(app) {
        let (secret, secret_group) = secret_queue(&app, "Secret");
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (reader_id, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let (peer_id, peer) = app.agent_with_rights("peer@example.com", &["rw"]);
        app.grant(secret_group, peer_id, &["ro"]);
        let admin = app.admin_token();
        let (_, kari) = app.create_customer("kari@example.org");
        let a = app.create_ticket(&ann, "A", "kari@example.org");
        let b = app.create_ticket(&ann, "B", "kari@example.org");
        let hidden = ticket_in(&app, &admin, secret, "Hidden", "ceo@example.org");

        let merge = |token: &str, from: &serde_json::Value, to: &serde_json::Value| {
            app.post(&format!("/api/v1/tickets/{}/merge", from["id"]), Some(token), &json!({"target": to["number"]}))
        };
        assert_eq!(merge(&reader, &a, &b).status, 403, "ro is not enough");
        let _ = reader_id;
        let into_hidden = merge(&ann, &a, &hidden);
        let into_nothing = app.post(&format!("/api/v1/tickets/{}/merge", a["id"]), Some(&ann), &json!({"target": "99999999"}));
        assert_eq!(into_hidden.status, 422);
        assert_eq!(into_hidden.json()["errors"], into_nothing.json()["errors"]);
        assert_eq!(merge(&ann, &hidden, &a).status, 404);
        // Seeing the target is not enough: it needs rw there too.
        let refused = merge(&peer, &a, &hidden);
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert_eq!(ticket(&app, a["id"].as_i64().unwrap())["state"]["state_type"], "new", "nothing changed");
        assert_eq!(articles(&app, hidden["id"].as_i64().unwrap()).len(), 1);
        // A customer cannot merge their own tickets.
        assert_eq!(merge(&kari, &a, &b).status, 403);
    }
}
