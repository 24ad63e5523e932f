//! Users as the rest of the system sees them, and the administration of agents.

use chrono::{DateTime, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{EmailAddress, FieldErrors, Principal, UserKind, ValidationError};
use vakt_persistence::repo::users::{self, NewUser, UserChanges, UserFilter, UserRow};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, unique_violation};

use crate::audit::{self, Change};
use crate::crypto::hash_password;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::{Services, tokens};

/// Shortest accepted password.
pub const MIN_PASSWORD_LENGTH: usize = 8;
/// Longest accepted password (argon2 copes, but there is no reason for more).
pub const MAX_PASSWORD_LENGTH: usize = 1024;
/// Longest display name.
pub const MAX_NAME_LENGTH: usize = 200;

/// A user (agent or customer) without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Agent or customer.
    pub kind: UserKind,
    /// Lower-cased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Administrator (agents only).
    pub is_admin: bool,
    /// Inactive users cannot sign in; their tokens stop working.
    pub active: bool,
    /// Whether a password is set (otherwise the user cannot sign in with one).
    pub has_password: bool,
    /// Interface language, if chosen.
    pub language: Option<String>,
    /// IANA time zone, if chosen.
    pub time_zone: Option<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The principal acting as this user.
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.id,
            kind: self.kind,
            is_admin: self.is_admin,
        }
    }
}

impl TryFrom<UserRow> for User {
    type Error = ServiceError;
    fn try_from(row: UserRow) -> ServiceResult<Self> {
        let kind = UserKind::parse(&row.kind).ok_or_else(|| {
            ServiceError::Internal(format!("user {} has kind {:?}", row.id, row.kind))
        })?;
        Ok(Self {
            id: row.id,
            kind,
            is_admin: row.is_admin && kind == UserKind::Agent,
            email: row.email,
            name: row.name,
            active: row.active,
            has_password: row.password_hash.is_some(),
            language: row.language,
            time_zone: row.time_zone,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        })
    }
}

/// Input for creating an agent.
#[derive(Debug, Clone, Default)]
pub struct NewAgent {
    /// Email (validated and lower-cased here).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password; without one the agent cannot sign in until it is set.
    pub password: Option<String>,
    /// Administrator flag.
    pub is_admin: bool,
}

/// Changes to an agent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AgentChanges {
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New password.
    pub password: Option<String>,
    /// New administrator flag.
    pub is_admin: Option<bool>,
    /// Activate or deactivate.
    pub active: Option<bool>,
}

/// Filters for listing agents.
#[derive(Debug, Clone, Default)]
pub struct AgentFilter {
    /// Case-insensitive substring of name or email.
    pub search: Option<String>,
    /// Only active/inactive agents.
    pub active: Option<bool>,
}

/// Validates a new password.
pub fn check_password(password: &str) -> Result<(), ValidationError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LENGTH {
        return Err(ValidationError::new(
            "too_short",
            format!("must be at least {MIN_PASSWORD_LENGTH} characters"),
        ));
    }
    if len > MAX_PASSWORD_LENGTH {
        return Err(ValidationError::new(
            "too_long",
            format!("must be at most {MAX_PASSWORD_LENGTH} characters"),
        ));
    }
    Ok(())
}

/// Validates a display name and returns it trimmed.
pub fn check_name(name: &str) -> Result<String, ValidationError> {
    text_length(name, 1, MAX_NAME_LENGTH).map(|()| name.trim().to_owned())
}

pub(crate) fn require_admin(principal: &Principal) -> ServiceResult<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "this needs an administrator".into(),
        ))
    }
}

pub(crate) fn require_agent(principal: &Principal) -> ServiceResult<()> {
    if principal.is_agent() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("this is for agents only".into()))
    }
}

/// Maps a unique violation on `users.email` to a 409, anything else to the generic mapping.
pub(crate) fn email_conflict(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(constraint) if constraint.contains("email") => email_taken(),
        _ => error.into(),
    }
}

