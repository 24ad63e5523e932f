//! The safe horizon of an id-ordered log written by concurrent transactions.
//!
//! On PostgreSQL, ids come from a sequence when a row is inserted, but rows become visible when
//! their transaction commits: a transaction holding id 10 may commit after one holding id 11.
//! A reader that jumped to 11 would never see 10. So readers advance only over ids that follow
//! each other without a hole; at a hole they wait until it cannot be filled any more:
//!
//! - On PostgreSQL, once the hole has been seen for `settle`, the reader notes the snapshot's
//!   `xmax` (every transaction that can own the hole has an id below it by then); when a later
//!   snapshot's `xmin` reaches that value, all of them have ended, and a hole still there is a
//!   rolled-back (or deleted) row. This usually takes one or two polls.
//! - Everywhere, a hole older than `timeout` is passed (a transaction open that long, or a
//!   deleted row); on SQLite, whose writers are serialised, that is the only kind of hole.

use chrono::{DateTime, Duration, Utc};
use vakt_persistence::repo::events::SnapshotBounds;

/// What a reader knows about the hole right after its position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Gap {
    /// First seen.
    pub(crate) since: Option<DateTime<Utc>>,
    /// PostgreSQL: a snapshot xmax noted at least `settle` after it was first seen.
    pub(crate) xmax: Option<i64>,
}

/// How long to wait for holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GapPolicy {
    /// Pass any hole older than this.
    pub(crate) timeout: Duration,
    /// Note the snapshot xmax only after this (the hole's owner has its transaction id by then).
    pub(crate) settle: Duration,
}

impl GapPolicy {
    /// A policy passing holes after `timeout`, noting the xmax after one second.
    pub(crate) fn new(timeout: Duration) -> Self {
        GapPolicy {
            timeout,
            settle: Duration::seconds(1).min(timeout),
        }
    }
}

/// How many of `ids` (ascending, all after `position`) may be handled now. `snapshot` must be
/// taken before `ids` were read. Updates `gap` for the hole after the new position.
pub(crate) fn advance(
    position: i64,
    ids: &[i64],
    gap: &mut Gap,
    now: DateTime<Utc>,
    snapshot: Option<SnapshotBounds>,
    policy: GapPolicy,
) -> usize {
    let mut expected = position.saturating_add(1);
    let mut ready = 0;
    for &id in ids {
        if id > expected {
            let since = *gap.since.get_or_insert(now);
            let ended = matches!((snapshot, gap.xmax), (Some(s), Some(x)) if s.xmin >= x);
            if !ended && now - since < policy.timeout {
                if gap.xmax.is_none() && now - since >= policy.settle {
                    gap.xmax = snapshot.map(|s| s.xmax);
                }
                break;
            }
            log::info!(
                "history ids {expected}..{} never committed (passed after {} s)",
                id - 1,
                (now - since).num_seconds()
            );
        }
        ready += 1;
        expected = id.saturating_add(1);
        *gap = Gap::default();
    }
    ready
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap_or_default()
    }

    fn policy() -> GapPolicy {
        GapPolicy::new(Duration::seconds(60))
    }

    #[test]
    fn contiguous_ids_are_all_ready() {
        let mut gap = Gap::default();
        assert_eq!(advance(4, &[5, 6, 7], &mut gap, at(0), None, policy()), 3);
        assert_eq!(gap, Gap::default());
        assert_eq!(advance(7, &[], &mut gap, at(0), None, policy()), 0);
    }

    #[test]
    fn a_hole_stops_the_reader_until_it_fills() {
        let mut gap = Gap::default();
        assert_eq!(advance(4, &[5, 7, 8], &mut gap, at(0), None, policy()), 1);
        assert_eq!(gap.since, Some(at(0)), "the hole after 5 is being watched");
        assert_eq!(advance(5, &[7, 8], &mut gap, at(30), None, policy()), 0);
        assert_eq!(gap.since, Some(at(0)), "still the same hole");
        // The late transaction commits: 6 appears and everything is ready.
        assert_eq!(advance(5, &[6, 7, 8], &mut gap, at(31), None, policy()), 3);
        assert_eq!(gap, Gap::default());
    }

    #[test]
    fn a_hole_is_passed_after_the_timeout() {
        let mut gap = Gap::default();
        assert_eq!(advance(4, &[7], &mut gap, at(0), None, policy()), 0);
        assert_eq!(advance(4, &[7], &mut gap, at(59), None, policy()), 0);
        assert_eq!(advance(4, &[7, 9], &mut gap, at(60), None, policy()), 1);
        assert_eq!(
            gap.since,
            Some(at(60)),
            "the next hole (8) starts its own clock"
        );
    }

    #[test]
    fn on_postgres_a_hole_is_passed_once_every_possible_owner_ended() {
        let mut gap = Gap::default();
        let running = SnapshotBounds {
            xmin: 100,
            xmax: 120,
        };
        assert_eq!(
            advance(4, &[6], &mut gap, at(0), Some(running), policy()),
            0
        );
        assert_eq!(gap.xmax, None, "too early to note the xmax");
        assert_eq!(
            advance(4, &[6], &mut gap, at(2), Some(running), policy()),
            0
        );
        assert_eq!(gap.xmax, Some(120));
        let still_running = SnapshotBounds {
            xmin: 110,
            xmax: 130,
        };
        assert_eq!(
            advance(4, &[6], &mut gap, at(3), Some(still_running), policy()),
            0
        );
        let ended = SnapshotBounds {
            xmin: 120,
            xmax: 131,
        };
        assert_eq!(
            advance(4, &[6, 7], &mut gap, at(4), Some(ended), policy()),
            2
        );
        assert_eq!(gap, Gap::default());
    }
}
