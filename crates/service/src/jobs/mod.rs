//! Background jobs: one table and one worker pool for everything periodic or retried. A use
//! case enqueues a job in its own transaction (so the job exists exactly when the change
//! committed — the transactional outbox); workers claim due jobs under a lease, run them, and
//! finish them as done, retried with exponential backoff, or dead after too many attempts.

pub mod housekeeping;
mod worker;

pub use worker::{JobContext, JobError, JobHandler, Registry, Schedule, WorkerOptions, WorkerPool};

use chrono::{DateTime, Duration, Utc};
use vakt_domain::Principal;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::jobs::{self, JobRow, NewJob};
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::require_admin;

/// The handlers and schedules of every job kind Vakt runs, with the default intervals.
pub fn registry() -> Registry {
    registry_with(crate::sla::SlaJobOptions::default())
}

/// The handlers and schedules of every job kind Vakt runs, the SLA checks every
/// `sla.check_every`.
pub fn registry_with(sla: crate::sla::SlaJobOptions) -> Registry {
    let mut registry = Registry::new();
    registry
        .handle(housekeeping::Housekeeping)
        .every(housekeeping::schedule());
    crate::mail::register(&mut registry);
    crate::notifications::register(&mut registry);
    crate::sla::register(&mut registry, sla);
    crate::relations::register(&mut registry);
    crate::webhooks::register(&mut registry);
    crate::selfservice::register(&mut registry);
    registry
}

/// Attempts before a job is dead, unless the job says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 10;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct JobSpec {
    /// What to do; a handler is registered for each kind.
    pub kind: String,
    /// Arguments (JSON).
    pub payload: serde_json::Value,
    /// Not before (default: now).
    pub run_at: Option<DateTime<Utc>>,
    /// Runs before it is dead.
    pub max_attempts: i32,
    /// At most one queued or running job with this key.
    pub unique_key: Option<String>,
}

impl JobSpec {
    /// A job of `kind` with `payload`, due now, with the default attempts.
    pub fn new(kind: &str, payload: serde_json::Value) -> Self {
        JobSpec {
            kind: kind.to_owned(),
            payload,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            unique_key: None,
        }
    }
}

/// A job as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// Arguments (JSON text).
    pub payload: String,
    /// `queued`, `running`, `done`, `dead`.
    pub status: String,
    /// Due at.
    pub run_at: DateTime<Utc>,
    /// Runs started.
    pub attempts: i32,
    /// Runs allowed.
    pub max_attempts: i32,
    /// The last failure.
    pub last_error: Option<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Done or dead at.
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<JobRow> for Job {
    fn from(row: JobRow) -> Self {
        Job {
            id: row.id,
            kind: row.kind,
            payload: row.payload,
            status: row.status,
            run_at: from_db(row.run_at),
            attempts: row.attempts,
            max_attempts: row.max_attempts,
            last_error: row.last_error,
            created_at: from_db(row.created_at),
            finished_at: row.finished_at.map(from_db),
        }
    }
}

/// Enqueues a job on `conn` (inside the caller's transaction); `None` when a job with the same
/// unique key is pending.
pub(crate) fn enqueue(
    conn: &mut DbConnection,
    spec: &JobSpec,
    now: DateTime<Utc>,
) -> ServiceResult<Option<i64>> {
    let payload = spec.payload.to_string();
    Ok(jobs::enqueue(
        conn,
        &NewJob {
            kind: &spec.kind,
            payload: &payload,
            status: "queued",
            run_at: to_db(spec.run_at.unwrap_or(now)),
            max_attempts: spec.max_attempts.max(1),
            unique_key: spec.unique_key.as_deref(),
            created_at: to_db(now),
            updated_at: to_db(now),
        },
    )?)
}

/// The wait before retry number `attempt` (1-based): 30 s doubling up to 6 h, with ±20 %
/// jitter so that failed jobs do not retry in lockstep.
pub fn backoff(attempt: i32) -> Duration {
    let base = 30i64
        .saturating_mul(1i64 << (attempt.clamp(1, 20) - 1))
        .min(6 * 3600);
    let jitter = (rand::random::<f64>() * 0.4 - 0.2) * base as f64;
    Duration::seconds(base + jitter as i64)
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Finished.
    Done,
    /// Failed; retry later unless the attempts are used up.
    Retry(String),
    /// Failed for good (bad payload, permanent refusal).
    Dead(String),
}

