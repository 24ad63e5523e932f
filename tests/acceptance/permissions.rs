//! The permission matrix (SPEC §8): every ticket endpoint as every kind of caller, with the
//! expected status, and lists, counts and attachments checked for leaks.

use serde_json::{Value, json};

use crate::support::{TestApp, text};

/// The callers of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    AgentRw,
    AgentRo,
    AgentNone,
    QueueManager,
    Customer,
    OtherCustomer,
    ColleagueFlagOn,
    ColleagueFlagOff,
    Anonymous,
}

const ALL: [Who; 10] = [
    Who::Admin,
    Who::AgentRw,
    Who::AgentRo,
    Who::AgentNone,
    Who::QueueManager,
    Who::Customer,
    Who::OtherCustomer,
    Who::ColleagueFlagOn,
    Who::ColleagueFlagOff,
    Who::Anonymous,
];

/// What a caller may do with ticket T1 (General queue; their customer/company as named).
struct Expect {
    sees_t1: bool,
    sees_secret: bool,
    sees_internal: bool,
    history: u16,
    patch: u16,
    note: u16,
    reply: u16,
    take: u16,
    steal: u16,
    watch: u16,
    create: u16,
}

fn expect(who: Who) -> Expect {
    let hidden = Expect {
        sees_t1: false,
        sees_secret: false,
        sees_internal: false,
        history: 404,
        patch: 404,
        note: 404,
        reply: 404,
        take: 404,
        steal: 404,
        watch: 404,
        create: 403,
    };
    match who {
        Who::Admin => Expect {
            sees_t1: true,
            sees_secret: true,
            sees_internal: true,
            history: 200,
            patch: 200,
            note: 201,
            reply: 201,
            take: 200,
            steal: 200,
            watch: 200,
            create: 201,
        },
        Who::AgentRw => Expect {
            sees_secret: false,
            ..expect(Who::Admin)
        },
        Who::AgentRo => Expect {
            sees_t1: true,
            sees_secret: false,
            sees_internal: true,
            history: 200,
            patch: 403,
            note: 403,
            reply: 403,
            take: 403,
            steal: 403,
            watch: 200,
            create: 403,
        },
        Who::AgentNone | Who::QueueManager => hidden,
        Who::Customer | Who::ColleagueFlagOn => Expect {
            sees_t1: true,
            sees_secret: false,
            sees_internal: false,
            history: 403,
            patch: 403,
            note: 403,
            reply: 201,
            take: 403,
            steal: 403,
            watch: 403,
            create: 201,
        },
        Who::OtherCustomer | Who::ColleagueFlagOff => Expect {
            create: 201,
            ..hidden
        },
        Who::Anonymous => Expect {
            history: 401,
            patch: 401,
            note: 401,
            reply: 401,
            take: 401,
            steal: 401,
            watch: 401,
            create: 401,
            ..hidden
        },
    }
}

struct World {
    tokens: Vec<(Who, Option<String>)>,
    t1: Value,
    secret: Value,
    reply_attachment: String,
    note_attachment: String,
}

