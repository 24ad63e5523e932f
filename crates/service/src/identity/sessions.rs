//! The sessions overview: a user sees where they are signed in and ends sessions; an
//! administrator sees and ends an agent's or customer's sessions (audited).

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::Principal;
use vakt_persistence::repo::identity::sessions::{self, SessionRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;
use crate::{AuthMethod, Authenticated, Services};

/// A signed-in session as its user sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Id.
    pub id: i64,
    /// `password`, `ldap` or `oidc`.
    pub method: String,
    /// Signed in at.
    pub created_at: DateTime<Utc>,
    /// Last token refresh.
    pub last_seen_at: DateTime<Utc>,
    /// The client's address at sign-in.
    pub client_address: Option<String>,
    /// The client's browser or program at sign-in.
    pub user_agent: Option<String>,
    /// Whether this is the session of the request.
    pub current: bool,
}

fn to_session(row: SessionRow, current: Option<i64>) -> Session {
    Session {
        current: current == Some(row.id),
        id: row.id,
        method: row.method,
        created_at: from_db(row.created_at),
        last_seen_at: from_db(row.last_seen_at),
        client_address: row.client_address,
        user_agent: row.user_agent,
    }
}

fn current_session(caller: &Authenticated) -> Option<i64> {
    match caller.via {
        AuthMethod::Session { session_id, .. } => session_id,
        AuthMethod::ApiToken { .. } => None,
    }
}

impl Services {
    /// The caller's active sessions, newest first.
    pub fn list_my_sessions(&self, caller: &Authenticated) -> ServiceResult<Vec<Session>> {
        let mut conn = self.conn()?;
        let now = to_db(self.now());
        let current = current_session(caller);
        Ok(
            sessions::list_active_for_user(&mut conn, caller.user.id, now)?
                .into_iter()
                .map(|row| to_session(row, current))
                .collect(),
        )
    }

    /// Ends one of the caller's sessions (their current one too, which signs them out); its
    /// access tokens stop working at once. Someone else's session is "not found".
    pub fn end_my_session(&self, caller: &Authenticated, id: i64) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        let now = to_db(self.now());
        if conn.write_transaction(|conn| sessions::end(conn, caller.user.id, id, now))? {
            log::info!("user {} ended their session {id}", caller.user.id);
            Ok(())
        } else {
            Err(ServiceError::NotFound("session"))
        }
    }

    /// Ends all of the caller's sessions but the current one; returns how many ended.
    pub fn end_my_other_sessions(&self, caller: &Authenticated) -> ServiceResult<usize> {
        let mut conn = self.conn()?;
        let now = to_db(self.now());
        let keep = current_session(caller);
        let ended = conn.write_transaction(|conn| {
            sessions::end_all_for_user(conn, caller.user.id, keep, now)
        })?;
        log::info!("user {} ended {ended} other sessions", caller.user.id);
        Ok(ended)
    }

    /// A user's active sessions (administrators).
    pub fn list_user_sessions(
        &self,
        actor: &Principal,
        user_id: i64,
    ) -> ServiceResult<Vec<Session>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        users::find(&mut conn, user_id)?.ok_or(ServiceError::NotFound("user"))?;
        let now = to_db(self.now());
        Ok(sessions::list_active_for_user(&mut conn, user_id, now)?
            .into_iter()
            .map(|row| to_session(row, None))
            .collect())
    }

    /// Ends all sessions of a user, e.g. after a lost laptop (administrators; audited). API
    /// tokens are not affected: the user or a deactivation revokes those.
    pub fn end_user_sessions(&self, actor: &Principal, user_id: i64) -> ServiceResult<usize> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let ended = conn.write_transaction(|conn| {
            let user = users::find(conn, user_id)?.ok_or(ServiceError::NotFound("user"))?;
            let ended = sessions::end_all_for_user(conn, user_id, None, to_db(now))?;
            audit::record(
                conn,
                Some(actor),
                now,
                Change::new("end_sessions", "user", user.id, &user.email)
                    .about(user.id)
                    .after(json!({ "sessions_ended": ended })),
            )?;
            Ok::<_, ServiceError>(ended)
        })?;
        log::info!(
            "user {} ended {ended} sessions of user {user_id}",
            actor.user_id
        );
        Ok(ended)
    }
}
