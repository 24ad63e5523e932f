//! Full-text search: the query language, permissions (never a leak), snippets, archive,
//! attachments, relevance and paging.

use chrono::Duration;
use serde_json::{Value, json};

use crate::support::{TestApp, text};

fn ids(response: &Value) -> Vec<i64> {
    response["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

fn search(app: &TestApp, token: &str, q: &str) -> Vec<i64> {
    let encoded: String = q
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    let response = app.get(
        &format!("/api/v1/tickets?q={encoded}&limit=50"),
        Some(token),
    );
    assert_eq!(response.status, 200, "{q}: {}", response.text());
    ids(&response.json())
}

fn ticket(app: &TestApp, token: &str, title: &str, customer: &str, body: &str) -> i64 {
    let created = app.post(
        "/api/v1/tickets",
        Some(token),
        &json!({
            "title": title, "queue_id": 1, "customer_email": customer, "article": {"body": body}
        }),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()["id"].as_i64().unwrap()
}

both_backends! {
    fn odd_queries_are_answered_never_a_server_error(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let café = ticket(&app, &agent, "Abcdé kafé", "ola@uio.no", "Søknad om opptak, naïve \\ backslash");
        // Multi-byte letters where a field name would end (bytes 5 and 8) used to panic the
        // parser; backslashes, quotes and operators must reach neither SQL nor FTS5 syntax.
        for q in [
            "abcdé", "-abcdé", r"\abcdé", r"-\é", "subjéct:x", "fröm:ola", "abcdefgé", r#""\"#,
            r#"-"é\ ø" x"#, "'; DROP TABLE tickets; --", "a' OR '1'='1", "NEAR(a b)", "x AND y OR NOT z",
            "\"", "*", "-*", "é*", "ø:", "from:", "subject:\"", "%_", "\u{0}x", "日本語のチケット",
        ] {
            let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
            let response = app.get(&format!("/api/v1/tickets?q={encoded}&limit=5"), Some(&agent));
            assert!(
                response.status == 200 || response.status == 422,
                "{q:?}: {} {}", response.status, response.text()
            );
        }
        assert_eq!(search(&app, &agent, "abcdé"), vec![café]);
        assert_eq!(search(&app, &agent, "naïve"), vec![café]);
    }

    fn the_query_language_finds_words_phrases_prefixes_and_fields(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let jam = ticket(&app, &agent, "Printer on floor 3", "ola@uio.no", "The paper jam happens every morning near the toner.");
        let wifi = ticket(&app, &agent, "Eduroam down", "kari@ntnu.no", "Wifi drops in the library; printing works.");
        let søknad = ticket(&app, &agent, "Søknad om opptak", "per@uio.no", "Jeg får feilmelding ERR-4821 når jeg sender søknaden.");

        assert_eq!(search(&app, &agent, "printer"), vec![jam]);
        assert_eq!(search(&app, &agent, "PRINTER floor"), vec![jam], "all words, any case");
        assert_eq!(search(&app, &agent, "\"paper jam\""), vec![jam]);
        assert!(search(&app, &agent, "\"jam paper\"").is_empty(), "phrase order matters");
        let mut printing = search(&app, &agent, "print*");
        printing.sort();
        assert_eq!(printing, vec![jam, wifi], "printer and printing");
        assert_eq!(search(&app, &agent, "print* -toner"), vec![wifi]);
        assert_eq!(search(&app, &agent, "subject:eduroam"), vec![wifi]);
        assert!(search(&app, &agent, "subject:library").is_empty(), "library is only in the body");
        assert_eq!(search(&app, &agent, "from:ola@uio.no"), vec![jam]);
        assert_eq!(search(&app, &agent, "søknad"), vec![søknad]);
        assert_eq!(search(&app, &agent, "ERR-4821"), vec![søknad]);
        let number = app.get(&format!("/api/v1/tickets/{søknad}"), Some(&agent)).json()["number"].as_str().unwrap().to_owned();
        assert_eq!(search(&app, &agent, &number), vec![søknad], "ticket numbers are searchable");
        assert!(search(&app, &agent, "nonexistentword").is_empty());
        app.get("/api/v1/tickets?q=-only", Some(&agent)).assert_problem(422, "validation_failed");
        app.get("/api/v1/tickets?sort=relevance", Some(&agent)).assert_problem(422, "validation_failed");

        // New articles and title changes are searchable at once.
        app.post(&format!("/api/v1/tickets/{wifi}/articles"), Some(&agent), &json!({"kind": "note", "body": "Replaced the access point firmware."}));
        assert_eq!(search(&app, &agent, "firmware"), vec![wifi]);
        app.patch(&format!("/api/v1/tickets/{jam}"), Some(&agent), &json!({"title": "Laser device on floor 3"}));
        assert_eq!(search(&app, &agent, "subject:laser"), vec![jam], "the new title is indexed at once");
        // The first article keeps its subject (the old title), so the old words still find it.
        assert_eq!(search(&app, &agent, "subject:printer"), vec![jam]);
    }

    fn search_never_reveals_what_the_caller_may_not_see(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        let (_, kunde) = app.create_customer("kunde@example.org");
        let (_, other) = app.create_customer("other@example.org");
        let mine = ticket(&app, &agent, "Laptop battery", "kunde@example.org", "The battery swells.");
        app.post(&format!("/api/v1/tickets/{mine}/articles"), Some(&agent), &json!({"kind": "note", "body": "Confidential: warranty fraud suspected."}));
        let theirs = ticket(&app, &agent, "Laptop screen", "other@example.org", "The screen flickers.");

        assert_eq!(search(&app, &agent, "fraud"), vec![mine], "agents search internal notes");
        assert!(search(&app, &kunde, "fraud").is_empty(), "a customer never matches an internal note");
        assert!(search(&app, &kunde, "confidential").is_empty());
        assert_eq!(search(&app, &kunde, "battery"), vec![mine]);
        assert_eq!(search(&app, &kunde, "laptop"), vec![mine], "not the other customer's ticket");
        assert_eq!(search(&app, &other, "laptop"), vec![theirs]);
        assert!(search(&app, &outsider, "laptop").is_empty(), "no rights on the queue, nothing found");
        let snippet = app.get("/api/v1/tickets?q=warranty", Some(&kunde)).json();
        assert!(!snippet.to_string().contains("fraud"), "{snippet}");
    }

    fn results_carry_snippets_and_rank_by_relevance(app) {
        let admin = app.admin_token();
        let weak = ticket(&app, &admin, "General question", "a@example.org", "Something about a router, once.");
        let strong = ticket(&app, &admin, "Router router router", "b@example.org", "The router reboots; router logs attached; router again.");
        let response = app.get("/api/v1/tickets?q=router", Some(&admin)).json();
        assert_eq!(ids(&response), vec![strong, weak], "more and weightier hits rank first");
        let hit = &response["items"][1]["search"];
        assert!(hit["rank"].as_f64().unwrap() > 0.0);
        let snippet = &hit["snippet"];
        let text_ = text(snippet, "text");
        let first = &snippet["highlights"][0];
        let marked: String = text_.chars().skip(first["start"].as_u64().unwrap() as usize).take(first["length"].as_u64().unwrap() as usize).collect();
        assert_eq!(marked.to_lowercase(), "router");
        // Column sorts work with q too.
        let by_number = app.get("/api/v1/tickets?q=router&sort=number", Some(&admin)).json();
        assert_eq!(ids(&by_number), vec![weak, strong]);
        // Relevance pages with a cursor.
        for n in 0..5 {
            ticket(&app, &admin, &format!("Router {n}"), "c@example.org", "router");
        }
        let first = app.get("/api/v1/tickets?q=router&limit=3", Some(&admin)).json();
        let second = app.get(&format!("/api/v1/tickets?q=router&limit=3&cursor={}", text(&first, "next_cursor")), Some(&admin)).json();
        let third = app.get(&format!("/api/v1/tickets?q=router&limit=3&cursor={}", text(&second, "next_cursor")), Some(&admin)).json();
        let mut all: Vec<i64> = [ids(&first), ids(&second), ids(&third)].concat();
        assert!(third["next_cursor"].is_null());
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 7);
    }

    fn attachments_are_searched_by_name_and_text(app) {
        let admin = app.admin_token();
        let id = ticket(&app, &admin, "Logs", "a@example.org", "see attachments");
        app.post(&format!("/api/v1/tickets/{id}/articles"), Some(&admin), &json!({"kind": "note", "body": "attached",
            "attachments": [
                {"filename": "kernel-panic.txt", "content_type": "text/plain", "content_base64": "c2VnZmF1bHQgaW4gbW9kdWxlIHF1YXNhcg=="},
                {"filename": "diagram.png", "content_type": "image/png", "content_base64": "iVBORw0KGgo="}
            ]}));
        assert_eq!(search(&app, &admin, "quasar"), vec![id], "text attachment content");
        assert_eq!(search(&app, &admin, "diagram"), vec![id], "attachment name");
    }

    fn archived_tickets_are_left_out_unless_asked_for(app) {
        let admin = app.admin_token();
        let old = ticket(&app, &admin, "Old archived matter", "a@example.org", "archivable");
        app.patch(&format!("/api/v1/tickets/{old}"), Some(&admin), &json!({"state_id": 4}));
        app.clock.advance(Duration::days(400));
        let admin = app.admin_token();
        let fresh = ticket(&app, &admin, "New matter", "b@example.org", "archivable");
        assert_eq!(search(&app, &admin, "archivable"), vec![fresh]);
        let all = app.get("/api/v1/tickets?q=archivable&include_archived=true", Some(&admin)).json();
        let mut found = ids(&all);
        found.sort();
        assert_eq!(found, vec![old, fresh]);
        assert!(ids(&app.get("/api/v1/tickets?state_type=closed", Some(&admin)).json()).contains(&old), "lists without q still show it");
    }

    fn reindex_rebuilds_every_document_while_search_keeps_finding_them(app) {
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let (_, kunde) = app.create_customer("kunde@example.org");
        let mut all: Vec<i64> = (0..8)
            .map(|n| ticket(&app, &agent, &format!("Projector {n}"), "kunde@example.org", "The projector hums loudly."))
            .collect();
        all.sort();
        app.post(&format!("/api/v1/tickets/{}/articles", all[3]), Some(&agent), &json!({"kind": "note", "body": "Internal: lamp replacement overdue."}));
        app.patch(&format!("/api/v1/tickets/{}", all[5]), Some(&agent), &json!({"title": "Beamer five"}));
        let sorted = |mut ids: Vec<i64>| { ids.sort(); ids };

        let dir = tempfile::tempdir().unwrap();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let searches = std::thread::scope(|scope| {
            let searcher = scope.spawn(|| {
                let mut searches = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    assert_eq!(sorted(search(&app, &agent, "projector")), all, "a ticket went missing during the rebuild");
                    searches += 1;
                }
                searches
            });
            let rebuilt = crate::support::process::vakt_command(dir.path())
                .args(["reindex", "--batch", "1"])
                .env("DATABASE_URL", app.database_url())
                .output()
                .unwrap();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(rebuilt.status.success(), "{rebuilt:?}");
            assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("search index rebuilt"), "{rebuilt:?}");
            searcher.join().unwrap()
        });
        assert!(searches > 0);

        // The rebuilt index holds what the live one held: notes for agents only, new titles.
        assert_eq!(sorted(search(&app, &agent, "projector")), all);
        assert_eq!(search(&app, &agent, "lamp"), vec![all[3]]);
        assert!(search(&app, &kunde, "lamp").is_empty(), "an internal note stays hidden from customers");
        assert_eq!(sorted(search(&app, &kunde, "projector")), all);
        assert_eq!(search(&app, &agent, "beamer"), vec![all[5]]);
        assert_eq!(search(&app, &agent, "\"hums loudly\"").len(), all.len());
    }
}

