//! Inbound mail through `POST /api/v1/mail/inbound`: new tickets, threading by tag and by
//! Message-ID, loop and bounce protection, the automatic answer and its daily cap, the
//! closed-ticket policies, postmaster filters, and permissions.

use serde_json::json;

use crate::mail_support::*;
use crate::support::{GENERAL_QUEUE, text};

both_backends! {
    fn a_message_becomes_a_ticket_and_a_tagged_reply_appends(app) {
        let token = gateway_token(&app);
        let first = deliver_ok(&app, &token, &message(
            "Kari Nordmann <kari@example.org>", "support@example.com", "Printer on fire",
            "m1@example.org", "", "It burns."));
        assert_eq!(first["outcome"], "created");
        assert_eq!(first["created"], true);
        let id = first["ticket_id"].as_i64().unwrap();
        let number = text(&first, "ticket_number");
        let t = ticket(&app, id);
        assert_eq!(t["title"], "Printer on fire");
        assert_eq!(t["queue"]["id"], GENERAL_QUEUE);
        assert_eq!(t["customer"]["email"], "kari@example.org");
        let a = articles(&app, id);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0]["sender_type"], "customer");
        assert_eq!(a[0]["channel"], "email");
        assert_eq!(a[0]["customer_visible"], true);
        assert_eq!(a[0]["message_id"], "m1@example.org");
        assert!(a[0]["body"].as_str().unwrap().contains("It burns."));

        let again = deliver_ok(&app, &token, &message(
            "kari@example.org", "support@example.com", &format!("Re: [Ticket#{number}] Printer on fire"),
            "m2@example.org", "", "Still burning."));
        assert_eq!(again["outcome"], "appended");
        assert_eq!(again["created"], false);
        assert_eq!(again["ticket_id"], id);
        assert_eq!(articles(&app, id).len(), 2);
    }

    fn the_same_bytes_delivered_twice_make_one_article(app) {
        let token = gateway_token(&app);
        let raw = message("kari@example.org", "support@example.com", "Twice", "twice@example.org", "", "x");
        let first = deliver_ok(&app, &token, &raw);
        let second = deliver_ok(&app, &token, &raw);
        assert_eq!(second["duplicate"], true);
        assert_eq!(second["created"], false);
        assert_eq!(second["ticket_id"], first["ticket_id"]);
        assert_eq!(second["ticket_number"], first["ticket_number"]);
        assert_eq!(articles(&app, first["ticket_id"].as_i64().unwrap()).len(), 1);
    }

    fn references_thread_into_the_ticket_and_comment_is_internal(app) {
        let token = gateway_token(&app);
        let first = deliver_ok(&app, &token, &message(
            "kari@example.org", "support@example.com", "VPN", "vpn1@example.org", "", "Broken."));
        let id = first["ticket_id"].as_i64().unwrap();
        let reply = message("boss@example.org", "support@example.com", "Re: VPN", "vpn2@example.org",
            "In-Reply-To: <vpn1@example.org>\r\nReferences: <vpn1@example.org>\r\n", "Me too.");
        let bearer = format!("Bearer {token}");
        let response = app.request("POST", "/api/v1/mail/inbound?action=comment",
            &[("authorization", &bearer), ("content-type", "application/octet-stream")], Some(&reply));
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.json()["ticket_id"], id);
        let a = articles(&app, id);
        assert_eq!(a[1]["customer_visible"], false, "comment is internal");
        assert_eq!(a[1]["in_reply_to"], "vpn1@example.org");
    }

    fn the_queue_address_routes_and_the_requested_queue_is_the_fallback(app) {
        let admin = app.admin_token();
        let q = app.post("/api/v1/queues", Some(&admin), &json!({"name": "IT", "group_id": 1, "email_address": "it@uio.example"}));
        assert_eq!(q.status, 201, "{}", q.text());
        let it = q.json()["id"].as_i64().unwrap();
        let q2 = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Sales", "group_id": 1}));
        let sales = q2.json()["id"].as_i64().unwrap();
        let token = gateway_token(&app);
        let by_address = deliver(&app, &token, &message("a@example.org", "\"IT\" <IT@uio.example>", "x", "r1@example.org", "", "x"), "?queue=Sales").json();
        assert_eq!(ticket(&app, by_address["ticket_id"].as_i64().unwrap())["queue"]["id"], it);
        let delivered_to = deliver(&app, &token, &message("a@example.org", "list@example.org", "y", "r2@example.org", "Delivered-To: it@uio.example\r\n", "y"), "").json();
        assert_eq!(ticket(&app, delivered_to["ticket_id"].as_i64().unwrap())["queue"]["id"], it);
        let requested = deliver(&app, &token, &message("a@example.org", "other@example.org", "z", "r3@example.org", "", "z"), &format!("?queue={sales}")).json();
        assert_eq!(ticket(&app, requested["ticket_id"].as_i64().unwrap())["queue"]["id"], sales);
        deliver(&app, &token, b"Subject: x\r\n\r\nx", "?queue=Nowhere").assert_problem(422, "validation_failed");
    }

    fn automatic_mail_is_recorded_but_never_answered(app) {
        set_queue_settings(&app, GENERAL_QUEUE, &json!({"auto_reply_enabled": true}));
        let token = gateway_token(&app);
        let human = deliver_ok(&app, &token, &message("kari@example.org", "support@example.com", "Hello", "h1@example.org", "", "Hi"));
        let a = articles(&app, human["ticket_id"].as_i64().unwrap());
        assert_eq!(a.len(), 2, "the automatic answer is an article");
        assert_eq!(a[1]["sender_type"], "system");
        assert_eq!(a[1]["delivery"]["kind"], "auto_reply");
        assert_eq!(a[1]["delivery"]["status"], "queued");
        assert!(a[1]["body"].as_str().unwrap().contains(&text(&human, "ticket_number")));
        for (i, extra) in ["Auto-Submitted: auto-replied\r\n", "Precedence: bulk\r\n", "X-Autoreply: yes\r\n", "List-Id: <l.example.org>\r\n"].iter().enumerate() {
            let ooo = deliver_ok(&app, &token, &message("ola@example.org", "support@example.com", "Out of office", &format!("ooo{i}@example.org"), extra, "Away"));
            assert_eq!(ooo["outcome"], "created", "recorded");
            assert_eq!(articles(&app, ooo["ticket_id"].as_i64().unwrap()).len(), 1, "{extra} is not answered");
        }
        let bounce = deliver_ok(&app, &token, &message("MAILER-DAEMON@mx.example.org", "support@example.com", "Undelivered Mail", "b1@mx.example.org", "", "gone"));
        assert_eq!(articles(&app, bounce["ticket_id"].as_i64().unwrap()).len(), 1, "bounces are not answered");
        let looped = deliver_ok(&app, &token, &message("helpdesk@localhost", "support@example.com", "Loop", "l1@example.org", "", "x"));
        assert_eq!(looped["outcome"], "ignored", "our own mail coming back is not a ticket");
    }

    fn automatic_answers_stop_at_the_daily_cap(app) {
        set_queue_settings(&app, GENERAL_QUEUE, &json!({"auto_reply_enabled": true}));
        let token = gateway_token(&app);
        for i in 0..42 {
            let r = deliver_ok(&app, &token, &message("flood@example.org", "support@example.com", &format!("n{i}"), &format!("cap{i}@example.org"), "", "x"));
            let answered = articles(&app, r["ticket_id"].as_i64().unwrap()).len() == 2;
            assert_eq!(answered, i < 40, "message {i}");
        }
        app.clock.advance(chrono::Duration::days(1));
        let r = deliver_ok(&app, &token, &message("flood@example.org", "support@example.com", "tomorrow", "cap-next@example.org", "", "x"));
        assert_eq!(articles(&app, r["ticket_id"].as_i64().unwrap()).len(), 2, "a new day, a new cap");
    }

    fn closed_tickets_reopen_start_anew_or_reject(app) {
        let admin = app.admin_token();
        let token = gateway_token(&app);
        let states = app.get("/api/v1/states", Some(&admin)).json();
        let closed = states["items"].as_array().unwrap().iter().find(|s| s["state_type"] == "closed").unwrap()["id"].clone();
        let close = |id: i64| {
            let r = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"state_id": closed}));
            assert_eq!(r.status, 200, "{}", r.text());
        };
        let follow = |n: &str, mid: &str| message("kari@example.org", "support@example.com", &format!("Re: [Ticket#{n}] x"), mid, "", "again");

        let t = deliver_ok(&app, &token, &message("kari@example.org", "support@example.com", "x", "p1@example.org", "", "x"));
        let id = t["ticket_id"].as_i64().unwrap();
        close(id);
        let reopened = deliver_ok(&app, &token, &follow(&text(&t, "ticket_number"), "p2@example.org"));
        assert_eq!(reopened["outcome"], "appended");
        assert_eq!(ticket(&app, id)["state"]["state_type"], "open");

        set_queue_settings(&app, GENERAL_QUEUE, &json!({"follow_up_policy": "new_ticket"}));
        close(id);
        let fresh = deliver_ok(&app, &token, &follow(&text(&t, "ticket_number"), "p3@example.org"));
        assert_eq!(fresh["outcome"], "created");
        assert_ne!(fresh["ticket_id"], id);
        assert_eq!(ticket(&app, id)["state"]["state_type"], "closed");

        set_queue_settings(&app, GENERAL_QUEUE, &json!({"follow_up_policy": "reject", "reject_text": "Closed: {{ticket_number}}."}));
        let before = articles(&app, id).len();
        let rejected = deliver_ok(&app, &token, &follow(&text(&t, "ticket_number"), "p4@example.org"));
        assert_eq!(rejected["outcome"], "rejected");
        assert_eq!(ticket(&app, id)["state"]["state_type"], "closed", "stays closed");
        let after = articles(&app, id);
        assert_eq!(after.len(), before + 1, "only the notice is added");
        assert_eq!(after.last().unwrap()["delivery"]["kind"], "reject");
        assert_eq!(after.last().unwrap()["body"], format!("Closed: {}.", text(&t, "ticket_number")));
        let message = app.get(&format!("/api/v1/mail/messages/{}", rejected["mail_id"]), Some(&admin)).json();
        assert_eq!(message["status"], "ignored");
        assert_eq!(message["outcome"], "rejected");
    }

    fn postmaster_filters_set_fields_ignore_and_stop(app) {
        let admin = app.admin_token();
        let q = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Spam", "group_id": 1}));
        let spam_queue = q.json()["id"].as_i64().unwrap();
        let bad = app.post("/api/v1/postmaster-filters", Some(&admin), &json!({"name": "bad", "conditions": [{"field": "subject", "pattern": "("}]}));
        let doc = bad.assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["conditions[0].pattern"][0], "invalid_regex");
        let urgent = app.post("/api/v1/postmaster-filters", Some(&admin), &json!({
            "name": "urgent", "position": 10, "stop_after_match": true,
            "conditions": [{"field": "subject", "pattern": "(?i)urgent"}],
            "actions": {"priority_id": 5, "queue_id": spam_queue}}));
        assert_eq!(urgent.status, 201, "{}", urgent.text());
        let spam = app.post("/api/v1/postmaster-filters", Some(&admin), &json!({
            "name": "spam", "position": 20,
            "conditions": [{"field": "X-Spam-Flag", "pattern": "^YES$"}],
            "actions": {"ignore": true}}));
        assert_eq!(spam.status, 201, "{}", spam.text());
        assert_eq!(app.get("/api/v1/postmaster-filters", Some(&admin)).json()["items"].as_array().unwrap().len(), 2);
        let token = gateway_token(&app);
        let ignored = deliver_ok(&app, &token, &message("x@example.org", "s@example.com", "cheap", "f1@example.org", "X-Spam-Flag: YES\r\n", "buy"));
        assert_eq!(ignored["outcome"], "ignored");
        assert!(ignored["ticket_id"].is_null());
        let stopped = deliver_ok(&app, &token, &message("x@example.org", "s@example.com", "URGENT please", "f2@example.org", "X-Spam-Flag: YES\r\n", "help"));
        assert_eq!(stopped["outcome"], "created", "the first filter stops the spam filter");
        let t = ticket(&app, stopped["ticket_id"].as_i64().unwrap());
        assert_eq!(t["priority"]["id"], 5);
        assert_eq!(t["queue"]["id"], spam_queue);
        let id = spam.json()["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/postmaster-filters/{id}"), Some(&admin)).status, 204);
    }

    fn only_administrators_and_gateway_tokens_deliver_and_gateway_tokens_do_nothing_else(app) {
        let raw = message("kari@example.org", "support@example.com", "perm", "perm@example.org", "", "x");
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (_, customer) = app.create_customer("cust@example.org");
        deliver(&app, &agent, &raw, "").assert_problem(403, "forbidden");
        deliver(&app, &customer, &raw, "").assert_problem(403, "forbidden");
        app.request("POST", "/api/v1/mail/inbound", &[("content-type", "message/rfc822")], Some(&raw)).assert_problem(401, "unauthorized");
        for path in ["/api/v1/mail/messages", "/api/v1/mail-accounts", "/api/v1/postmaster-filters", "/api/v1/queues/1/mail-settings"] {
            app.get(path, Some(&agent)).assert_problem(403, "forbidden");
            app.get(path, Some(&customer)).assert_problem(403, "forbidden");
        }
        let token = gateway_token(&app);
        for path in ["/api/v1/mail/messages", "/api/v1/mail-accounts", "/api/v1/tickets", "/api/v1/me"] {
            app.get(path, Some(&token)).assert_problem(403, "token_scope");
        }
        assert_eq!(deliver(&app, &app.admin_token(), &raw, "").status, 200, "an admin's session works too");
        let bearer = format!("Bearer {token}");
        app.request("POST", "/api/v1/mail/inbound", &[("authorization", &bearer), ("content-type", "application/json")], Some(b"{}")).assert_problem(415, "unsupported_media_type");
        app.request("POST", "/api/v1/mail/inbound", &[("authorization", &bearer), ("content-type", "message/rfc822")], Some(b"")).assert_problem(400, "bad_request");
    }
}
