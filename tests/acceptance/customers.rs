//! Customer users and customer companies, and customers signing in by email or login name.

use serde_json::{Value, json};

use crate::support::{ADMIN_EMAIL, TestApp};

fn create_company(app: &TestApp, token: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/customer-companies", Some(token), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

both_backends! {
    fn agents_create_get_list_and_change_customers(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let created = app.post("/api/v1/customers", Some(&agent), &json!({
            "email": " Kari.Nordmann@Example.NET ", "name": " Kari Nordmann ", "login": "Kari.N"
        }));
        assert_eq!(created.status, 201, "{}", created.text());
        let kari = created.json();
        let id = kari["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/customers/{id}").as_str()));
        assert_eq!((kari["email"].clone(), kari["name"].clone(), kari["login"].clone()), (json!("kari.nordmann@example.net"), json!("Kari Nordmann"), json!("kari.n")));
        assert_eq!((kari["company_id"].clone(), kari["sees_company_tickets"].clone(), kari["active"].clone(), kari["has_password"].clone()), (json!(null), json!(false), json!(true), json!(false)));
        assert_eq!(app.get(&format!("/api/v1/customers/{id}"), Some(&agent)).json(), kari);

        let changed = app.patch(&format!("/api/v1/customers/{id}"), Some(&agent), &json!({"name": "Kari N.", "login": null, "email": "kari@example.net"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!((changed.json()["name"].clone(), changed.json()["login"].clone(), changed.json()["email"].clone()), (json!("Kari N."), json!(null), json!("kari@example.net")));

        let per = app.post("/api/v1/customers", Some(&agent), &json!({"email": "per@example.org", "name": "Per Hansen"})).json();
        let list = app.get("/api/v1/customers", Some(&agent)).json();
        assert_eq!(ids(&list), vec![id, per["id"].as_i64().unwrap()], "customers only, by id");
        assert_eq!(ids(&app.get("/api/v1/customers?search=HANSEN", Some(&agent)).json()), vec![per["id"].as_i64().unwrap()]);
        assert_eq!(ids(&app.get("/api/v1/customers?search=example.net", Some(&agent)).json()), vec![id]);
        let page = app.get("/api/v1/customers?limit=1", Some(&agent)).json();
        assert_eq!(ids(&page), vec![id]);
        let next = app.get(&format!("/api/v1/customers?limit=1&cursor={}", page["next_cursor"].as_str().unwrap()), Some(&agent)).json();
        assert_eq!(ids(&next), vec![per["id"].as_i64().unwrap()]);
        assert!(next["next_cursor"].is_null());
        app.get("/api/v1/customers?limit=0", Some(&agent)).assert_problem(422, "validation_failed");
        app.get("/api/v1/customers?owner=1", Some(&agent)).assert_problem(422, "validation_failed");
    }

    fn customer_input_is_validated(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let doc = app.post("/api/v1/customers", Some(&agent), &json!({"email": "nope", "name": "", "login": "kari nordmann"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["email"][0], "invalid_email");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        assert_eq!(doc["error_codes"]["login"][0], "invalid_login");
        let doc = app.post("/api/v1/customers", Some(&agent), &json!({"email": "a@b.no", "name": "A", "login": "a@b.no"}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["login"][0], "invalid_login", "a login never looks like an email");
        let doc = app.post("/api/v1/customers", Some(&agent), &json!({"email": "a@b.no", "name": "A", "company_id": 999999}))
            .assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["company_id"][0], "not_found");
        let id = app.post("/api/v1/customers", Some(&agent), &json!({"email": "a@b.no", "name": "A"})).json()["id"].as_i64().unwrap();
        let doc = app.patch(&format!("/api/v1/customers/{id}"), Some(&agent), &json!({"company_id": 999999})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["company_id"][0], "not_found");
        assert_eq!(app.get("/api/v1/customers", Some(&agent)).json()["items"].as_array().unwrap().len(), 1);
    }

    fn customer_emails_and_logins_are_unique(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let (_, _) = app.create_customer("kunde@example.com");
        app.post("/api/v1/customers", Some(&agent), &json!({"email": ADMIN_EMAIL.to_uppercase(), "name": "Not the admin"}))
            .assert_problem(409, "email_taken");
        app.post("/api/v1/customers", Some(&agent), &json!({"email": "KUNDE@example.com", "name": "Twin"}))
            .assert_problem(409, "email_taken");
        let kari = app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@example.com", "name": "Kari", "login": "kari"})).json();
        app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari2@example.com", "name": "Kari 2", "login": "KARI"}))
            .assert_problem(409, "login_taken");
        let per = app.post("/api/v1/customers", Some(&agent), &json!({"email": "per@example.com", "name": "Per"})).json();
        let per_path = format!("/api/v1/customers/{}", per["id"]);
        app.patch(&per_path, Some(&agent), &json!({"email": "kari@example.com"})).assert_problem(409, "email_taken");
        app.patch(&per_path, Some(&agent), &json!({"email": "ola@example.com"})).assert_problem(409, "email_taken");
        app.patch(&per_path, Some(&agent), &json!({"login": "kari"})).assert_problem(409, "login_taken");
        // Keeping one's own email and login is no conflict.
        let same = app.patch(&format!("/api/v1/customers/{}", kari["id"]), Some(&agent), &json!({"email": "kari@example.com", "login": "kari"}));
        assert_eq!(same.status, 200, "{}", same.text());
    }

    fn only_administrators_set_passwords_and_deactivate_customers(app) {
        let admin = app.admin_token();
        let (_, agent) = app.create_agent("ola@example.com", false);
        app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@example.com", "name": "Kari", "password": "long enough"}))
            .assert_problem(403, "forbidden");
        assert_eq!(app.get("/api/v1/customers", Some(&agent)).json()["items"], json!([]), "nothing was created");
        let created = app.post("/api/v1/customers", Some(&admin), &json!({"email": "kari@example.com", "name": "Kari", "login": "kari", "password": "long enough"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["has_password"], true);
        let path = format!("/api/v1/customers/{id}");
        app.patch(&path, Some(&agent), &json!({"password": "another one"})).assert_problem(403, "forbidden");
        app.patch(&path, Some(&agent), &json!({"active": false})).assert_problem(403, "forbidden");
        let doc = app.patch(&path, Some(&admin), &json!({"password": "short"})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["password"][0], "too_short");

        // The customer signs in with the email or the login name (any case).
        let token = app.login("kari@example.com", "long enough");
        assert_eq!(app.get("/api/v1/me", Some(&token)).json()["id"], id);
        app.login("KARI", "long enough");
        app.post("/api/v1/auth/login", None, &json!({"email": "kari", "password": "wrong one!"})).assert_problem(401, "invalid_credentials");
        app.post("/api/v1/auth/login", None, &json!({"email": "nobody", "password": "wrong one!"})).assert_problem(401, "invalid_credentials");

        let changed = app.patch(&path, Some(&admin), &json!({"password": "a new password"}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        app.post("/api/v1/auth/login", None, &json!({"email": "kari", "password": "long enough"})).assert_problem(401, "invalid_credentials");
        let token = app.login("kari", "a new password");
        let changed = app.patch(&path, Some(&admin), &json!({"active": false}));
        assert_eq!(changed.json()["active"], false);
        app.get("/api/v1/me", Some(&token)).assert_problem(401, "invalid_token");
        app.post("/api/v1/auth/login", None, &json!({"email": "kari", "password": "a new password"})).assert_problem(401, "invalid_credentials");
        let listed = app.get("/api/v1/customers?active=false", Some(&agent)).json();
        assert_eq!(ids(&listed), vec![id]);
    }

    fn customers_join_the_company_of_their_mail_domain(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let uio = create_company(&app, &agent, json!({"name": "Universitetet i Oslo", "email_domain": " UiO.no "}));
        let ntnu = create_company(&app, &agent, json!({"name": "NTNU", "email_domain": "ntnu.no"}));
        assert_eq!(app.get(&format!("/api/v1/customer-companies/{uio}"), Some(&agent)).json()["email_domain"], "uio.no");
        let kari = app.post("/api/v1/customers", Some(&agent), &json!({"email": "kari@UIO.no", "name": "Kari"})).json();
        assert_eq!(kari["company_id"], uio);
        let per = app.post("/api/v1/customers", Some(&agent), &json!({"email": "per@uio.no", "name": "Per", "company_id": ntnu, "sees_company_tickets": true})).json();
        assert_eq!((per["company_id"].as_i64(), per["sees_company_tickets"].clone()), (Some(ntnu), json!(true)), "an explicit company wins");
        let other = app.post("/api/v1/customers", Some(&agent), &json!({"email": "x@sub.uio.no", "name": "X"})).json();
        assert!(other["company_id"].is_null(), "only the exact domain");
        // An inactive company takes no one in by domain.
        app.patch(&format!("/api/v1/customer-companies/{ntnu}"), Some(&agent), &json!({"active": false}));
        let ola = app.post("/api/v1/customers", Some(&agent), &json!({"email": "ola@ntnu.no", "name": "Ola"})).json();
        assert!(ola["company_id"].is_null());

        let members = app.get(&format!("/api/v1/customers?company_id={uio}"), Some(&agent)).json();
        assert_eq!(ids(&members), vec![kari["id"].as_i64().unwrap()]);
        let moved = app.patch(&format!("/api/v1/customers/{}", kari["id"]), Some(&agent), &json!({"company_id": null}));
        assert!(moved.json()["company_id"].is_null());
        assert_eq!(app.get(&format!("/api/v1/customers?company_id={uio}"), Some(&agent)).json()["items"], json!([]));
    }

    fn agents_manage_customer_companies(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        let created = app.post("/api/v1/customer-companies", Some(&agent), &json!({"name": " Acme ", "email_domain": "acme.example", "notes": "Pays late"}));
        assert_eq!(created.status, 201, "{}", created.text());
        let acme = created.json();
        let id = acme["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/customer-companies/{id}").as_str()));
        assert_eq!((acme["name"].clone(), acme["active"].clone(), acme["notes"].clone()), (json!("Acme"), json!(true), json!("Pays late")));
        assert_eq!(app.get(&format!("/api/v1/customer-companies/{id}"), Some(&agent)).json(), acme);
        let beta = create_company(&app, &agent, json!({"name": "Beta"}));
        create_company(&app, &agent, json!({"name": "Gamma"}));

        let changed = app.patch(&format!("/api/v1/customer-companies/{id}"), Some(&agent), &json!({"email_domain": null, "name": "Acme AS", "active": false}));
        assert_eq!(changed.status, 200, "{}", changed.text());
        assert_eq!((changed.json()["email_domain"].clone(), changed.json()["name"].clone(), changed.json()["active"].clone()), (json!(null), json!("Acme AS"), json!(false)));
        app.post("/api/v1/customer-companies", Some(&agent), &json!({"name": "Beta"})).assert_problem(409, "name_taken");
        app.patch(&format!("/api/v1/customer-companies/{beta}"), Some(&agent), &json!({"name": "Acme AS"})).assert_problem(409, "name_taken");
        for bad in ["@acme.example", "acme..example", "not a domain", ""] {
            let doc = app.post("/api/v1/customer-companies", Some(&agent), &json!({"name": "Delta", "email_domain": bad})).assert_problem(422, "validation_failed");
            assert_eq!(doc["error_codes"]["email_domain"][0], "invalid_domain", "{bad}");
        }
        let doc = app.post("/api/v1/customer-companies", Some(&agent), &json!({"name": "  "})).assert_problem(422, "validation_failed");
        assert_eq!(doc["error_codes"]["name"][0], "required");
        app.get("/api/v1/customer-companies/999999", Some(&agent)).assert_problem(404, "not_found");
        app.patch("/api/v1/customer-companies/999999", Some(&agent), &json!({"notes": ""})).assert_problem(404, "not_found");

        assert_eq!(ids(&app.get("/api/v1/customer-companies?search=ACME", Some(&agent)).json()), vec![id]);
        let page = app.get("/api/v1/customer-companies?limit=2", Some(&agent)).json();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let rest = app.get(&format!("/api/v1/customer-companies?limit=2&cursor={}", page["next_cursor"].as_str().unwrap()), Some(&agent)).json();
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
        assert!(rest["next_cursor"].is_null());
    }

    fn customer_endpoints_are_for_agents_only(app) {
        let admin = app.admin_token();
        let (agent_id, _) = app.create_agent("ola@example.com", false);
        let (customer_id, customer) = app.create_customer("kunde@example.com");
        let company = create_company(&app, &admin, json!({"name": "Acme"}));
        for (token, status, code) in [(Some(customer.as_str()), 403, "forbidden"), (None, 401, "unauthorized")] {
            app.get("/api/v1/customers", token).assert_problem(status, code);
            app.post("/api/v1/customers", token, &json!({"email": "x@example.com", "name": "X"})).assert_problem(status, code);
            app.get(&format!("/api/v1/customers/{customer_id}"), token).assert_problem(status, code);
            app.patch(&format!("/api/v1/customers/{customer_id}"), token, &json!({"sees_company_tickets": true})).assert_problem(status, code);
            app.get("/api/v1/customer-companies", token).assert_problem(status, code);
            app.post("/api/v1/customer-companies", token, &json!({"name": "Mine"})).assert_problem(status, code);
            app.get(&format!("/api/v1/customer-companies/{company}"), token).assert_problem(status, code);
            app.patch(&format!("/api/v1/customer-companies/{company}"), token, &json!({"name": "Mine"})).assert_problem(status, code);
        }
        // Agents are not customers.
        app.get(&format!("/api/v1/customers/{agent_id}"), Some(&admin)).assert_problem(404, "not_found");
        app.patch(&format!("/api/v1/customers/{agent_id}"), Some(&admin), &json!({"name": "x"})).assert_problem(404, "not_found");
        app.get("/api/v1/customers/999999", Some(&admin)).assert_problem(404, "not_found");
        let list = app.get("/api/v1/customers", Some(&admin)).json();
        assert_eq!(ids(&list), vec![customer_id]);
        assert_eq!(app.get(&format!("/api/v1/customers/{customer_id}"), Some(&admin)).json()["sees_company_tickets"], false);
    }
}
