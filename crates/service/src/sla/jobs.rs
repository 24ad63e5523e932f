//! The SLA jobs: the periodic `sla_escalation_check` and `sla_pending_check`, `pending_auto`
//! (one due ticket), and `sla_recompute` (the open tickets of an SLA, service or queue whose
//! settings changed).

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::escalation::{self, Scope};
use vakt_persistence::repo::tickets;

use super::catalog::Catalog;
use super::compute::{Cause, refresh, sla_row};
use super::pending::PENDING_AUTO;
use crate::Services;
use crate::error::ServiceResult;
use crate::jobs::{JobContext, JobError, JobHandler, JobSpec, Registry, Schedule, enqueue};

/// The periodic escalation check.
pub(crate) const ESCALATION_CHECK: &str = "sla_escalation_check";
/// The periodic pending check.
pub(crate) const PENDING_CHECK: &str = "sla_pending_check";
/// Recomputes the open tickets of one scope.
pub(crate) const RECOMPUTE: &str = "sla_recompute";
/// Tickets per recomputation transaction.
const RECOMPUTE_BATCH: i64 = 200;

/// How often the periodic SLA jobs run.
#[derive(Debug, Clone, Copy)]
pub struct SlaJobOptions {
    /// Interval of the escalation and pending checks (`VAKT_SLA_CHECK_SECONDS`).
    pub check_every: Duration,
}

impl Default for SlaJobOptions {
    /// Every minute.
    fn default() -> Self {
        Self {
            check_every: Duration::minutes(1),
        }
    }
}

/// Registers the SLA job handlers and the two periodic checks.
pub fn register(registry: &mut Registry, options: SlaJobOptions) {
    let every = options.check_every.max(Duration::seconds(1));
    registry
        .handle(EscalationCheck)
        .handle(PendingCheck)
        .handle(PendingAuto)
        .handle(Recompute)
        .every(Schedule {
            key: ESCALATION_CHECK.into(),
            kind: ESCALATION_CHECK.into(),
            payload: json!({}),
            every,
        })
        .every(Schedule {
            key: PENDING_CHECK.into(),
            kind: PENDING_CHECK.into(),
            payload: json!({}),
            every,
        });
}

fn temporary(error: impl std::fmt::Display) -> JobError {
    JobError::Temporary(error.to_string())
}

struct EscalationCheck;

impl JobHandler for EscalationCheck {
    fn kind(&self) -> &'static str {
        ESCALATION_CHECK
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        // Well inside the five-minute lease; the next run continues where this one stopped.
        ctx.services
            .check_escalations(StdDuration::from_secs(120))
            .map(|_| ())
            .map_err(temporary)
    }
}

struct PendingCheck;

impl JobHandler for PendingCheck {
    fn kind(&self) -> &'static str {
        PENDING_CHECK
    }

    fn run(&self, ctx: &JobContext<'_>, _payload: &serde_json::Value) -> Result<(), JobError> {
        ctx.services.check_pending().map(|_| ()).map_err(temporary)
    }
}

struct PendingAuto;

impl JobHandler for PendingAuto {
    fn kind(&self) -> &'static str {
        PENDING_AUTO
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let id = payload["ticket_id"]
            .as_i64()
            .ok_or_else(|| JobError::Permanent("the payload has no ticket_id".into()))?;
        ctx.services
            .run_pending_auto(id)
            .map(|_| ())
            .map_err(temporary)
    }
}

struct Recompute;

impl JobHandler for Recompute {
    fn kind(&self) -> &'static str {
        RECOMPUTE
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let id = payload["id"].as_i64();
        let scope = match (payload["scope"].as_str(), id) {
            (Some("sla"), Some(id)) => Scope::Sla(id),
            (Some("service"), Some(id)) => Scope::Service(id),
            (Some("queue"), Some(id)) => Scope::Queue(id),
            (Some("all"), _) => Scope::All,
            _ => return Err(JobError::Permanent(format!("bad payload {payload}"))),
        };
        let worker = ctx.job.locked_by.clone().unwrap_or_default();
        ctx.services
            .recompute_tickets(scope, || {
                // A heartbeat per batch keeps the lease of a long recomputation.
                let _ = ctx
                    .services
                    .extend_job(ctx.job.id, &worker, Duration::minutes(5));
            })
            .map(|_| ())
            .map_err(temporary)
    }
}

/// Enqueues the recomputation of `scope` in the caller's transaction (so it exists exactly
/// when the change that needs it committed).
pub(crate) fn enqueue_recompute(
    conn: &mut DbConnection,
    scope: Scope,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let payload = match scope {
        Scope::Sla(id) => json!({"scope": "sla", "id": id}),
        Scope::Service(id) => json!({"scope": "service", "id": id}),
        Scope::Queue(id) => json!({"scope": "queue", "id": id}),
        Scope::All => json!({"scope": "all"}),
    };
    enqueue(conn, &JobSpec::new(RECOMPUTE, payload), now)?;
    Ok(())
}

impl Services {
    /// Recomputes the SLA in force and the deadlines of every open ticket of `scope`, in
    /// batches (each one transaction, its tickets locked); `heartbeat` runs after each batch.
    /// Returns how many tickets were recomputed. The body of the `sla_recompute` job; also
    /// what an operator runs after loading tickets in bulk.
    pub fn recompute_tickets(&self, scope: Scope, heartbeat: impl Fn()) -> ServiceResult<u64> {
        let mut conn = self.conn()?;
        let mut after = 0;
        let mut done = 0;
        loop {
            let now = self.now();
            let ids = escalation::open_tickets(&mut conn, scope, after, RECOMPUTE_BATCH)?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            conn.write_transaction(|conn| {
                let mut catalog = Catalog::new();
                for id in &ids {
                    let Some(ticket) = tickets::find_for_update(conn, *id)? else {
                        continue;
                    };
                    let facts = sla_row(conn, ticket.id, now)?;
                    refresh(conn, &mut catalog, &ticket, facts, Cause::Change(None), now)?;
                }
                Ok::<_, crate::error::ServiceError>(())
            })?;
            done += ids.len() as u64;
            after = last;
            heartbeat();
        }
        if done > 0 {
            log::info!("recomputed the SLA deadlines of {done} open tickets");
        }
        Ok(done)
    }
}