fn email_taken() -> ServiceError {
    ServiceError::Conflict {
        code: "email_taken",
        detail: "a user with this email already exists".into(),
    }
}

/// Inserts a user row after validation; shared by agent creation, `create-admin` and bootstrap.
pub(crate) fn insert_user(
    conn: &mut DbConnection,
    kind: UserKind,
    email: &EmailAddress,
    name: &str,
    password: Option<&str>,
    is_admin: bool,
    now: DateTime<Utc>,
) -> ServiceResult<UserRow> {
    if users::find_by_email(conn, email.as_str())?.is_some() {
        return Err(email_taken());
    }
    let hash = password.map(hash_password).transpose()?;
    let id = users::insert(
        conn,
        &NewUser {
            kind: kind.as_str(),
            email: email.as_str(),
            name,
            password_hash: hash.as_deref(),
            is_admin: is_admin && kind == UserKind::Agent,
            active: true,
            created_at: to_db(now),
            updated_at: to_db(now),
            company_id: None,
            sees_company_tickets: false,
            login: None,
        },
    )
    .map_err(email_conflict)?;
    users::find(conn, id)?.ok_or(ServiceError::NotFound("user"))
}

impl Services {
    /// The agent directory (any agent may read it: owners are picked from it).
    pub fn list_agents(
        &self,
        actor: &Principal,
        filter: &AgentFilter,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<User>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rows = users::list(
            &mut conn,
            &UserFilter {
                kind: Some(UserKind::Agent.as_str()),
                active: filter.active,
                search: filter.search.as_deref(),
                company_id: None,
            },
            page.after,
            page.fetch_limit(),
        )?;
        let page = page.page(rows, |row| row.id);
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(User::try_from)
                .collect::<ServiceResult<_>>()?,
            next_cursor: page.next_cursor,
        })
    }

    /// One agent (agents may read; customers may not).
    pub fn get_agent(&self, actor: &Principal, id: i64) -> ServiceResult<User> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        load_agent(&mut conn, id)
    }

    /// Creates an agent (administrators only).
    pub fn create_agent(&self, actor: &Principal, input: NewAgent) -> ServiceResult<User> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let email = errors.check("email", EmailAddress::parse(&input.email));
        let name = errors.check("name", check_name(&input.name));
        if let Some(password) = &input.password {
            errors.check("password", check_password(password));
        }
        errors.into_result()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(ServiceError::Internal("validated fields missing".into()));
        };
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let row = insert_user(
                conn,
                UserKind::Agent,
                &email,
                &name,
                input.password.as_deref(),
                input.is_admin,
                now,
            )?;
            let user = User::try_from(row.clone())?;
            audit::record(
                conn,
                Some(actor),
                now,
                Change::new("create", "user", user.id, &user.email)
                    .about(user.id)
                    .after(audit::user_snapshot(&user)),
            )?;
            Ok::<_, ServiceError>(row)
        })?;
        log::info!(
            "user {} created agent {} ({})",
            actor.user_id,
            row.id,
            row.email
        );
        User::try_from(row)
    }

    /// Changes an agent (administrators only). Deactivation and password changes end the
    /// agent's sessions; removing the last active administrator is refused.
    pub fn update_agent(
        &self,
        actor: &Principal,
        id: i64,
        input: AgentChanges,
    ) -> ServiceResult<User> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let email = input
            .email
            .as_deref()
            .and_then(|e| errors.check("email", EmailAddress::parse(e)));
        let name = input
            .name
            .as_deref()
            .and_then(|n| errors.check("name", check_name(n)));
        if let Some(password) = &input.password {
            errors.check("password", check_password(password));
        }
        errors.into_result()?;
        let password_hash = input.password.as_deref().map(hash_password).transpose()?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let current = load_agent(conn, id)?;
            if let Some(email) = &email
                && email.as_str() != current.email
                && users::find_by_email(conn, email.as_str())?.is_some()
            {
                return Err(email_taken());
            }
            let loses_admin = current.is_admin
                && current.active
                && (input.is_admin == Some(false) || input.active == Some(false));
            if loses_admin && users::count_active_admins(conn)? <= 1 {
                return Err(ServiceError::Conflict {
                    code: "last_admin",
                    detail: "this is the last active administrator; make someone else an administrator first".into(),
                });
            }
            let changes = UserChanges {
                email: email.map(String::from),
                name,
                password_hash: password_hash.map(Some),
                is_admin: input.is_admin,
                active: input.active,
                updated_at: Some(to_db(now)),
                ..UserChanges::default()
            };
            let row = users::update(conn, id, &changes).map_err(email_conflict)?;
            if input.active == Some(false) || changes.password_hash.is_some() {
                tokens::end_sessions(conn, id, now)?;
            }
            let after = User::try_from(row.clone())?;
            audit::record(
                conn,
                Some(actor),
                now,
                Change::new("update", "user", id, &after.email)
                    .about(id)
                    .before(audit::user_snapshot(&current))
                    .after(audit::with_password_change(
                        audit::user_snapshot(&after),
                        changes.password_hash.is_some(),
                    )),
            )?;
            Ok(row)
        })?;
        log::info!("user {} changed agent {id}", actor.user_id);
        User::try_from(row)
    }
}

