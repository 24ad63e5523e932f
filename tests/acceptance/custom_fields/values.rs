//! Custom field values on tickets: every type's validation, required fields and scope,
//! changes through PATCH with `If-Match`, history, and who may see and set what.

use serde_json::{Value, json};

use super::{define, general_ticket, product, queue, ticket_with};
use crate::support::GENERAL_QUEUE;

fn options(values: &[&str]) -> Value {
    json!(
        values
            .iter()
            .map(|v| json!({"value": v, "labels": {"en": v}}))
            .collect::<Vec<_>>()
    )
}

/// One field of a type: key, type, extra definition, a good value, its canonical form, and
/// bad values with their codes.
type Case = (
    &'static str,
    &'static str,
    Value,
    Value,
    Value,
    Vec<(Value, &'static str)>,
);

/// One field of every type.
fn every_type() -> Vec<Case> {
    vec![
        (
            "serial",
            "text",
            json!({"pattern": "SN-\\d+", "max_length": 8}),
            json!("SN-12"),
            json!("SN-12"),
            vec![
                (json!("XX-1"), "pattern_mismatch"),
                (json!("SN-123456"), "too_long"),
                (json!("SN-1\nSN-2"), "invalid"),
                (json!(5), "invalid_type"),
            ],
        ),
        (
            "notes",
            "textarea",
            json!({}),
            json!("line 1\nline 2"),
            json!("line 1\nline 2"),
            vec![(json!(["a"]), "invalid_type")],
        ),
        (
            "seats",
            "integer",
            json!({"min": "1", "max": "10"}),
            json!(7),
            json!(7),
            vec![
                (json!(11), "out_of_range"),
                (json!(0), "out_of_range"),
                (json!("7"), "invalid_type"),
                (json!(2.5), "invalid_type"),
            ],
        ),
        (
            "price",
            "decimal",
            json!({"min": "0"}),
            json!("012.50"),
            json!("12.5"),
            vec![
                (json!("-1"), "out_of_range"),
                (json!("12,50"), "invalid_type"),
                (json!(true), "invalid_type"),
            ],
        ),
        (
            "due",
            "date",
            json!({"max": "2030-12-31"}),
            json!("2026-12-04"),
            json!("2026-12-04"),
            vec![
                (json!("04.12.2026"), "invalid_type"),
                (json!("2031-01-01"), "out_of_range"),
            ],
        ),
        (
            "seen_at",
            "datetime",
            json!({}),
            json!("2026-12-04T10:00:00+01:00"),
            json!("2026-12-04T09:00:00Z"),
            vec![(json!("tomorrow"), "invalid_type")],
        ),
        (
            "urgent",
            "checkbox",
            json!({}),
            json!(true),
            json!(true),
            vec![(json!("yes"), "invalid_type"), (json!(1), "invalid_type")],
        ),
        (
            "device",
            "dropdown",
            json!({"options": options(&["laptop", "phone"])}),
            json!("phone"),
            json!("phone"),
            vec![
                (json!("tablet"), "unknown_option"),
                (json!(["phone"]), "invalid_type"),
            ],
        ),
        (
            "tags",
            "multiselect",
            json!({"options": options(&["a", "b", "c"])}),
            json!(["c", "a", "c"]),
            json!(["a", "c"]),
            vec![
                (json!(["x"]), "unknown_option"),
                (json!("a"), "invalid_type"),
            ],
        ),
        (
            "homepage",
            "url",
            json!({}),
            json!("https://vakt.example/x"),
            json!("https://vakt.example/x"),
            vec![
                (json!("ftp://vakt.example"), "invalid_url"),
                (json!("https://"), "invalid_url"),
            ],
        ),
        (
            "contact",
            "email",
            json!({}),
            json!("Ola@Example.org"),
            json!("ola@example.org"),
            vec![(json!("nope"), "invalid_email")],
        ),
    ]
}

both_backends! {
    fn every_type_takes_its_values_canonically_and_refuses_bad_ones_by_key(app) {
        let admin = app.admin_token();
        let mut good = json!({});
        for (key, field_type, extra, value, _, _) in every_type() {
            let mut body = json!({"object_type": "ticket", "key": key, "field_type": field_type, "labels": {"en": key}});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            define(&app, body);
            good[key] = value;
        }
        let ticket = general_ticket(&app, good);
        let id = ticket["id"].as_i64().unwrap();
        let read = app.get(&format!("/api/v1/tickets/{id}"), Some(&admin)).json();
        let listed = app.get("/api/v1/tickets", Some(&admin)).json();
        for (key, _, _, _, canonical, bad) in every_type() {
            assert_eq!(ticket["custom_fields"][key], canonical, "{key} on create");
            assert_eq!(read["custom_fields"][key], canonical, "{key} on read");
            assert_eq!(listed["items"][0]["custom_fields"][key], canonical, "{key} in lists");
            for (value, code) in bad {
                let doc = app
                    .patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"custom_fields": {key: value}}))
                    .assert_problem(422, "validation_failed");
                let pointer = format!("custom_fields.{key}");
                assert_eq!(doc["error_codes"][&pointer][0], code, "{key} = {value}: {doc}");
            }
        }
        // Clearing with null removes the value.
        let cleared = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"custom_fields": {"tags": null, "serial": ""}}));
        assert_eq!(cleared.status, 200, "{}", cleared.text());
        assert!(cleared.json()["custom_fields"].get("tags").is_none());
        assert!(cleared.json()["custom_fields"].get("serial").is_none());
        let unknown = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"custom_fields": {"nope": 1}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(unknown["error_codes"]["custom_fields.nope"][0], "unknown_field");
    }

    fn a_required_field_blocks_creation_in_its_queues_only_and_defaults_fill_in(app) {
        let it = queue(&app, "IT");
        let admin = app.admin_token();
        define(&app, json!({"object_type": "ticket", "key": "asset_tag", "field_type": "text", "labels": {"en": "Asset tag"}, "required": true, "queue_ids": [it]}));
        define(&app, json!({"object_type": "ticket", "key": "impact", "field_type": "dropdown", "labels": {"en": "Impact"}, "default_value": "low", "options": options(&["low", "high"])}));
        let doc = ticket_with(&app, &admin, it, json!({})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.asset_tag"][0], "required", "{doc}");
        let created = ticket_with(&app, &admin, it, json!({"asset_tag": "UIO-1"}));
        assert_eq!(created.status, 201, "{}", created.text());
        assert_eq!(created.json()["custom_fields"], json!({"asset_tag": "UIO-1", "impact": "low"}));
        // Not required (nor allowed) in another queue.
        let general = general_ticket(&app, json!({}));
        assert_eq!(general["custom_fields"], json!({"impact": "low"}));
        let id = general["id"].as_i64().unwrap();
        let doc = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"custom_fields": {"asset_tag": "X"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.asset_tag"][0], "not_in_scope", "{doc}");
        // Moving it into IT needs the required field; with it the move works.
        let doc = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"queue_id": it}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.asset_tag"][0], "required", "{doc}");
        let moved = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"queue_id": it, "custom_fields": {"asset_tag": "UIO-2"}}));
        assert_eq!(moved.status, 200, "{}", moved.text());
        // A required field cannot be cleared.
        let doc = app.patch(&format!("/api/v1/tickets/{id}"), Some(&admin), &json!({"custom_fields": {"asset_tag": null}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.asset_tag"][0], "required", "{doc}");
    }

    fn changes_go_through_patch_with_if_match_into_the_history(app) {
        product(&app, &[]);
        let (_, agent) = app.agent_with_rights("rw@example.com", &["rw"]);
        let ticket = general_ticket(&app, json!({"product": "laptop"}));
        let id = ticket["id"].as_i64().unwrap();
        let version = ticket["version"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{id}");
        let etag = format!("\"{version}\"");
        let changed = app.send_json_with("PATCH", &path, &agent, &[("if-match", &etag)], &json!({"custom_fields": {"product": "printer"}}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["custom_fields"]["product"], "printer");
        assert_eq!(changed.json()["version"], version + 1);
        // The old ETag no longer matches.
        app.send_json_with("PATCH", &path, &agent, &[("if-match", &etag)], &json!({"custom_fields": {"product": "phone"}}))
            .assert_problem(412, "precondition_failed");
        // Setting the same value again changes nothing.
        let same = app.patch(&path, Some(&agent), &json!({"custom_fields": {"product": "printer"}})).json();
        assert_eq!(same["version"], version + 1);
        let history = app.get(&format!("{path}/history"), Some(&agent)).json();
        let changes: Vec<(Value, Value)> = history["items"].as_array().unwrap().iter()
            .filter(|h| h["kind"] == "custom_field_changed")
            .map(|h| (h["old_value"].clone(), h["new_value"].clone()))
            .collect();
        assert_eq!(changes, vec![
            (Value::Null, json!("product: laptop")),
            (json!("product: laptop"), json!("product: printer")),
        ]);
    }

    fn setting_fields_needs_rw_and_customers_see_and_set_only_what_they_may(app) {
        product(&app, &[]);
        define(&app, json!({"object_type": "ticket", "key": "internal_code", "field_type": "text", "labels": {"en": "Code"}}));
        define(&app, json!({"object_type": "ticket", "key": "phone_no", "field_type": "text", "labels": {"en": "Phone"}, "customer_visibility": "editable"}));
        let (_, reader) = app.agent_with_rights("ro@example.com", &["ro"]);
        let (_, customer) = app.create_customer("ola@example.org");
        let ticket = general_ticket(&app, json!({"product": "laptop", "internal_code": "X1"}));
        let path = format!("/api/v1/tickets/{}", ticket["id"]);
        app.patch(&path, Some(&reader), &json!({"custom_fields": {"product": "phone"}})).assert_problem(403, "forbidden");
        let seen = app.get(&path, Some(&customer)).json();
        assert_eq!(seen["custom_fields"], json!({"product": "laptop"}), "{seen}");
        app.patch(&path, Some(&customer), &json!({"custom_fields": {"product": "phone"}})).assert_problem(403, "forbidden");
        // A hidden field is unknown to customers, as if it did not exist.
        let doc = app.patch(&path, Some(&customer), &json!({"custom_fields": {"internal_code": "Y"}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.internal_code"][0], "unknown_field");
        app.patch(&path, Some(&customer), &json!({"title": "Mine", "custom_fields": {"phone_no": "1"}})).assert_problem(403, "forbidden");
        let set = app.patch(&path, Some(&customer), &json!({"custom_fields": {"phone_no": "+47 22 00 00 00"}}));
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(set.json()["custom_fields"], json!({"phone_no": "+47 22 00 00 00", "product": "laptop"}));
        // Customers' own new tickets take editable fields only.
        let mine = app.post("/api/v1/tickets", Some(&customer), &json!({
            "title": "Help", "queue_id": GENERAL_QUEUE, "article": {"body": "Please"},
            "custom_fields": {"product": "phone"}
        }));
        mine.assert_problem(403, "forbidden");
        // Agents' filters on a hidden field say nothing to customers.
        let doc = app.get("/api/v1/tickets?cf.internal_code=X1", Some(&customer)).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["cf.internal_code"][0], "unknown_field");
    }
}

both_backends! {
    fn articles_carry_their_own_fields_with_scope_and_visibility(app) {
        let it = queue(&app, "IT");
        define(&app, json!({"object_type": "article", "key": "minutes_on_site", "field_type": "integer", "labels": {"en": "Minutes on site"}, "min": "0"}));
        define(&app, json!({"object_type": "article", "key": "call_back", "field_type": "checkbox", "labels": {"en": "Call back"}, "required": true, "queue_ids": [it], "customer_visibility": "editable"}));
        let admin = app.admin_token();
        let ticket = general_ticket(&app, json!({}));
        let id = ticket["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{id}/articles");
        let doc = app.post(&path, Some(&admin), &json!({"kind": "note", "body": "x", "custom_fields": {"minutes_on_site": -5}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.minutes_on_site"][0], "out_of_range", "{doc}");
        let doc = app.post(&path, Some(&admin), &json!({"kind": "note", "body": "x", "custom_fields": {"call_back": true}}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.call_back"][0], "not_in_scope", "{doc}");
        let note = app.post(&path, Some(&admin), &json!({"kind": "note", "body": "Visited", "custom_fields": {"minutes_on_site": 45}}));
        assert_eq!(note.status, 201, "{}", note.text());
        assert_eq!(note.json()["article"]["custom_fields"], json!({"minutes_on_site": 45}));
        let listed = app.get(&path, Some(&admin)).json();
        let last = listed["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["custom_fields"]["minutes_on_site"], 45);
        let history = app.get(&format!("/api/v1/tickets/{id}/history"), Some(&admin)).json();
        assert!(history["items"].as_array().unwrap().iter().any(|h| h["kind"] == "custom_field_changed"
            && h["new_value"] == "minutes_on_site: 45" && h["article_id"] == note.json()["article"]["id"]), "{history}");
        // In IT the required article field must be given, on the first article too.
        let doc = super::ticket_with(&app, &admin, it, json!({})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["article.custom_fields.call_back"][0], "required", "{doc}");
        let it_ticket = app.post("/api/v1/tickets", Some(&admin), &json!({
            "title": "On site", "queue_id": it, "article": {"body": "x", "custom_fields": {"call_back": false}}
        }));
        assert_eq!(it_ticket.status, 201, "{}", it_ticket.text());
        let it_id = it_ticket.json()["id"].as_i64().unwrap();
        let first = app.get(&format!("/api/v1/tickets/{it_id}/articles"), Some(&admin)).json();
        assert_eq!(first["items"][0]["custom_fields"], json!({"call_back": false}));
        let doc = app.post(&format!("/api/v1/tickets/{it_id}/articles"), Some(&admin), &json!({"kind": "note", "body": "x"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.call_back"][0], "required", "{doc}");
    }
}
