//! Bulk changes: up to [`MAX_BULK_TICKETS`] tickets, each changed with the caller's rights as if
//! one by one (state, queue, owner, priority, type, a note, a link, a merge), run as a
//! background job that records progress and one result per ticket (done, forbidden, conflict
//! with the reason): never all or nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vakt_domain::links::LinkKind;
use vakt_domain::{FieldErrors, Principal, UserKind, ValidationError};
use vakt_persistence::repo::{bulk_runs, jobs as jobs_repo, users};
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::custom_fields::FieldValues;
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{self, Job, JobContext, JobError, JobHandler, JobSpec, Registry};
use crate::tickets::{ArticleKind, NewArticle, TicketChanges};

/// Most tickets in one bulk change.
pub const MAX_BULK_TICKETS: usize = 1000;
/// The job kind.
const BULK_TICKETS: &str = "bulk_tickets";
/// Progress is saved after this many tickets.
const PROGRESS_EVERY: usize = 10;

/// What to do to every ticket; at least one operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkOperations {
    /// New state.
    pub state_id: Option<i64>,
    /// Pending time for a pending state.
    pub pending_until: Option<DateTime<Utc>>,
    /// Move to this queue.
    pub queue_id: Option<i64>,
    /// New owner (`Some(None)`: release).
    pub owner_id: Option<Option<i64>>,
    /// New priority.
    pub priority_id: Option<i64>,
    /// New type (`Some(None)`: none).
    pub type_id: Option<Option<i64>>,
    /// An internal note to add.
    pub note: Option<String>,
    /// Link each ticket to this one: (kind as seen from each ticket, other ticket).
    pub link: Option<(String, String)>,
    /// Merge each ticket into this one.
    pub merge_into: Option<String>,
    /// Custom field values to set (`null` clears), checked per ticket like a single change.
    #[serde(default)]
    pub custom_fields: Option<FieldValues>,
}

impl BulkOperations {
    fn is_empty(&self) -> bool {
        *self == BulkOperations::default()
    }

    fn changes(&self) -> Option<TicketChanges> {
        let changes = TicketChanges {
            state_id: self.state_id,
            pending_until: self.pending_until.map(Some),
            queue_id: self.queue_id,
            owner_id: self.owner_id,
            priority_id: self.priority_id,
            type_id: self.type_id,
            custom_fields: self.custom_fields.clone(),
            ..TicketChanges::default()
        };
        let any = self.state_id.is_some()
            || self.pending_until.is_some()
            || self.queue_id.is_some()
            || self.owner_id.is_some()
            || self.priority_id.is_some()
            || self.type_id.is_some()
            || self.custom_fields.is_some();
        any.then_some(changes)
    }
}

/// A bulk change as asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRequest {
    /// Ticket ids or numbers, in the order results are reported.
    pub tickets: Vec<String>,
    /// What to do.
    pub operations: BulkOperations,
}

/// How one ticket fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkStatus {
    /// Every operation was applied.
    Done,
    /// The caller may not see or change it (nothing is said about invisible tickets).
    Forbidden,
    /// A rule refused an operation (validation, a lock, a cycle, a merged ticket).
    Conflict,
    /// An unexpected failure.
    Failed,
}

/// The result for one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    /// The ticket as given in the request.
    pub ticket: String,
    /// Outcome.
    pub status: BulkStatus,
    /// The ticket's id (when visible).
    pub ticket_id: Option<i64>,
    /// Problem code (`forbidden`, `ticket_locked`, `link_cycle`, …).
    pub code: Option<String>,
    /// Why, for people.
    pub detail: Option<String>,
}

/// A bulk run and its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRun {
    /// The job.
    pub job: Job,
    /// Tickets asked for.
    pub total: i64,
    /// Tickets done so far.
    pub processed: i64,
    /// Results so far, in request order.
    pub results: Vec<BulkResult>,
    /// Last progress.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    actor: i64,
    request: BulkRequest,
}

