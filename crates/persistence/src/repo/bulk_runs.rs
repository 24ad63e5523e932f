//! The `bulk_runs` table: progress and per-ticket results of a bulk change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::bulk_runs;

/// A bulk run.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = bulk_runs)]
pub struct BulkRunRow {
    /// Its job.
    pub job_id: i64,
    /// Who asked for it.
    pub created_by: i64,
    /// Tickets asked for.
    pub total: i64,
    /// Tickets done so far.
    pub processed: i64,
    /// JSON array of results.
    pub results: String,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Last progress.
    pub updated_at: NaiveDateTime,
}

/// Records a new run.
pub fn insert(
    conn: &mut DbConnection,
    job_id: i64,
    created_by: i64,
    total: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(bulk_runs::table)
        .values((
            bulk_runs::job_id.eq(job_id),
            bulk_runs::created_by.eq(created_by),
            bulk_runs::total.eq(total),
            bulk_runs::processed.eq(0),
            bulk_runs::results.eq("[]"),
            bulk_runs::created_at.eq(now),
            bulk_runs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The run of a job.
pub fn find(conn: &mut DbConnection, job_id: i64) -> QueryResult<Option<BulkRunRow>> {
    bulk_runs::table
        .find(job_id)
        .select(BulkRunRow::as_select())
        .first(conn)
        .optional()
}

/// Saves progress and the results so far.
pub fn progress(
    conn: &mut DbConnection,
    job_id: i64,
    processed: i64,
    results: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(bulk_runs::table.find(job_id))
        .set((
            bulk_runs::processed.eq(processed),
            bulk_runs::results.eq(results),
            bulk_runs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
