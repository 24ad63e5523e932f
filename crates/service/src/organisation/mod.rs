//! Groups and roles, and who holds which rights where (SPEC §8): direct grants on a group (with
//! the queue-manager flag), role grants, and role assignments. Administrators manage all of it;
//! a queue manager manages the agents of the groups they manage and nothing else.

use chrono::{DateTime, Utc};
use vakt_domain::rights::{Access, RightSet};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, UserKind};
use vakt_persistence::repo::organisation::{self, GroupRow, MemberRow, OrgChanges, RoleRow};
use vakt_persistence::repo::users;
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, unique_violation};

use crate::audit::{self, Change, OrgSnapshot};
use crate::error::{ServiceError, ServiceResult};
use crate::users::{User, require_admin, require_agent};
use crate::{Services, access};

mod roles;

/// Longest group or role name.
pub const MAX_ORG_NAME_LENGTH: usize = 100;
/// Longest group or role description.
pub const MAX_DESCRIPTION_LENGTH: usize = 2000;

/// A group: owns queues; agents get rights per group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive groups grant nothing.
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<GroupRow> for Group {
    fn from(row: GroupRow) -> Self {
        Group {
            id: row.id,
            name: row.name,
            description: row.description,
            active: row.active,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// A role: a bundle of group grants given to agents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive roles grant nothing.
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<RoleRow> for Role {
    fn from(row: RoleRow) -> Self {
        Role {
            id: row.id,
            name: row.name,
            description: row.description,
            active: row.active,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        }
    }
}

/// The rights a role grants on one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// The group.
    pub group_id: i64,
    /// The rights.
    pub rights: RightSet,
}

/// A role with its grants and the agents holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDetail {
    /// The role.
    pub role: Role,
    /// Its grants, by group id.
    pub grants: Vec<Grant>,
    /// The agents holding it, by id.
    pub member_ids: Vec<i64>,
}

/// An agent's direct membership of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The agent.
    pub user: User,
    /// Rights granted directly (role grants are not included).
    pub rights: RightSet,
    /// Whether the agent manages the group's members.
    pub queue_manager: bool,
}

/// Name, description and active flag of a new or changed group or role; `None` leaves a field
/// as it is (a new one needs a name).
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
}

/// A direct membership to set.
#[derive(Debug, Clone, Copy, Default)]
pub struct MembershipInput {
    /// The rights to grant (replacing the current ones).
    pub rights: RightSet,
    /// The queue-manager flag; `None` keeps the current value (`false` for a new member).
    pub queue_manager: Option<bool>,
}

fn validate(input: &OrgInput, creating: bool) -> ServiceResult<OrgChanges> {
    let mut errors = FieldErrors::new();
    let name = match (&input.name, creating) {
        (Some(name), _) => errors
            .check("name", text_length(name, 1, MAX_ORG_NAME_LENGTH))
            .map(|()| name.trim().to_owned()),
        (None, true) => {
            errors.check("name", text_length("", 1, MAX_ORG_NAME_LENGTH));
            None
        }
        (None, false) => None,
    };
    if let Some(description) = &input.description {
        errors.check(
            "description",
            text_length(description, 0, MAX_DESCRIPTION_LENGTH),
        );
    }
    errors.into_result()?;
    Ok(OrgChanges {
        name,
        description: input.description.as_deref().map(|d| d.trim().to_owned()),
        active: input.active,
    })
}

fn name_taken(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "the name is already in use".into(),
        },
        None => error.into(),
    }
}

/// Refuses unless the caller may manage the group's members (administrators, and the group's
/// queue managers). Checked before the group is looked up, so that a queue manager learns
/// nothing about groups they do not manage: 403 whether or not the group exists.
fn require_manager(access: &Access, group_id: i64) -> ServiceResult<()> {
    if access.manages(group_id) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "this needs an administrator or a queue manager of the group".into(),
        ))
    }
}

fn load_group(conn: &mut DbConnection, id: i64) -> ServiceResult<GroupRow> {
    organisation::find_group(conn, id)?.ok_or(ServiceError::NotFound("group"))
}

/// The user behind a membership path: must exist (404) and be an agent (422).
fn load_agent_member(conn: &mut DbConnection, user_id: i64) -> ServiceResult<User> {
    let user = users::find(conn, user_id)?
        .map(User::try_from)
        .transpose()?
        .ok_or(ServiceError::NotFound("user"))?;
    if user.kind != UserKind::Agent {
        return Err(ServiceError::invalid(
            "user_id",
            "not_an_agent",
            "only agents can be given group rights or roles",
        ));
    }
    Ok(user)
}

fn to_member(row: &MemberRow, user: User) -> Member {
    Member {
        user,
        rights: RightSet::from_bits(row.rights),
        queue_manager: row.queue_manager,
    }
}

