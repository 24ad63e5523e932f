//! Reading a ticket's history (agents only: it names internal notes), and watchers.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use vakt_domain::Principal;
use vakt_domain::rights::Right;
use vakt_domain::ticket::HistoryKind;
use vakt_persistence::repo::history::{self, NewHistory};
use vakt_persistence::repo::{users, watchers};
use vakt_persistence::time::{from_db, to_db};

use super::view::{self, PersonRef, Ticket};
use super::{require, scope, visible};
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::reference::Reference;
use crate::{Services, access};

/// One history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Id (ascending in time).
    pub id: i64,
    /// The ticket it happened to (another one for tickets merged into this one).
    pub ticket_id: i64,
    /// Who (none: the system).
    pub actor: Option<PersonRef>,
    /// Kind (`created`, `state_changed`, …).
    pub kind: String,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
    /// The article concerned.
    pub article_id: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl Services {
    /// A ticket's history, oldest first (agents who can see the ticket).
    pub fn ticket_history(
        &self,
        actor: &Principal,
        key: &str,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<HistoryEntry>> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = visible(&mut conn, &access, &reference, key, false)?;
        if access.is_customer() {
            return Err(ServiceError::Forbidden("the history is for agents".into()));
        }
        // A ticket's history shows that of the tickets merged into it, in time order.
        let mut ids = vakt_persistence::repo::links::merged_into(&mut conn, row.id)?;
        let rows = if ids.is_empty() {
            history::for_ticket(&mut conn, row.id, page.after, page.fetch_limit())?
        } else {
            ids.push(row.id);
            history::for_tickets(&mut conn, &ids, page.after, page.fetch_limit())?
        };
        let mut ids: Vec<i64> = rows.iter().filter_map(|h| h.actor_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let people: HashMap<i64, PersonRef> = users::find_many(&mut conn, &ids)?
            .into_iter()
            .map(|u| {
                (
                    u.id,
                    PersonRef {
                        id: u.id,
                        name: u.name,
                        email: u.email,
                    },
                )
            })
            .collect();
        let mut rows = rows;
        crate::relations::hide_invisible_numbers(&mut conn, &access, &reference, &mut rows)?;
        let items = rows
            .into_iter()
            .map(|h| HistoryEntry {
                id: h.id,
                ticket_id: h.ticket_id,
                actor: h.actor_id.and_then(|id| people.get(&id).cloned()),
                kind: h.kind,
                old_value: h.old_value,
                new_value: h.new_value,
                article_id: h.article_id,
                created_at: from_db(h.created_at),
            })
            .collect();
        Ok(page.page(items, |h: &HistoryEntry| h.id))
    }

    /// Adds a watcher (default: the caller). Agents may add themselves with `ro`; adding
    /// someone else needs `rw`, and they must be an agent who can see the ticket.
    pub fn add_watcher(
        &self,
        actor: &Principal,
        key: &str,
        user_id: Option<i64>,
    ) -> ServiceResult<Ticket> {
        self.change_watcher(actor, key, user_id.unwrap_or(actor.user_id), true)
    }

    /// Removes a watcher (agents remove themselves with `ro`; others need `rw`).
    pub fn remove_watcher(
        &self,
        actor: &Principal,
        key: &str,
        user_id: i64,
    ) -> ServiceResult<Ticket> {
        self.change_watcher(actor, key, user_id, false)
    }

    fn change_watcher(
        &self,
        actor: &Principal,
        key: &str,
        user_id: i64,
        add: bool,
    ) -> ServiceResult<Ticket> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            if access.is_customer() {
                return Err(ServiceError::Forbidden(
                    "customers cannot change watchers".into(),
                ));
            }
            if user_id != actor.user_id {
                require(&access, &reference, &row, Right::Rw)?;
            }
            let watcher = users::find(conn, user_id)?;
            let name = match watcher {
                Some(u) if u.kind == "agent" && u.active => {
                    let principal = Principal {
                        user_id: u.id,
                        kind: vakt_domain::UserKind::Agent,
                        is_admin: u.is_admin,
                    };
                    if add && !access::load(conn, &principal)?.can_see(&scope(&reference, &row)) {
                        return Err(ServiceError::invalid(
                            "user_id",
                            "not_allowed",
                            "must be an agent who can see the ticket",
                        ));
                    }
                    u.name
                }
                _ if !add => return Err(ServiceError::NotFound("watcher")),
                _ => {
                    return Err(ServiceError::invalid(
                        "user_id",
                        "not_allowed",
                        "must be an active agent",
                    ));
                }
            };
            let changed = if add {
                watchers::add(conn, row.id, user_id, to_db(now))?
            } else {
                watchers::remove(conn, row.id, user_id)?
            };
            if !add && !changed {
                return Err(ServiceError::NotFound("watcher"));
            }
            if changed {
                let kind = if add {
                    HistoryKind::WatcherAdded
                } else {
                    HistoryKind::WatcherRemoved
                };
                history::append(
                    conn,
                    &[NewHistory {
                        ticket_id: row.id,
                        actor_id: Some(actor.user_id),
                        kind: kind.as_str().to_owned(),
                        old_value: (!add).then(|| name.clone()),
                        new_value: add.then_some(name),
                        article_id: None,
                        created_at: to_db(now),
                    }],
                )?;
            }
            let mut ticket = view::build_one(conn, &reference, &access, row, now)?;
            let ids = watchers::of_ticket(conn, ticket.id)?;
            ticket.watchers = users::find_many(conn, &ids)?
                .into_iter()
                .map(|u| PersonRef {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                })
                .collect();
            Ok(ticket)
        })
    }
}
