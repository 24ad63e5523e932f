//! The customer portal and the public pages: suggestions while writing (by audience),
//! deflections, and the server-rendered `/kb` pages for anonymous readers.

use serde_json::json;

use super::{article, editor};
use crate::support::text;

both_backends! {
    fn suggestions_match_the_words_and_respect_the_audience(app) {
        let (category, editor) = editor(&app);
        let public = article(&app, &editor, json!({"category_id": category, "title": "Printer jammed", "language": "en",
            "body_text": "Open the printer door and remove the paper.", "visibility": "public", "state": "published"}));
        let internal = article(&app, &editor, json!({"category_id": category, "title": "Printer service contract", "language": "en",
            "body_text": "Call the vendor about the printer.", "visibility": "internal", "state": "published"}));
        article(&app, &editor, json!({"category_id": category, "title": "Printer draft", "language": "en", "visibility": "public"}));
        article(&app, &editor, json!({"category_id": category, "title": "Skriveren sitter fast", "language": "nb",
            "body_text": "printer papir", "visibility": "public", "state": "published"}));
        let ids = |token: Option<&str>, query: &str| -> Vec<i64> {
            let r = app.get(&format!("/api/v1/kb/suggestions?{query}"), token);
            assert_eq!(r.status, 200, "{}", r.text());
            r.json()["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
        };
        let (_, kunde) = app.create_customer("kunde@example.org");
        let text_ = "text=The+printer+on+floor+3+is+jammed+again&language=en";
        assert_eq!(ids(None, text_), vec![public["id"].as_i64().unwrap()]);
        assert_eq!(ids(Some(&kunde), text_), vec![public["id"].as_i64().unwrap()]);
        let agent = ids(Some(&editor), text_);
        assert_eq!(agent, vec![public["id"].as_i64().unwrap(), internal["id"].as_i64().unwrap()], "two shared words rank first; drafts are not suggested");
        assert_eq!(ids(Some(&editor), "text=printer&limit=1").len(), 1);
        assert!(ids(None, "text=a+b+c").is_empty());
        app.get("/api/v1/kb/suggestions?text=", None).assert_problem(422, "validation_failed");

        let id = public["id"].as_i64().unwrap();
        assert_eq!(app.post(&format!("/api/v1/kb/articles/{id}/deflection"), Some(&kunde), &json!({})).status, 204);
        app.post(&format!("/api/v1/kb/articles/{id}/deflection"), Some(&editor), &json!({})).assert_problem(403, "forbidden");
        app.post(&format!("/api/v1/kb/articles/{id}/deflection"), None, &json!({})).assert_problem(401, "unauthorized");
        let iid = internal["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/kb/articles/{iid}/deflection"), Some(&kunde), &json!({})).assert_problem(404, "not_found");
        assert_eq!(app.get(&format!("/api/v1/kb/articles/{id}"), Some(&editor)).json()["deflection_count"], 1);
        assert!(app.get(&format!("/api/v1/kb/articles/{id}"), Some(&kunde)).json()["deflection_count"].is_null());
    }

    fn public_pages_render_public_articles_without_login(app) {
        let (category, editor) = editor(&app);
        let en = article(&app, &editor, json!({"category_id": category, "title": "Reset <your> password", "language": "en",
            "body_html": "<p>Use the <b>reset</b> link.</p>", "visibility": "public", "state": "published"}));
        let id = en["id"].as_i64().unwrap();
        let nb = article(&app, &editor, json!({"translation_of": id, "title": "Nytt passord", "language": "nb",
            "body_text": "Bruk lenken.", "visibility": "public", "state": "published"}));
        let customer_only = article(&app, &editor, json!({"category_id": category, "title": "VPN", "language": "en",
            "body_text": "Customers only.", "visibility": "customer", "state": "published"}));

        let page = app.get(&text(&en, "url"), None);
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(page.header("content-type").unwrap().starts_with("text/html"));
        assert!(html.contains("<title>Reset &lt;your&gt; password · Knowledge base</title>"), "{html}");
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<b>reset</b>"));
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"/kb/reset-your-password-{id}\">")));
        assert!(html.contains(&format!("hreflang=\"nb\" href=\"/kb/nytt-passord-{}\"", nb["id"])), "{html}");
        assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));

        let moved = app.agent_without_redirects().get(&format!("{}/kb/old-title-{id}", app.base_url())).call().unwrap();
        assert_eq!(moved.status(), 301);
        assert_eq!(moved.header("location"), Some(format!("/kb/reset-your-password-{id}").as_str()));
        assert_eq!(app.get(&text(&customer_only, "url"), None).status, 404);
        assert_eq!(app.get("/kb/nothing", None).status, 404);

        let index = app.get("/kb?q=password&lang=en", None).text();
        assert!(index.contains(&format!("href=\"/kb/reset-your-password-{id}\"")), "{index}");
        assert!(!index.contains("VPN"));
        let norwegian = app.request("GET", "/kb", &[("accept-language", "nb-NO,en;q=0.5")], None).text();
        assert!(norwegian.contains("Nytt passord") && !norwegian.contains("Reset"), "{norwegian}");
        // The words around the articles are in the reader's (or the article's) language too.
        assert!(norwegian.contains("<html lang=\"nb\">") && norwegian.contains("<title>Kunnskapsbase</title>"), "{norwegian}");
        assert!(norwegian.contains(">Søk</button>") && !norwegian.contains("Knowledge base"), "{norwegian}");
        let nb_page = app.get(&text(&nb, "url"), None).text();
        assert!(nb_page.contains("<title>Nytt passord · Kunnskapsbase</title>") && nb_page.contains("Også på:"), "{nb_page}");
        assert!(html.contains("Also in:") && html.contains("Sign in</a> to see more answers"), "{html}");
        let missing = app.request("GET", "/kb/nothing-0", &[("accept-language", "de-DE")], None);
        assert_eq!(missing.status, 404);
        let missing = missing.text();
        assert!(missing.contains("<h1>Nicht gefunden</h1>"), "{missing}");
        assert!(app.get("/kb?q=-x", None).text().contains("No articles found."));
    }
}
