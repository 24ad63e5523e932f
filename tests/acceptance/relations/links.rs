//! Links: stored once and read from both tickets, cycles refused, invisible tickets hidden,
//! history in both tickets, the queue rule on closing with open dependencies, permissions.

use serde_json::json;

use super::*;
use crate::support::GENERAL_QUEUE;

both_backends! {
    fn a_link_reads_both_ways_and_is_in_both_histories(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let a = app.create_ticket(&ann, "Mail server down", "kari@example.org");
        let b = app.create_ticket(&ann, "Disk full", "kari@example.org");
        let created = link(&app, &ann, &a, "depends_on", &b);
        assert_eq!(created.status, 201, "{}", created.text());
        let body = created.json();
        assert_eq!(body["kind"], "depends_on");
        assert_eq!(body["ticket"]["id"], b["id"]);
        assert_eq!(body["visible"], true);
        assert_eq!(link(&app, &ann, &a, "depends_on", &b).status, 200, "the same link again");
        // Asked from the other side it is the same link.
        assert_eq!(link(&app, &ann, &b, "depended_on_by", &a).status, 200);

        let from_a = links_of(&app, &ann, &a);
        assert_eq!(from_a.len(), 1);
        assert_eq!(from_a[0]["kind"], "depends_on");
        assert_eq!(from_a[0]["ticket"]["number"], b["number"]);
        assert_eq!(from_a[0]["ticket"]["title"], "Disk full");
        let from_b = links_of(&app, &ann, &b);
        assert_eq!(from_b.len(), 1);
        assert_eq!(from_b[0]["kind"], "depended_on_by");
        assert_eq!(from_b[0]["ticket"]["id"], a["id"]);
        assert_eq!(from_b[0]["id"], from_a[0]["id"], "stored once");

        let number_b = b["number"].as_str().unwrap();
        let number_a = a["number"].as_str().unwrap();
        assert!(has_history(&history(&app, a["id"].as_i64().unwrap()), "link_added", &format!("depends_on #{number_b}")));
        assert!(has_history(&history(&app, b["id"].as_i64().unwrap()), "link_added", &format!("depended_on_by #{number_a}")));

        let removed = app.delete(&format!("/api/v1/tickets/{}/links/{}", b["id"], from_b[0]["id"]), Some(&ann));
        assert_eq!(removed.status, 204, "{}", removed.text());
        assert!(links_of(&app, &ann, &a).is_empty());
        assert!(has_history(&history(&app, a["id"].as_i64().unwrap()), "link_removed", number_b));
        assert!(has_history(&history(&app, b["id"].as_i64().unwrap()), "link_removed", number_a));
        assert_eq!(app.delete(&format!("/api/v1/tickets/{}/links/{}", b["id"], from_b[0]["id"]), Some(&ann)).status, 404);
    }

    fn cycles_of_parents_and_dependencies_are_refused(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let a = app.create_ticket(&ann, "A", "kari@example.org");
        let b = app.create_ticket(&ann, "B", "kari@example.org");
        let c = app.create_ticket(&ann, "C", "kari@example.org");
        assert_eq!(link(&app, &ann, &a, "parent_of", &b).status, 201);
        assert_eq!(link(&app, &ann, &b, "parent_of", &c).status, 201);
        for (from, kind, to) in [(&c, "parent_of", &a), (&a, "child_of", &c), (&b, "parent_of", &a)] {
            let refused = link(&app, &ann, from, kind, to);
            assert_eq!(refused.status, 422, "{}", refused.text());
            assert_eq!(refused.json()["error_codes"]["ticket"][0], "link_cycle", "{}", refused.text());
        }
        assert_eq!(link(&app, &ann, &a, "depends_on", &b).status, 201);
        assert_eq!(link(&app, &ann, &b, "depends_on", &c).status, 201);
        let refused = link(&app, &ann, &c, "depends_on", &a);
        assert_eq!(refused.status, 422, "{}", refused.text());
        // Other kinds may go round.
        assert_eq!(link(&app, &ann, &c, "refers_to", &a).status, 201);
        assert_eq!(link(&app, &ann, &a, "refers_to", &c).status, 201);
        let myself = link(&app, &ann, &a, "refers_to", &a);
        assert_eq!(myself.status, 422);
        assert_eq!(myself.json()["error_codes"]["ticket"][0], "self_link");
    }

    fn a_linked_ticket_you_cannot_see_is_only_a_ticket_you_cannot_see(app) {
        let (secret, _) = secret_queue(&app, "Secret");
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let admin = app.admin_token();
        let hidden = ticket_in(&app, &admin, secret, "Top secret merger", "ceo@example.org");
        let open = app.create_ticket(&bob, "Printer jam", "kari@example.org");
        assert_eq!(link(&app, &admin, &open, "refers_to", &hidden).status, 201);

        let seen = app.get(&format!("/api/v1/tickets/{}/links", open["id"]), Some(&bob));
        assert_eq!(seen.status, 200);
        let text = seen.text();
        assert!(!text.contains("Top secret") && !text.contains(hidden["number"].as_str().unwrap()), "{text}");
        let items = seen.json()["items"].as_array().cloned().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["visible"], false);
        assert!(items[0]["ticket"].is_null());
        assert_eq!(items[0]["kind"], "refers_to");

        // Linking to it reads exactly as linking to a ticket that does not exist.
        let to_hidden = link(&app, &bob, &open, "depends_on", &hidden);
        let to_nothing = app.post(&format!("/api/v1/tickets/{}/links", open["id"]), Some(&bob),
            &json!({"kind": "depends_on", "ticket": "99999999"}));
        assert_eq!(to_hidden.status, 422);
        assert_eq!(to_hidden.json()["errors"], to_nothing.json()["errors"]);
        // Nor may they remove it, or read the hidden ticket's links.
        let id = items[0]["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/tickets/{}/links/{id}", open["id"]), Some(&bob)).status, 404);
        assert_eq!(app.get(&format!("/api/v1/tickets/{}/links", hidden["id"]), Some(&bob)).status, 404);
        // The history says no more than the links list.
        let h = app.get(&format!("/api/v1/tickets/{}/history", open["id"]), Some(&bob));
        assert_eq!(h.status, 200);
        assert!(!h.text().contains(hidden["number"].as_str().unwrap()), "{}", h.text());
        assert!(h.text().contains("refers_to (a ticket you cannot see)"), "{}", h.text());
        let admin_view = app.get(&format!("/api/v1/tickets/{}/history", open["id"]), Some(&admin)).text();
        assert!(admin_view.contains(hidden["number"].as_str().unwrap()));
    }

    fn linking_needs_rw_and_customers_see_no_links(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, reader) = app.agent_with_rights("reader@example.com", &["ro"]);
        let (_, nobody) = app.create_agent("nobody@example.com", false);
        let (_, customer) = app.create_customer("kari@example.org");
        let a = app.create_ticket(&ann, "A", "kari@example.org");
        let b = app.create_ticket(&ann, "B", "kari@example.org");
        assert_eq!(link(&app, &reader, &a, "refers_to", &b).status, 403);
        assert_eq!(link(&app, &nobody, &a, "refers_to", &b).status, 404);
        assert_eq!(app.get(&format!("/api/v1/tickets/{}/links", a["id"]), Some(&nobody)).status, 404);
        assert_eq!(app.get(&format!("/api/v1/tickets/{}/links", a["id"]), Some(&reader)).status, 200);
        assert_eq!(app.get(&format!("/api/v1/tickets/{}/links", a["id"]), Some(&customer)).status, 403);
        assert_eq!(link(&app, &customer, &a, "refers_to", &b).status, 403);
        let bad = app.post(&format!("/api/v1/tickets/{}/links", a["id"]), Some(&ann), &json!({"kind": "sibling_of", "ticket": "1"}));
        assert_eq!(bad.status, 422, "{}", bad.text());
        assert!(links_of(&app, &ann, &a).is_empty());
    }

    fn a_queue_can_refuse_closing_while_dependencies_are_open(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let admin = app.admin_token();
        let a = app.create_ticket(&ann, "Needs B", "kari@example.org");
        let b = app.create_ticket(&ann, "B", "kari@example.org");
        assert_eq!(link(&app, &ann, &a, "depends_on", &b).status, 201);
        let path = format!("/api/v1/queues/{GENERAL_QUEUE}/relation-settings");
        assert_eq!(app.get(&path, Some(&ann)).json()["close_needs_dependencies"], false);
        assert_eq!(app.send_json("PUT", &path, Some(&ann), &json!({"close_needs_dependencies": true})).status, 403);
        let set = app.send_json("PUT", &path, Some(&admin), &json!({"close_needs_dependencies": true}));
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(app.get(&path, Some(&ann)).json()["close_needs_dependencies"], true);

        let close = |t: &serde_json::Value| app.patch(&format!("/api/v1/tickets/{}", t["id"]), Some(&ann), &json!({"state_id": CLOSED}));
        let refused = close(&a);
        assert_eq!(refused.status, 409, "{}", refused.text());
        assert_eq!(refused.json()["code"], "dependencies_open");
        assert!(refused.text().contains(b["number"].as_str().unwrap()));
        // Closing through a reply is refused the same way.
        let reply = app.post(&format!("/api/v1/tickets/{}/articles", a["id"]), Some(&ann),
            &json!({"kind": "note", "body": "done?", "state_id": CLOSED}));
        assert_eq!(reply.status, 409, "{}", reply.text());
        assert_eq!(close(&b).status, 200);
        assert_eq!(close(&a).status, 200, "B is closed now");

        // Without the rule, dependencies do not hold a ticket open.
        assert_eq!(app.send_json("PUT", &path, Some(&admin), &json!({"close_needs_dependencies": false})).status, 200);
        let c = app.create_ticket(&ann, "C", "kari@example.org");
        let d = app.create_ticket(&ann, "D", "kari@example.org");
        assert_eq!(link(&app, &ann, &c, "depends_on", &d).status, 201);
        assert_eq!(close(&c).status, 200);
    }
}