fn validate(request: &BulkRequest) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if request.tickets.is_empty() || request.tickets.len() > MAX_BULK_TICKETS {
        errors.add(
            "tickets",
            ValidationError::new(
                "out_of_range",
                format!("must name 1 to {MAX_BULK_TICKETS} tickets"),
            ),
        );
    }
    if request
        .tickets
        .iter()
        .any(|t| t.trim().is_empty() || t.len() > 40)
    {
        errors.add(
            "tickets",
            ValidationError::new("invalid", "each must be a ticket id or number"),
        );
    }
    let ops = &request.operations;
    if ops.is_empty() {
        errors.add(
            "operations",
            ValidationError::new("required", "name at least one operation"),
        );
    }
    if ops.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        errors.add(
            "operations.note",
            ValidationError::new("required", "must not be empty"),
        );
    }
    if let Some((kind, _)) = &ops.link
        && LinkKind::parse(kind).is_none()
    {
        errors.add(
            "operations.link.kind",
            ValidationError::new("invalid", "is not a link kind"),
        );
    }
    if ops.custom_fields.as_ref().is_some_and(|f| f.is_empty()) {
        errors.add(
            "operations.custom_fields",
            ValidationError::new("required", "name at least one field"),
        );
    }
    if ops.merge_into.is_some() && (ops.link.is_some() || ops.note.is_some()) {
        errors.add(
            "operations.merge_into",
            ValidationError::new(
                "conflicting",
                "a merge cannot be combined with a note or a link",
            ),
        );
    }
    errors.into_result().map_err(Into::into)
}

/// The result of one ticket's service calls.
fn result_of(ticket: &str, ticket_id: Option<i64>, outcome: ServiceResult<()>) -> BulkResult {
    let (status, code, detail) = match outcome {
        Ok(()) => (BulkStatus::Done, None, None),
        Err(ServiceError::Forbidden(detail)) => (
            BulkStatus::Forbidden,
            Some("forbidden".to_owned()),
            Some(detail),
        ),
        Err(ServiceError::NotFound(_)) => (
            BulkStatus::Forbidden,
            Some("not_found".to_owned()),
            Some("no such ticket visible to you".to_owned()),
        ),
        Err(ServiceError::Conflict { code, detail }) => {
            (BulkStatus::Conflict, Some(code.to_owned()), Some(detail))
        }
        Err(ServiceError::PreconditionFailed) => (
            BulkStatus::Conflict,
            Some("precondition_failed".to_owned()),
            Some("the ticket changed meanwhile".to_owned()),
        ),
        Err(ServiceError::Validation(errors)) => (
            BulkStatus::Conflict,
            Some("validation_failed".to_owned()),
            Some(errors.to_string()),
        ),
        Err(other) => (
            BulkStatus::Failed,
            Some("internal".to_owned()),
            Some(other.to_string()),
        ),
    };
    BulkResult {
        ticket: ticket.to_owned(),
        status,
        ticket_id: if status == BulkStatus::Forbidden && code.as_deref() == Some("not_found") {
            None
        } else {
            ticket_id
        },
        code,
        detail,
    }
}

impl Services {
    /// Starts a bulk change (agents); its job reports progress and results.
    pub fn start_bulk(&self, actor: &Principal, request: BulkRequest) -> ServiceResult<BulkRun> {
        if !actor.is_agent() && !actor.is_admin() {
            return Err(ServiceError::Forbidden(
                "bulk changes are for agents".into(),
            ));
        }
        validate(&request)?;
        let now = self.now();
        let total = i64::try_from(request.tickets.len()).unwrap_or(i64::MAX);
        let payload = serde_json::to_value(Payload {
            actor: actor.user_id,
            request,
        })
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let mut spec = JobSpec::new(BULK_TICKETS, payload);
        spec.max_attempts = 3;
        let mut conn = self.conn()?;
        let job_id = conn.write_transaction(|conn| {
            let id = jobs::enqueue(conn, &spec, now)?
                .ok_or_else(|| ServiceError::Internal("a bulk job has no unique key".into()))?;
            bulk_runs::insert(conn, id, actor.user_id, total, to_db(now))?;
            Ok::<_, ServiceError>(id)
        })?;
        log::info!(
            "user {} started bulk job {job_id} over {total} tickets",
            actor.user_id
        );
        self.bulk_run(actor, job_id)
    }

    /// A background job: administrators see every job; others only their bulk runs.
    pub fn bulk_run(&self, actor: &Principal, job_id: i64) -> ServiceResult<BulkRun> {
        let mut conn = self.conn()?;
        let run = bulk_runs::find(&mut conn, job_id)?
            .filter(|r| r.created_by == actor.user_id || actor.is_admin())
            .ok_or(ServiceError::NotFound("job"))?;
        let job = jobs_repo::find(&mut conn, job_id)?.ok_or(ServiceError::NotFound("job"))?;
        Ok(BulkRun {
            job: Job::from(job),
            total: run.total,
            processed: run.processed,
            results: serde_json::from_str(&run.results).unwrap_or_default(),
            updated_at: from_db(run.updated_at),
        })
    }