impl Services {
    /// Groups: all of them for administrators; for other agents the groups they manage as
    /// queue manager (none for most); customers are refused.
    pub fn list_groups(&self, actor: &Principal) -> ServiceResult<Vec<Group>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        Ok(organisation::groups(&mut conn)?
            .into_iter()
            .filter(|g| access.manages(g.id))
            .map(Group::from)
            .collect())
    }

    /// One group (administrators, and the group's queue managers).
    pub fn get_group(&self, actor: &Principal, id: i64) -> ServiceResult<Group> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        require_manager(&access::load(&mut conn, actor)?, id)?;
        Ok(load_group(&mut conn, id)?.into())
    }

    /// Creates a group (administrators).
    pub fn create_group(&self, actor: &Principal, input: OrgInput) -> ServiceResult<Group> {
        require_admin(actor)?;
        let changes = validate(&input, true)?;
        let name = changes.name.unwrap_or_default();
        let description = changes.description.unwrap_or_default();
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let row =
                organisation::insert_group(conn, &name, &description, now).map_err(name_taken)?;
            let row = match changes.active {
                Some(false) => organisation::update_group(conn, row.id, &inactive(), now)?,
                _ => row,
            };
            audit::record(
                conn,
                Some(actor),
                at,
                Change::new("create", "group", row.id, &row.name).after(row.snapshot()),
            )?;
            Ok::<_, ServiceError>(row)
        })?;
        log::info!(
            "user {} created group {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        Ok(row.into())
    }

    /// Renames, describes, deactivates or reactivates a group (administrators). Groups are
    /// never deleted: queues and history refer to them; an inactive group grants nothing.
    pub fn update_group(
        &self,
        actor: &Principal,
        id: i64,
        input: OrgInput,
    ) -> ServiceResult<Group> {
        require_admin(actor)?;
        let changes = validate(&input, false)?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let before = load_group(conn, id)?;
            let row = organisation::update_group(conn, id, &changes, now).map_err(name_taken)?;
            audit::record(
                conn,
                Some(actor),
                at,
                Change::new("update", "group", id, &row.name)
                    .before(before.snapshot())
                    .after(row.snapshot()),
            )?;
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed group {id}", actor.user_id);
        Ok(row.into())
    }

    /// The direct members of a group (administrators, and the group's queue managers).
    pub fn list_group_members(
        &self,
        actor: &Principal,
        group_id: i64,
    ) -> ServiceResult<Vec<Member>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        require_manager(&access::load(&mut conn, actor)?, group_id)?;
        load_group(&mut conn, group_id)?;
        let rows = organisation::members_of(&mut conn, group_id)?;
        let ids: Vec<i64> = rows.iter().map(|m| m.user_id).collect();
        let mut people = users::find_many(&mut conn, &ids)?;
        rows.iter()
            .filter_map(|row| {
                let index = people.iter().position(|u| u.id == row.user_id)?;
                Some(User::try_from(people.swap_remove(index)).map(|user| to_member(row, user)))
            })
            .collect()
    }

    /// Gives an agent rights on a group, or replaces them. Administrators may do anything; a
    /// queue manager of the group may set the rights of agents who are not queue managers, but
    /// may neither give nor take the queue-manager flag nor change any queue manager's
    /// membership, their own included (no self-promotion): 403.
    pub fn set_group_member(
        &self,
        actor: &Principal,
        group_id: i64,
        user_id: i64,
        input: MembershipInput,
    ) -> ServiceResult<Member> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        require_manager(&access, group_id)?;
        let at = self.now();
        let (row, user) = conn.write_transaction(|conn| {
            let group = load_group(conn, group_id)?;
            let user = load_agent_member(conn, user_id)?;
            let current = organisation::membership(conn, group_id, user_id)?;
            let was_manager = current.as_ref().is_some_and(|m| m.queue_manager);
            let queue_manager = input.queue_manager.unwrap_or(was_manager);
            if !access.is_admin() {
                if was_manager {
                    return Err(ServiceError::Forbidden(
                        "only administrators may change a queue manager's membership".into(),
                    ));
                }
                if queue_manager {
                    return Err(ServiceError::Forbidden(
                        "only administrators may make an agent a queue manager".into(),
                    ));
                }
            }
            if input.rights.is_empty() && !queue_manager {
                return Err(ServiceError::invalid(
                    "rights",
                    "required",
                    "must name at least one right; DELETE the membership to remove it",
                ));
            }
            let row = MemberRow {
                user_id,
                group_id,
                rights: input.rights.bits(),
                queue_manager,
            };
            organisation::set_membership(conn, &row)?;
            let before = current
                .as_ref()
                .map(|m| audit::membership_snapshot(&user, &group.name, m.rights, m.queue_manager));
            let change = Change::new("grant", "group_membership", group_id, &group.name)
                .about(user_id)
                .before(before)
                .after(audit::membership_snapshot(
                    &user,
                    &group.name,
                    row.rights,
                    row.queue_manager,
                ));
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>((row, user))
        })?;
        log::info!(
            "user {} set membership of user {user_id} in group {group_id}: rights {:#x}, queue manager {}",
            actor.user_id,
            row.rights,
            row.queue_manager
        );
        Ok(to_member(&row, user))
    }

    /// Removes an agent's direct membership of a group, with the same rule as
    /// [`Services::set_group_member`]. Rights through roles are not affected.
    pub fn remove_group_member(
        &self,
        actor: &Principal,
        group_id: i64,
        user_id: i64,
    ) -> ServiceResult<()> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        require_manager(&access, group_id)?;
        let at = self.now();
        conn.write_transaction(|conn| {
            let group = load_group(conn, group_id)?;
            let current = organisation::membership(conn, group_id, user_id)?
                .ok_or(ServiceError::NotFound("membership"))?;
            if current.queue_manager && !access.is_admin() {
                return Err(ServiceError::Forbidden(
                    "only administrators may remove a queue manager".into(),
                ));
            }
            organisation::remove_membership(conn, group_id, user_id)?;
            let user = load_agent_member(conn, user_id)?;
            let before = audit::membership_snapshot(
                &user,
                &group.name,
                current.rights,
                current.queue_manager,
            );
            let change = Change::new("revoke", "group_membership", group_id, &group.name)
                .about(user_id)
                .before(before);
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(())
        })?;
        log::info!(
            "user {} removed user {user_id} from group {group_id}",
            actor.user_id
        );
        Ok(())
    }
}

fn inactive() -> OrgChanges {
    OrgChanges {
        active: Some(false),
        ..OrgChanges::default()
    }
}
