//! The test harness: `TestApp` (database + in-process server + HTTP client) and the
//! `both_backends!` macro.

pub mod db;
pub mod http;
pub mod process;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::{HttpServer, web};
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use vakt_domain::FixedClock;
use vakt_http::{AppState, HttpConfig, build_app};
use vakt_persistence::repo::users as users_repo;
use vakt_persistence::time::to_db;
use vakt_persistence::{DbPool, PoolSettings};
use vakt_service::bootstrap::{AdminSeed, bootstrap};
use vakt_service::{ServiceConfig, Services};

pub use db::TestDb;
pub use http::Response;

/// The first administrator every test app starts with.
pub const ADMIN_EMAIL: &str = "admin@example.com";
/// Their password.
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Runs each listed test body once per backend, as `<name>::sqlite` and `<name>::postgres`.
macro_rules! both_backends {
    ($($(#[$meta:meta])* fn $name:ident($app:ident) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                fn run($app: $crate::support::TestApp) $body
                #[test]
                fn sqlite() {
                    run($crate::support::TestApp::start($crate::support::TestDb::sqlite()));
                }
                #[test]
                fn postgres() {
                    if let Some(db) = $crate::support::TestDb::postgres() {
                        run($crate::support::TestApp::start(db));
                    }
                }
            }
        )*
    };
}

/// A running Vakt on a fresh database.
pub struct TestApp {
    /// The use cases, sharing the server's pool and clock (for setup the API cannot do yet).
    pub services: Services,
    /// The clock of the server; tests move it.
    pub clock: FixedClock,
    addr: SocketAddr,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
    agent: ureq::Agent,
    // Dropped last: the server and pool must be gone before the database is dropped.
    db: TestDb,
}

impl TestApp {
    /// The database URL, for running the `vakt` binary against the same database.
    pub fn database_url(&self) -> String {
        self.db.url_text()
    }

    /// Starts with the default configuration.
    pub fn start(db: TestDb) -> Self {
        Self::start_with(db, ServiceConfig::default(), HttpConfig::default())
    }

    /// Starts with the given configuration.
    pub fn start_with(db: TestDb, config: ServiceConfig, http: HttpConfig) -> Self {
        // Server logs on demand: VAKT_TEST_LOG=error cargo test … -- --nocapture
        let _ = env_logger::Builder::from_env("VAKT_TEST_LOG")
            .is_test(true)
            .try_init();
        let pool = DbPool::connect(
            &db.url(),
            PoolSettings {
                max_size: 4,
                ..Default::default()
            },
        )
        .expect("pool");
        vakt_persistence::migrations::run_pending(&mut pool.get().expect("connection"))
            .expect("migrations");
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
        let seed = AdminSeed {
            email: ADMIN_EMAIL.into(),
            password: Some(ADMIN_PASSWORD.into()),
        };
        let outcome = bootstrap(&pool, &clock, &seed).expect("bootstrap");
        let services = Services::new(pool, Arc::new(clock.clone()), config, &outcome.jwt_secret);
        let state = web::Data::new(AppState::new(services.clone(), http));
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || build_app(state.clone()))
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .bind("127.0.0.1:0")
                    .expect("bind");
                let addr = server.addrs()[0];
                let server = server.run();
                tx.send((addr, server.handle())).expect("report address");
                let _ = server.await;
            });
        });
        let (addr, handle) = rx.recv().expect("server started");
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(30))
            .build();
        Self {
            services,
            clock,
            addr,
            handle,
            thread: Some(thread),
            agent,
            db,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Signs in and returns the access token.
    pub fn login(&self, email: &str, password: &str) -> String {
        let response = self.post(
            "/api/v1/auth/login",
            None,
            &json!({"email": email, "password": password}),
        );
        assert_eq!(
            response.status,
            200,
            "login of {email} failed: {}",
            response.text()
        );
        response.json()["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// An access token of the first administrator.
    pub fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    }

    /// Creates an agent through the API and returns (id, access token).
    pub fn create_agent(&self, email: &str, is_admin: bool) -> (i64, String) {
        let admin = self.admin_token();
        let password = "agent-password-1";
        let response = self.post(
            "/api/v1/users",
            Some(&admin),
            &json!({"email": email, "name": email, "password": password, "is_admin": is_admin}),
        );
        assert_eq!(response.status, 201, "{}", response.text());
        (
            response.json()["id"].as_i64().expect("id"),
            self.login(email, password),
        )
    }

    /// Creates a customer user with a password directly in the database (the customer API
    /// comes with "Ticket core") and returns (id, access token).
    pub fn create_customer(&self, email: &str) -> (i64, String) {
        let password = "customer-password-1";
        let hash = vakt_service::crypto::hash_password(password).expect("hash");
        let now = to_db(self.clock.now_utc());
        let mut conn = self.services.pool().get().expect("connection");
        let id = users_repo::insert(
            &mut conn,
            &users_repo::NewUser {
                kind: "customer",
                email,
                name: email,
                password_hash: Some(&hash),
                is_admin: false,
                active: true,
                created_at: now,
                updated_at: now,
                company_id: None,
                sees_company_tickets: false,
                login: None,
            },
        )
        .expect("insert customer");
        (id, self.login(email, password))
    }

    /// The pool of the app (for direct inspection).
    pub fn pool(&self) -> &DbPool {
        self.services.pool()
    }
}

/// Reads the fixed clock through the trait.
pub trait ClockExt {
    /// The current instant.
    fn now_utc(&self) -> chrono::DateTime<Utc>;
}

impl ClockExt for FixedClock {
    fn now_utc(&self) -> chrono::DateTime<Utc> {
        vakt_domain::Clock::now(self)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A JSON value's field as text, for assertions.
pub fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_owned()
}

/// The seeded group that owns the `General` queue.
pub const USERS_GROUP: i64 = 1;
/// The seeded `General` queue.
pub const GENERAL_QUEUE: i64 = 1;

impl TestApp {
    /// Creates an agent with `rights` on the `users` group (and so on `General`).
    pub fn agent_with_rights(&self, email: &str, rights: &[&str]) -> (i64, String) {
        let (id, token) = self.create_agent(email, false);
        if !rights.is_empty() {
            self.grant(USERS_GROUP, id, rights);
        }
        (id, token)
    }

    /// Grants `rights` on `group` to user `id` (as the administrator).
    pub fn grant(&self, group: i64, id: i64, rights: &[&str]) {
        let admin = self.admin_token();
        let response = self.send_json(
            "PUT",
            &format!("/api/v1/groups/{group}/members/{id}"),
            Some(&admin),
            &json!({"rights": rights}),
        );
        assert!(
            response.status < 300,
            "granting rights failed: {}",
            response.text()
        );
    }

    /// Creates a ticket in `General` as `token` for `customer_email` and returns it.
    pub fn create_ticket(&self, token: &str, title: &str, customer_email: &str) -> Value {
        let response = self.post(
            "/api/v1/tickets",
            Some(token),
            &json!({
                "title": title,
                "queue_id": GENERAL_QUEUE,
                "customer_email": customer_email,
                "article": {"body": format!("Body of {title}")}
            }),
        );
        assert_eq!(
            response.status,
            201,
            "creating a ticket failed: {}",
            response.text()
        );
        response.json()
    }
}
