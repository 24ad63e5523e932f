//! Background jobs: claiming under leases, retries with backoff, dead jobs, schedules, the
//! worker pool, and exactly-once claiming by concurrent workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use serde_json::json;
use vakt_service::jobs::{
    JobContext, JobError, JobHandler, JobOutcome, JobSpec, Registry, WorkerOptions, WorkerPool,
};

fn spec(kind: &str, attempts: i32) -> JobSpec {
    JobSpec {
        max_attempts: attempts,
        ..JobSpec::new(kind, json!({"n": 1}))
    }
}

struct Counting {
    runs: Arc<AtomicUsize>,
    fail_first: usize,
}

impl JobHandler for Counting {
    fn kind(&self) -> &'static str {
        "counting"
    }
    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        assert_eq!(payload["n"], 1);
        assert!(ctx.job.attempts >= 1);
        let n = self.runs.fetch_add(1, Ordering::SeqCst);
        if n < self.fail_first {
            Err(JobError::Temporary("not yet".into()))
        } else {
            Ok(())
        }
    }
}

both_backends! {
    fn a_claimed_job_is_reclaimed_only_after_its_lease_runs_out(app) {
        let s = &app.services;
        let id = s.enqueue_job(&spec("counting", 5)).unwrap().unwrap();
        let first = s.claim_jobs("a", 10, Duration::minutes(5)).unwrap();
        assert_eq!(first.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
        assert!(s.claim_jobs("b", 10, Duration::minutes(5)).unwrap().is_empty(), "leased to a");
        app.clock.advance(Duration::minutes(6));
        let again = s.claim_jobs("b", 10, Duration::minutes(5)).unwrap();
        assert_eq!(again.len(), 1, "a died; b takes over");
        assert_eq!(again[0].attempts, 2);
        // a's late report is ignored: b holds the job now.
        s.finish_job(&first[0], "a", &JobOutcome::Done).unwrap();
        let admin = app.admin_token();
        assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&admin)).json()["status"], "running");
        s.finish_job(&again[0], "b", &JobOutcome::Done).unwrap();
        assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&admin)).json()["status"], "done");
    }

    fn failures_back_off_then_die_and_admins_retry_them(app) {
        let s = &app.services;
        let id = s.enqueue_job(&spec("counting", 2)).unwrap().unwrap();
        let job = s.claim_jobs("w", 1, Duration::minutes(5)).unwrap().remove(0);
        s.finish_job(&job, "w", &JobOutcome::Retry("smtp down".into())).unwrap();
        assert!(s.claim_jobs("w", 1, Duration::minutes(5)).unwrap().is_empty(), "backing off");
        app.clock.advance(Duration::seconds(40));
        let job = s.claim_jobs("w", 1, Duration::minutes(5)).unwrap().remove(0);
        assert_eq!(job.attempts, 2);
        s.finish_job(&job, "w", &JobOutcome::Retry("smtp still down".into())).unwrap();
        let admin = app.admin_token();
        let dead = app.get("/api/v1/jobs?status=dead", Some(&admin)).json();
        assert_eq!(dead["items"][0]["id"], id);
        assert_eq!(dead["items"][0]["last_error"], "smtp still down");
        app.clock.advance(Duration::hours(10));
        assert!(s.claim_jobs("w", 1, Duration::minutes(5)).unwrap().is_empty(), "dead jobs stay dead");
        let admin = app.admin_token();
        let retried = app.post(&format!("/api/v1/jobs/{id}/retry"), Some(&admin), &json!({}));
        assert_eq!(retried.status, 200, "{}", retried.text());
        assert_eq!(retried.json()["status"], "queued");
        assert_eq!(retried.json()["attempts"], 0);
        app.post(&format!("/api/v1/jobs/{id}/retry"), Some(&admin), &json!({})).assert_problem(409, "job_not_dead");
        assert_eq!(s.claim_jobs("w", 1, Duration::minutes(5)).unwrap().len(), 1);
    }

    fn jobs_are_for_administrators(app) {
        let (_, agent) = app.create_agent("ola@example.com", false);
        app.get("/api/v1/jobs", Some(&agent)).assert_problem(403, "forbidden");
        app.post("/api/v1/jobs/1/retry", Some(&agent), &json!({})).assert_problem(403, "forbidden");
        app.get("/api/v1/jobs", None).assert_problem(401, "unauthorized");
        let admin = app.admin_token();
        app.get("/api/v1/jobs/12345", Some(&admin)).assert_problem(404, "not_found");
        app.get("/api/v1/jobs?status=sleeping", Some(&admin)).assert_problem(422, "validation_failed");
    }

    fn a_unique_key_keeps_one_pending_job(app) {
        let keyed = JobSpec { unique_key: Some("poll:1".into()), ..spec("counting", 3) };
        assert!(app.services.enqueue_job(&keyed).unwrap().is_some());
        assert!(app.services.enqueue_job(&keyed).unwrap().is_none(), "already pending");
        let job = app.services.claim_jobs("w", 5, Duration::minutes(1)).unwrap().remove(0);
        assert!(app.services.enqueue_job(&keyed).unwrap().is_none(), "running counts as pending");
        app.services.finish_job(&job, "w", &JobOutcome::Done).unwrap();
        assert!(app.services.enqueue_job(&keyed).unwrap().is_some(), "done: a new one may be queued");
    }

    fn the_worker_pool_runs_and_retries_jobs(app) {
        let runs = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::new();
        registry.handle(Counting { runs: runs.clone(), fail_first: 0 });
        let options = WorkerOptions { workers: 2, poll_interval: StdDuration::from_millis(20), ..WorkerOptions::default() };
        let pool = WorkerPool::start(app.services.clone(), registry, options).unwrap();
        for _ in 0..10 {
            app.services.enqueue_job(&spec("counting", 3)).unwrap();
        }
        app.services.enqueue_job(&spec("no-such-kind", 3)).unwrap();
        pool.wake();
        let started = Instant::now();
        while runs.load(Ordering::SeqCst) < 10 && started.elapsed() < StdDuration::from_secs(20) {
            std::thread::sleep(StdDuration::from_millis(20));
        }
        std::thread::sleep(StdDuration::from_millis(200));
        pool.shutdown();
        assert_eq!(runs.load(Ordering::SeqCst), 10, "each job ran exactly once");
        let admin = app.admin_token();
        let done = app.get("/api/v1/jobs?status=done&kind=counting&limit=50", Some(&admin)).json();
        assert_eq!(done["items"].as_array().unwrap().len(), 10);
        let dead = app.get("/api/v1/jobs?status=dead", Some(&admin)).json();
        assert!(dead["items"][0]["last_error"].as_str().unwrap().contains("no handler"), "{dead}");
    }

    fn concurrent_workers_never_claim_the_same_job(app) {
        for _ in 0..120 {
            app.services.enqueue_job(&spec("counting", 3)).unwrap();
        }
        let claimed = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for w in 0..4 {
                let (services, claimed) = (&app.services, &claimed);
                scope.spawn(move || loop {
                    let jobs = services.claim_jobs(&format!("w{w}"), 7, Duration::minutes(5)).unwrap();
                    if jobs.is_empty() {
                        break;
                    }
                    claimed.lock().unwrap().extend(jobs.iter().map(|j| j.id));
                });
            }
        });
        let mut ids = claimed.into_inner().unwrap();
        let total = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(total, 120);
        assert_eq!(ids.len(), 120, "a job was claimed twice");
    }
}
