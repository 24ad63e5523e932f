//! Defining, changing, retiring and deleting custom fields, with their permissions and rules.

use serde_json::json;

use super::{define, general_ticket, product, queue};

both_backends! {
    fn an_admin_defines_a_dropdown_for_two_queues_that_agents_read_and_others_cannot_write(app) {
        let (it, sales) = (queue(&app, "IT"), queue(&app, "Sales"));
        let field = product(&app, &[sales, it]);
        assert_eq!(field["key"], "product");
        assert_eq!(field["field_type"], "dropdown");
        assert_eq!(field["queue_ids"], json!([it.min(sales), it.max(sales)]));
        assert_eq!(field["options"][1]["value"], "printer");
        assert_eq!(field["labels"]["nb"], "Produkt");
        let id = field["id"].as_i64().unwrap();
        let (_, agent) = app.agent_with_rights("agent@example.com", &["rw"]);
        let list = app.get("/api/v1/custom-fields?object_type=ticket", Some(&agent));
        assert_eq!(list.status, 200, "{}", list.text());
        assert_eq!(list.json()["items"][0]["key"], "product");
        let body = json!({"object_type": "ticket", "key": "asset", "field_type": "text", "labels": {"en": "Asset"}});
        app.post("/api/v1/custom-fields", Some(&agent), &body).assert_problem(403, "forbidden");
        app.patch(&format!("/api/v1/custom-fields/{id}"), Some(&agent), &json!({"required": true}))
            .assert_problem(403, "forbidden");
        app.delete(&format!("/api/v1/custom-fields/{id}"), Some(&agent)).assert_problem(403, "forbidden");
        app.get("/api/v1/custom-fields", None).assert_problem(401, "unauthorized");
        // The audit log has the definition.
        let admin = app.admin_token();
        let log = app.get("/api/v1/audit-log?entity=custom_field", Some(&admin)).json();
        assert_eq!(log["items"][0]["action"], "create", "{log}");
        assert_eq!(log["items"][0]["entity_label"], "ticket.product", "{log}");
    }

    fn customers_see_only_the_ticket_fields_shown_to_them(app) {
        product(&app, &[]);
        define(&app, json!({"object_type": "ticket", "key": "internal_code", "field_type": "text", "labels": {"en": "Code"}}));
        let hidden = define(&app, json!({"object_type": "customer", "key": "student_no", "field_type": "text", "labels": {"en": "Student number"}}));
        let (_, customer) = app.create_customer("kari@example.org");
        let list = app.get("/api/v1/custom-fields", Some(&customer)).json();
        let keys: Vec<&str> = list["items"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
        assert_eq!(keys, vec!["product"]);
        let id = hidden["id"].as_i64().unwrap();
        app.get(&format!("/api/v1/custom-fields/{id}"), Some(&customer)).assert_problem(404, "not_found");
    }

    fn definitions_are_validated_field_by_field(app) {
        let admin = app.admin_token();
        let bad = |body: serde_json::Value, field: &str, code: &str| {
            let doc = app.post("/api/v1/custom-fields", Some(&admin), &body).assert_problem(422, "validation_failed");
            assert_eq!(doc["error_codes"][field][0], code, "{doc}");
        };
        let base = |extra: serde_json::Value| {
            let mut body = json!({"object_type": "ticket", "key": "f", "field_type": "text", "labels": {"en": "F"}});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        bad(base(json!({"key": "Bad Key"})), "key", "invalid_key");
        bad(base(json!({"labels": {}})), "labels", "required");
        bad(base(json!({"labels": {"fr": "Champ"}})), "labels.fr", "unsupported_language");
        bad(base(json!({"field_type": "dropdown"})), "options", "invalid_length");
        bad(base(json!({"options": [{"value": "a", "labels": {"en": "A"}}]})), "options", "not_applicable");
        bad(base(json!({"field_type": "multiselect", "options": [{"value": "a", "labels": {"en": "A"}}, {"value": "a", "labels": {"en": "B"}}]})), "options[1].value", "duplicate");
        bad(base(json!({"field_type": "dropdown", "options": [{"value": "a,b", "labels": {"en": "A"}}]})), "options[0].value", "invalid");
        bad(base(json!({"pattern": "(unclosed"})), "pattern", "invalid_regex");
        bad(base(json!({"field_type": "integer", "pattern": "\\d+"})), "pattern", "not_applicable");
        bad(base(json!({"field_type": "integer", "min": "ten"})), "min", "invalid_type");
        bad(base(json!({"field_type": "date", "min": "2026-12-31", "max": "2026-01-01"})), "max", "out_of_range");
        bad(base(json!({"field_type": "text", "min": "1"})), "min", "not_applicable");
        bad(base(json!({"max_length": 0})), "max_length", "out_of_range");
        bad(base(json!({"field_type": "checkbox", "max_length": 5})), "max_length", "not_applicable");
        bad(base(json!({"field_type": "integer", "max": "5", "default_value": 6})), "default_value", "out_of_range");
        bad(base(json!({"field_type": "email", "default_value": "not-an-address"})), "default_value", "invalid_email");
        bad(base(json!({"queue_ids": [999]})), "queue_ids[0]", "not_found");
        bad(base(json!({"queue_ids": []})), "queue_ids", "too_short");
        bad(base(json!({"object_type": "customer", "type_ids": [1]})), "type_ids", "not_applicable");
        bad(base(json!({"field_type": "colour"})), "field_type", "invalid_type");
        let ok = app.post("/api/v1/custom-fields", Some(&admin), &base(json!({})));
        assert_eq!(ok.status, 201, "{}", ok.text());
    }

    fn keys_are_unique_per_object_and_never_change(app) {
        let admin = app.admin_token();
        let field = define(&app, json!({"object_type": "ticket", "key": "asset", "field_type": "text", "labels": {"en": "Asset"}}));
        let again = json!({"object_type": "ticket", "key": "asset", "field_type": "integer", "labels": {"en": "Asset"}});
        app.post("/api/v1/custom-fields", Some(&admin), &again).assert_problem(409, "key_taken");
        // The same key on another object type is another field.
        define(&app, json!({"object_type": "company", "key": "asset", "field_type": "text", "labels": {"en": "Asset"}}));
        let id = field["id"].as_i64().unwrap();
        let doc = app.patch(&format!("/api/v1/custom-fields/{id}"), Some(&admin), &json!({"key": "other"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["key"][0], "unknown_field", "{doc}");
    }

    fn a_type_change_that_values_use_is_refused_and_used_options_can_only_be_retired(app) {
        let admin = app.admin_token();
        let field = product(&app, &[]);
        let id = field["id"].as_i64().unwrap();
        let path = format!("/api/v1/custom-fields/{id}");
        // Without values the type may change (and back).
        let changed = app.patch(&path, Some(&admin), &json!({"field_type": "multiselect"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        app.patch(&path, Some(&admin), &json!({"field_type": "dropdown"}));
        general_ticket(&app, json!({"product": "printer"}));
        let doc = app.patch(&path, Some(&admin), &json!({"field_type": "text", "options": []}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["field_type"][0], "type_in_use", "{doc}");
        assert!(doc["errors"]["field_type"][0].as_str().unwrap().contains("dropdown"), "{doc}");
        // Removing the used option is refused; removing an unused one and retiring the used one
        // is fine.
        let without_printer = json!({"options": [{"value": "laptop", "labels": {"en": "Laptop"}}]});
        let doc = app.patch(&path, Some(&admin), &without_printer).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["options"][0], "option_in_use", "{doc}");
        assert!(doc["errors"]["options"][0].as_str().unwrap().contains("printer"), "{doc}");
        let retired = app.patch(&path, Some(&admin), &json!({"options": [
            {"value": "printer", "labels": {"en": "Printer"}, "retired": true},
            {"value": "laptop", "labels": {"en": "Laptop"}}
        ]}));
        assert_eq!(retired.status, 200, "{}", retired.text());
        let options = &retired.json()["options"];
        assert_eq!(options[0]["value"], "printer");
        assert_eq!(options[0]["retired"], true);
        assert_eq!(options.as_array().unwrap().len(), 2);
        // A retired option is not offered to new tickets.
        let admin_ticket = crate::custom_fields::ticket_with(&app, &admin, 1, json!({"product": "printer"}));
        let doc = admin_ticket.assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["custom_fields.product"][0], "retired_option", "{doc}");
        // A field with values cannot be deleted, only retired.
        app.delete(&path, Some(&admin)).assert_problem(409, "field_in_use");
        let retired = app.patch(&path, Some(&admin), &json!({"active": false}));
        assert_eq!(retired.json()["active"], false);
        let unused = define(&app, json!({"object_type": "article", "key": "mood", "field_type": "text", "labels": {"en": "Mood"}}));
        let gone = app.delete(&format!("/api/v1/custom-fields/{}", unused["id"]), Some(&admin));
        assert_eq!(gone.status, 204);
        app.get(&format!("/api/v1/custom-fields/{}", unused["id"]), Some(&admin)).assert_problem(404, "not_found");
    }

    fn text_may_become_textarea_while_values_exist(app) {
        let admin = app.admin_token();
        let field = define(&app, json!({"object_type": "ticket", "key": "serial", "field_type": "text", "labels": {"en": "Serial"}}));
        general_ticket(&app, json!({"serial": "SN-1"}));
        let changed = app.patch(&format!("/api/v1/custom-fields/{}", field["id"]), Some(&admin), &json!({"field_type": "textarea"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!(changed.json()["field_type"], "textarea");
    }
}
