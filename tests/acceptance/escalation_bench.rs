//! The escalation check at scale: a benchmark, run by hand against a seeded PostgreSQL database
//! of your own (it adds an SLA to every queue and writes deadlines, marks and history):
//!
//! ```text
//! vakt seed --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/vakt_sla_bench
//! VAKT_SLA_BENCH_URL=postgres://postgres@127.0.0.1:5432/vakt_sla_bench \
//!   cargo test --release -p vakt-server --test acceptance -- --ignored escalation_check_throughput --nocapture
//! ```
//!
//! It prints figures; it asserts only what must hold (everything due is recorded, once).

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use vakt_domain::{FixedClock, Principal, UserKind};
use vakt_persistence::repo::escalation::Scope;
use vakt_persistence::{DatabaseUrl, DbPool, PoolSettings};
use vakt_service::sla::{CalendarInput, SlaInput};
use vakt_service::{ServiceConfig, Services};

fn count(pool: &DbPool, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = pool.get().unwrap();
    let vakt_persistence::DbConnection::Postgresql(pg) = &mut *conn else {
        panic!("PostgreSQL only");
    };
    diesel::sql_query(sql).get_result::<N>(pg).unwrap().n
}

#[test]
#[ignore = "a benchmark: needs VAKT_SLA_BENCH_URL, a seeded PostgreSQL database of your own"]
fn escalation_check_throughput() {
    let Ok(url) = std::env::var("VAKT_SLA_BENCH_URL") else {
        eprintln!("set VAKT_SLA_BENCH_URL to a seeded PostgreSQL database of your own");
        return;
    };
    let pool = DbPool::connect(
        &DatabaseUrl::parse(&url).unwrap(),
        PoolSettings {
            max_size: 4,
            ..Default::default()
        },
    )
    .unwrap();
    vakt_persistence::migrations::run_pending(&mut pool.get().unwrap()).unwrap();
    let clock = FixedClock::new(Utc::now());
    let services = Services::new(
        pool.clone(),
        Arc::new(clock.clone()),
        ServiceConfig::default(),
        b"benchmark secret, never used to sign anything real",
    );
    let admin = Principal {
        user_id: 0,
        kind: UserKind::Agent,
        is_admin: true,
    };
    let tickets = count(&pool, "SELECT COUNT(*) AS n FROM tickets");
    let open = count(
        &pool,
        "SELECT COUNT(*) AS n FROM tickets WHERE state_type NOT IN ('closed', 'merged', 'removed')",
    );
    eprintln!("{tickets} tickets, {open} of them open");

    // An office-hours SLA as every queue's default (the queue defaults' own recompute jobs
    // are left to a server; the benchmark recomputes everything itself, timed).
    let suffix = Utc::now().timestamp();
    let day = vec!["08:00-16:00".to_owned()];
    let calendar = services
        .create_calendar(
            &admin,
            CalendarInput {
                name: Some(format!("Bench office {suffix}")),
                time_zone: Some("Europe/Oslo".into()),
                working_hours: Some(
                    [
                        chrono::Weekday::Mon,
                        chrono::Weekday::Tue,
                        chrono::Weekday::Wed,
                        chrono::Weekday::Thu,
                        chrono::Weekday::Fri,
                    ]
                    .into_iter()
                    .map(|d| (d, day.clone()))
                    .collect(),
                ),
                holidays: Some(vec!["12-25".into(), "05-17".into()]),
                ..CalendarInput::default()
            },
        )
        .unwrap();
    let sla = services
        .create_sla(
            &admin,
            SlaInput {
                name: Some(format!("Bench {suffix}")),
                calendar_id: Some(calendar.id),
                first_response_minutes: Some(Some(120)),
                update_minutes: Some(Some(480)),
                solution_minutes: Some(Some(2400)),
                warning_percent: Some(Some(75)),
                ..SlaInput::default()
            },
        )
        .unwrap();
    let queues = vakt_persistence::repo::queues::list(&mut pool.get().unwrap()).unwrap();
    for queue in &queues {
        services
            .set_queue_sla(&admin, queue.id, Some(sla.id))
            .unwrap();
    }

    let started = Instant::now();
    let recomputed = services.recompute_tickets(Scope::All, || {}).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "recomputed {recomputed} open tickets in {seconds:.1} s: {:.0} tickets/s",
        recomputed as f64 / seconds
    );

    // A month later every open ticket has warnings and breaches to record.
    clock.advance(Duration::days(30));
    let due = count(
        &pool,
        &format!(
            "SELECT COUNT(*) AS n FROM ticket_sla WHERE check_at <= '{}'",
            clock.now_naive()
        ),
    );
    let started = Instant::now();
    let report = services
        .check_escalations(StdDuration::from_secs(3600))
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "escalation check: {} tickets due, {} checked, {} warnings and {} breaches recorded in {seconds:.1} s: {:.0} tickets/s",
        due,
        report.checked,
        report.warnings,
        report.breaches,
        report.checked as f64 / seconds
    );
    assert_eq!(
        report.checked as i64, due,
        "every due ticket checked in one run"
    );

    let started = Instant::now();
    let idle = services
        .check_escalations(StdDuration::from_secs(60))
        .unwrap();
    eprintln!(
        "the next run, with nothing due among {tickets} tickets: {} checked in {:.1} ms",
        idle.checked,
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!((idle.warnings, idle.breaches), (0, 0), "recorded once");
}

trait NaiveNow {
    fn now_naive(&self) -> chrono::NaiveDateTime;
}

impl NaiveNow for FixedClock {
    fn now_naive(&self) -> chrono::NaiveDateTime {
        vakt_persistence::time::to_db(vakt_domain::Clock::now(self))
    }
}
