//! Roles: named bundles of group rights, and who holds them (administrators manage them).

use vakt_domain::Principal;
use vakt_domain::rights::RightSet;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::organisation;
use vakt_persistence::time::to_db;

use super::{
    Grant, OrgInput, Role, RoleDetail, inactive, load_agent_member, load_group, name_taken,
    validate,
};
use crate::Services;
use crate::audit::{self, Change, OrgSnapshot};
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;

fn load_role(conn: &mut DbConnection, id: i64) -> ServiceResult<RoleDetail> {
    let role = organisation::find_role(conn, id)?.ok_or(ServiceError::NotFound("role"))?;
    let grants = organisation::grants_of_role(conn, id)?
        .into_iter()
        .map(|(group_id, rights)| Grant {
            group_id,
            rights: RightSet::from_bits(rights),
        })
        .collect();
    Ok(RoleDetail {
        role: role.into(),
        grants,
        member_ids: organisation::role_members(conn, id)?,
    })
}

impl Services {
    /// All roles (administrators).
    pub fn list_roles(&self, actor: &Principal) -> ServiceResult<Vec<Role>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        Ok(organisation::roles(&mut conn)?
            .into_iter()
            .map(Role::from)
            .collect())
    }

    /// One role with its grants and members (administrators).
    pub fn get_role(&self, actor: &Principal, id: i64) -> ServiceResult<RoleDetail> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        load_role(&mut conn, id)
    }

    /// Creates a role (administrators).
    pub fn create_role(&self, actor: &Principal, input: OrgInput) -> ServiceResult<RoleDetail> {
        require_admin(actor)?;
        let changes = validate(&input, true)?;
        let name = changes.name.unwrap_or_default();
        let description = changes.description.unwrap_or_default();
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let detail = conn.write_transaction(|conn| {
            let row =
                organisation::insert_role(conn, &name, &description, now).map_err(name_taken)?;
            if changes.active == Some(false) {
                organisation::update_role(conn, row.id, &inactive(), now)?;
            }
            let detail = load_role(conn, row.id)?;
            let role = &detail.role;
            let after = role.snapshot();
            let change = Change::new("create", "role", role.id, &role.name).after(after);
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(detail)
        })?;
        log::info!("user {} created role {}", actor.user_id, detail.role.id);
        Ok(detail)
    }

    /// Renames, describes, deactivates or reactivates a role (administrators). An inactive
    /// role grants nothing to its members.
    pub fn update_role(
        &self,
        actor: &Principal,
        id: i64,
        input: OrgInput,
    ) -> ServiceResult<RoleDetail> {
        require_admin(actor)?;
        let changes = validate(&input, false)?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let detail = conn.write_transaction(|conn| {
            let before = load_role(conn, id)?.role;
            organisation::update_role(conn, id, &changes, now).map_err(name_taken)?;
            let detail = load_role(conn, id)?;
            let after = &detail.role;
            let change = Change::new("update", "role", id, &after.name)
                .before(before.snapshot())
                .after(after.snapshot());
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(detail)
        })?;
        log::info!("user {} changed role {id}", actor.user_id);
        Ok(detail)
    }

    /// Sets the rights a role grants on a group; no rights removes the grant (administrators).
    pub fn set_role_grant(
        &self,
        actor: &Principal,
        role_id: i64,
        group_id: i64,
        rights: RightSet,
    ) -> ServiceResult<RoleDetail> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        let at = self.now();
        let detail = conn.write_transaction(|conn| {
            let before = load_role(conn, role_id)?;
            let group = load_group(conn, group_id)?;
            organisation::set_role_grant(conn, role_id, group_id, rights.bits())?;
            let grant = |rights: RightSet| {
                serde_json::json!({ "group": group.name, "rights": audit::rights_names(rights) })
            };
            let previous = before.grants.iter().find(|g| g.group_id == group_id);
            let change = Change::new("grant", "role_grant", role_id, &before.role.name)
                .before(previous.map(|g| grant(g.rights)))
                .after((!rights.is_empty()).then(|| grant(rights)));
            audit::record(conn, Some(actor), at, change)?;
            load_role(conn, role_id)
        })?;
        log::info!(
            "user {} set role {role_id}'s grant on group {group_id} to {:#x}",
            actor.user_id,
            rights.bits()
        );
        Ok(detail)
    }

    /// Gives (`member = true`) or takes a role (administrators; agents only). Taking a role the
    /// agent does not hold is "not found".
    pub fn set_role_member(
        &self,
        actor: &Principal,
        role_id: i64,
        user_id: i64,
        member: bool,
    ) -> ServiceResult<()> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        let at = self.now();
        conn.write_transaction(|conn| {
            let role = load_role(conn, role_id)?.role;
            if member {
                load_agent_member(conn, user_id)?;
            }
            let changed = organisation::set_role_member(conn, role_id, user_id, member)?;
            if !member && !changed {
                return Err(ServiceError::NotFound("role membership"));
            }
            if changed {
                let holder = serde_json::json!({ "user_id": user_id, "role": role.name });
                let (action, before, after) = if member {
                    ("grant", None, Some(holder))
                } else {
                    ("revoke", Some(holder), None)
                };
                let change = Change::new(action, "role_membership", role_id, &role.name)
                    .about(user_id)
                    .before(before)
                    .after(after);
                audit::record(conn, Some(actor), at, change)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        log::info!(
            "user {} {} role {role_id} {} user {user_id}",
            actor.user_id,
            if member { "gave" } else { "took" },
            if member { "to" } else { "from" }
        );
        Ok(())
    }
}
