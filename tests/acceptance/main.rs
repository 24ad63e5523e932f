//! Black-box acceptance tests of Vakt: each test gets a fresh database (SQLite file or a
//! PostgreSQL database cloned from a migrated template) and a real HTTP server on an
//! ephemeral port, and talks to it over HTTP only. Tests in `process` start the real `vakt`
//! binary. Run with `cargo test -p vakt-server --test acceptance`; PostgreSQL tests need
//! `VAKT_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) and are
//! mandatory when `VAKT_TEST_REQUIRE_POSTGRES=1`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

mod articles;
mod auth;
mod compose;
mod custom_fields;
mod customers;
mod errors;
mod escalation;
mod escalation_bench;
mod escalation_clocks;
mod escalation_process;
mod idempotency;
mod identity;
mod jobs;
mod kb;
mod live;
mod mail;
mod mail_corpus;
mod mail_gate;
mod mail_outbound;
mod mail_quarantine;
mod mail_servers;
mod mail_support;
mod me;
mod notifications;
mod notifications_dispatch;
mod notifications_process;
mod openapi;
mod organisation;
mod permissions;
mod presence;
mod process;
mod queues;
mod reference;
mod relations;
mod reminders;
mod reports;
mod saved_searches;
mod schema;
mod search;
mod selfservice;
mod sla;
mod sla_support;
mod system;
mod text_modules;
mod ticket_lists;
mod tickets;
mod tokens;
mod users;
mod webhooks;