/// A search statement that runs past `search_timeout` (PostgreSQL) is answered 422 `too_broad`
/// on `q` and holds nothing afterwards. Made deterministic by locking the search table from
/// another connection: the timeout counts the wait too.
#[test]
fn a_search_past_its_time_limit_is_too_broad_on_postgres() {
    use diesel::connection::SimpleConnection as _;
    use diesel::prelude::*;
    let Some(db) = crate::support::TestDb::postgres() else {
        return;
    };
    let url = db.url_text();
    let config = vakt_service::ServiceConfig {
        search_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let app = TestApp::start_with(db, config, vakt_http::HttpConfig::default());
    let admin = app.admin_token();
    let created = ticket(
        &app,
        &admin,
        "Quasar coolant leak",
        "kari@example.org",
        "The quasar drips.",
    );
    assert_eq!(search(&app, &admin, "quasar"), vec![created]);

    let mut blocker = diesel::PgConnection::establish(&url).unwrap();
    blocker
        .batch_execute("BEGIN; LOCK TABLE search_tickets IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    let listed = app
        .get("/api/v1/tickets?q=quasar", Some(&admin))
        .assert_problem(422, "validation_failed");
    assert_eq!(listed["error_codes"]["q"][0], "too_broad", "{listed}");
    let counted = app
        .get("/api/v1/tickets/count?q=quasar", Some(&admin))
        .assert_problem(422, "validation_failed");
    assert_eq!(counted["error_codes"]["q"][0], "too_broad", "{counted}");
    // Lists without a search are not limited.
    let plain = app.get("/api/v1/tickets?limit=5", Some(&admin));
    assert_eq!(plain.status, 200, "{}", plain.text());
    blocker.batch_execute("ROLLBACK").unwrap();

    assert_eq!(
        search(&app, &admin, "quasar"),
        vec![created],
        "nothing left behind"
    );
}

/// PostgreSQL collects the matches of a rare word through the index before reading tickets,
/// and checks tickets newest first for a common one (ADR 0006); either way a search finds
/// exactly what the index holds, in every list shape.
#[test]
fn rare_and_common_words_are_found_whichever_way_postgresql_searches() {
    use diesel::connection::SimpleConnection as _;
    use vakt_domain::search::Query;
    use vakt_persistence::search::{Audience, collects_matches_first};
    let Some(db) = crate::support::TestDb::postgres() else {
        return;
    };
    let app = TestApp::start(db);
    let admin = app.admin_token();
    let routers: Vec<i64> = (0..300)
        .map(|n| {
            ticket(
                &app,
                &admin,
                &format!("Router {n}"),
                "a@example.org",
                "The router blinks.",
            )
        })
        .collect();
    let quasar = ticket(
        &app,
        &admin,
        "Odd noise",
        "b@example.org",
        "The quasar router hums.",
    );
    let mut conn = app.pool().get().unwrap();
    conn.batch_execute("ANALYZE search_tickets").unwrap();
    let mut first =
        |q: &str| collects_matches_first(&mut conn, &Query::parse(q), Audience::Agents).unwrap();
    assert_eq!(
        first("quasar"),
        Some(true),
        "a rare word goes through the index first"
    );
    assert_eq!(
        first("router"),
        Some(false),
        "a common word walks the newest tickets"
    );
    assert_eq!(first("\"quasar router\""), Some(true));
    drop(conn);

    assert_eq!(search(&app, &admin, "quasar"), vec![quasar]);
    assert_eq!(search(&app, &admin, "\"quasar router\""), vec![quasar]);
    assert!(search(&app, &admin, "\"router quasar\"").is_empty());
    let newest: Vec<i64> = std::iter::once(quasar)
        .chain(routers.iter().rev().copied())
        .collect();
    let by_number = app
        .get(
            "/api/v1/tickets?q=router&sort=-number&limit=50",
            Some(&admin),
        )
        .json();
    assert_eq!(ids(&by_number), newest[..50].to_vec());
    let rare_by_number = app
        .get("/api/v1/tickets?q=quasar&sort=-number", Some(&admin))
        .json();
    assert_eq!(ids(&rare_by_number), vec![quasar]);
    for (q, expected) in [("router", 301), ("quasar", 1), ("router -quasar", 300)] {
        let counted = app.get(
            &format!("/api/v1/tickets/count?q={}", q.replace(' ', "%20")),
            Some(&admin),
        );
        assert_eq!(counted.status, 200, "{}", counted.text());
        assert_eq!(counted.json()["count"], expected, "{q}: {}", counted.text());
    }
}

/// SQLite looks for the newest matches slice by slice (the newest 2,000 tickets first, then
/// all): a search finds exactly the newest 300 matching tickets for a word common enough to
/// fill the first slice, for one mostly in older tickets, and for a rare one.
#[test]
fn sqlite_finds_the_newest_matches_slice_by_slice() {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Word {
        #[diesel(sql_type = Text)]
        term: String,
        #[diesel(sql_type = BigInt)]
        doc: i64,
    }
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let app = TestApp::start(crate::support::TestDb::sqlite());
    let admin = app.admin_token();
    // "quokka" is mostly in old tickets: five before 5,000 seeded ones, two after them (one
    // only in its title).
    let mut quokkas: Vec<i64> = (0..5)
        .map(|n| {
            ticket(
                &app,
                &admin,
                &format!("Old {n}"),
                "a@example.org",
                "A quokka in the server room.",
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let seeded = crate::support::process::vakt_command(dir.path())
        .args([
            "seed",
            "--tickets",
            "5000",
            "--queues",
            "2",
            "--agents",
            "2",
        ])
        .env("DATABASE_URL", app.database_url())
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    quokkas.push(ticket(
        &app,
        &admin,
        "New",
        "b@example.org",
        "Another quokka sighting.",
    ));
    quokkas.push(ticket(
        &app,
        &admin,
        "Quokka in the title",
        "c@example.org",
        "Nothing else.",
    ));

    let mut conn = app.pool().get().unwrap();
    let vakt_persistence::connection::DbConnection::Sqlite(sqlite) = &mut *conn else {
        unreachable!()
    };
    diesel::sql_query(
        "CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search_articles, 'row')",
    )
    .execute(sqlite)
    .unwrap();
    let words: Vec<Word> = diesel::sql_query(
        "SELECT term, doc FROM temp.words WHERE term GLOB '[a-z][a-z][a-z]*' ORDER BY doc DESC, term",
    )
    .load(sqlite)
    .unwrap();
    let newest = |sqlite: &mut diesel::SqliteConnection, word: &str, from: i64| -> Vec<i64> {
        let mut ids: Vec<i64> = diesel::sql_query(format!(
            "SELECT id FROM tickets WHERE id >= {from} AND id IN \
             (SELECT a.ticket_id FROM search_articles f JOIN articles a ON a.id = f.rowid \
              WHERE search_articles MATCH '\"{word}\"' \
              UNION SELECT rowid FROM search_titles WHERE search_titles MATCH '\"{word}\"') \
             ORDER BY id DESC LIMIT 300"
        ))
        .load::<Id>(sqlite)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
        ids.sort();
        ids
    };
    let last: Id = diesel::sql_query("SELECT max(id) AS id FROM tickets")
        .get_result(sqlite)
        .unwrap();
    let common = words[0].term.clone();
    assert_eq!(
        newest(sqlite, &common, last.id - 1999).len(),
        300,
        "{common} fills the first slice"
    );
    let rare = words
        .iter()
        .rev()
        .find(|w| w.doc == 1)
        .expect("a rare word")
        .term
        .clone();
    quokkas.sort();
    assert_eq!(newest(sqlite, "quokka", 0), quokkas);
    let expected: Vec<(String, Vec<i64>)> = [common.as_str(), "quokka", rare.as_str()]
        .into_iter()
        .map(|w| (w.to_owned(), newest(sqlite, w, 0)))
        .collect();
    drop(conn);

    for (word, want) in expected {
        let mut found = Vec::new();
        let first = format!("/api/v1/tickets?q={word}&include_archived=true&limit=200");
        let mut next = first.clone();
        loop {
            let page = app.get(&next, Some(&admin));
            assert_eq!(page.status, 200, "{}", page.text());
            let page = page.json();
            found.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(cursor) => next = format!("{first}&cursor={cursor}"),
                None => break,
            }
        }
        found.sort();
        assert_eq!(found, want, "{word}");
    }
}
