//! The `jobs` table: enqueueing, claiming under a lease, finishing. Claiming is the one
//! backend-specific query: PostgreSQL uses `FOR UPDATE SKIP LOCKED` so that workers of many
//! processes take different jobs without waiting; SQLite has a single writer anyway.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::connection::DbConnection;
use crate::schema::jobs;
use crate::unique_violation;

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    /// Id.
    pub id: i64,
    /// What to do (`send_mail`, `poll_mail_account`, …).
    pub kind: String,
    /// JSON arguments.
    pub payload: String,
    /// `queued`, `running`, `done` or `dead`.
    pub status: String,
    /// Not before.
    pub run_at: NaiveDateTime,
    /// Runs started so far.
    pub attempts: i32,
    /// Runs allowed before it is dead.
    pub max_attempts: i32,
    /// The worker holding the lease.
    pub locked_by: Option<String>,
    /// The lease ends.
    pub locked_until: Option<NaiveDateTime>,
    /// Why the last run failed.
    pub last_error: Option<String>,
    /// One pending job per key.
    pub unique_key: Option<String>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
    /// Done or dead at.
    pub finished_at: Option<NaiveDateTime>,
}

/// A job to enqueue.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = jobs)]
pub struct NewJob<'a> {
    /// Kind.
    pub kind: &'a str,
    /// JSON arguments.
    pub payload: &'a str,
    /// `queued`.
    pub status: &'a str,
    /// Not before.
    pub run_at: NaiveDateTime,
    /// Runs allowed.
    pub max_attempts: i32,
    /// One pending job per key.
    pub unique_key: Option<&'a str>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same.
    pub updated_at: NaiveDateTime,
}

/// Enqueues a job; `None` when one with the same unique key is already queued or running.
/// Safe inside a larger transaction (the insert runs under a savepoint).
pub fn enqueue(conn: &mut DbConnection, new: &NewJob<'_>) -> QueryResult<Option<i64>> {
    if let Some(key) = new.unique_key {
        let pending = diesel::select(diesel::dsl::exists(
            jobs::table
                .filter(jobs::unique_key.eq(key))
                .filter(jobs::status.eq_any(["queued", "running"])),
        ))
        .get_result::<bool>(conn)?;
        if pending {
            return Ok(None);
        }
    }
    match conn.transaction(|conn| {
        diesel::insert_into(jobs::table)
            .values(new)
            .returning(jobs::id)
            .get_result(conn)
    }) {
        Ok(id) => Ok(Some(id)),
        Err(error) if new.unique_key.is_some() && unique_violation(&error).is_some() => Ok(None),
        Err(error) => Err(error),
    }
}

const COLUMNS: &str = "id, kind, payload, status, run_at, attempts, max_attempts, locked_by, locked_until, \
                       last_error, unique_key, created_at, updated_at, finished_at";

/// Claims up to `limit` jobs for `worker` until `lease_until`: first those whose lease expired
/// (their worker died), then due queued ones. Each claim counts as an attempt.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<JobRow>> {
    let mut claimed = Vec::new();
    for (condition, order) in [
        ("status = 'running' AND locked_until < $3", "locked_until"),
        ("status = 'queued' AND run_at <= $3", "run_at, id"),
    ] {
        let remaining = limit - claimed.len() as i64;
        if remaining <= 0 {
            break;
        }
        let sql = |lock: &str| {
            format!(
                "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM jobs WHERE {condition} ORDER BY {order} LIMIT $4 {lock}) RETURNING {COLUMNS}"
            )
        };
        let rows: Vec<JobRow> = match conn {
            DbConnection::Postgresql(pg) => diesel::sql_query(sql("FOR UPDATE SKIP LOCKED"))
                .bind::<Text, _>(worker)
                .bind::<Timestamp, _>(lease_until)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(remaining)
                .load(pg)?,
            DbConnection::Sqlite(sqlite) => diesel::sql_query(sql("").replace('$', "?"))
                .bind::<Text, _>(worker)
                .bind::<Timestamp, _>(lease_until)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(remaining)
                .load(sqlite)?,
        };
        claimed.extend(rows);
    }
    Ok(claimed)
}

/// Marks a job done, if `worker` still holds it.
pub fn complete(
    conn: &mut DbConnection,
    id: i64,
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        jobs::table
            .find(id)
            .filter(jobs::locked_by.eq(worker))
            .filter(jobs::status.eq("running")),
    )
    .set((
        jobs::status.eq("done"),
        jobs::locked_by.eq(None::<String>),
        jobs::locked_until.eq(None::<NaiveDateTime>),
        jobs::finished_at.eq(Some(now)),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Records a failed run: queued again at `retry_at`, or dead when `retry_at` is `None`.
pub fn fail(
    conn: &mut DbConnection,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = jobs::table
        .find(id)
        .filter(jobs::locked_by.eq(worker))
        .filter(jobs::status.eq("running"));
    let changed = match retry_at {
        Some(at) => diesel::update(target)
            .set((
                jobs::status.eq("queued"),
                jobs::run_at.eq(at),
                jobs::last_error.eq(Some(error)),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                jobs::status.eq("dead"),
                jobs::last_error.eq(Some(error)),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::finished_at.eq(Some(now)),
                jobs::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(changed == 1)
}

/// Extends a running job's lease (heartbeat of long jobs).
pub fn extend(
    conn: &mut DbConnection,
    id: i64,
    worker: &str,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        jobs::table
            .find(id)
            .filter(jobs::locked_by.eq(worker))
            .filter(jobs::status.eq("running")),
    )
    .set(jobs::locked_until.eq(Some(until)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One job.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<JobRow>> {
    jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()
}

/// Jobs, newest first, optionally of one status and kind, before `before_id`.
pub fn list(
    conn: &mut DbConnection,
    status: Option<&str>,
    kind: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<JobRow>> {
    let mut query = jobs::table
        .select(JobRow::as_select())
        .order(jobs::id.desc())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(jobs::status.eq(status.to_owned()));
    }
    if let Some(kind) = kind {
        query = query.filter(jobs::kind.eq(kind.to_owned()));
    }
    if let Some(before) = before_id {
        query = query.filter(jobs::id.lt(before));
    }
    query.limit(limit).load(conn)
}

/// Puts a dead job back in the queue with fresh attempts; false when it is not dead.
pub fn retry(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(jobs::table.find(id).filter(jobs::status.eq("dead")))
        .set((
            jobs::status.eq("queued"),
            jobs::attempts.eq(0),
            jobs::run_at.eq(now),
            jobs::finished_at.eq(None::<NaiveDateTime>),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes finished (done) jobs older than `before`.
pub fn purge_done(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        jobs::table
            .filter(jobs::status.eq("done"))
            .filter(jobs::finished_at.lt(before)),
    )
    .execute(conn)
}