fn load_agent(conn: &mut DbConnection, id: i64) -> ServiceResult<User> {
    let user = users::find(conn, id)?
        .map(User::try_from)
        .transpose()?
        .filter(|user| user.kind == UserKind::Agent);
    user.ok_or(ServiceError::NotFound("user"))
}

/// Changes to one's own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    /// New display name.
    pub name: Option<String>,
    /// New language; `Some(None)` returns to the browser's language.
    pub language: Option<Option<String>>,
    /// New time zone; `Some(None)` returns to the browser's time zone.
    pub time_zone: Option<Option<String>>,
    /// New password; needs `current_password`.
    pub new_password: Option<String>,
    /// The current password, to confirm a password change.
    pub current_password: Option<String>,
}

impl Services {
    /// Changes the caller's own name, language, time zone or password. A password change
    /// needs the current password and ends all of the caller's sessions.
    pub fn update_me(&self, actor: &Principal, input: ProfileChanges) -> ServiceResult<User> {
        use vakt_domain::locale::{check_language, check_time_zone};
        let mut errors = FieldErrors::new();
        let name = input
            .name
            .as_deref()
            .and_then(|n| errors.check("name", check_name(n)));
        let language = match input.language {
            Some(Some(tag)) => errors.check("language", check_language(&tag)).map(Some),
            Some(None) => Some(None),
            None => None,
        };
        let time_zone = match input.time_zone {
            Some(Some(zone)) => errors.check("time_zone", check_time_zone(&zone)).map(Some),
            Some(None) => Some(None),
            None => None,
        };
        if let Some(password) = &input.new_password {
            errors.check("new_password", check_password(password));
            if input.current_password.is_none() {
                errors.add(
                    "current_password",
                    ValidationError::new("required", "is required to change the password"),
                );
            }
        }
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.conn()?;
        let current =
            users::find(&mut conn, actor.user_id)?.ok_or(ServiceError::NotFound("user"))?;
        let password_hash = match (&input.new_password, &input.current_password) {
            (Some(new), Some(old)) => {
                if !crate::crypto::verify_password(old, current.password_hash.as_deref()) {
                    return Err(ServiceError::invalid(
                        "current_password",
                        "wrong_password",
                        "is not your current password",
                    ));
                }
                Some(Some(hash_password(new)?))
            }
            _ => None,
        };
        let ends_sessions = password_hash.is_some();
        let row = conn.write_transaction(|conn| {
            let changes = UserChanges {
                name,
                language,
                time_zone,
                password_hash,
                updated_at: Some(to_db(now)),
                ..UserChanges::default()
            };
            let row = users::update(conn, actor.user_id, &changes)?;
            if ends_sessions {
                tokens::end_sessions(conn, actor.user_id, now)?;
            }
            Ok::<_, ServiceError>(row)
        })?;
        User::try_from(row)
    }
}
