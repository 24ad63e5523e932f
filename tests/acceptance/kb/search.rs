//! Search: the ticket query language, ranking and snippets, and each audience sees nothing
//! beyond its level.

use serde_json::{Value, json};

use super::{article, category, group};
use crate::support::{TestApp, text};

fn titles(app: &TestApp, path: &str, token: Option<&str>) -> Vec<String> {
    let response = app.get(path, token);
    assert_eq!(response.status, 200, "{}", response.text());
    let mut titles: Vec<String> = response.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| text(a, "title"))
        .collect();
    titles.sort();
    titles
}

fn hits(app: &TestApp, q: &str, token: Option<&str>) -> Value {
    let response = app.get(&format!("/api/v1/kb/articles?q={}", urlencode(q)), token);
    assert_eq!(response.status, 200, "{q}: {}", response.text());
    response.json()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

both_backends! {
    fn each_audience_finds_nothing_beyond_its_level(app) {
        let support = group(&app, "support");
        let shared = category(&app, "Shared", support);
        let (reader_id, reader) = app.create_agent("reader@example.com", false);
        app.grant(support, reader_id, &["ro"]);
        let (editor_id, editor) = app.create_agent("editor@example.com", false);
        app.grant(support, editor_id, &["rw"]);
        let (_, outsider) = app.create_agent("outsider@example.com", false);
        let (_, kunde) = app.create_customer("kunde@example.org");
        for (title, visibility, state) in [
            ("VPN internal runbook", "internal", "published"),
            ("VPN for customers", "customer", "published"),
            ("VPN for everyone", "public", "published"),
            ("VPN draft", "public", "draft"),
            ("VPN archived", "public", "archived"),
        ] {
            article(&app, &editor, json!({"category_id": shared, "title": title, "language": "en",
                "body_text": format!("How to connect to the VPN: {title}."), "visibility": visibility, "state": state}));
        }
        let everything = vec!["VPN archived", "VPN draft", "VPN for customers", "VPN for everyone", "VPN internal runbook"];
        for (who, token, expected) in [
            ("admin", Some(app.admin_token()), everything.clone()),
            ("reader (ro)", Some(reader.clone()), everything.clone()),
            ("editor (rw)", Some(editor.clone()), everything.clone()),
            ("agent outside the group", Some(outsider.clone()), vec!["VPN for customers", "VPN for everyone"]),
            ("customer", Some(kunde.clone()), vec!["VPN for customers", "VPN for everyone"]),
            ("anonymous", None, vec!["VPN for everyone"]),
        ] {
            assert_eq!(titles(&app, "/api/v1/kb/articles?q=vpn", token.as_deref()), expected, "search as {who}");
            assert_eq!(titles(&app, "/api/v1/kb/articles", token.as_deref()), expected, "list as {who}");
            // Asking for more by filter finds nothing more.
            assert_eq!(
                titles(&app, "/api/v1/kb/articles?q=vpn&visibility=internal,customer,public&state=draft,published,archived", token.as_deref()),
                expected, "filtered search as {who}"
            );
        }
        // Nor does reading one directly.
        let internal = hits(&app, "runbook", Some(&reader))["items"][0]["id"].as_i64().unwrap();
        app.get(&format!("/api/v1/kb/articles/{internal}"), Some(&outsider)).assert_problem(404, "not_found");
        app.get(&format!("/api/v1/kb/articles/{internal}"), Some(&kunde)).assert_problem(404, "not_found");
        app.get(&format!("/api/v1/kb/articles/{internal}"), None).assert_problem(404, "not_found");
        // Categories without anything readable stay hidden from customers and anonymous readers.
        let hidden = category(&app, "Security incidents", support);
        article(&app, &editor, json!({"category_id": hidden, "title": "Breach playbook", "language": "en", "visibility": "internal", "state": "published"}));
        let names = |token: Option<&str>| -> Vec<String> {
            app.get("/api/v1/kb/categories", token).json()["items"].as_array().unwrap().iter().map(|c| text(c, "name")).collect()
        };
        assert_eq!(names(None), vec!["Shared"]);
        assert_eq!(names(Some(&kunde)), vec!["Shared"]);
        assert_eq!(names(Some(&outsider)), vec!["Security incidents", "Shared"]);
        app.get(&format!("/api/v1/kb/categories/{hidden}"), None).assert_problem(404, "not_found");
        assert!(app.get("/api/v1/kb/categories", None).json()["items"][0]["group"].is_null());
    }

    fn search_speaks_the_ticket_query_language_with_ranks_and_snippets(app) {
        let cat = category(&app, "Network", 1);
        let (_, editor) = app.agent_with_rights("editor@example.com", &["rw"]);
        let a = |title: &str, body: &str, keywords: Value| {
            article(&app, &editor, json!({"category_id": cat, "title": title, "language": "en", "body_text": body,
                "keywords": keywords, "visibility": "public", "state": "published"}))
        };
        a("Printer offline", "The printer shows ERR-4821 after a paper jam in tray 2.", json!(["printing"]));
        a("Wireless setup", "Connect to the wireless network; the printer is not involved.", json!([]));
        a("Toner low", "Replace the toner cartridge of the printer.", json!(["printer"]));
        a("Phone forwarding", "Forward calls while out of office.", json!(["telephony"]));

        let found = hits(&app, "printer", None);
        let ranked: Vec<String> = found["items"].as_array().unwrap().iter().map(|h| text(h, "title")).collect();
        assert_eq!(ranked.len(), 3);
        assert_eq!(ranked[0], "Printer offline", "a title match ranks first: {ranked:?}");
        let first = &found["items"][0]["search"];
        assert!(first["rank"].as_f64().unwrap() > 0.0);
        let snippet = text(&first["snippet"], "text");
        let start = first["snippet"]["highlights"][0]["start"].as_u64().unwrap() as usize;
        let marked: String = snippet.chars().skip(start).take(7).collect();
        assert_eq!(marked.to_lowercase(), "printer", "{first}");

        assert_eq!(titles(&app, "/api/v1/kb/articles?q=%22paper+jam%22", None), vec!["Printer offline"]);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=%22jam+paper%22", None), Vec::<String>::new());
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=print*+-toner", None), vec!["Printer offline", "Wireless setup"]);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=subject:printer", None), vec!["Printer offline"]);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=ERR-4821", None), vec!["Printer offline"]);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=telephony", None), vec!["Phone forwarding"], "keywords are searched");
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=from:editor@example.com+toner", None), vec!["Toner low"]);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=it%27s+%22out+of", None), Vec::<String>::new());
        let doc = app.get("/api/v1/kb/articles?q=-toner", None).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["q"][0], "empty_query");
        let doc = app.get("/api/v1/kb/articles?state=secret", None).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["state"][0], "invalid_choice");

        // A change is searchable at once; a deleted article is gone from the index.
        let wireless = hits(&app, "wireless", Some(&editor))["items"][0]["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/kb/articles/{wireless}"), Some(&editor), &json!({"title": "WLAN setup", "body_text": "Join the WLAN."}));
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=wireless", None), Vec::<String>::new());
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=wlan", None), vec!["WLAN setup"]);
        assert_eq!(app.delete(&format!("/api/v1/kb/articles/{wireless}"), Some(&editor)).status, 204);
        assert_eq!(titles(&app, "/api/v1/kb/articles?q=wlan", Some(&editor)), Vec::<String>::new());

        // Pages of a ranking.
        let page = app.get("/api/v1/kb/articles?q=printer&limit=1", None).json();
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let cursor = text(&page, "next_cursor");
        let next = app.get(&format!("/api/v1/kb/articles?q=printer&limit=1&cursor={cursor}"), None).json();
        assert_ne!(next["items"][0]["id"], page["items"][0]["id"]);
        assert_eq!(next["next_cursor"], Value::Null);
    }
}
