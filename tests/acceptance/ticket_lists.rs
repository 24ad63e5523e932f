//! The ticket list's column sorts (title, state, owner, customer, pending time) paged by keyset,
//! the count of any list filter, the "reminders due" filter, and an agent's rights per queue.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::support::{ClockExt, GENERAL_QUEUE, TestApp, text};

fn id(ticket: &Value) -> i64 {
    ticket["id"].as_i64().unwrap()
}

/// RFC 3339 for a query string (no `+` to encode).
fn at(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Every id the list gives for `query`, walking the pages one ticket at a time (so that every
/// step goes through the keyset cursor).
fn walk(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/tickets?limit=1&{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path, Some(token));
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let page = page.json();
        ids.extend(page["items"].as_array().unwrap().iter().map(id));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
        assert!(ids.len() < 100, "the cursor must advance");
    }
}

fn count(app: &TestApp, token: &str, query: &str) -> (i64, bool) {
    let response = app.get(&format!("/api/v1/tickets/count?{query}"), Some(token));
    assert_eq!(response.status, 200, "count {query}: {}", response.text());
    let body = response.json();
    (
        body["count"].as_i64().unwrap(),
        body["capped"].as_bool().unwrap(),
    )
}

fn ticket_for(
    app: &TestApp,
    token: &str,
    title: &str,
    customer_email: &str,
    customer_name: &str,
) -> Value {
    let created = app.post(
        "/api/v1/tickets",
        Some(token),
        &json!({"title": title, "queue_id": GENERAL_QUEUE, "customer_email": customer_email,
                "customer_name": customer_name, "article": {"body": "b"}}),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()
}

both_backends! {
    fn sorts_by_title_state_owner_and_customer_page_by_keyset(app) {
        let admin = app.admin_token();
        let (zed_id, _) = app.agent_with_rights("zed@example.com", &["rw"]);
        let (anna_id, _) = app.agent_with_rights("Anna@example.com", &["rw"]);
        let banana = ticket_for(&app, &admin, "banana", "bob@example.org", "bob");
        let apple = ticket_for(&app, &admin, "Apple", "carol@example.org", "Carol");
        let cherry = ticket_for(&app, &admin, "cherry", "alice@example.org", "ALICE");
        let pie = ticket_for(&app, &admin, "apple pie", "dave@example.org", "");
        let [banana, apple, cherry, pie] = [id(&banana), id(&apple), id(&cherry), id(&pie)];

        // Title, ignoring case; descending is the exact reverse.
        assert_eq!(walk(&app, &admin, "sort=title"), vec![apple, pie, banana, cherry]);
        assert_eq!(walk(&app, &admin, "sort=-title"), vec![cherry, banana, pie, apple]);

        // State: the life cycle (new, open, pending, closed), not the state names.
        let pending = at(app.clock.now_utc() + Duration::days(1));
        let patch = |ticket: i64, body: Value| {
            let changed = app.patch(&format!("/api/v1/tickets/{ticket}"), Some(&admin), &body);
            assert_eq!(changed.status, 200, "{}", changed.text());
        };
        patch(apple, json!({"state_id": 4}));
        patch(cherry, json!({"state_id": 3, "pending_until": pending}));
        patch(pie, json!({"state_id": 2}));
        assert_eq!(walk(&app, &admin, "sort=state"), vec![banana, pie, cherry, apple]);
        assert_eq!(walk(&app, &admin, "sort=-state"), vec![apple, cherry, pie, banana]);
        // Within a filter, as the queue view asks.
        assert_eq!(walk(&app, &admin, "sort=state&state_type=open,pending_reminder"), vec![pie, cherry]);

        // Owner by display name ignoring case, the unowned first.
        patch(banana, json!({"owner_id": zed_id}));
        patch(cherry, json!({"owner_id": anna_id}));
        let by_owner = walk(&app, &admin, "sort=owner");
        assert_eq!(&by_owner[2..], &[cherry, banana], "anna before zed: {by_owner:?}");
        let mut unowned = by_owner[..2].to_vec();
        unowned.sort_unstable();
        assert_eq!(unowned, vec![apple, pie]);
        // A new name moves the agent's tickets at once.
        let renamed = app.patch(&format!("/api/v1/users/{zed_id}"), Some(&admin), &json!({"name": "Aaron"}));
        assert_eq!(renamed.status, 200, "{}", renamed.text());
        assert_eq!(&walk(&app, &admin, "sort=owner")[2..], &[banana, cherry]);
        assert_eq!(&walk(&app, &admin, "sort=-owner")[..2], &[cherry, banana]);
        // Releasing a ticket makes it unowned again.
        patch(cherry, json!({"owner_id": null}));
        assert_eq!(walk(&app, &admin, "sort=owner").last(), Some(&banana));

        // Customer by name ignoring case; a customer without a name by address.
        assert_eq!(walk(&app, &admin, "sort=customer"), vec![cherry, banana, apple, pie]);
        let carol = app.get(&format!("/api/v1/tickets/{apple}"), Some(&admin)).json()["customer"]["id"].as_i64().unwrap();
        let renamed = app.patch(&format!("/api/v1/customers/{carol}"), Some(&admin), &json!({"name": "Eve"}));
        assert_eq!(renamed.status, 200, "{}", renamed.text());
        assert_eq!(walk(&app, &admin, "sort=customer"), vec![cherry, banana, pie, apple]);
        // A ticket moved to another customer follows.
        patch(pie, json!({"customer_email": "aaa@example.org"}));
        assert_eq!(walk(&app, &admin, "sort=customer")[0], pie);

        // A new title re-sorts.
        patch(cherry, json!({"title": "Aardvark"}));
        assert_eq!(walk(&app, &admin, "sort=title")[0], cherry);

        // Bad input: an unknown sort, and a cursor of another sort.
        let doc = app.get("/api/v1/tickets?sort=colour", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["sort"][0], "invalid_sort");
        assert!(doc["errors"]["sort"][0].as_str().unwrap().contains("customer"));
        let page = app.get("/api/v1/tickets?sort=title&limit=1", Some(&admin)).json();
        let cursor = text(&page, "next_cursor");
        let doc = app.get(&format!("/api/v1/tickets?sort=state&limit=1&cursor={cursor}"), Some(&admin))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["cursor"][0], "invalid_cursor");
    }

    fn counts_take_the_lists_filters(app) {
        let admin = app.admin_token();
        let first = ticket_for(&app, &admin, "Printer jammed", "kari@example.org", "Kari");
        ticket_for(&app, &admin, "Printer out of toner", "ola@example.org", "Ola");
        ticket_for(&app, &admin, "VPN down", "kari@example.org", "Kari");
        assert_eq!(count(&app, &admin, ""), (3, false));
        assert_eq!(count(&app, &admin, "q=printer"), (2, false));
        assert_eq!(count(&app, &admin, &format!("customer_id={}", first["customer"]["id"])), (2, false));
        assert_eq!(count(&app, &admin, "state_type=closed"), (0, false));
        assert_eq!(count(&app, &admin, "state_type=new&sort=-title"), (3, false));
        // The count's own path is not a ticket number.
        assert_eq!(app.get("/api/v1/tickets/count", Some(&admin)).json()["count"], 3);

        // Bad input answers per parameter, like the list.
        let doc = app.get("/api/v1/tickets/count?sort=colour", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["sort"][0], "invalid_sort");
        let doc = app.get("/api/v1/tickets/count?limit=5", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["limit"][0], "unknown_field");
        let doc = app.get("/api/v1/tickets/count?pending_before=tomorrow", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["pending_before"][0], "invalid_type");
        let doc = app.get("/api/v1/tickets/count?state_type=done", Some(&admin)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["state_type"][0], "invalid");
        assert_eq!(app.get("/api/v1/tickets/count", None).status, 401);

        // Permission-filtered like the list: an agent without rights counts nothing, a
        // customer their own, and neither may ask about escalations.
        let (_, nobody) = app.agent_with_rights("nobody@example.com", &[]);
        assert_eq!(count(&app, &nobody, ""), (0, false));
        let (_, customer) = app.create_customer("kunde@example.org");
        assert_eq!(count(&app, &customer, ""), (0, false));
        app.post("/api/v1/tickets", Some(&customer), &json!({"title": "Mine", "queue_id": GENERAL_QUEUE, "article": {"body": "b"}}));
        assert_eq!(count(&app, &customer, ""), (1, false));
        app.get("/api/v1/tickets/count?escalated=true", Some(&customer)).assert_problem(403, "forbidden");
    }

    fn pending_before_lists_the_due_reminders(app) {
        let admin = app.admin_token();
        let (me, agent) = app.agent_with_rights("ola@example.com", &["rw"]);
        let now = app.clock.now_utc();
        let reminder = id(&app.create_ticket(&admin, "Call back", "kari@example.org"));
        let auto = id(&app.create_ticket(&admin, "Close unless answered", "kari@example.org"));
        let open = id(&app.create_ticket(&admin, "Working on it", "kari@example.org"));
        let patch = |ticket: i64, body: Value| {
            let changed = app.patch(&format!("/api/v1/tickets/{ticket}"), Some(&admin), &body);
            assert_eq!(changed.status, 200, "{}", changed.text());
        };
        patch(reminder, json!({"state_id": 3, "pending_until": at(now + Duration::hours(1)), "owner_id": me}));
        patch(auto, json!({"state_id": 6, "pending_until": at(now + Duration::hours(3))}));
        patch(open, json!({"state_id": 2}));

        assert_eq!(walk(&app, &agent, &format!("pending_before={}", at(now))), Vec::<i64>::new());
        let in_two_hours = at(now + Duration::hours(2));
        assert_eq!(walk(&app, &agent, &format!("pending_before={in_two_hours}")), vec![reminder]);
        let later = at(now + Duration::hours(4));
        assert_eq!(walk(&app, &agent, &format!("pending_before={later}&sort=pending_until")), vec![reminder, auto]);
        assert_eq!(walk(&app, &agent, &format!("pending_before={later}&sort=-pending_until")), vec![auto, reminder]);
        // "Reminders due" on the dashboard: mine, reminder states only, with a count.
        let due = format!("pending_before={later}&state_type=pending_reminder&owner_id=me&sort=pending_until");
        assert_eq!(walk(&app, &agent, &due), vec![reminder]);
        assert_eq!(count(&app, &agent, &due), (1, false));
        // The pending-time sort lists only tickets that have one.
        assert_eq!(walk(&app, &agent, "sort=pending_until"), vec![reminder, auto]);
        // Leaving the pending state leaves the list.
        patch(reminder, json!({"state_id": 2}));
        assert_eq!(walk(&app, &agent, &format!("pending_before={later}")), vec![auto]);

        let doc = app.get("/api/v1/tickets?pending_before=2026-13-01", Some(&agent)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["pending_before"][0], "invalid_type");
    }

    fn an_agent_reads_their_rights_per_queue(app) {
        let admin = app.admin_token();
        let group = app.post("/api/v1/groups", Some(&admin), &json!({"name": "second-level"})).json();
        let queue = app.post("/api/v1/queues", Some(&admin), &json!({"name": "Second level", "group_id": group["id"]})).json();
        let (agent_id, agent) = app.agent_with_rights("ola@example.com", &["create", "note"]);
        app.grant(group["id"].as_i64().unwrap(), agent_id, &["rw"]);
        let mine = app.get("/api/v1/me/queues", Some(&agent));
        assert_eq!(mine.status, 200, "{}", mine.text());
        let items = mine.json()["items"].as_array().unwrap().clone();
        let rights = |name: &str| -> Vec<String> {
            let queue = items.iter().find(|q| q["name"] == name).unwrap_or_else(|| panic!("{name} in {items:?}"));
            queue["rights"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(rights("General"), vec!["ro", "create", "note"]);
        assert_eq!(rights("Second level"), vec!["ro", "move_into", "create", "note", "owner", "steal", "priority", "rw"]);
        assert_eq!(items.iter().find(|q| q["name"] == "Second level").unwrap()["id"], queue["id"]);

        // Without rights: no queue; administrators: every queue with every right.
        let (_, nobody) = app.agent_with_rights("nobody@example.com", &[]);
        assert_eq!(app.get("/api/v1/me/queues", Some(&nobody)).json()["items"], json!([]));
        let all = app.get("/api/v1/me/queues", Some(&admin)).json();
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        assert!(all["items"].as_array().unwrap().iter().all(|q| q["rights"].as_array().unwrap().len() == 8));

        // Customers and strangers may not ask.
        let (_, customer) = app.create_customer("kunde@example.org");
        app.get("/api/v1/me/queues", Some(&customer)).assert_problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/me/queues", None).status, 401);
    }
}
