//! Groups, roles, and who has which rights where: direct grants (`group_members`, with the
//! queue-manager flag), role grants and role assignments.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{agent_groups, group_members, role_grants, roles, user_roles, users};

/// A group.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = agent_groups)]
pub struct GroupRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive groups grant nothing.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = roles)]
pub struct RoleRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Inactive roles grant nothing.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A direct grant.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = group_members)]
pub struct MemberRow {
    /// Agent.
    pub user_id: i64,
    /// Group.
    pub group_id: i64,
    /// Rights bit mask.
    pub rights: i64,
    /// May manage this group's members.
    pub queue_manager: bool,
}

/// Name, description and active flag changes of a group or role.
#[derive(Debug, Default, Clone)]
pub struct OrgChanges {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Active.
    pub active: Option<bool>,
}

macro_rules! named_table {
    ($list:ident, $find:ident, $insert:ident, $update:ident, $table:ident, $row:ty) => {
        /// All rows, by name.
        pub fn $list(conn: &mut DbConnection) -> QueryResult<Vec<$row>> {
            $table::table
                .order($table::name.asc())
                .select(<$row>::as_select())
                .load(conn)
        }

        /// One row.
        pub fn $find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<$row>> {
            $table::table
                .find(id)
                .select(<$row>::as_select())
                .first(conn)
                .optional()
        }

        /// Inserts a row.
        pub fn $insert(
            conn: &mut DbConnection,
            name: &str,
            description: &str,
            now: NaiveDateTime,
        ) -> QueryResult<$row> {
            diesel::insert_into($table::table)
                .values((
                    $table::name.eq(name),
                    $table::description.eq(description),
                    $table::created_at.eq(now),
                    $table::updated_at.eq(now),
                ))
                .returning($table::all_columns)
                .get_result(conn)
        }

        /// Changes a row.
        pub fn $update(
            conn: &mut DbConnection,
            id: i64,
            changes: &OrgChanges,
            now: NaiveDateTime,
        ) -> QueryResult<$row> {
            diesel::update($table::table.find(id))
                .set((
                    changes.name.as_ref().map(|v| $table::name.eq(v.clone())),
                    changes
                        .description
                        .as_ref()
                        .map(|v| $table::description.eq(v.clone())),
                    changes.active.map(|v| $table::active.eq(v)),
                    $table::updated_at.eq(now),
                ))
                .returning($table::all_columns)
                .get_result(conn)
        }
    };
}

named_table!(
    groups,
    find_group,
    insert_group,
    update_group,
    agent_groups,
    GroupRow
);
named_table!(roles, find_role, insert_role, update_role, roles, RoleRow);

/// Direct grants of an agent in active groups.
pub fn memberships_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<MemberRow>> {
    group_members::table
        .inner_join(agent_groups::table)
        .filter(group_members::user_id.eq(user_id))
        .filter(agent_groups::active.eq(true))
        .select(MemberRow::as_select())
        .load(conn)
}

/// (group, rights) granted to an agent through active roles in active groups.
pub fn role_rights_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    role_grants::table
        .inner_join(roles::table)
        .inner_join(agent_groups::table)
        .inner_join(user_roles::table.on(user_roles::role_id.eq(role_grants::role_id)))
        .filter(user_roles::user_id.eq(user_id))
        .filter(roles::active.eq(true))
        .filter(agent_groups::active.eq(true))
        .select((role_grants::group_id, role_grants::rights))
        .load(conn)
}

/// The direct members of a group.
pub fn members_of(conn: &mut DbConnection, group_id: i64) -> QueryResult<Vec<MemberRow>> {
    group_members::table
        .filter(group_members::group_id.eq(group_id))
        .order(group_members::user_id.asc())
        .select(MemberRow::as_select())
        .load(conn)
}

/// One direct grant.
pub fn membership(
    conn: &mut DbConnection,
    group_id: i64,
    user_id: i64,
) -> QueryResult<Option<MemberRow>> {
    group_members::table
        .find((user_id, group_id))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()
}

