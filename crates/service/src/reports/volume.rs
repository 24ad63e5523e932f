//! The volume report (created, closed, reopened per period) and the backlog report (open at
//! each period's end, by state type and age).

use std::collections::{BTreeMap, HashMap};

use vakt_domain::reports::{AGE_BUCKETS, age_bucket};
use vakt_domain::ticket::StateType;
use vakt_persistence::repo::reports as repo;
use vakt_persistence::time::from_db;

use super::GroupBy;
use super::dataset::Dataset;
use super::table::{Cell, CellKind, Rows, columns};
use crate::error::ServiceResult;

/// Counts of one bucket.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    created: usize,
    closed: usize,
    reopened: usize,
}

/// Created, closed and reopened per bucket; per queue or per channel of the first article
/// when grouped (every bucket for every group that has a count anywhere).
pub(super) fn volume(data: &mut Dataset, group_by: Option<GroupBy>) -> ServiceResult<Rows> {
    let channels: HashMap<i64, String> = if group_by == Some(GroupBy::Channel) {
        let ids = data.ids();
        repo::first_channels(&mut data.conn, &ids)?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    // group key -> (group id, name) and counts per bucket
    let mut groups: BTreeMap<String, (Option<i64>, Vec<Counts>)> = BTreeMap::new();
    let n = data.buckets.len();
    for ticket in &data.tickets {
        let (key, id) = match group_by {
            Some(GroupBy::Queue) => (data.queue_name(ticket.queue_id), Some(ticket.queue_id)),
            Some(GroupBy::Channel) => (
                channels
                    .get(&ticket.id)
                    .cloned()
                    .unwrap_or_else(|| "none".to_owned()),
                None,
            ),
            _ => (String::new(), None),
        };
        let Some(life) = data.life(ticket.id) else {
            continue;
        };
        let mut add = |bucket: Option<usize>, what: fn(&mut Counts)| {
            if let Some(b) = bucket {
                let entry = groups
                    .entry(key.clone())
                    .or_insert_with(|| (id, vec![Counts::default(); n]));
                what(&mut entry.1[b]);
            }
        };
        add(data.bucket(life.created_at()), |c| c.created += 1);
        for at in life.closings() {
            add(data.bucket(at), |c| c.closed += 1);
        }
        for at in life.reopenings() {
            add(data.bucket(at), |c| c.reopened += 1);
        }
    }
    if group_by.is_none() && groups.is_empty() {
        groups.insert(String::new(), (None, vec![Counts::default(); n]));
    }
    let mut spec = vec![
        ("period", CellKind::Text),
        ("period_start", CellKind::Timestamp),
    ];
    match group_by {
        Some(GroupBy::Queue) => {
            spec.push(("queue_id", CellKind::Integer));
            spec.push(("queue", CellKind::Text));
        }
        Some(GroupBy::Channel) => spec.push(("channel", CellKind::Text)),
        _ => {}
    }
    spec.extend([
        ("created", CellKind::Integer),
        ("closed", CellKind::Integer),
        ("reopened", CellKind::Integer),
    ]);
    let mut rows = Vec::new();
    for (i, bucket) in data.buckets.iter().enumerate() {
        for (name, (id, counts)) in &groups {
            let mut row = vec![
                Cell::Text(bucket.label.clone()),
                Cell::Timestamp(bucket.start),
            ];
            match group_by {
                Some(GroupBy::Queue) => {
                    row.push(id.map_or(Cell::Null, Cell::Integer));
                    row.push(Cell::Text(name.clone()));
                }
                Some(GroupBy::Channel) => row.push(Cell::Text(name.clone())),
                _ => {}
            }
            let c = counts[i];
            row.extend([
                Cell::count(c.created),
                Cell::count(c.closed),
                Cell::count(c.reopened),
            ]);
            rows.push(row);
        }
    }
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}

/// The state types counted in the backlog, in life-cycle order.
const OPEN_TYPES: [StateType; 4] = [
    StateType::New,
    StateType::Open,
    StateType::PendingReminder,
    StateType::PendingAuto,
];

/// Per bucket, the tickets open at its end (or now, for a bucket not over yet): in total, per
/// state type, and per age since creation.
pub(super) fn backlog(data: &Dataset) -> Rows {
    let mut spec = vec![
        ("period", CellKind::Text),
        ("period_start", CellKind::Timestamp),
        ("at", CellKind::Timestamp),
        ("open_total", CellKind::Integer),
    ];
    for t in OPEN_TYPES {
        spec.push((t.as_str(), CellKind::Integer));
    }
    for age in AGE_BUCKETS {
        spec.push((age, CellKind::Integer));
    }
    let mut rows = Vec::new();
    for bucket in &data.buckets {
        let at = bucket.end.min(data.now);
        let mut by_type = [0usize; 4];
        let mut by_age = [0usize; 4];
        if bucket.start <= data.now {
            for ticket in &data.tickets {
                let Some(state) = data.life(ticket.id).and_then(|l| l.state_before(at)) else {
                    continue;
                };
                let Some(t) = OPEN_TYPES.iter().position(|o| *o == state) else {
                    continue;
                };
                by_type[t] += 1;
                let age = age_bucket(at - from_db(ticket.created_at));
                if let Some(a) = AGE_BUCKETS.iter().position(|b| *b == age) {
                    by_age[a] += 1;
                }
            }
        }
        let mut row = vec![
            Cell::Text(bucket.label.clone()),
            Cell::Timestamp(bucket.start),
            Cell::Timestamp(at),
            Cell::count(by_type.iter().sum()),
        ];
        row.extend(by_type.iter().map(|n| Cell::count(*n)));
        row.extend(by_age.iter().map(|n| Cell::count(*n)));
        rows.push(row);
    }
    Rows {
        columns: columns(&spec),
        rows,
    }
}
