//! The administrators' audit log: every administrative change (users, customers, groups and
//! their members, roles and their grants, queues, settings, sign-in configuration) appends one
//! entry in the same transaction as the change, with who, when, and the values before and
//! after. Entries are never changed or deleted (the database refuses it too).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use vakt_domain::Principal;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::audit::{self, AuditFilter as RepoFilter, AuditRow, NewAuditRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::require_admin;

/// Most entries one CSV export returns; narrow the filter for more.
pub const MAX_EXPORT_ROWS: i64 = 100_000;
/// The actor label of changes made by the system itself (directory sync, bootstrap).
pub const SYSTEM_ACTOR: &str = "system";

/// One change, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Id (increasing).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (absent: the system).
    pub actor_id: Option<i64>,
    /// The actor's email at the time, or `system`.
    pub actor_label: String,
    /// What was done (`create`, `update`, `grant`, `revoke`, `reset`, `end_sessions`, …).
    pub action: String,
    /// The kind of thing changed (`user`, `group`, `group_membership`, …).
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Its name at the time.
    pub entity_label: String,
    /// The user the change is about, if any.
    pub subject_user_id: Option<i64>,
    /// Values before (absent on creation).
    pub before: Option<Value>,
    /// Values after (absent on removal).
    pub after: Option<Value>,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        let parse = |text: Option<String>| {
            text.map(|t| serde_json::from_str(&t).unwrap_or(Value::String(t)))
        };
        Self {
            id: row.id,
            at: from_db(row.at),
            actor_id: row.actor_id,
            actor_label: row.actor_label,
            action: row.action,
            entity: row.entity,
            entity_id: row.entity_id,
            entity_label: row.entity_label,
            subject_user_id: row.subject_user_id,
            before: parse(row.before_value),
            after: parse(row.after_value),
        }
    }
}

/// Filters for reading the log; all given ones must match.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// By actor.
    pub actor_id: Option<i64>,
    /// By the user a change is about.
    pub user_id: Option<i64>,
    /// By kind of thing.
    pub entity: Option<String>,
    /// By the thing's id.
    pub entity_id: Option<i64>,
    /// By action.
    pub action: Option<String>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
}

/// A change to record: built by the use case that makes it.
#[derive(Debug, Clone)]
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub entity_label: &'a str,
    pub subject_user_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Change<'a> {
    /// A change of `entity` #`id` (named `label`).
    pub(crate) fn new(action: &'a str, entity: &'a str, id: i64, label: &'a str) -> Self {
        Self {
            action,
            entity,
            entity_id: Some(id),
            entity_label: label,
            subject_user_id: None,
            before: None,
            after: None,
        }
    }

    /// A change of the setting `key`.
    pub(crate) fn setting(action: &'a str, key: &'a str) -> Self {
        Self {
            action,
            entity: "setting",
            entity_id: None,
            entity_label: key,
            subject_user_id: None,
            before: None,
            after: None,
        }
    }

    /// The user the change is about.
    pub(crate) fn about(mut self, user_id: i64) -> Self {
        self.subject_user_id = Some(user_id);
        self
    }

    /// The values before.
    pub(crate) fn before(mut self, value: impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok().filter(|v| !v.is_null());
        self
    }

    /// The values after.
    pub(crate) fn after(mut self, value: impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok().filter(|v| !v.is_null());
        self
    }
}

/// Appends `change`, made by `actor` (`None`: the system) at `at`, inside the caller's
/// transaction. An update that changed nothing is not recorded.
pub(crate) fn record(
    conn: &mut DbConnection,
    actor: Option<&Principal>,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> ServiceResult<()> {
    if change.before.is_some() && change.before == change.after {
        return Ok(());
    }
    let label = match actor {
        Some(p) => {
            users::find(conn, p.user_id)?.map_or_else(|| format!("user {}", p.user_id), |u| u.email)
        }
        None => SYSTEM_ACTOR.to_owned(),
    };
    let before = change.before.as_ref().map(Value::to_string);
    let after = change.after.as_ref().map(Value::to_string);
    audit::insert(
        conn,
        &NewAuditRow {
            at: to_db(at),
            actor_id: actor.map(|p| p.user_id),
            actor_label: &label,
            action: change.action,
            entity: change.entity,
            entity_id: change.entity_id,
            entity_label: change.entity_label,
            subject_user_id: change.subject_user_id,
            before_value: before.as_deref(),
            after_value: after.as_deref(),
        },
    )?;
    Ok(())
}

fn repo_filter(filter: &AuditFilter) -> ServiceResult<RepoFilter<'_>> {
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && from >= until
    {
        return Err(ServiceError::invalid(
            "until",
            "out_of_range",
            "must be after `from`",
        ));
    }
    Ok(RepoFilter {
        actor_id: filter.actor_id,
        subject_user_id: filter.user_id,
        entity: filter.entity.as_deref(),
        entity_id: filter.entity_id,
        action: filter.action.as_deref(),
        from: filter.from.map(to_db),
        until: filter.until.map(to_db),
    })
}

