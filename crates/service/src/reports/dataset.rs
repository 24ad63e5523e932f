//! Loading what a report reads, once: the caller's scope, the buckets, the tickets that lived
//! in the period with their state-type logs and SLA facts, and (on demand) SLA definitions,
//! evaluations and marks.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::calendar::parse_time_zone;
use vakt_domain::custom_fields::ObjectType;
use vakt_domain::reports::{Bucket, Lifecycle, PeriodError, bucket_of, buckets};
use vakt_domain::rights::Right;
use vakt_domain::sla::SlaEvaluation;
use vakt_persistence::pool::PooledConnection;
use vakt_persistence::repo::escalation::{self, MarkRow, TicketSlaRow};
use vakt_persistence::repo::reports as repo;
use vakt_persistence::repo::ticket_list::{OwnerFilter, TicketFilter};
use vakt_persistence::repo::tickets::TicketRow;
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use super::table::Rows;
use super::{ReportKind, ReportQuery, ReportTable};
use crate::custom_fields::filters::conditions;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::sla::{Catalog, SlaDef, initial_log, timeline};
use crate::{Services, access};

/// Ticket ids per statement of the SLA tables.
const CHUNK: usize = 5_000;

/// Everything a report computes from.
pub(super) struct Dataset {
    pub(super) conn: PooledConnection,
    pub(super) reference: Arc<Reference>,
    pub(super) buckets: Vec<Bucket>,
    pub(super) time_zone: String,
    pub(super) granularity: vakt_domain::reports::Granularity,
    /// The evaluation moment of current states and SLA clocks.
    pub(super) now: DateTime<Utc>,
    /// The tickets that lived in the period, by id.
    pub(super) tickets: Vec<TicketRow>,
    /// Each ticket's state types over time.
    pub(super) lives: HashMap<i64, Lifecycle>,
    /// Each ticket's state-type log as the SLA rules read it.
    logs: HashMap<i64, Vec<(DateTime<Utc>, String)>>,
    /// Each ticket's SLA facts.
    pub(super) facts: HashMap<i64, TicketSlaRow>,
    catalog: Catalog,
    marks: Option<HashMap<i64, Vec<MarkRow>>>,
}

