//! The worker pool: threads that claim due jobs, run the registered handler of each, and record
//! the outcome; periodic schedules keep one pending job per schedule. Handlers run on blocking
//! threads with a small Tokio runtime at hand for async I/O (SMTP, IMAP).

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration as StdDuration;

use chrono::Duration;
use vakt_persistence::repo::jobs::JobRow;

use super::{JobOutcome, JobSpec};
use crate::Services;

/// Why a handler failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// Worth retrying later (a server down, a timeout).
    Temporary(String),
    /// Retrying cannot help (a bad payload, a permanent refusal).
    Permanent(String),
}

/// What a handler gets to work with.
pub struct JobContext<'a> {
    /// The use cases.
    pub services: &'a Services,
    /// A runtime for async I/O on this worker thread.
    pub runtime: &'a tokio::runtime::Runtime,
    /// The job being run.
    pub job: &'a JobRow,
}

/// Runs the jobs of one kind.
pub trait JobHandler: Send + Sync {
    /// The kind it handles.
    fn kind(&self) -> &'static str;
    /// Runs one job.
    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError>;
}

/// A job that should always be pending: enqueued again `every` after each run.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Unique key (one pending job).
    pub key: String,
    /// Kind.
    pub kind: String,
    /// Arguments.
    pub payload: serde_json::Value,
    /// Interval between runs.
    pub every: Duration,
}

/// Handlers by kind, and periodic schedules.
#[derive(Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Box<dyn JobHandler>>,
    schedules: Vec<Schedule>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("kinds", &self.handlers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a handler for its kind.
    pub fn handle(&mut self, handler: impl JobHandler + 'static) -> &mut Self {
        self.handlers.insert(handler.kind(), Box::new(handler));
        self
    }

    /// Adds a periodic schedule.
    pub fn every(&mut self, schedule: Schedule) -> &mut Self {
        self.schedules.push(schedule);
        self
    }

    /// Runs every due job in this thread until none is due (jobs that the runs enqueue too),
    /// at most `limit` jobs; how many ran. For tests and one-off commands that must not wait
    /// for a worker pool.
    pub fn run_due(&self, services: &Services, worker: &str, limit: usize) -> usize {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return 0;
        };
        let lease = WorkerOptions::default().lease;
        let mut ran = 0;
        while ran < limit {
            let claimed = match services.claim_jobs(worker, 1, lease) {
                Ok(jobs) => jobs,
                Err(error) => {
                    log::warn!("{worker} could not claim jobs: {error}");
                    break;
                }
            };
            let Some(job) = claimed.into_iter().next() else {
                break;
            };
            run_job(self, services, &runtime, worker, &job);
            ran += 1;
        }
        ran
    }

    fn schedule_of(&self, job: &JobRow) -> Option<&Schedule> {
        job.unique_key
            .as_ref()
            .and_then(|key| self.schedules.iter().find(|s| &s.key == key))
    }
}

/// Worker pool settings.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Worker threads.
    pub workers: usize,
    /// How long an idle worker waits before looking for due jobs again.
    pub poll_interval: StdDuration,
    /// How long a claimed job is reserved for its worker.
    pub lease: Duration,
    /// Jobs claimed at once.
    pub batch: i64,
    /// A name for this process in leases (host:pid by default).
    pub process: String,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            workers: 2,
            poll_interval: StdDuration::from_secs(1),
            lease: Duration::minutes(5),
            batch: 5,
            process: format!("{}:{}", hostname(), std::process::id()),
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "vakt".into())
}

struct Shared {
    services: Services,
    registry: Registry,
    options: WorkerOptions,
    stop: AtomicBool,
    wake: (Mutex<u64>, Condvar),
}

/// Running workers; stop them with [`WorkerPool::shutdown`].
pub struct WorkerPool {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool")
            .field("threads", &self.threads.len())
            .finish()
    }
}

impl WorkerPool {
    /// Starts `options.workers` threads.
    pub fn start(
        services: Services,
        registry: Registry,
        options: WorkerOptions,
    ) -> std::io::Result<WorkerPool> {
        let shared = Arc::new(Shared {
            services,
            registry,
            options,
            stop: AtomicBool::new(false),
            wake: (Mutex::new(0), Condvar::new()),
        });
        let mut threads = Vec::new();
        for n in 0..shared.options.workers.max(1) {
            let shared = shared.clone();
            let name = format!("{}:w{n}", shared.options.process);
            threads.push(
                std::thread::Builder::new()
                    .name(format!("vakt-worker-{n}"))
                    .spawn(move || run(&shared, &name))?,
            );
        }
        Ok(WorkerPool { shared, threads })
    }

