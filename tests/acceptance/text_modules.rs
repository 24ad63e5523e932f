//! Text modules, salutations and signatures: the one template language with its variables,
//! unknown variables refused at save time, queue scope, filling in for a ticket, and what the
//! customer receives at the SMTP server when an agent answers with a module and a KB article.

use std::time::Duration as StdDuration;

use serde_json::{Value, json};
use vakt_http::HttpConfig;
use vakt_mail::{SmtpConfig, TlsMode, TransportConfig};
use vakt_service::ServiceConfig;
use vakt_service::jobs::{WorkerOptions, WorkerPool};

use crate::mail_servers::{SmtpSink, free_port};
use crate::mail_support::*;
use crate::support::{GENERAL_QUEUE, TestApp, TestDb, text};

fn module(app: &TestApp, body: &Value) -> Value {
    let admin = app.admin_token();
    let r = app.post("/api/v1/text-modules", Some(&admin), body);
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

both_backends! {
    fn text_modules_are_scoped_to_queues_and_filled_in_for_a_ticket(app) {
        let admin = app.admin_token();
        let (_, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        let (_, kunde) = app.create_customer("kunde@example.org");
        // A queue in a group Ola is not in.
        let group = app.post("/api/v1/groups", Some(&admin), &json!({"name": "finance"})).json()["id"].as_i64().unwrap();
        let secret = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Finance", "group_id": group})).json()["id"].as_i64().unwrap();

        let everywhere = module(&app, &json!({"name": "Password reset", "category": "Accounts", "keywords": ["password", "Login"],
            "language": "en", "subject": "About {{ticket_title}}",
            "body": "Dear {{customer_name}},\n\nticket {{ticket_number}} in {{queue}}: your password was reset.\n\n{{agent_name}} <{{agent_email}}>{{sla_deadline}}"}));
        assert_eq!(everywhere["keywords"], json!(["password", "login"]));
        assert_eq!(everywhere["queue_ids"], json!([]));
        let general = module(&app, &json!({"name": "Printer", "body": "Printer help", "queue_ids": [GENERAL_QUEUE]}));
        let finance = module(&app, &json!({"name": "Invoice", "body": "Invoice help", "queue_ids": [secret], "language": "nb"}));
        let fid = finance["id"].as_i64().unwrap();

        let names = |token: &str, query: &str| -> Vec<String> {
            let r = app.get(&format!("/api/v1/text-modules{query}"), Some(token));
            assert_eq!(r.status, 200, "{}", r.text());
            r.json()["items"].as_array().unwrap().iter().map(|m| text(m, "name")).collect()
        };
        assert_eq!(names(&ola, ""), vec!["Printer", "Password reset"]);
        assert_eq!(names(&admin, ""), vec!["Invoice", "Printer", "Password reset"]);
        assert_eq!(names(&ola, "?q=LOGIN"), vec!["Password reset"], "keywords are searched");
        assert_eq!(names(&ola, "?q=help"), vec!["Printer"]);
        assert_eq!(names(&admin, &format!("?queue_id={secret}")), vec!["Invoice", "Password reset"]);
        assert_eq!(names(&admin, "?language=en"), vec!["Printer", "Password reset"], "modules without a language fit any");
        assert_eq!(names(&admin, "?category=Accounts"), vec!["Password reset"]);
        app.get(&format!("/api/v1/text-modules/{fid}"), Some(&ola)).assert_problem(404, "not_found");

        let ticket = app.create_ticket(&ola, "Cannot log in", "kunde@example.org");
        let id = everywhere["id"].as_i64().unwrap();
        let rendered = app.post(&format!("/api/v1/text-modules/{id}/render"), Some(&ola), &json!({"ticket": ticket["number"]}));
        assert_eq!(rendered.status, 200, "{}", rendered.text());
        let rendered = rendered.json();
        assert_eq!(rendered["subject"], "About Cannot log in");
        let number = text(&ticket, "number");
        assert!(text(&rendered, "body").starts_with(&format!("Dear kunde@example.org,\n\nticket {number} in General: your password was reset.")), "{rendered}");
        assert!(text(&rendered, "body").contains("<ola@example.com>"), "{rendered}");
        assert!(!text(&rendered, "body").contains("{{"), "{rendered}");
        let doc = app.post(&format!("/api/v1/text-modules/{fid}/render"), Some(&admin), &json!({"ticket": ticket["id"].to_string()}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["ticket"][0], "not_offered");
        let (_, stranger) = app.create_agent("stranger@example.com", false);
        app.post(&format!("/api/v1/text-modules/{id}/render"), Some(&stranger), &json!({"ticket": number})).assert_problem(404, "not_found");

        // Unknown variables are refused at save time, on their field.
        let doc = app.post("/api/v1/text-modules", Some(&admin), &json!({"name": "Typo", "body": "Dear {{custmer_name}}", "subject": "{{nope}}"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["body"][0], "unknown_variable", "{doc}");
        assert_eq!(doc["error_codes"]["subject"][0], "unknown_variable");
        let doc = app.post("/api/v1/text-modules", Some(&admin), &json!({"name": "x", "body": "y", "queue_ids": [999], "language": "sv"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["queue_ids[0]"][0], "not_found");
        assert_eq!(doc["error_codes"]["language"][0], "unsupported_language");

        // Administrators manage, agents read, customers and anonymous callers nothing.
        let gid = general["id"].as_i64().unwrap();
        let body = json!({"name": "Printer", "body": "Printer help, again"});
        app.post("/api/v1/text-modules", Some(&ola), &body).assert_problem(403, "forbidden");
        app.send_json("PUT", &format!("/api/v1/text-modules/{gid}"), Some(&ola), &body).assert_problem(403, "forbidden");
        app.delete(&format!("/api/v1/text-modules/{gid}"), Some(&ola)).assert_problem(403, "forbidden");
        app.get("/api/v1/text-modules", Some(&kunde)).assert_problem(403, "forbidden");
        app.post(&format!("/api/v1/text-modules/{id}/render"), Some(&kunde), &json!({"ticket": number})).assert_problem(403, "forbidden");
        app.get("/api/v1/text-modules", None).assert_problem(401, "unauthorized");
        let replaced = app.send_json("PUT", &format!("/api/v1/text-modules/{gid}"), Some(&admin), &body);
        assert_eq!(replaced.status, 200, "{}", replaced.text());
        assert_eq!(replaced.json()["queue_ids"], json!([]), "PUT replaces the scope too");
        assert_eq!(app.delete(&format!("/api/v1/text-modules/{gid}"), Some(&admin)).status, 204);
        app.get(&format!("/api/v1/text-modules/{gid}"), Some(&admin)).assert_problem(404, "not_found");
        let audit = app.get("/api/v1/audit-log?entity=text_module", Some(&admin)).json();
        assert_eq!(audit["items"].as_array().unwrap().len(), 5, "{audit}");
    }

    fn salutations_and_signatures_are_templates_queues_point_at(app) {
        let admin = app.admin_token();
        let (_, ola) = app.agent_with_rights("ola@example.com", &["rw"]);
        let created = app.post("/api/v1/salutations", Some(&admin), &json!({"name": "Formal", "body": "Dear {{customer_name}},"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let salutation = created.json()["id"].as_i64().unwrap();
        let signature = app.post("/api/v1/signatures", Some(&admin), &json!({"name": "Team", "body": "{{agent_name}}, {{queue}}"})).json()["id"].as_i64().unwrap();
        let doc = app.post("/api/v1/signatures", Some(&admin), &json!({"name": "Bad", "body": "{{agnet_name}}"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["body"][0], "unknown_variable");
        let doc = app.post("/api/v1/salutations", Some(&admin), &json!({"name": "Formal", "body": "Hello"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "taken");
        app.post("/api/v1/salutations", Some(&ola), &json!({"name": "x", "body": "y"})).assert_problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/signatures", Some(&ola)).json()["items"][0]["name"], "Team");
        app.get(&format!("/api/v1/signatures/{salutation}"), Some(&admin)).assert_problem(404, "not_found");

        let saved = app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin),
            &json!({"salutation_id": salutation, "signature_id": signature}));
        assert_eq!(saved.status, 200, "{}", saved.text());
        assert_eq!(saved.json()["salutation"], "Dear {{customer_name}},", "the template gives the text");
        let doc = app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin),
            &json!({"salutation_id": signature})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["salutation_id"][0], "not_found");
        let doc = app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin),
            &json!({"signature": "Cheers, {{agentname}}"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["signature"][0], "unknown_variable", "inline texts are checked too");
        app.delete(&format!("/api/v1/salutations/{salutation}"), Some(&admin)).assert_problem(409, "template_in_use");
        let changed = app.patch(&format!("/api/v1/salutations/{salutation}"), Some(&admin), &json!({"body": "Hello {{customer_name}},"}));
        assert_eq!(changed.json()["queue_ids"], json!([GENERAL_QUEUE]));
        let settings = app.get(&format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin)).json();
        assert_eq!(settings["salutation"], "Hello {{customer_name}},", "queues send the new text at once");
        app.send_json("PUT", &format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"), Some(&admin), &json!({}));
        assert_eq!(app.delete(&format!("/api/v1/salutations/{salutation}"), Some(&admin)).status, 204);
    }
}

fn app_with_smtp(db: TestDb, port: u16) -> TestApp {
    let mut smtp = SmtpConfig::new("127.0.0.1", port);
    smtp.tls = TlsMode::None;
    smtp.timeout = StdDuration::from_secs(5);
    let mut config = ServiceConfig::default();
    config.mail.transport = Some(TransportConfig::Smtp(smtp));
    config.mail.domain = "vakt.example.com".into();
    TestApp::start_with(db, config, HttpConfig::default())
}

fn workers(app: &TestApp) -> WorkerPool {
    let options = WorkerOptions {
        workers: 1,
        poll_interval: StdDuration::from_millis(50),
        ..WorkerOptions::default()
    };
    WorkerPool::start(
        app.services.clone(),
        vakt_service::jobs::registry(),
        options,
    )
    .unwrap()
}

/// The customer receives the module filled in for their ticket, the KB link, and the queue's
/// salutation and signature templates, at the SMTP server.
fn an_answer_with_a_module_and_a_kb_article_reaches_the_customer(db: TestDb) {
    if !SmtpSink::available() {
        return;
    }
    let port = free_port();
    let sink = SmtpSink::start_on(port);
    let app = app_with_smtp(db, port);
    let admin = app.admin_token();
    app.patch(
        &format!("/api/v1/queues/{GENERAL_QUEUE}"),
        Some(&admin),
        &json!({"email_address": "support@example.com"}),
    );
    let salutation = app
        .post(
            "/api/v1/salutations",
            Some(&admin),
            &json!({"name": "Formal", "body": "Dear {{customer_name}},"}),
        )
        .json()["id"]
        .clone();
    let signature = app
        .post(
            "/api/v1/signatures",
            Some(&admin),
            &json!({"name": "Team", "body": "The IT team ({{ticket_number}})"}),
        )
        .json()["id"]
        .clone();
    app.send_json(
        "PUT",
        &format!("/api/v1/queues/{GENERAL_QUEUE}/mail-settings"),
        Some(&admin),
        &json!({"salutation_id": salutation, "signature_id": signature}),
    );
    let module = module(
        &app,
        &json!({"name": "Reset", "body": "Your password for {{customer_email}} was reset."}),
    );
    let category = app
        .post(
            "/api/v1/kb/categories",
            Some(&admin),
            &json!({"name": "Accounts", "group_id": 1}),
        )
        .json()["id"]
        .clone();
    let article = app.post("/api/v1/kb/articles", Some(&admin), &json!({"category_id": category, "title": "Choosing a password",
        "language": "en", "body_text": "Use three words.", "visibility": "public", "state": "published"})).json();

    let token = gateway_token(&app);
    let first = deliver_ok(
        &app,
        &token,
        &message(
            "Kari Nordmann <kari@example.org>",
            "support@example.com",
            "Login",
            "k1@example.org",
            "",
            "I cannot log in.",
        ),
    );
    let ticket = first["ticket_id"].as_i64().unwrap();
    let number = text(&first, "ticket_number");
    let filled = app
        .post(
            &format!("/api/v1/text-modules/{}/render", module["id"]),
            Some(&admin),
            &json!({"ticket": ticket.to_string()}),
        )
        .json();
    let body = format!(
        "{}\n\nSee also: {} (http://localhost{})",
        text(&filled, "body"),
        text(&article, "title"),
        text(&article, "url")
    );
    let r = app.post(
        &format!("/api/v1/tickets/{ticket}/articles"),
        Some(&admin),
        &json!({"kind": "reply", "body": body}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let _pool = workers(&app);
    let sent = sink.wait_for(1);
    assert_eq!(sent.len(), 1);
    let raw = sent[0].replace("=\r\n", "").replace("\r\n", "\n");
    for expected in [
        "Dear Kari Nordmann,".to_owned(),
        "Your password for kari@example.org was reset.".to_owned(),
        format!(
            "See also: Choosing a password (http://localhost/kb/choosing-a-password-{})",
            article["id"]
        ),
        format!("The IT team ({number})"),
    ] {
        assert!(raw.contains(&expected), "{expected:?} missing from\n{raw}");
    }
    assert!(!raw.contains("{{"), "{raw}");
}

mod an_answer_with_a_module_and_a_kb_article_reaches_the_customer {
    #[test]
    fn sqlite() {
        super::an_answer_with_a_module_and_a_kb_article_reaches_the_customer(
            crate::support::TestDb::sqlite(),
        );
    }
    #[test]
    fn postgres() {
        if let Some(db) = crate::support::TestDb::postgres() {
            super::an_answer_with_a_module_and_a_kb_article_reaches_the_customer(db);
        }
    }
}
