//! SLA compliance (the share of tickets meeting each target, per period of creation) and the
//! list of breaches (deadlines that passed in the period).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use vakt_domain::reports::percent;
use vakt_domain::sla::{ClockState, SlaTarget};
use vakt_persistence::time::from_db;

use super::dataset::Dataset;
use super::table::{Cell, CellKind, Rows, columns};
use crate::error::ServiceResult;
use crate::sla::target_name;

const TARGETS: [SlaTarget; 3] = [
    SlaTarget::FirstResponse,
    SlaTarget::Update,
    SlaTarget::Solution,
];

/// How one ticket stands on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The clock stopped in time (update: every run so far).
    Met,
    /// A deadline passed (recorded, or evident now).
    Breached,
    /// Still running or paused, in time.
    Open,
}

/// Per bucket of creation and target: the tickets under an SLA with that target, how many met
/// it, breached it, are still open on it, and `met_percent` = met / (met + breached).
pub(super) fn compliance(data: &mut Dataset) -> ServiceResult<Rows> {
    let n = data.buckets.len();
    // [bucket][target] -> (met, breached, open)
    let mut counts = vec![[(0usize, 0usize, 0usize); 3]; n];
    for index in 0..data.tickets.len() {
        let ticket = &data.tickets[index];
        let id = ticket.id;
        let Some(bucket) = data.bucket_db(ticket.created_at) else {
            continue;
        };
        let Some((_, evaluation)) = data.evaluate(index)? else {
            continue;
        };
        let marked: BTreeSet<String> = data
            .marks()?
            .get(&id)
            .map(|marks| {
                marks
                    .iter()
                    .filter(|m| m.kind == "breach")
                    .map(|m| m.target.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (t, target) in TARGETS.iter().enumerate() {
            let Some(status) = evaluation.get(*target) else {
                continue;
            };
            let outcome = if status.breached || marked.contains(target_name(*target)) {
                Outcome::Breached
            } else if status.state == ClockState::Stopped {
                Outcome::Met
            } else {
                Outcome::Open
            };
            let c = &mut counts[bucket][t];
            match outcome {
                Outcome::Met => c.0 += 1,
                Outcome::Breached => c.1 += 1,
                Outcome::Open => c.2 += 1,
            }
        }
    }
    let spec = [
        ("period", CellKind::Text),
        ("period_start", CellKind::Timestamp),
        ("target", CellKind::Text),
        ("tickets", CellKind::Integer),
        ("met", CellKind::Integer),
        ("breached", CellKind::Integer),
        ("open", CellKind::Integer),
        ("met_percent", CellKind::Number),
    ];
    let mut rows = Vec::new();
    for (i, bucket) in data.buckets.iter().enumerate() {
        for (t, target) in TARGETS.iter().enumerate() {
            let (met, breached, open) = counts[i][t];
            rows.push(vec![
                Cell::Text(bucket.label.clone()),
                Cell::Timestamp(bucket.start),
                Cell::Text(target_name(*target).to_owned()),
                Cell::count(met + breached + open),
                Cell::count(met),
                Cell::count(breached),
                Cell::count(open),
                Cell::number(percent(met, met + breached)),
            ]);
        }
    }
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}

/// Each deadline that passed in the period, oldest first: the breaches the escalation check
/// recorded, and those evident now that it has not yet recorded (a running clock past its
/// deadline, or one that stopped after it).
pub(super) fn breaches(data: &mut Dataset) -> ServiceResult<Rows> {
    // (due, ticket index, target)
    let mut found: BTreeSet<(DateTime<Utc>, usize, &'static str)> = BTreeSet::new();
    let (since, until) = (data.since(), data.until());
    let in_period = |t: DateTime<Utc>| since <= t && t < until;
    for index in 0..data.tickets.len() {
        let id = data.tickets[index].id;
        let recorded: Vec<(DateTime<Utc>, String)> = data
            .marks()?
            .get(&id)
            .map(|marks| {
                marks
                    .iter()
                    .filter(|m| m.kind == "breach")
                    .map(|m| (from_db(m.due_at), m.target.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for (due, target) in recorded {
            if let Some(target) = TARGETS
                .iter()
                .map(|t| target_name(*t))
                .find(|name| *name == target)
                && in_period(due)
            {
                found.insert((due, index, target));
            }
        }
        if let Some((_, evaluation)) = data.evaluate(index)? {
            for status in evaluation.targets() {
                if let (true, Some(due)) = (status.breached, status.due_at)
                    && in_period(due)
                {
                    found.insert((due, index, target_name(status.target)));
                }
            }
        }
    }
    let spec = [
        ("period", CellKind::Text),
        ("due_at", CellKind::Timestamp),
        ("target", CellKind::Text),
        ("ticket_id", CellKind::Integer),
        ("number", CellKind::Text),
        ("title", CellKind::Text),
        ("queue_id", CellKind::Integer),
        ("queue", CellKind::Text),
        ("state_type", CellKind::Text),
    ];
    let mut rows = Vec::new();
    for (due, index, target) in found {
        let ticket = &data.tickets[index];
        let period = data
            .bucket(due)
            .map_or(Cell::Null, |b| Cell::Text(data.buckets[b].label.clone()));
        rows.push(vec![
            period,
            Cell::Timestamp(due),
            Cell::Text(target.to_owned()),
            Cell::Integer(ticket.id),
            Cell::Text(ticket.number.clone()),
            Cell::Text(ticket.title.clone()),
            Cell::Integer(ticket.queue_id),
            Cell::Text(data.queue_name(ticket.queue_id)),
            Cell::Text(ticket.state_type.clone()),
        ]);
    }
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}
