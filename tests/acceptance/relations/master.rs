//! Master and slave tickets: a reply on the master reaches every slave's customer in the
//! slave's own thread; closing the master closes its slaves.

use serde_json::json;

use super::*;
use crate::mail_support::{articles, ticket};

both_backends! {
    fn a_master_reply_reaches_every_slave_and_closing_it_closes_them(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let master = app.create_ticket(&ann, "Network outage", "first@example.org");
        let one = app.create_ticket(&ann, "No internet", "one@example.org");
        let two = app.create_ticket(&ann, "Wifi down", "two@example.org");
        let done = app.create_ticket(&ann, "Already solved", "three@example.org");
        assert_eq!(link(&app, &ann, &one, "slave_of", &master).status, 201);
        assert_eq!(link(&app, &ann, &master, "master_of", &two).status, 201);
        assert_eq!(link(&app, &ann, &master, "master_of", &done).status, 201);
        assert_eq!(app.patch(&format!("/api/v1/tickets/{}", done["id"]), Some(&ann), &json!({"state_id": CLOSED})).status, 200);
        let master_links = links_of(&app, &ann, &master);
        assert_eq!(master_links.iter().filter(|l| l["kind"] == "master_of").count(), 3);
        assert_eq!(links_of(&app, &ann, &one)[0]["kind"], "slave_of");

        let reply = app.post(&format!("/api/v1/tickets/{}/articles", master["id"]), Some(&ann),
            &json!({"kind": "reply", "body": "The outage is fixed."}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        for (slave, customer, title) in [(&one, "one@example.org", "No internet"), (&two, "two@example.org", "Wifi down")] {
            let got = articles(&app, slave["id"].as_i64().unwrap());
            assert_eq!(got.len(), 2, "{got:?}");
            let last = &got[1];
            assert_eq!(last["to"], customer);
            assert_eq!(last["customer_visible"], true);
            assert_eq!(last["channel"], "email");
            assert_eq!(last["subject"], format!("Re: {title}"));
            assert!(last["body"].as_str().unwrap().contains("The outage is fixed."));
            assert!(!last["delivery"].is_null(), "queued for sending: {last}");
        }
        assert_eq!(articles(&app, done["id"].as_i64().unwrap()).len(), 1, "closed slaves are left alone");
        // A note stays on the master.
        app.post(&format!("/api/v1/tickets/{}/articles", master["id"]), Some(&ann), &json!({"kind": "note", "body": "internal"}));
        assert_eq!(articles(&app, one["id"].as_i64().unwrap()).len(), 2);

        let closed = app.patch(&format!("/api/v1/tickets/{}", master["id"]), Some(&ann), &json!({"state_id": CLOSED}));
        assert_eq!(closed.status, 200, "{}", closed.text());
        for slave in [&one, &two] {
            assert_eq!(ticket(&app, slave["id"].as_i64().unwrap())["state"]["state_type"], "closed");
        }
    }

    fn a_slave_has_one_master_and_masters_are_not_slaves(app) {
        let (secret, secret_group) = secret_queue(&app, "Secret");
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        app.grant(secret_group, ann_id, &["ro"]);
        let admin = app.admin_token();
        let m1 = app.create_ticket(&ann, "M1", "a@example.org");
        let m2 = app.create_ticket(&ann, "M2", "b@example.org");
        let s = app.create_ticket(&ann, "S", "c@example.org");
        assert_eq!(link(&app, &ann, &m1, "master_of", &s).status, 201);
        for (from, kind, to) in [(&m2, "master_of", &s), (&s, "master_of", &m2), (&m1, "slave_of", &m2)] {
            let refused = link(&app, &ann, from, kind, to);
            assert_eq!(refused.status, 422, "{kind}: {}", refused.text());
            assert_eq!(refused.json()["error_codes"]["kind"][0], "master_slave");
        }
        // A slave must be changeable by whoever links it: read-only is not enough.
        let readonly = ticket_in(&app, &admin, secret, "Read only", "d@example.org");
        assert_eq!(link(&app, &ann, &m1, "master_of", &readonly).status, 403);
        assert_eq!(link(&app, &ann, &m1, "refers_to", &readonly).status, 201, "seeing it is enough to refer to it");
    }
}

/// A master's reply through a real SMTP server (aiosmtpd): one mail per slave customer, each
/// with its own ticket's tag in the subject.
fn a_master_reply_reaches_each_slave_customer_at_the_smtp_server(db: crate::support::TestDb) {
    use std::time::Duration as StdDuration;

    use vakt_mail::{SmtpConfig, TlsMode, TransportConfig};
    use vakt_service::jobs::{WorkerOptions, WorkerPool};

    use crate::mail_servers::{SmtpSink, free_port, header};

    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let mut smtp = SmtpConfig::new("127.0.0.1", port);
    smtp.tls = TlsMode::None;
    smtp.timeout = StdDuration::from_secs(5);
    let mut config = vakt_service::ServiceConfig::default();
    config.mail.transport = Some(TransportConfig::Smtp(smtp));
    config.mail.domain = "vakt.example.com".into();
    let app = crate::support::TestApp::start_with(db, config, vakt_http::HttpConfig::default());
    let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
    let master = app.create_ticket(&ann, "Network outage", "first@example.org");
    let one = app.create_ticket(&ann, "No internet", "one@example.org");
    let two = app.create_ticket(&ann, "Wifi down", "two@example.org");
    assert_eq!(link(&app, &ann, &one, "slave_of", &master).status, 201);
    assert_eq!(link(&app, &ann, &two, "slave_of", &master).status, 201);
    let reply = app.post(
        &format!("/api/v1/tickets/{}/articles", master["id"]),
        Some(&ann),
        &json!({"kind": "reply", "body": "Fixed."}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let pool = WorkerPool::start(
        app.services.clone(),
        vakt_service::jobs::registry(),
        WorkerOptions {
            workers: 1,
            poll_interval: StdDuration::from_millis(50),
            ..WorkerOptions::default()
        },
    )
    .unwrap();
    let sent = sink.wait_for(3);
    pool.shutdown();
    assert_eq!(
        sent.len(),
        3,
        "the master's customer and both slaves' customers"
    );
    for (ticket, customer) in [
        (&master, "first@example.org"),
        (&one, "one@example.org"),
        (&two, "two@example.org"),
    ] {
        let raw = sent
            .iter()
            .find(|raw| header(raw, "To").is_some_and(|to| to.contains(customer)))
            .unwrap_or_else(|| panic!("no mail to {customer}: {sent:?}"));
        let subject = header(raw, "Subject").unwrap();
        assert!(
            subject.contains(ticket["number"].as_str().unwrap()),
            "{customer} gets its own ticket's tag: {subject}"
        );
        assert!(raw.contains("Fixed."));
    }
}

mod a_master_reply_reaches_each_slave_customer_at_the_smtp_server {
    #[test]
    fn sqlite() {
        super::a_master_reply_reaches_each_slave_customer_at_the_smtp_server(
            crate::support::TestDb::sqlite(),
        );
    }
    #[test]
    fn postgres() {
        if let Some(db) = crate::support::TestDb::postgres() {
            super::a_master_reply_reaches_each_slave_customer_at_the_smtp_server(db);
        }
    }
}