fn setup(app: &TestApp) -> World {
    let admin = app.admin_token();
    let company = app
        .post(
            "/api/v1/customer-companies",
            Some(&admin),
            &json!({"name": "Acme"}),
        )
        .json();
    let customer = |email: &str, company_id: Option<i64>, flag: bool| {
        let created = app.post(
            "/api/v1/customers",
            Some(&admin),
            &json!({"email": email, "name": email, "password": "customer-password-1", "company_id": company_id, "sees_company_tickets": flag}),
        );
        assert_eq!(created.status, 201, "{}", created.text());
        app.login(email, "customer-password-1")
    };
    let (_, rw) = app.agent_with_rights("rw@example.com", &["rw"]);
    let (_, ro) = app.agent_with_rights("ro@example.com", &["ro"]);
    let (_, none) = app.create_agent("none@example.com", false);
    let (manager_id, manager) = app.create_agent("manager@example.com", false);
    let set = app.send_json(
        "PUT",
        &format!("/api/v1/groups/1/members/{manager_id}"),
        Some(&admin),
        &json!({"rights": [], "queue_manager": true}),
    );
    assert!(set.status < 300, "{}", set.text());
    let company_id = company["id"].as_i64();
    let tokens = vec![
        (Who::Admin, Some(admin.clone())),
        (Who::AgentRw, Some(rw)),
        (Who::AgentRo, Some(ro)),
        (Who::AgentNone, Some(none)),
        (Who::QueueManager, Some(manager)),
        (
            Who::Customer,
            Some(customer("kunde@acme.example", company_id, false)),
        ),
        (
            Who::OtherCustomer,
            Some(customer("other@else.example", None, false)),
        ),
        (
            Who::ColleagueFlagOn,
            Some(customer("colleague-on@acme.example", company_id, true)),
        ),
        (
            Who::ColleagueFlagOff,
            Some(customer("colleague-off@acme.example", company_id, false)),
        ),
        (Who::Anonymous, None),
    ];
    let t1 = app.create_ticket(&admin, "Matrix ticket", "kunde@acme.example");
    let path = format!("/api/v1/tickets/{}/articles", t1["id"]);
    let with_file = |kind: &str, name: &str| {
        let created = app.post(&path, Some(&admin), &json!({"kind": kind, "body": format!("{kind} SECRET-{kind}"),
            "attachments": [{"filename": name, "content_type": "text/plain", "content_base64": "c2VjcmV0"}]})).json();
        format!(
            "{path}/{}/attachments/{}",
            created["article"]["id"], created["article"]["attachments"][0]["id"]
        )
    };
    let reply_attachment = with_file("reply", "reply.txt");
    let note_attachment = with_file("note", "note.txt");
    let group = app
        .post("/api/v1/groups", Some(&admin), &json!({"name": "secret"}))
        .json();
    let queue = app
        .post(
            "/api/v1/queues",
            Some(&admin),
            &json!({"name": "Secret", "group_id": group["id"]}),
        )
        .json();
    let secret = app
        .post(
            "/api/v1/tickets",
            Some(&admin),
            &json!({"title": "Secret ticket", "queue_id": queue["id"],
        "customer_email": "outsider@else.example", "article": {"body": "hush"}}),
        )
        .json();
    World {
        tokens,
        t1,
        secret,
        reply_attachment,
        note_attachment,
    }
}

fn fresh_ticket(app: &TestApp, admin: &str) -> String {
    let ticket = app.create_ticket(admin, "Mutable", "kunde@acme.example");
    format!("/api/v1/tickets/{}", ticket["id"])
}

