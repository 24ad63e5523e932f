//! The OpenAPI document: checked in, identical to what the code generates, and complete.

use std::collections::HashSet;

use serde_json::Value;

fn checked_in_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json")
}

fn generated_text() -> String {
    format!(
        "{}\n",
        vakt_http::openapi_document().to_pretty_json().unwrap()
    )
}

#[test]
fn the_checked_in_document_matches_the_code() {
    let checked_in = std::fs::read_to_string(checked_in_path()).unwrap_or_default();
    let generated = generated_text();
    if checked_in != generated {
        if std::env::var("VAKT_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::write(checked_in_path(), &generated).unwrap();
            return;
        }
        panic!(
            "openapi/openapi.json is out of date. Regenerate it with\n  \
             cargo run -q -p vakt-server -- openapi > openapi/openapi.json\n\
             (or run this test with VAKT_UPDATE_OPENAPI=1)"
        );
    }
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

#[test]
fn every_operation_is_fully_described() {
    let doc: Value = serde_json::from_str(&generated_text()).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "OpenAPI 3.1"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let mut ids = HashSet::new();
    for (method, path, op) in operations(&doc) {
        let name = format!("{method} {path}");
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has no operationId"));
        assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{name} has no summary"
        );
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{name} has no tag"
        );
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses
                .keys()
                .any(|s| s.starts_with('2') || s.starts_with('3')),
            "{name}: no success response"
        );
        assert!(
            responses
                .keys()
                .any(|s| s.starts_with('4') || s.starts_with('5')),
            "{name}: no error response"
        );
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert!(
                    response["content"]["application/problem+json"]["schema"]["$ref"]
                        == "#/components/schemas/Problem",
                    "{name} {status} is not a Problem"
                );
            }
        }
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        if path.starts_with("/api/v1/") && !path.starts_with("/api/v1/auth/") {
            assert!(secured, "{name} must declare its security");
        }
        if secured {
            assert!(responses.contains_key("401"), "{name} must document 401");
        }
    }
}

#[test]
fn every_reference_resolves() {
    let doc: Value = serde_json::from_str(&generated_text()).unwrap();
    fn walk<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    refs.push(target);
                }
                map.values().for_each(|v| walk(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let mut refs = Vec::new();
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for target in refs {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external ref {target}"));
        assert!(doc.pointer(pointer).is_some(), "unresolved $ref {target}");
    }
}
