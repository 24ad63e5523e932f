//! First response and solution times per period: median, 90th percentile and mean, in wall
//! time and in business time of the ticket's SLA calendar.

use chrono::{DateTime, TimeDelta, Utc};
use vakt_domain::reports::Summary;
use vakt_persistence::time::from_db;

use super::dataset::Dataset;
use super::table::{Cell, CellKind, Rows, columns};
use crate::error::ServiceResult;

/// Durations of one bucket and metric.
#[derive(Debug, Clone, Default)]
struct Samples {
    wall: Vec<TimeDelta>,
    business: Vec<TimeDelta>,
}

/// Per bucket two rows, `first_response` (tickets whose first customer-visible agent article
/// came in the bucket: from creation to it) and `solution` (each closing in the bucket: from
/// creation to it). Business time counts the working time of the calendar of the ticket's SLA
/// between the two instants; tickets without an SLA have wall time only.
pub(super) fn response_times(data: &mut Dataset) -> ServiceResult<Rows> {
    let n = data.buckets.len();
    let mut first = vec![Samples::default(); n];
    let mut solution = vec![Samples::default(); n];
    for index in 0..data.tickets.len() {
        let ticket = &data.tickets[index];
        let (id, sla_id) = (ticket.id, ticket.sla_id);
        let created = from_db(ticket.created_at);
        let responded = data
            .facts
            .get(&id)
            .and_then(|f| f.first_agent_response_at)
            .map(from_db);
        let closings: Vec<DateTime<Utc>> = data
            .life(id)
            .map(|l| l.closings().collect())
            .unwrap_or_default();
        let def = match sla_id {
            Some(sla) => data.sla(sla)?,
            None => None,
        };
        let add = |samples: &mut Vec<Samples>, at: DateTime<Utc>| {
            if let Some(b) = data.bucket(at) {
                samples[b].wall.push(at - created);
                if let Some(def) = &def
                    && let Ok(business) = def.calendar.business_time_between(created, at)
                {
                    samples[b].business.push(business);
                }
            }
        };
        if let Some(at) = responded {
            add(&mut first, at);
        }
        for at in closings {
            add(&mut solution, at);
        }
    }
    let spec = [
        ("period", CellKind::Text),
        ("period_start", CellKind::Timestamp),
        ("metric", CellKind::Text),
        ("tickets", CellKind::Integer),
        ("median_minutes", CellKind::Number),
        ("p90_minutes", CellKind::Number),
        ("mean_minutes", CellKind::Number),
        ("business_tickets", CellKind::Integer),
        ("business_median_minutes", CellKind::Number),
        ("business_p90_minutes", CellKind::Number),
        ("business_mean_minutes", CellKind::Number),
    ];
    let mut rows = Vec::new();
    for (i, bucket) in data.buckets.iter().enumerate() {
        for (metric, samples) in [("first_response", &first[i]), ("solution", &solution[i])] {
            let wall = Summary::of(&samples.wall);
            let business = Summary::of(&samples.business);
            rows.push(vec![
                Cell::Text(bucket.label.clone()),
                Cell::Timestamp(bucket.start),
                Cell::Text(metric.to_owned()),
                Cell::count(wall.count),
                Cell::number(wall.median_minutes),
                Cell::number(wall.p90_minutes),
                Cell::number(wall.mean_minutes),
                Cell::count(business.count),
                Cell::number(business.median_minutes),
                Cell::number(business.p90_minutes),
                Cell::number(business.mean_minutes),
            ]);
        }
    }
    Ok(Rows {
        columns: columns(&spec),
        rows,
    })
}
