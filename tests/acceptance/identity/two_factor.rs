//! Two-factor authentication (TOTP, RFC 6238): enrolment, sign-in with codes and recovery
//! codes, lockout, the administrators' policy and reset.

use serde_json::{Value, json};
use vakt_service::identity::totp::code;

use crate::support::{ClockExt, TestApp};

const PASSWORD: &str = "agent-password-1";

fn code_now(app: &TestApp, secret: &str) -> String {
    let key = code::base32_decode(secret).unwrap();
    code::code_for_step(&key, code::step_at(app.clock.now_utc().timestamp()))
}

fn login(app: &TestApp, email: &str, otp: Option<&str>) -> crate::support::Response {
    let mut body = json!({"email": email, "password": PASSWORD});
    if let Some(otp) = otp {
        body["otp"] = json!(otp);
    }
    app.post("/api/v1/auth/login", None, &body)
}

/// Sets up and confirms an app for the signed-in agent; returns (secret, recovery codes).
fn enrol(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let setup = app.post(
        "/api/v1/me/two-factor/setup",
        Some(token),
        &json!({"current_password": PASSWORD}),
    );
    assert_eq!(setup.status, 200, "{}", setup.text());
    let secret = setup.json()["secret"].as_str().unwrap().to_owned();
    let confirmed = app.post(
        "/api/v1/me/two-factor/confirm",
        Some(token),
        &json!({"code": code_now(app, &secret)}),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    let codes = confirmed.json()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

both_backends! {
    fn an_agent_enrols_an_app_and_then_needs_its_code(app) {
        let (_, token) = app.create_agent("ola@example.com", false);
        app.post("/api/v1/me/two-factor/setup", Some(&token), &json!({"current_password": "wrong"}))
            .assert_problem(422, "validation_failed");
        let setup = app.post("/api/v1/me/two-factor/setup", Some(&token), &json!({"current_password": PASSWORD}));
        assert_eq!(setup.header("cache-control"), Some("no-store"));
        let body = setup.json();
        let secret = body["secret"].as_str().unwrap().to_owned();
        assert_eq!(code::base32_decode(&secret).unwrap().len(), 20);
        assert_eq!(body["otpauth_uri"], format!("otpauth://totp/Vakt:ola@example.com?secret={secret}&issuer=Vakt&algorithm=SHA1&digits=6&period=30"));
        assert!(body["qr_svg"].as_str().unwrap().contains("<svg"));
        // Not on until confirmed.
        assert_eq!(app.get("/api/v1/me/two-factor", Some(&token)).json()["enabled"], false);
        assert_eq!(login(&app, "ola@example.com", None).status, 200);
        let wrong = app.post("/api/v1/me/two-factor/confirm", Some(&token), &json!({"code": "000000"})).assert_problem(422, "validation_failed");
        assert_eq!(wrong["error_codes"]["code"][0], "wrong_code");
        let confirmed = app.post("/api/v1/me/two-factor/confirm", Some(&token), &json!({"code": code_now(&app, &secret)}));
        let codes = confirmed.json()["recovery_codes"].as_array().unwrap().len();
        assert_eq!(codes, 10);
        assert_eq!(app.get("/api/v1/me/two-factor", Some(&token)).json(), json!({"enabled": true, "required": false, "recovery_codes_left": 10}));

        login(&app, "ola@example.com", None).assert_problem(401, "second_factor_required");
        login(&app, "ola@example.com", Some("123456")).assert_problem(401, "invalid_second_factor");
        // The confirmation used this step's code: a code is never accepted twice.
        login(&app, "ola@example.com", Some(&code_now(&app, &secret))).assert_problem(401, "invalid_second_factor");
        app.clock.advance(chrono::Duration::seconds(30));
        let signed_in = login(&app, "ola@example.com", Some(&code_now(&app, &secret)));
        assert_eq!(signed_in.status, 200, "{}", signed_in.text());
        assert_eq!(app.get("/api/v1/tickets", Some(signed_in.json()["access_token"].as_str().unwrap())).status, 200);
    }

    fn recovery_codes_work_once_and_api_tokens_need_no_code(app) {
        let (_, token) = app.create_agent("ola@example.com", false);
        let script = app.post("/api/v1/me/tokens", Some(&token), &json!({"name": "script"})).json()["secret"].as_str().unwrap().to_owned();
        let (secret, codes) = enrol(&app, &token);
        let recovery = codes[3].to_uppercase();
        assert_eq!(login(&app, "ola@example.com", Some(&recovery)).status, 200, "case and dash do not matter");
        login(&app, "ola@example.com", Some(&codes[3])).assert_problem(401, "invalid_second_factor");
        let fresh = login(&app, "ola@example.com", Some(&codes[0])).json()["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.get("/api/v1/me/two-factor", Some(&fresh)).json()["recovery_codes_left"], 8);
        assert_eq!(app.get("/api/v1/me", Some(&script)).status, 200, "scripts keep working");

        // New codes need a current app code; the old ones stop working.
        app.clock.advance(chrono::Duration::seconds(30));
        let renewed = app.post("/api/v1/me/two-factor/recovery-codes", Some(&fresh), &json!({"code": code_now(&app, &secret)}));
        assert_eq!(renewed.status, 200, "{}", renewed.text());
        login(&app, "ola@example.com", Some(&codes[1])).assert_problem(401, "invalid_second_factor");
        let new_code = renewed.json()["recovery_codes"][0].as_str().unwrap().to_owned();
        assert_eq!(login(&app, "ola@example.com", Some(&new_code)).status, 200);

        // Turning it off needs the password.
        let body = json!({"current_password": PASSWORD}).to_string();
        let off = app.request("DELETE", "/api/v1/me/two-factor", &[("authorization", &format!("Bearer {fresh}")), ("content-type", "application/json")], Some(body.as_bytes()));
        assert_eq!(off.status, 204, "{}", off.text());
        assert_eq!(login(&app, "ola@example.com", None).status, 200);
    }

    fn wrong_codes_count_towards_the_lockout(app) {
        let (_, token) = app.create_agent("ola@example.com", false);
        enrol(&app, &token);
        for _ in 0..5 {
            login(&app, "ola@example.com", Some("000000")).assert_problem(401, "invalid_second_factor");
        }
        login(&app, "ola@example.com", Some("000000")).assert_problem(429, "too_many_requests");
    }

    fn the_policy_makes_agents_enrol_before_anything_else(app) {
        let admin = app.admin_token();
        let (_, ola_token) = app.create_agent("ola@example.com", false);
        app.send_json("PUT", "/api/v1/settings/two-factor", Some(&ola_token), &json!({"required_for": "agents"}))
            .assert_problem(403, "forbidden");
        let set = app.send_json("PUT", "/api/v1/settings/two-factor", Some(&admin), &json!({"required_for": "agents"}));
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(app.get("/api/v1/settings/two-factor", Some(&admin)).json(), json!({"required_for": "agents"}));
        let entry = &app.get("/api/v1/audit-log?entity=setting", Some(&admin)).json()["items"][0];
        assert_eq!(entry["before"], json!({"two_factor_required": "optional"}));
        assert_eq!(entry["after"], json!({"two_factor_required": "agents"}));

        // Ola has no app yet: the new session may only set one up.
        let session = login(&app, "ola@example.com", None).json();
        let limited = session["access_token"].as_str().unwrap().to_owned();
        app.get("/api/v1/tickets", Some(&limited)).assert_problem(403, "two_factor_enrolment_required");
        app.get(&format!("/api/v1/events/stream?access_token={limited}"), None).assert_problem(403, "two_factor_enrolment_required");
        assert_eq!(app.get("/api/v1/me", Some(&limited)).status, 200);
        assert_eq!(app.get("/api/v1/me/two-factor", Some(&limited)).json()["required"], true);
        let (secret, _) = enrol(&app, &limited);
        app.get("/api/v1/tickets", Some(&limited)).assert_problem(403, "two_factor_enrolment_required");
        let full = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session["refresh_token"]})).json();
        assert_eq!(app.get("/api/v1/tickets", Some(full["access_token"].as_str().unwrap())).status, 200);

        // Required: it cannot be turned off.
        let body = json!({"current_password": PASSWORD}).to_string();
        let off = app.request("DELETE", "/api/v1/me/two-factor", &[("authorization", &format!("Bearer {}", full["access_token"].as_str().unwrap())), ("content-type", "application/json")], Some(body.as_bytes()));
        assert_eq!(off.status, 409, "{}", off.text());
        assert_eq!(off.json()["code"], "two_factor_required");
        let _ = secret;
    }

    fn an_administrator_resets_a_lost_phone(app) {
        let admin = app.admin_token();
        let (ola, token) = app.create_agent("ola@example.com", false);
        let (_, kari) = app.create_agent("kari@example.com", false);
        enrol(&app, &token);
        app.delete(&format!("/api/v1/users/{ola}/two-factor"), Some(&kari)).assert_problem(403, "forbidden");
        assert_eq!(app.delete(&format!("/api/v1/users/{ola}/two-factor"), Some(&admin)).status, 204);
        app.get("/api/v1/me", Some(&token)).assert_problem(401, "invalid_token");
        assert_eq!(login(&app, "ola@example.com", None).status, 200);
        let entry: Value = app.get(&format!("/api/v1/audit-log?user_id={ola}&entity=two_factor"), Some(&admin)).json()["items"][0].clone();
        assert_eq!(entry["action"], "reset");
        assert_eq!(entry["actor"], "admin@example.com");
        app.delete(&format!("/api/v1/users/{ola}/two-factor"), Some(&admin)).assert_problem(404, "not_found");
    }
}
