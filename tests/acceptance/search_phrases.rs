//! Phrase search at scale: PostgreSQL's word pairs (a necessary condition that narrows the
//! candidates before word positions are checked), their backfill for documents indexed before
//! they existed, and tickets with too many pairs to keep. Every case runs on SQLite too, where
//! FTS5 checks positions itself: both backends must give the same answers.

use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::support::TestApp;

fn search(app: &TestApp, token: &str, q: &str) -> Vec<i64> {
    let encoded = q.replace('"', "%22").replace(' ', "%20");
    let response = app.get(
        &format!("/api/v1/tickets?q={encoded}&limit=50"),
        Some(token),
    );
    assert_eq!(response.status, 200, "{q}: {}", response.text());
    let mut ids: Vec<i64> = response.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

fn ticket(app: &TestApp, token: &str, title: &str, body: &str) -> i64 {
    let created = app.post(
        "/api/v1/tickets",
        Some(token),
        &json!({"title": title, "queue_id": 1, "customer_email": "ola@uio.no", "article": {"body": body}}),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().unwrap()
}

/// The phrase cases every backend must answer alike.
fn assert_phrases(app: &TestApp, token: &str, ids: &[i64; 4]) {
    let [both, apart, reversed, note] = *ids;
    assert_eq!(search(app, token, "\"please help\""), vec![both, note]);
    assert_eq!(search(app, token, "\"help please\""), vec![reversed]);
    assert_eq!(
        search(app, token, "please help"),
        vec![both, apart, reversed, note],
        "words, not a phrase"
    );
    assert_eq!(search(app, token, "\"please help me now\""), vec![both]);
    assert_eq!(search(app, token, "\"please help\" -urgent"), vec![note]);
    assert_eq!(search(app, token, "subject:\"printer jam\""), vec![apart]);
}

fn phrase_tickets(app: &TestApp, token: &str) -> [i64; 4] {
    let both = ticket(
        app,
        token,
        "Login fails",
        "Please help me now, the login fails. Urgent.",
    );
    let apart = ticket(
        app,
        token,
        "Printer jam",
        "Please, if you can, help with the printer.",
    );
    let reversed = ticket(app, token, "VPN", "I cannot help, please check the VPN.");
    let note = ticket(app, token, "Quota", "The quota is full.");
    let added = app.post(
        &format!("/api/v1/tickets/{note}/articles"),
        Some(token),
        &json!({"kind": "note", "body": "The customer wrote: please help."}),
    );
    assert_eq!(added.status, 201, "{}", added.text());
    [both, apart, reversed, note]
}

both_backends! {
    fn phrases_match_words_in_order_and_next_to_each_other(app) {
        let admin = app.admin_token();
        let (_, customer) = app.create_customer("ola@uio.no");
        let ids = phrase_tickets(&app, &admin);
        assert_phrases(&app, &admin, &ids);
        // Customers search their own tickets without internal notes: the note's phrase is gone.
        assert_eq!(search(&app, &customer, "\"please help\""), vec![ids[0]]);
    }

    fn documents_indexed_before_word_pairs_are_filled_in_by_the_backfill(app) {
        let admin = app.admin_token();
        let ids = phrase_tickets(&app, &admin);
        if app.pool().backend() == vakt_persistence::Backend::Postgres {
            // As after the upgrade: documents without pairs, and the backfill not run yet.
            let mut conn = app.pool().get().unwrap();
            conn.batch_execute(
                "UPDATE search_tickets SET phrase_pairs = NULL;
                 UPDATE settings SET value = '0' WHERE key = 'search_phrase_pairs';",
            )
            .unwrap();
            assert_phrases(&app, &admin, &ids);
        }
        let filled = app.services.fill_phrase_pairs(|| {}).unwrap();
        let expected = if app.pool().backend() == vakt_persistence::Backend::Postgres { 4 } else { 0 };
        assert_eq!(filled, expected);
        assert_eq!(app.services.fill_phrase_pairs(|| {}).unwrap(), 0, "nothing left to fill");
        assert_phrases(&app, &admin, &ids);
    }

    fn tickets_with_too_many_word_pairs_are_still_found_by_phrase(app) {
        let admin = app.admin_token();
        // Two articles of 25,000 distinct words each: more pairs than a ticket keeps (it is
        // then always a candidate, and word positions decide).
        let words = |from: usize| (from..from + 25_000).map(|n| format!("w{n:05}")).collect::<Vec<_>>().join(" ");
        let long = ticket(&app, &admin, "Log dump", &words(0));
        let added = app.post(
            &format!("/api/v1/tickets/{long}/articles"),
            Some(&admin),
            &json!({"kind": "note", "body": words(30_000)}),
        );
        assert_eq!(added.status, 201, "{}", added.text());
        let other = ticket(&app, &admin, "Short", "w30010 and w30011 apart");
        assert_eq!(search(&app, &admin, "\"w00010 w00011\""), vec![long]);
        // PostgreSQL keeps word positions only up to 16,383 per document: a phrase beyond that
        // is not found there (its words are); FTS5 keeps every position.
        let late_phrase = if app.pool().backend() == vakt_persistence::Backend::Sqlite { vec![long] } else { vec![] };
        assert_eq!(search(&app, &admin, "\"w30010 w30011\""), late_phrase);
        assert_eq!(search(&app, &admin, "w30010 w30011"), vec![long, other]);
        assert!(search(&app, &admin, "\"w30011 w30010\"").is_empty());
    }
}