impl Services {
    /// Enqueues a job in its own transaction.
    pub fn enqueue_job(&self, spec: &JobSpec) -> ServiceResult<Option<i64>> {
        let now = self.now();
        let mut conn = self.conn()?;
        enqueue(&mut conn, spec, now)
    }

    /// Claims due jobs for `worker` under a lease of `lease`.
    pub fn claim_jobs(
        &self,
        worker: &str,
        limit: i64,
        lease: Duration,
    ) -> ServiceResult<Vec<JobRow>> {
        let now = self.now();
        let mut conn = self.conn()?;
        Ok(conn.write_transaction(|conn| {
            jobs::claim(conn, worker, to_db(now), to_db(now + lease), limit)
        })?)
    }

    /// Records the outcome of a run.
    pub fn finish_job(
        &self,
        job: &JobRow,
        worker: &str,
        outcome: &JobOutcome,
    ) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        let held = match outcome {
            JobOutcome::Done => jobs::complete(&mut conn, job.id, worker, to_db(now))?,
            JobOutcome::Retry(error) if job.attempts < job.max_attempts => {
                let at = now + backoff(job.attempts);
                jobs::fail(
                    &mut conn,
                    job.id,
                    worker,
                    error,
                    Some(to_db(at)),
                    to_db(now),
                )?
            }
            JobOutcome::Retry(error) | JobOutcome::Dead(error) => {
                log::warn!(
                    "job {} ({}) is dead after {} attempts: {error}",
                    job.id,
                    job.kind,
                    job.attempts
                );
                jobs::fail(&mut conn, job.id, worker, error, None, to_db(now))?
            }
        };
        if !held {
            log::warn!("job {} finished after its lease was taken over", job.id);
        }
        Ok(())
    }

    /// Extends a running job's lease.
    pub fn extend_job(&self, job_id: i64, worker: &str, lease: Duration) -> ServiceResult<bool> {
        let until = self.now() + lease;
        let mut conn = self.conn()?;
        Ok(jobs::extend(&mut conn, job_id, worker, to_db(until))?)
    }

    /// Jobs for administrators, newest first.
    pub fn list_jobs(
        &self,
        actor: &Principal,
        status: Option<&str>,
        kind: Option<&str>,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Job>> {
        require_admin(actor)?;
        if let Some(status) = status
            && !["queued", "running", "done", "dead"].contains(&status)
        {
            return Err(ServiceError::invalid(
                "status",
                "invalid",
                "must be queued, running, done or dead",
            ));
        }
        let mut conn = self.conn()?;
        let rows = jobs::list(&mut conn, status, kind, page.after, page.fetch_limit())?;
        Ok(page.page(rows, |r| r.id).map(Job::from))
    }

    /// One job (administrators).
    pub fn get_job(&self, actor: &Principal, id: i64) -> ServiceResult<Job> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        jobs::find(&mut conn, id)?
            .map(Job::from)
            .ok_or(ServiceError::NotFound("job"))
    }

    /// Puts a dead job back in the queue (administrators).
    pub fn retry_job(&self, actor: &Principal, id: i64) -> ServiceResult<Job> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let job = jobs::find(&mut conn, id)?.ok_or(ServiceError::NotFound("job"))?;
        if !jobs::retry(&mut conn, id, to_db(now))? {
            return Err(ServiceError::Conflict {
                code: "job_not_dead",
                detail: format!("only dead jobs can be retried; this one is {}", job.status),
            });
        }
        log::info!("user {} retried job {id} ({})", actor.user_id, job.kind);
        jobs::find(&mut conn, id)?
            .map(Job::from)
            .ok_or(ServiceError::NotFound("job"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        for (attempt, base) in [(1, 30), (2, 60), (3, 120), (10, 15360)] {
            let wait = backoff(attempt).num_seconds();
            assert!(
                (base * 8 / 10..=base * 12 / 10).contains(&wait),
                "attempt {attempt}: {wait}"
            );
        }
        assert!(backoff(50).num_seconds() <= 6 * 3600 * 12 / 10);
    }
}
