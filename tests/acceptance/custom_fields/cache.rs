//! Field definitions served from the reference cache (ADR 0005): every change — through the
//! API or straight in SQL, to a field or to one of its options — is seen by the next request.

use diesel::connection::SimpleConnection;
use serde_json::json;

use super::{general_ticket, product, ticket_with};
use crate::support::GENERAL_QUEUE;

both_backends! {
    fn cached_definitions_follow_every_change_at_once(app) {
        let admin = app.admin_token();
        let field = product(&app, &[]);
        let id = field["id"].as_i64().unwrap();
        let ticket = general_ticket(&app, json!({"product": "laptop"}));
        let path = format!("/api/v1/tickets/{}", ticket["id"]);
        assert_eq!(app.get(&path, Some(&admin)).json()["custom_fields"]["product"], "laptop");

        // Retired through the API: its values are no longer shown.
        let retired = app.patch(&format!("/api/v1/custom-fields/{id}"), Some(&admin), &json!({"active": false}));
        assert_eq!(retired.status, 200, "{}", retired.text());
        let read = app.get(&path, Some(&admin)).json();
        assert!(read["custom_fields"].get("product").is_none(), "{read}");

        // Back by hand in SQL: the very next read shows the value again.
        let mut conn = app.pool().get().unwrap();
        conn.batch_execute(&format!("UPDATE custom_fields SET active = TRUE WHERE id = {id}")).unwrap();
        assert_eq!(app.get(&path, Some(&admin)).json()["custom_fields"]["product"], "laptop");
        let listed = app.get("/api/v1/tickets?cf.product=laptop", Some(&admin)).json();
        assert_eq!(listed["items"][0]["custom_fields"]["product"], "laptop", "{listed}");

        // An option retired by hand is refused for new values at once.
        conn.batch_execute(&format!(
            "UPDATE custom_field_options SET retired = TRUE WHERE field_id = {id} AND value = 'printer'"
        ))
        .unwrap();
        let refused = ticket_with(&app, &admin, GENERAL_QUEUE, json!({"product": "printer"}));
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert!(refused.text().contains("custom_fields.product"), "{}", refused.text());
    }
}