impl Dataset {
    /// Checks the caller and the query, and loads the period's tickets.
    pub(super) fn load(
        services: &Services,
        actor: &Principal,
        kind: ReportKind,
        query: &ReportQuery,
    ) -> ServiceResult<Self> {
        if !actor.is_agent() {
            return Err(ServiceError::Forbidden("reports are for agents".into()));
        }
        let mut conn = services.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let visible = access
            .groups_with(Right::Ro)
            .map(|groups| reference.queues_of_groups(Some(&groups)));
        // A queue the caller cannot see is one that does not exist, as for tickets.
        let queue_ids = match (&query.queue_ids, visible) {
            (Some(asked), visible) => {
                for id in asked {
                    let known = reference.queue(*id).is_some();
                    if !known || visible.as_ref().is_some_and(|v| !v.contains(id)) {
                        return Err(ServiceError::NotFound("queue"));
                    }
                }
                Some(asked.clone())
            }
            (None, visible) => visible,
        };
        let tz = parse_time_zone(&query.time_zone).map_err(|_| {
            ServiceError::invalid("time_zone", "unknown_time_zone", "is not an IANA time zone")
        })?;
        let buckets =
            buckets(query.from, query.to, tz, query.granularity).map_err(|e| match e {
                PeriodError::Reversed => ServiceError::invalid("to", "before_from", e.to_string()),
                PeriodError::TooManyBuckets(_) => {
                    ServiceError::invalid("granularity", "too_many_periods", e.to_string())
                }
                PeriodError::OutOfRange => {
                    ServiceError::invalid("from", "out_of_range", e.to_string())
                }
            })?;
        let (since, until) = match (buckets.first(), buckets.last()) {
            (Some(first), Some(last)) => (first.start, last.end),
            _ => return Err(ServiceError::invalid("to", "before_from", "empty period")),
        };
        let custom = if query.custom.is_empty() {
            Vec::new()
        } else {
            let fields = crate::custom_fields::load(&mut conn, Some(ObjectType::Ticket))?;
            conditions(&fields, &query.custom, false)?
        };
        let filter = TicketFilter {
            queue_ids,
            type_ids: query.type_ids.clone(),
            service_ids: query.service_ids.clone(),
            priority_ids: query.priority_ids.clone(),
            owner: query.owner_id.map(OwnerFilter::Id),
            customer_id: query.customer_id,
            company_id: query.company_id,
            custom,
            ..TicketFilter::default()
        };
        let tickets = repo::tickets_in_period(&mut conn, &filter, to_db(since), to_db(until))?;
        let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
        let mut logs: HashMap<i64, Vec<(DateTime<Utc>, String)>> = HashMap::new();
        let mut facts = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            for row in escalation::state_logs(&mut conn, chunk)? {
                logs.entry(row.ticket_id)
                    .or_default()
                    .push((from_db(row.since), row.state_type));
            }
            if kind != ReportKind::Volume && kind != ReportKind::Backlog {
                for row in escalation::find_many(&mut conn, chunk)? {
                    facts.insert(row.ticket_id, row);
                }
            }
        }
        let now = services.now();
        if kind != ReportKind::Volume && kind != ReportKind::Backlog {
            // Tickets from before SLAs existed have no facts row: derive it as the SLA does.
            let missing: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !facts.contains_key(id))
                .collect();
            for chunk in missing.chunks(CHUNK) {
                for found in escalation::article_facts(&mut conn, chunk)? {
                    let mut row = TicketSlaRow::empty(found.ticket_id, to_db(now));
                    row.first_agent_response_at = found.first_agent;
                    row.last_customer_contact_at = found.last_customer;
                    row.last_agent_response_at = found.last_agent;
                    facts.insert(found.ticket_id, row);
                }
            }
        }
        let mut lives = HashMap::with_capacity(tickets.len());
        for ticket in &tickets {
            let log = logs.entry(ticket.id).or_insert_with(|| {
                initial_log(ticket)
                    .into_iter()
                    .map(|(at, t)| (from_db(at), t))
                    .collect()
            });
            let life = Lifecycle::new(
                from_db(ticket.created_at),
                log.iter().map(|(at, t)| (*at, t.as_str())),
            );
            lives.insert(ticket.id, life);
        }
        Ok(Self {
            conn,
            reference,
            buckets,
            time_zone: tz.name().to_owned(),
            granularity: query.granularity,
            now,
            tickets,
            lives,
            logs,
            facts,
            catalog: Catalog::new(),
            marks: None,
        })
    }

    /// The start of the period.
    pub(super) fn since(&self) -> DateTime<Utc> {
        self.buckets.first().map_or(self.now, |b| b.start)
    }

    /// Its end (exclusive).
    pub(super) fn until(&self) -> DateTime<Utc> {
        self.buckets.last().map_or(self.now, |b| b.end)
    }

    /// The bucket of an instant, if it lies in the period.
    pub(super) fn bucket(&self, t: DateTime<Utc>) -> Option<usize> {
        bucket_of(&self.buckets, t)
    }

    /// The bucket of a stored timestamp.
    pub(super) fn bucket_db(&self, t: NaiveDateTime) -> Option<usize> {
        self.bucket(from_db(t))
    }

    /// The ids of the loaded tickets.
    pub(super) fn ids(&self) -> Vec<i64> {
        self.tickets.iter().map(|t| t.id).collect()
    }

    /// A ticket's life (every loaded ticket has one).
    pub(super) fn life(&self, id: i64) -> Option<&Lifecycle> {
        self.lives.get(&id)
    }

    /// An SLA with its calendar.
    pub(super) fn sla(&mut self, id: i64) -> ServiceResult<Option<Arc<SlaDef>>> {
        self.catalog.sla(&mut self.conn, id)
    }

    /// A ticket's SLA (the one in force on it) and its evaluation now.
    pub(super) fn evaluate(
        &mut self,
        index: usize,
    ) -> ServiceResult<Option<(Arc<SlaDef>, SlaEvaluation)>> {
        let ticket = &self.tickets[index];
        let Some(sla_id) = ticket.sla_id else {
            return Ok(None);
        };
        let ticket_id = ticket.id;
        let Some(def) = self.sla(sla_id)? else {
            return Ok(None);
        };
        let ticket = &self.tickets[index];
        let facts = self
            .facts
            .get(&ticket_id)
            .cloned()
            .unwrap_or_else(|| TicketSlaRow::empty(ticket_id, to_db(self.now)));
        let log = self.logs.get(&ticket_id).cloned().unwrap_or_default();
        let line = timeline(&def, ticket, &facts, &log);
        match def.sla.evaluate(&def.calendar, &line, self.now) {
            Ok(evaluation) => Ok(Some((def, evaluation))),
            Err(error) => {
                log::error!("report: ticket {ticket_id} cannot be evaluated: {error}");
                Ok(None)
            }
        }
    }

    /// The warning and breach marks of the loaded tickets, by ticket.
    pub(super) fn marks(&mut self) -> ServiceResult<&HashMap<i64, Vec<MarkRow>>> {
        if self.marks.is_none() {
            let mut marks: HashMap<i64, Vec<MarkRow>> = HashMap::new();
            let ids = self.ids();
            for chunk in ids.chunks(CHUNK) {
                for mark in escalation::marks(&mut self.conn, chunk)? {
                    marks.entry(mark.ticket_id).or_default().push(mark);
                }
            }
            self.marks = Some(marks);
        }
        Ok(self.marks.get_or_insert_with(HashMap::new))
    }

    /// A queue's name.
    pub(super) fn queue_name(&self, id: i64) -> String {
        self.reference
            .queue(id)
            .map_or_else(|| format!("#{id}"), |q| q.name.clone())
    }

    /// Display names (else addresses) of users.
    pub(super) fn user_names(&mut self, ids: &[i64]) -> ServiceResult<HashMap<i64, String>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            for user in users::find_many(&mut self.conn, chunk)? {
                let name = if user.name.trim().is_empty() {
                    user.email
                } else {
                    user.name
                };
                out.insert(user.id, name);
            }
        }
        Ok(out)
    }

    /// The answer, with the period as it was cut.
    pub(super) fn table(&self, kind: ReportKind, rows: Rows) -> ReportTable {
        ReportTable {
            report: kind,
            from: self.since(),
            to: self.until(),
            time_zone: self.time_zone.clone(),
            granularity: self.granularity,
            columns: rows.columns,
            rows: rows.rows,
        }
    }
}
