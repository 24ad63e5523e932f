//! The customer information center as a report: per company (or customer), the tickets of
//! the period, closings, what is open and escalated now, and SLA breaches.

use std::collections::BTreeMap;

use vakt_domain::ticket::StateType;
use vakt_persistence::repo::companies;
use vakt_persistence::time::from_db;

use super::GroupBy;
use super::dataset::Dataset;
use super::table::{Cell, CellKind, Rows, columns};
use crate::error::ServiceResult;

/// Figures of one company or customer.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    created: usize,
    closed: usize,
    open_now: usize,
    escalated_now: usize,
    breached: usize,
}

/// One row per company (`group_by=customer`: per customer user) with any ticket in the
/// period, by name; tickets without one are a row with an empty id. `created` and `closed`
/// count in the period, `open_now` and `escalated_now` (an SLA deadline of a running clock has
/// passed) at the moment of asking, `breached` the period's tickets with any SLA breach.
pub(super) fn customers(data: &mut Dataset, group_by: GroupBy) -> ServiceResult<Rows> {
    let mut figures: BTreeMap<Option<i64>, Figures> = BTreeMap::new();
    let now = data.now;
    for index in 0..data.tickets.len() {
        let ticket = &data.tickets[index];
        let key = match group_by {
            GroupBy::Customer => ticket.customer_id,
            _ => ticket.company_id,
        };
        let id = ticket.id;
        let created_in = data.bucket_db(ticket.created_at).is_some();
        let open = StateType::parse(&ticket.state_type).is_some_and(|t| !t.is_finished());
        let escalated = open && ticket.escalation_at.is_some_and(|e| from_db(e) <= now);
        let closed = data.life(id).map_or(0, |l| {
            l.closings().filter(|at| data.bucket(*at).is_some()).count()
        });
        let breached = created_in
            && (data
                .marks()?
                .get(&id)
                .is_some_and(|m| m.iter().any(|m| m.kind == "breach"))
                || data
                    .evaluate(index)?
                    .is_some_and(|(_, e)| e.targets().any(|t| t.breached)));
        let f = figures.entry(key).or_default();
        f.created += usize::from(created_in);
        f.closed += closed;
        f.open_now += usize::from(open);
        f.escalated_now += usize::from(escalated);
        f.breached += usize::from(breached);
    }
    figures.retain(|_, f| f.created + f.closed + f.open_now > 0);
    let ids: Vec<i64> = figures.keys().flatten().copied().collect();
    let names = match group_by {
        GroupBy::Customer => data.user_names(&ids)?,
        _ => {
            let mut names = std::collections::HashMap::new();
            for chunk in ids.chunks(5_000) {
                for company in companies::find_many(&mut data.conn, chunk)? {
                    names.insert(company.id, company.name);
                }
            }
            names
        }
    };
    let mut ordered: Vec<(String, Option<i64>, Figures)> = figures
        .into_iter()
        .map(|(id, f)| {
            let name = id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default();
            (name, id, f)
        })
        .collect();
    // Named first by name, the ones without a company or customer last.
    ordered.sort_by(|a, b| {
        (a.1.is_none(), a.0.to_lowercase(), a.1).cmp(&(b.1.is_none(), b.0.to_lowercase(), b.1))
    });
    let (id_key, name_key) = match group_by {
        GroupBy::Customer => ("customer_id", "customer"),
        _ => ("company_id", "company"),
    };
    let spec = [
        (id_key, CellKind::Integer),
        (name_key, CellKind::Text),
        ("created", CellKind::Integer),
        ("closed", CellKind::Integer),
        ("open_now", CellKind::Integer),
        ("escalated_now", CellKind::Integer),
        ("breached", CellKind::Integer),
    ];
    let rows = ordered
        .into_iter()
        .map(|(name, id, f)| {
            vec![
                id.map_or(Cell::Null, Cell::Integer),
                if id.is_some() {
                    Cell::Text(name)
                } else {
                    Cell::Null
                },
                Cell::count(f.created),
                Cell::count(f.closed),
                Cell::count(f.open_now),
                Cell::count(f.escalated_now),
                Cell::count(f.breached),
            ]
        })
        .collect();
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}
