//! Loading what a principal may do (effective rights per group, managed groups, customer
//! company), once per use case.

use vakt_domain::Principal;
use vakt_domain::rights::{Access, RightSet};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::{organisation, users};

use crate::error::ServiceResult;

/// The access of `principal`: direct grants ∪ role grants in active groups; customers' company.
pub(crate) fn load(conn: &mut DbConnection, principal: &Principal) -> ServiceResult<Access> {
    let mut access = Access::none(principal.clone());
    if principal.is_admin() {
        return Ok(access);
    }
    if !principal.is_agent() {
        if let Some(user) = users::find(conn, principal.user_id)? {
            access.company_id = user.company_id;
            access.sees_company_tickets = user.sees_company_tickets;
        }
        return Ok(access);
    }
    for member in organisation::memberships_of(conn, principal.user_id)? {
        let entry = access
            .groups
            .entry(member.group_id)
            .or_insert(RightSet::EMPTY);
        *entry = entry.union(RightSet::from_bits(member.rights));
        if member.queue_manager {
            access.managed_groups.insert(member.group_id);
        }
    }
    for (group_id, rights) in organisation::role_rights_of(conn, principal.user_id)? {
        let entry = access.groups.entry(group_id).or_insert(RightSet::EMPTY);
        *entry = entry.union(RightSet::from_bits(rights));
    }
    Ok(access)
}
