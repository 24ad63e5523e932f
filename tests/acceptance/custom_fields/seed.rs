//! `vakt seed` gives generated tickets custom field values, and `vakt seed --custom-fields`
//! gives them to tickets of a database seeded before, without touching values already there.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::support::TestApp;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.pool().get().unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut *conn)
        .unwrap()
        .n
}

fn values_of(app: &TestApp, key: &str) -> i64 {
    count(
        app,
        &format!(
            "SELECT COUNT(*) AS n FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id \
             WHERE f.object_type = 'ticket' AND f.key = '{key}'"
        ),
    )
}

fn seed(app: &TestApp, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = crate::support::process::vakt_command(dir.path())
        .arg("seed")
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

both_backends! {
    fn the_seeder_sets_fields_and_fills_them_in_later(app) {
        let admin = app.admin_token();
        seed(&app, &["--tickets", "400", "--queues", "2", "--agents", "2", "--articles-per-ticket", "1"]);
        let tickets = count(&app, "SELECT COUNT(*) AS n FROM tickets");
        assert_eq!(tickets, 400);
        // Every ticket has a product, about half a number of units, some a purchase date.
        assert_eq!(values_of(&app, "product"), tickets);
        let units = values_of(&app, "units");
        assert!((150..=250).contains(&units), "{units}");
        assert!(values_of(&app, "purchase_date") > 50);

        // The API filters and sorts by the seeded dropdown like by any other field.
        let printers = count(
            &app,
            "SELECT COUNT(*) AS n FROM custom_field_values WHERE value_text = 'printer'",
        );
        assert!(printers > 50, "{printers}");
        let every_state = "state_type=new,open,pending_reminder,pending_auto,closed,merged,removed";
        let counted = app.get(&format!("/api/v1/tickets/count?{every_state}&cf.product=printer"), Some(&admin));
        assert_eq!(counted.status, 200, "{}", counted.text());
        assert_eq!(counted.json()["count"], printers);
        let listed = app.get("/api/v1/tickets?cf.product=printer&limit=200", Some(&admin)).json();
        assert!(listed["items"].as_array().unwrap().iter().all(|t| t["custom_fields"]["product"] == "printer"), "{listed}");
        let sorted = app.get("/api/v1/tickets?sort=cf.product&limit=5", Some(&admin));
        assert_eq!(sorted.status, 200, "{}", sorted.text());
        assert_eq!(sorted.json()["items"][0]["custom_fields"]["product"], "laptop");

        // A database whose tickets lack values (seeded before, or cleared) gets them; values
        // already there are kept, and a second run writes nothing.
        let mut conn = app.pool().get().unwrap();
        conn.batch_execute(
            "DELETE FROM custom_field_values WHERE field_id IN \
             (SELECT id FROM custom_fields WHERE key = 'units')",
        )
        .unwrap();
        conn.batch_execute("UPDATE custom_field_values SET value_text = 'scanner' WHERE value_text = 'phone'")
            .unwrap();
        drop(conn);
        seed(&app, &["--custom-fields"]);
        assert_eq!(values_of(&app, "units"), units);
        assert_eq!(values_of(&app, "product"), tickets);
        assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM custom_field_values WHERE value_text = 'phone'"), 0);
        let again = seed(&app, &["--custom-fields"]);
        assert!(again.contains(": 0 values"), "{again}");
    }
}