both_backends! {
    fn every_ticket_endpoint_enforces_the_permission_model(app) {
        let world = setup(&app);
        let admin = world.tokens[0].1.clone().unwrap();
        let t1 = format!("/api/v1/tickets/{}", world.t1["id"]);
        let secret_number = text(&world.secret, "number");
        for (who, token) in &world.tokens {
            let e = expect(*who);
            let token = token.as_deref();
            let status = |r: crate::support::Response| r.status;
            let visible_status = if e.sees_t1 { 200 } else if *who == Who::Anonymous { 401 } else { 404 };

            // Reads.
            assert_eq!(status(app.get(&t1, token)), visible_status, "{who:?} GET ticket");
            assert_eq!(status(app.get(&format!("/api/v1/tickets/{}", world.t1["number"].as_str().unwrap()), token)), visible_status, "{who:?} by number");
            let articles = app.get(&format!("{t1}/articles"), token);
            assert_eq!(articles.status, visible_status, "{who:?} articles");
            if articles.status == 200 {
                let body = articles.text();
                assert_eq!(body.contains("SECRET-note"), e.sees_internal, "{who:?} internal note visibility");
                assert!(body.contains("SECRET-reply"), "{who:?} sees the reply");
            } else {
                assert!(!articles.text().contains("SECRET"), "{who:?}: nothing leaks in the error");
            }
            assert_eq!(status(app.get(&world.reply_attachment, token)), visible_status, "{who:?} reply attachment");
            let note_status = if e.sees_internal { 200 } else if *who == Who::Anonymous { 401 } else { 404 };
            assert_eq!(status(app.get(&world.note_attachment, token)), note_status, "{who:?} note attachment");
            let history_expected = if !e.sees_t1 && *who != Who::Anonymous { 404 } else { e.history };
            assert_eq!(status(app.get(&format!("{t1}/history"), token)), history_expected, "{who:?} history");
            let secret = app.get(&format!("/api/v1/tickets/{secret_number}"), token);
            assert_eq!(secret.status == 200, e.sees_secret, "{who:?} secret ticket: {}", secret.status);

            // Lists and counts never include what the caller may not see.
            let list = app.get("/api/v1/tickets?limit=200", token);
            if *who == Who::Anonymous {
                assert_eq!(list.status, 401);
            } else {
                let list = list.json();
                let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
                assert_eq!(ids.contains(&world.t1["id"].as_i64().unwrap()), e.sees_t1, "{who:?} list has T1");
                assert_eq!(ids.contains(&world.secret["id"].as_i64().unwrap()), e.sees_secret, "{who:?} list has the secret ticket");
                assert!(!list.to_string().contains("Secret ticket") || e.sees_secret, "{who:?}");
                let queues = app.get("/api/v1/queues", token).json();
                let names: Vec<String> = queues["items"].as_array().unwrap().iter().map(|q| text(q, "name")).collect();
                assert_eq!(names.contains(&"Secret".to_owned()), e.sees_secret, "{who:?} queue list: {names:?}");
                for queue in queues["items"].as_array().unwrap() {
                    if matches!(who, Who::Customer | Who::OtherCustomer | Who::ColleagueFlagOn | Who::ColleagueFlagOff) {
                        assert!(queue.get("counts").is_none(), "{who:?} gets no counts: {queue}");
                    }
                }
                if matches!(who, Who::AgentNone | Who::QueueManager) {
                    assert!(names.is_empty(), "{who:?} sees no queue: {names:?}");
                }

                // The count counts exactly what the list lists.
                let counted = app.get("/api/v1/tickets/count", token).json();
                assert_eq!(counted["count"].as_i64().unwrap(), ids.len() as i64, "{who:?} count = list");
                let secret_queue = &world.secret["queue"]["id"];
                let secret_count = app.get(&format!("/api/v1/tickets/count?queue_id={secret_queue}"), token).json();
                assert_eq!(secret_count["count"], i64::from(e.sees_secret), "{who:?} counts the secret queue");
                let t1_count = app.get(&format!("/api/v1/tickets/count?q={}", text(&world.t1, "number")), token).json();
                assert_eq!(t1_count["count"], i64::from(e.sees_t1), "{who:?} counts T1 by search");

                // Rights per queue: agents only, and only queues they hold a right on.
                let my_queues = app.get("/api/v1/me/queues", token);
                if matches!(who, Who::Customer | Who::OtherCustomer | Who::ColleagueFlagOn | Who::ColleagueFlagOff) {
                    assert_eq!(my_queues.status, 403, "{who:?} /me/queues");
                } else {
                    let my_queues = my_queues.json();
                    let mine: Vec<String> = my_queues["items"].as_array().unwrap().iter().map(|q| text(q, "name")).collect();
                    assert_eq!(mine.contains(&"Secret".to_owned()), e.sees_secret, "{who:?} /me/queues: {mine:?}");
                    assert_eq!(mine.contains(&"General".to_owned()), e.sees_t1, "{who:?} /me/queues: {mine:?}");
                    let general = my_queues["items"].as_array().unwrap().iter().find(|q| q["name"] == "General");
                    if let Some(general) = general {
                        let can_patch = general["rights"].as_array().unwrap().contains(&json!("rw"));
                        assert_eq!(can_patch, e.patch == 200, "{who:?} rights on General: {general}");
                    }
                }
            }

            // Changes, each on a fresh ticket so that one does not affect the next.
            let patch = app.patch(&fresh_ticket(&app, &admin), token, &json!({"title": "changed"}));
            assert_eq!(patch.status, e.patch, "{who:?} PATCH: {}", patch.text());
            let note = app.post(&format!("{}/articles", fresh_ticket(&app, &admin)), token, &json!({"kind": "note", "body": "n"}));
            assert_eq!(note.status, e.note, "{who:?} note: {}", note.text());
            let reply = app.post(&format!("{}/articles", fresh_ticket(&app, &admin)), token, &json!({"kind": "reply", "body": "r"}));
            assert_eq!(reply.status, e.reply, "{who:?} reply: {}", reply.text());
            let take = app.post(&format!("{}/take", fresh_ticket(&app, &admin)), token, &json!({}));
            assert_eq!(take.status, e.take, "{who:?} take: {}", take.text());
            let owned = fresh_ticket(&app, &admin);
            assert_eq!(app.post(&format!("{owned}/take"), Some(&admin), &json!({})).status, 200);
            let steal_expected = if *who == Who::Admin { 200 } else { e.steal };
            assert_eq!(status(app.post(&format!("{owned}/steal"), token, &json!({}))), steal_expected, "{who:?} steal");
            let watch = app.post(&format!("{}/watchers", fresh_ticket(&app, &admin)), token, &json!({}));
            assert_eq!(watch.status, e.watch, "{who:?} watch: {}", watch.text());
            let create = app.post("/api/v1/tickets", token, &json!({"title": "mine", "queue_id": 1, "article": {"body": "b"}}));
            assert_eq!(create.status, e.create, "{who:?} create: {}", create.text());
        }
        assert_eq!(ALL.len(), world.tokens.len());
    }
}
