//! Upkeep of the search index: the `search_phrase_pairs` job fills in the word pairs of
//! documents indexed before phrase pairs existed (PostgreSQL), in batches while the server
//! runs; phrase searches use the pairs once it has finished.

use chrono::Duration;
use serde_json::json;
use vakt_persistence::search::{self, PairsProgress};
use vakt_persistence::time::to_db;

use crate::Services;
use crate::error::ServiceResult;
use crate::jobs::{JobContext, JobError, JobHandler, Registry, Schedule};

/// The job that fills in missing word pairs.
pub(crate) const PHRASE_PAIRS: &str = "search_phrase_pairs";
/// Tickets per backfill transaction.
const PAIRS_BATCH: i64 = 1_000;

/// Registers the backfill, checked every minute (a single settings read once it is done).
pub(crate) fn register(registry: &mut Registry) {
    registry.handle(PhrasePairs).every(Schedule {
        key: PHRASE_PAIRS.into(),
        kind: PHRASE_PAIRS.into(),
        payload: json!({}),
        every: Duration::minutes(1),
    });
}

struct PhrasePairs;

impl JobHandler for PhrasePairs {
    fn kind(&self) -> &'static str {
        PHRASE_PAIRS
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        let worker = ctx.job.locked_by.clone().unwrap_or_default();
        ctx.services
            .fill_phrase_pairs(|| {
                // A heartbeat per batch keeps the lease of a long backfill.
                let _ = ctx
                    .services
                    .extend_job(ctx.job.id, &worker, Duration::minutes(5));
            })
            .map(drop)
            .map_err(|e| JobError::Temporary(e.to_string()))
    }
}

impl Services {
    /// Fills in the word pairs of every document that has none, batch by batch from where the
    /// last run stopped, calling `heartbeat` after each batch; then marks the pairs complete.
    /// Returns how many documents were filled. Safe to run while tickets change: documents
    /// written since the migration always have their pairs, and a batch only fills empty ones.
    pub fn fill_phrase_pairs(&self, mut heartbeat: impl FnMut()) -> ServiceResult<usize> {
        let mut conn = self.conn()?;
        let mut next = match search::pairs_progress(&mut conn)? {
            PairsProgress::Complete => return Ok(0),
            PairsProgress::UpTo(id) => id + 1,
        };
        let mut filled = 0;
        loop {
            let Some((_, last)) = search::ticket_id_range(&mut conn)? else {
                break;
            };
            if next > last {
                break;
            }
            let to = next + PAIRS_BATCH - 1;
            let now = to_db(self.now());
            filled += conn.write_transaction(|conn| {
                let count = search::fill_pairs(conn, next, to)?;
                search::set_pairs_progress(conn, PairsProgress::UpTo(to), now)?;
                Ok::<_, diesel::result::Error>(count)
            })?;
            heartbeat();
            next = to + 1;
        }
        search::set_pairs_progress(&mut conn, PairsProgress::Complete, to_db(self.now()))?;
        log::info!("search: word pairs for phrase search filled in for {filled} tickets");
        Ok(filled)
    }
}