/// Sets (inserts or replaces) a direct grant.
pub fn set_membership(conn: &mut DbConnection, row: &MemberRow) -> QueryResult<()> {
    let updated = diesel::update(group_members::table.find((row.user_id, row.group_id)))
        .set((
            group_members::rights.eq(row.rights),
            group_members::queue_manager.eq(row.queue_manager),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(group_members::table)
            .values((
                group_members::user_id.eq(row.user_id),
                group_members::group_id.eq(row.group_id),
                group_members::rights.eq(row.rights),
                group_members::queue_manager.eq(row.queue_manager),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes a direct grant; returns whether there was one.
pub fn remove_membership(
    conn: &mut DbConnection,
    group_id: i64,
    user_id: i64,
) -> QueryResult<bool> {
    Ok(diesel::delete(group_members::table.find((user_id, group_id))).execute(conn)? == 1)
}

/// The grants of a role: (group, rights).
pub fn grants_of_role(conn: &mut DbConnection, role_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    role_grants::table
        .filter(role_grants::role_id.eq(role_id))
        .order(role_grants::group_id.asc())
        .select((role_grants::group_id, role_grants::rights))
        .load(conn)
}

/// Sets or (with empty rights) removes a role's grant on a group.
pub fn set_role_grant(
    conn: &mut DbConnection,
    role_id: i64,
    group_id: i64,
    rights: i64,
) -> QueryResult<()> {
    diesel::delete(role_grants::table.find((role_id, group_id))).execute(conn)?;
    if rights != 0 {
        diesel::insert_into(role_grants::table)
            .values((
                role_grants::role_id.eq(role_id),
                role_grants::group_id.eq(group_id),
                role_grants::rights.eq(rights),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The agents holding a role.
pub fn role_members(conn: &mut DbConnection, role_id: i64) -> QueryResult<Vec<i64>> {
    user_roles::table
        .filter(user_roles::role_id.eq(role_id))
        .order(user_roles::user_id.asc())
        .select(user_roles::user_id)
        .load(conn)
}

/// The roles of an agent.
pub fn roles_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<i64>> {
    user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .order(user_roles::role_id.asc())
        .select(user_roles::role_id)
        .load(conn)
}

/// Gives or takes a role.
pub fn set_role_member(
    conn: &mut DbConnection,
    role_id: i64,
    user_id: i64,
    member: bool,
) -> QueryResult<bool> {
    let existed = diesel::delete(user_roles::table.find((user_id, role_id))).execute(conn)? == 1;
    if member {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role_id.eq(role_id),
            ))
            .execute(conn)?;
    }
    Ok(existed != member)
}

/// The active agents holding any grant on a group (directly or through an active role), with
/// the union of their rights there: `RightSet::from_bits(rights).allows(Right::Ro)` tells the
/// queue members. Administrators without a grant are not members.
pub fn agents_on_group(conn: &mut DbConnection, group_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    let active_group = diesel::select(diesel::dsl::exists(
        agent_groups::table
            .find(group_id)
            .filter(agent_groups::active.eq(true)),
    ))
    .get_result::<bool>(conn)?;
    if !active_group {
        return Ok(Vec::new());
    }
    let direct: Vec<(i64, i64)> = group_members::table
        .inner_join(users::table.on(users::id.eq(group_members::user_id)))
        .filter(group_members::group_id.eq(group_id))
        .filter(users::kind.eq("agent"))
        .filter(users::active.eq(true))
        .select((group_members::user_id, group_members::rights))
        .load(conn)?;
    let through_roles: Vec<(i64, i64)> = role_grants::table
        .inner_join(roles::table)
        .inner_join(user_roles::table.on(user_roles::role_id.eq(role_grants::role_id)))
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(role_grants::group_id.eq(group_id))
        .filter(roles::active.eq(true))
        .filter(users::kind.eq("agent"))
        .filter(users::active.eq(true))
        .select((user_roles::user_id, role_grants::rights))
        .load(conn)?;
    let mut merged = std::collections::BTreeMap::<i64, i64>::new();
    for (user, rights) in direct.into_iter().chain(through_roles) {
        *merged.entry(user).or_insert(0) |= rights;
    }
    Ok(merged.into_iter().collect())
}