impl Services {
    /// The audit log, newest first (administrators).
    pub fn list_audit_log(
        &self,
        actor: &Principal,
        filter: &AuditFilter,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<AuditEntry>> {
        require_admin(actor)?;
        let repo = repo_filter(filter)?;
        let mut conn = self.conn()?;
        let rows = audit::list(&mut conn, &repo, page.after, page.fetch_limit())?;
        Ok(page.page(rows, |row| row.id).map(AuditEntry::from))
    }

    /// Every entry matching `filter`, newest first, up to [`MAX_EXPORT_ROWS`]; the flag tells
    /// whether more matched (administrators).
    pub fn export_audit_log(
        &self,
        actor: &Principal,
        filter: &AuditFilter,
    ) -> ServiceResult<(Vec<AuditEntry>, bool)> {
        require_admin(actor)?;
        let repo = repo_filter(filter)?;
        let mut conn = self.conn()?;
        let mut rows = audit::list(&mut conn, &repo, None, MAX_EXPORT_ROWS + 1)?;
        let truncated = rows.len() as i64 > MAX_EXPORT_ROWS;
        rows.truncate(MAX_EXPORT_ROWS as usize);
        Ok((rows.into_iter().map(AuditEntry::from).collect(), truncated))
    }
}

/// Rights as their names, for the log.
pub(crate) fn rights_names(rights: vakt_domain::rights::RightSet) -> Vec<&'static str> {
    rights.rights().into_iter().map(|r| r.as_str()).collect()
}

/// What the log keeps of a group or role.
pub(crate) trait OrgSnapshot {
    /// Name, description and active flag as JSON.
    fn snapshot(&self) -> Value;
}

impl OrgSnapshot for vakt_persistence::repo::organisation::GroupRow {
    fn snapshot(&self) -> Value {
        serde_json::json!({ "name": self.name, "description": self.description, "active": self.active })
    }
}

impl OrgSnapshot for crate::organisation::Role {
    fn snapshot(&self) -> Value {
        serde_json::json!({ "name": self.name, "description": self.description, "active": self.active })
    }
}

/// What the log keeps of an agent's direct membership of a group.
pub(crate) fn membership_snapshot(
    user: &crate::User,
    group: &str,
    rights: i64,
    queue_manager: bool,
) -> Value {
    serde_json::json!({
        "user": user.email,
        "group": group,
        "rights": rights_names(vakt_domain::rights::RightSet::from_bits(rights)),
        "queue_manager": queue_manager,
    })
}

impl OrgSnapshot for vakt_persistence::repo::queues::QueueRow {
    fn snapshot(&self) -> Value {
        serde_json::json!({
            "name": self.name,
            "group_id": self.group_id,
            "parent_id": self.parent_id,
            "email_address": self.email_address,
            "default_priority_id": self.default_priority_id,
            "customer_open": self.customer_open,
            "description": self.description,
            "active": self.active,
        })
    }
}

impl OrgSnapshot for vakt_persistence::repo::users::UserRow {
    fn snapshot(&self) -> Value {
        serde_json::json!({
            "kind": self.kind,
            "email": self.email,
            "name": self.name,
            "login": self.login,
            "company_id": self.company_id,
            "sees_company_tickets": self.sees_company_tickets,
            "is_admin": self.is_admin,
            "active": self.active,
        })
    }
}

/// What the log keeps of a user (never a password or its hash).
pub(crate) fn user_snapshot(user: &crate::User) -> Value {
    serde_json::json!({
        "kind": user.kind.as_str(),
        "email": user.email,
        "name": user.name,
        "is_admin": user.is_admin,
        "active": user.active,
    })
}

/// `snapshot` with `"password": "changed"` added when the change set a password.
pub(crate) fn with_password_change(mut snapshot: Value, changed: bool) -> Value {
    if changed && let Value::Object(map) = &mut snapshot {
        map.insert("password".into(), Value::String("changed".into()));
    }
    snapshot
}
