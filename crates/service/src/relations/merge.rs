//! Merging a ticket into another: the source's articles (with their attachments and
//! Message-IDs), watchers, accounted time and links move to the target; its history stays where
//! it is and is shown in the target's; the source gets the `merged` state and remembers the
//! target, so that its number, id and mail threading resolve to the target.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::rights::{Access, Right};
use vakt_domain::ticket::{HistoryKind, StateType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::links;
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::time::to_db;

use super::{agents_only, not_merged, other_ticket};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::update::Plan;
use crate::tickets::{Ticket, require, view_one, visible};
use crate::{Services, access};

/// Longest chain of merges followed.
const MAX_CHAIN: usize = 50;

/// The ticket `row` ends up in after merges (itself when it was never merged).
pub(crate) fn resolve_merged(conn: &mut DbConnection, row: TicketRow) -> ServiceResult<TicketRow> {
    let mut row = row;
    for _ in 0..MAX_CHAIN {
        let Some(next) = row.merged_into_id else {
            return Ok(row);
        };
        match tickets::find(conn, next)? {
            Some(target) => row = target,
            None => return Ok(row),
        }
    }
    Ok(row)
}

/// Merges `source` into `target` (both locked, rights checked) in the caller's transaction;
/// returns the target's new row.
pub(crate) fn merge(
    conn: &mut DbConnection,
    reference: &Reference,
    actor: Option<i64>,
    source: TicketRow,
    target: TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<TicketRow> {
    if source.id == target.id {
        return Err(ServiceError::invalid(
            "target",
            "self_merge",
            "a ticket cannot be merged into itself",
        ));
    }
    not_merged(&source)?;
    not_merged(&target)?;
    let merged_state = reference
        .states
        .iter()
        .find(|s| s.active && s.state_type == StateType::Merged)
        .ok_or_else(|| ServiceError::Internal("no active state of type merged".into()))?
        .id;
    let article_ids = links::article_ids(conn, source.id, None)?;
    links::move_articles(conn, &article_ids, target.id)?;
    let moved_watchers = links::move_watchers(conn, source.id, target.id, to_db(now))?;
    links::move_links(conn, source.id, target.id)?;
    let moved = i64::try_from(article_ids.len()).unwrap_or(i64::MAX);

    let mut plan = Plan::new(source.clone(), actor, now);
    plan.set_state(reference, Some(merged_state), None)?;
    plan.changes.merged_into_id = Some(Some(target.id));
    plan.changes.article_count = Some(0);
    plan.changes.time_accounted_minutes = Some(0);
    plan.record(
        HistoryKind::MergedInto,
        None,
        Some(format!("#{}", target.number)),
        None,
    );
    let source_after = plan.commit(conn)?;

    let mut plan = Plan::new(target.clone(), actor, now);
    plan.changes.article_count = Some(target.article_count + moved);
    plan.changes.time_accounted_minutes =
        Some(target.time_accounted_minutes + source.time_accounted_minutes);
    plan.record(
        HistoryKind::MergedFrom,
        Some(format!("#{}", source.number)),
        Some(format!(
            "{moved} articles, {} minutes, {} watchers",
            source.time_accounted_minutes,
            moved_watchers.len()
        )),
        None,
    );
    let target_after = plan.commit(conn)?;
    // The moved articles now belong to the target's search document.
    vakt_persistence::search::reindex_ticket(
        conn,
        source_after.id,
        &source_after.title,
        &source_after.number,
    )?;
    vakt_persistence::search::reindex_ticket(
        conn,
        target_after.id,
        &target_after.title,
        &target_after.number,
    )?;
    Ok(target_after)
}

/// Locks and checks a merge of `source_key` into `target_key` for `access`: both visible,
/// `rw` on both. Returns the locked rows (source, target).
pub(crate) fn prepare(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    source: TicketRow,
    target_key: &str,
) -> ServiceResult<(TicketRow, TicketRow)> {
    agents_only(access)?;
    require(access, reference, &source, Right::Rw)?;
    let target = other_ticket(conn, access, reference, target_key, "target")?;
    if !access.can(&crate::tickets::scope(reference, &target), Right::Rw) {
        return Err(ServiceError::Forbidden(
            "merging needs the `rw` right on the target ticket's queue too".into(),
        ));
    }
    Ok((source, target))
}

impl Services {
    /// Merges a ticket into `target` (`rw` on both); returns the target.
    pub fn merge_ticket(
        &self,
        actor: &Principal,
        key: &str,
        target_key: &str,
        expected_version: Option<i64>,
    ) -> ServiceResult<Ticket> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            crate::tickets::check_version(&row, expected_version)?;
            let (source, target) = prepare(conn, &access, &reference, row, target_key)?;
            let target = merge(conn, &reference, Some(actor.user_id), source, target, now)?;
            view_one(conn, &reference, &access, target, now)
        })
    }
}

/// The ticket to write to for `row`: itself, or for a merged ticket the one it went into,
/// locked, if the caller may see it ("not found" otherwise).
pub(crate) fn follow_merge(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    row: TicketRow,
) -> ServiceResult<TicketRow> {
    if row.merged_into_id.is_none() {
        return Ok(row);
    }
    let end = resolve_merged(conn, row)?;
    match tickets::find_for_update(conn, end.id)? {
        Some(locked) if access.can_see(&crate::tickets::scope(reference, &locked)) => Ok(locked),
        _ => Err(ServiceError::NotFound("ticket")),
    }
}
