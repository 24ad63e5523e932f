//! Agent workload over the period: tickets owned (open now), closings, replies, notes and
//! time accounted, per agent.

use std::collections::{BTreeMap, HashSet};

use vakt_domain::ticket::StateType;
use vakt_persistence::repo::reports as repo;
use vakt_persistence::time::{from_db, to_db};

use super::dataset::Dataset;
use super::table::{Cell, CellKind, Rows, columns};
use crate::error::ServiceResult;

/// Figures of one agent.
#[derive(Debug, Clone, Copy, Default)]
struct Load {
    owned_open: usize,
    closed: usize,
    replies: usize,
    notes: usize,
    minutes: i64,
}

/// One row per agent with any figure, by name: `owned_open` (tickets they own that are open
/// now), `closed` (closings in the period they made), `replies` (customer-visible articles
/// they wrote in the period), `notes` (internal ones), `time_accounted_minutes` (recorded with
/// their articles in the period).
pub(super) fn workload(data: &mut Dataset) -> ServiceResult<Rows> {
    let (since, until) = (to_db(data.since()), to_db(data.until()));
    let ids = data.ids();
    let mut loads: BTreeMap<i64, Load> = BTreeMap::new();
    for ticket in &data.tickets {
        let open = StateType::parse(&ticket.state_type).is_some_and(|t| !t.is_finished());
        if let (Some(owner), true) = (ticket.owner_id, open) {
            loads.entry(owner).or_default().owned_open += 1;
        }
    }
    for article in repo::agent_articles(&mut data.conn, &ids, since, until)? {
        let Some(author) = article.author_id else {
            continue;
        };
        let load = loads.entry(author).or_default();
        if article.customer_visible {
            load.replies += 1;
        } else {
            load.notes += 1;
        }
        load.minutes += article.time_accounted_minutes;
    }
    // A closing is the state change recorded at the same moment on the same ticket.
    let closings: HashSet<(i64, i64)> = data
        .tickets
        .iter()
        .flat_map(|t| {
            data.life(t.id)
                .into_iter()
                .flat_map(|l| l.closings())
                .map(move |at| (t.id, at.timestamp_micros()))
        })
        .collect();
    for (ticket, actor, at) in repo::state_changes(&mut data.conn, &ids, since, until)? {
        let at = from_db(at).timestamp_micros();
        if let (Some(actor), true) = (actor, closings.contains(&(ticket, at))) {
            loads.entry(actor).or_default().closed += 1;
        }
    }
    let agents: Vec<i64> = loads.keys().copied().collect();
    let names = data.user_names(&agents)?;
    let mut ordered: Vec<(String, i64, Load)> = loads
        .into_iter()
        .map(|(id, load)| {
            let name = names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
            (name, id, load)
        })
        .collect();
    ordered.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.1.cmp(&b.1))
    });
    let spec = [
        ("agent_id", CellKind::Integer),
        ("agent", CellKind::Text),
        ("owned_open", CellKind::Integer),
        ("closed", CellKind::Integer),
        ("replies", CellKind::Integer),
        ("notes", CellKind::Integer),
        ("time_accounted_minutes", CellKind::Integer),
    ];
    let rows = ordered
        .into_iter()
        .map(|(name, id, load)| {
            vec![
                Cell::Integer(id),
                Cell::Text(name),
                Cell::count(load.owned_open),
                Cell::count(load.closed),
                Cell::count(load.replies),
                Cell::count(load.notes),
                Cell::Integer(load.minutes),
            ]
        })
        .collect();
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}