    /// Whether a job is a bulk run (for showing its progress to administrators).
    pub fn is_bulk_job(&self, job_id: i64) -> ServiceResult<bool> {
        let mut conn = self.conn()?;
        Ok(bulk_runs::find(&mut conn, job_id)?.is_some())
    }

    /// Applies the operations to one ticket as `actor`.
    fn bulk_one(&self, actor: &Principal, key: &str, ops: &BulkOperations) -> BulkResult {
        let mut ticket_id = None;
        let mut outcome = (|| -> ServiceResult<()> {
            if let Some(changes) = ops.changes() {
                ticket_id = Some(self.update_ticket(actor, key, changes)?.id);
            }
            if let Some(body) = &ops.note {
                let (_, ticket) = self.add_article(
                    actor,
                    key,
                    NewArticle {
                        kind: ArticleKind::Note,
                        channel: None,
                        sender_type: None,
                        subject: None,
                        body: body.clone(),
                        body_html: None,
                        to: None,
                        cc: None,
                        time_accounted_minutes: None,
                        attachments: Vec::new(),
                        state_id: None,
                        pending_until: None,
                        expected_version: None,
                        custom_fields: Default::default(),
                    },
                )?;
                ticket_id = Some(ticket.id);
            }
            if let Some((kind, other)) = &ops.link {
                let kind = LinkKind::parse(kind)
                    .ok_or_else(|| ServiceError::invalid("kind", "invalid", "no such kind"))?;
                self.add_ticket_link(actor, key, kind, other)?;
            }
            if let Some(target) = &ops.merge_into {
                self.merge_ticket(actor, key, target, None)?;
            }
            Ok(())
        })();
        if ticket_id.is_none()
            && let Ok(ticket) = self.get_ticket(actor, key)
        {
            ticket_id = Some(ticket.id);
        }
        if outcome.is_ok() && ticket_id.is_none() {
            outcome = Err(ServiceError::NotFound("ticket"));
        }
        result_of(key, ticket_id, outcome)
    }

    fn run_bulk(&self, job_id: i64, payload: Payload) -> ServiceResult<()> {
        let user = {
            let mut conn = self.conn()?;
            users::find(&mut conn, payload.actor)?
        };
        let Some(user) = user.filter(|u| u.active && u.kind == UserKind::Agent.as_str()) else {
            return Err(ServiceError::Forbidden(
                "the agent who started this is no longer active".into(),
            ));
        };
        let actor = Principal {
            user_id: user.id,
            kind: UserKind::Agent,
            is_admin: user.is_admin,
        };
        let run = {
            let mut conn = self.conn()?;
            bulk_runs::find(&mut conn, job_id)?.ok_or(ServiceError::NotFound("bulk run"))?
        };
        // A retried job goes on where the last attempt saved its progress.
        let mut results: Vec<BulkResult> = serde_json::from_str(&run.results).unwrap_or_default();
        let tickets = &payload.request.tickets;
        for (i, key) in tickets.iter().enumerate().skip(results.len()) {
            results.push(self.bulk_one(&actor, key.trim(), &payload.request.operations));
            if (i + 1) % PROGRESS_EVERY == 0 || i + 1 == tickets.len() {
                let text = serde_json::to_string(&results)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
                let now = self.now();
                let mut conn = self.conn()?;
                conn.write_transaction(|conn| {
                    bulk_runs::progress(conn, job_id, results.len() as i64, &text, to_db(now))
                })?;
            }
        }
        Ok(())
    }
}

/// Runs bulk jobs.
struct BulkJob;

impl JobHandler for BulkJob {
    fn kind(&self) -> &'static str {
        BULK_TICKETS
    }

    fn run(&self, ctx: &JobContext<'_>, payload: &serde_json::Value) -> Result<(), JobError> {
        let payload: Payload = serde_json::from_value(payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        match ctx.services.run_bulk(ctx.job.id, payload) {
            Ok(()) => Ok(()),
            Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => {
                Err(JobError::Permanent(error.to_string()))
            }
            Err(error) => Err(JobError::Temporary(error.to_string())),
        }
    }
}

/// Registers the bulk job handler.
pub(crate) fn register(registry: &mut Registry) {
    registry.handle(BulkJob);
}