    /// Wakes idle workers now (after enqueueing work that should not wait for the next poll).
    pub fn wake(&self) {
        wake(&self.shared);
    }

    /// Asks the workers to stop after their current job and waits for them.
    pub fn shutdown(self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        wake(&self.shared);
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

fn wake(shared: &Shared) {
    let (lock, condvar) = &shared.wake;
    *lock.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    condvar.notify_all();
}

fn run(shared: &Shared, name: &str) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            log::error!("worker {name} cannot start a runtime: {error}");
            return;
        }
    };
    log::info!("worker {name} started");
    let mut last_schedule_check = None::<chrono::DateTime<chrono::Utc>>;
    while !shared.stop.load(Ordering::SeqCst) {
        let now = shared.services.now();
        if last_schedule_check.is_none_or(|t| now - t >= Duration::seconds(10)) {
            ensure_schedules(shared);
            last_schedule_check = Some(now);
        }
        let claimed =
            match shared
                .services
                .claim_jobs(name, shared.options.batch, shared.options.lease)
            {
                Ok(jobs) => jobs,
                Err(error) => {
                    log::warn!("worker {name} could not claim jobs: {error}");
                    Vec::new()
                }
            };
        let idle = claimed.is_empty();
        for job in claimed {
            run_one(shared, &runtime, name, &job);
        }
        if idle {
            let (lock, condvar) = &shared.wake;
            let guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
            let seen = *guard;
            let _ = condvar
                .wait_timeout_while(guard, shared.options.poll_interval, |n| {
                    *n == seen && !shared.stop.load(Ordering::SeqCst)
                })
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
    log::info!("worker {name} stopped");
}

fn ensure_schedules(shared: &Shared) {
    for schedule in &shared.registry.schedules {
        let spec = JobSpec {
            unique_key: Some(schedule.key.clone()),
            ..JobSpec::new(&schedule.kind, schedule.payload.clone())
        };
        if let Err(error) = shared.services.enqueue_job(&spec) {
            log::warn!("cannot schedule {}: {error}", schedule.key);
        }
    }
}

fn run_one(shared: &Shared, runtime: &tokio::runtime::Runtime, worker: &str, job: &JobRow) {
    run_job(&shared.registry, &shared.services, runtime, worker, job);
}

fn run_job(
    registry: &Registry,
    services: &Services,
    runtime: &tokio::runtime::Runtime,
    worker: &str,
    job: &JobRow,
) {
    let outcome = match registry.handlers.get(job.kind.as_str()) {
        None => JobOutcome::Dead(format!("no handler for jobs of kind {:?}", job.kind)),
        Some(handler) => match serde_json::from_str::<serde_json::Value>(&job.payload) {
            Err(error) => JobOutcome::Dead(format!("the payload is not JSON: {error}")),
            Ok(payload) => {
                let ctx = JobContext {
                    services,
                    runtime,
                    job,
                };
                match catch_unwind(AssertUnwindSafe(|| handler.run(&ctx, &payload))) {
                    Ok(Ok(())) => JobOutcome::Done,
                    Ok(Err(JobError::Temporary(error))) => JobOutcome::Retry(error),
                    Ok(Err(JobError::Permanent(error))) => JobOutcome::Dead(error),
                    Err(_) => JobOutcome::Retry("the handler panicked".into()),
                }
            }
        },
    };
    if let JobOutcome::Retry(error) | JobOutcome::Dead(error) = &outcome {
        log::warn!(
            "job {} ({}) attempt {} failed: {error}",
            job.id,
            job.kind,
            job.attempts
        );
    }
    if let Err(error) = services.finish_job(job, worker, &outcome) {
        log::error!("cannot record the outcome of job {}: {error}", job.id);
    }
    if let Some(schedule) = registry.schedule_of(job) {
        let spec = JobSpec {
            run_at: Some(services.now() + schedule.every),
            unique_key: Some(schedule.key.clone()),
            ..JobSpec::new(&schedule.kind, schedule.payload.clone())
        };
        if let Err(error) = services.enqueue_job(&spec) {
            log::warn!("cannot schedule {} again: {error}", schedule.key);
        }
    }
}
