//! Collision detection: agents say that they have a ticket open (and whether they are writing
//! an answer) every half minute or so; the presence lasts `presence_ttl` unless renewed. Every
//! change is logged for the live-update pollers, so the agents' streams show it.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::ticket::looks_like_ticket_number;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::presence as repo;
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use super::ticket_scope;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::PersonRef;
use crate::{Services, access};

/// An agent on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// The agent.
    pub user: PersonRef,
    /// Writing an answer.
    pub composing: bool,
    /// Gone unless renewed by then.
    pub expires_at: DateTime<Utc>,
    /// The caller.
    pub me: bool,
}

/// The ticket behind `key` (id or number) if an agent caller may see it.
fn agent_ticket(conn: &mut DbConnection, actor: &Principal, key: &str) -> ServiceResult<TicketRow> {
    let access = access::load(conn, actor)?;
    let reference = Reference::load(conn)?;
    let key = key.trim();
    let mut row = None;
    if looks_like_ticket_number(key) {
        row = tickets::find_by_number(conn, key)?;
    }
    if row.is_none()
        && let Ok(id) = key.parse::<i64>()
    {
        row = tickets::find(conn, id)?;
    }
    let row = row
        .filter(|r| access.can_see(&ticket_scope(&reference, r)))
        .ok_or(ServiceError::NotFound("ticket"))?;
    if access.is_customer() {
        return Err(ServiceError::Forbidden("presence is for agents".into()));
    }
    Ok(row)
}

fn list(
    conn: &mut DbConnection,
    actor: &Principal,
    ticket_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Presence>> {
    let rows = repo::on_ticket(conn, ticket_id, to_db(now))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let people = users::find_many(conn, &ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let user = people.iter().find(|u| u.id == row.user_id)?;
            Some(Presence {
                user: PersonRef {
                    id: user.id,
                    name: user.name.clone(),
                    email: user.email.clone(),
                },
                composing: row.composing,
                expires_at: from_db(row.expires_at),
                me: user.id == actor.user_id,
            })
        })
        .collect())
}

impl Services {
    /// Says that the caller has the ticket open (and is or is not composing); returns who is
    /// on the ticket now (agents who can see it).
    pub fn set_presence(
        &self,
        actor: &Principal,
        key: &str,
        composing: bool,
    ) -> ServiceResult<Vec<Presence>> {
        let now = self.now();
        let expires = now + self.config().live.presence_ttl;
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let ticket = agent_ticket(conn, actor, key)?;
            repo::upsert(
                conn,
                ticket.id,
                actor.user_id,
                composing,
                to_db(expires),
                to_db(now),
            )?;
            repo::log_change(
                conn,
                ticket.id,
                actor.user_id,
                true,
                composing,
                Some(to_db(expires)),
                to_db(now),
            )?;
            list(conn, actor, ticket.id, now)
        })
    }

    /// Says that the caller left the ticket.
    pub fn leave_ticket(&self, actor: &Principal, key: &str) -> ServiceResult<()> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let ticket = agent_ticket(conn, actor, key)?;
            if repo::remove(conn, ticket.id, actor.user_id, to_db(now))? {
                repo::log_change(
                    conn,
                    ticket.id,
                    actor.user_id,
                    false,
                    false,
                    None,
                    to_db(now),
                )?;
            }
            Ok(())
        })
    }

    /// Who is on the ticket now (agents who can see it).
    pub fn ticket_presence(&self, actor: &Principal, key: &str) -> ServiceResult<Vec<Presence>> {
        let now = self.now();
        let mut conn = self.conn()?;
        let ticket = agent_ticket(&mut conn, actor, key)?;
        list(&mut conn, actor, ticket.id, now)
    }
}
