//! Nothing is lost: a message whose processing fails (here: the database refuses new tickets)
//! is stored and quarantined with the reason; administrators list, download, retry and delete
//! it; a message whose processor died after storing it is picked up again.

use serde_json::json;
use vakt_persistence::repo::mail_messages::{self, NewMailMessage};
use vakt_persistence::time::to_db;

use crate::mail_support::*;
use crate::support::ClockExt;

both_backends! {
    fn a_failed_message_is_quarantined_downloaded_retried_and_deleted(app) {
        let admin = app.admin_token();
        let token = gateway_token(&app);
        let raw = message("kari@example.org", "support@example.com", "Quarantine me", "q1@example.org", "", "Keep me.");
        inject_failure(&app, true);
        let answer = deliver_ok(&app, &token, &raw);
        assert_eq!(answer["outcome"], "quarantined", "stored and kept, so the MTA may forget it");
        assert!(answer["reason"].as_str().unwrap().contains("failure injected"), "{answer}");
        let id = answer["mail_id"].as_i64().unwrap();
        let list = app.get("/api/v1/mail/messages?status=quarantined", Some(&admin)).json();
        assert_eq!(list["items"][0]["id"], id);
        assert_eq!(list["items"][0]["subject"], "Quarantine me");
        assert_eq!(list["items"][0]["sender"], "kari@example.org");
        let download = app.get(&format!("/api/v1/mail/messages/{id}/raw"), Some(&admin));
        assert_eq!(download.status, 200);
        assert_eq!(download.header("content-type"), Some("message/rfc822"));
        assert_eq!(download.body, raw, "byte for byte");
        let still = app.post(&format!("/api/v1/mail/messages/{id}/retry"), Some(&admin), &json!({})).json();
        assert_eq!(still["outcome"], "quarantined");
        assert_eq!(app.get(&format!("/api/v1/mail/messages/{id}"), Some(&admin)).json()["attempts"], 2);

        inject_failure(&app, false);
        let retried = app.post(&format!("/api/v1/mail/messages/{id}/retry"), Some(&admin), &json!({}));
        assert_eq!(retried.status, 200, "{}", retried.text());
        let retried = retried.json();
        assert_eq!(retried["outcome"], "created");
        assert!(retried["ticket_number"].is_string());
        assert_eq!(articles(&app, retried["ticket_id"].as_i64().unwrap()).len(), 1);
        app.post(&format!("/api/v1/mail/messages/{id}/retry"), Some(&admin), &json!({})).assert_problem(409, "not_quarantined");
        app.delete(&format!("/api/v1/mail/messages/{id}"), Some(&admin)).assert_problem(409, "not_quarantined");

        inject_failure(&app, true);
        let other = deliver_ok(&app, &token, &message("ola@example.org", "support@example.com", "Junk", "q2@example.org", "", "x"));
        inject_failure(&app, false);
        let other = other["mail_id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/mail/messages/{other}"), Some(&admin)).status, 204);
        app.get(&format!("/api/v1/mail/messages/{other}/raw"), Some(&admin)).assert_problem(404, "not_found");
        let record = app.get(&format!("/api/v1/mail/messages/{other}"), Some(&admin)).json();
        assert_eq!(record["status"], "deleted", "the record stays: {record}");
        app.get("/api/v1/mail/messages/999999", Some(&admin)).assert_problem(404, "not_found");
        app.get("/api/v1/mail/messages?status=lost", Some(&admin)).assert_problem(422, "validation_failed");
    }

    fn a_message_stored_by_a_processor_that_died_is_processed_later(app) {
        let raw = message("kari@example.org", "support@example.com", "Crashed", "crash@example.org", "", "x");
        let mut conn = app.pool().get().unwrap();
        let id = mail_messages::insert(&mut conn, &NewMailMessage {
            source: "gateway", account_id: None, status: "pending", requested_queue: None,
            action: "correspond", sha256: "0", size: raw.len() as i64, message_id: None,
            sender: None, subject: None, received_at: to_db(app.clock.now_utc()),
        }, &raw).unwrap();
        drop(conn);
        assert_eq!(app.services.mail_housekeeping().unwrap(), 0, "not yet stale");
        app.clock.advance(chrono::Duration::minutes(3));
        assert_eq!(app.services.mail_housekeeping().unwrap(), 1);
        let admin = app.admin_token();
        let record = app.get(&format!("/api/v1/mail/messages/{id}"), Some(&admin)).json();
        assert_eq!(record["status"], "processed", "{record}");
        assert_eq!(ticket(&app, record["ticket_id"].as_i64().unwrap())["title"], "Crashed");
    }
}
