import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A group (governs access to its queues). */
export type Group = components['schemas']['GroupResponse'];
/** Input for a new group or role. */
export type NewOrg = components['schemas']['CreateGroupRequest'];
/** Changes to a group or role. */
export type OrgChanges = components['schemas']['UpdateOrgRequest'];
/** An agent's direct membership of a group. */
export type Member = components['schemas']['MemberResponse'];
/** A right on a group. */
export type Right = components['schemas']['RightDto'];
/** A role. */
export type Role = components['schemas']['RoleResponse'];
/** A role with its grants and members. */
export type RoleDetail = components['schemas']['RoleDetailResponse'];

/** Every right, in the order screens show them. */
export const RIGHTS: readonly Right[] = ['ro', 'move_into', 'create', 'note', 'owner', 'steal', 'priority', 'rw'];

/** The groups the caller may administer: all for administrators, managed ones for queue managers. */
export async function listGroups(): Promise<Group[]> {
  return unwrap(await api.GET('/api/v1/groups')).items;
}

/** One group (`GET /api/v1/groups/{id}`). */
export async function getGroup(id: number): Promise<Group> {
  return unwrap(await api.GET('/api/v1/groups/{id}', { params: { path: { id } } }));
}

/** Creates a group (`POST /api/v1/groups`). */
export async function createGroup(input: NewOrg): Promise<Group> {
  return unwrap(await api.POST('/api/v1/groups', { body: input }));
}

/** Changes a group (`PATCH /api/v1/groups/{id}`). */
export async function updateGroup(id: number, changes: OrgChanges): Promise<Group> {
  return unwrap(await api.PATCH('/api/v1/groups/{id}', { params: { path: { id } }, body: changes }));
}

/** A group's direct members (`GET /api/v1/groups/{id}/members`). */
export async function listMembers(groupId: number): Promise<Member[]> {
  return unwrap(await api.GET('/api/v1/groups/{id}/members', { params: { path: { id: groupId } } })).items;
}

/**
 * Sets an agent's rights on a group, adding them if needed
 * (`PUT /api/v1/groups/{id}/members/{user_id}`). `queueManager` only for administrators;
 * omitted, the flag stays as it is.
 */
export async function setMember(
  groupId: number,
  userId: number,
  rights: readonly Right[],
  queueManager?: boolean,
): Promise<Member> {
  return unwrap(
    await api.PUT('/api/v1/groups/{id}/members/{user_id}', {
      params: { path: { id: groupId, user_id: userId } },
      body: { rights: [...rights], ...(queueManager !== undefined && { queue_manager: queueManager }) },
    }),
  );
}

/** Removes an agent's direct rights on a group (`DELETE /api/v1/groups/{id}/members/{user_id}`). */
export async function removeMember(groupId: number, userId: number): Promise<void> {
  expectOk(
    await api.DELETE('/api/v1/groups/{id}/members/{user_id}', {
      params: { path: { id: groupId, user_id: userId } },
    }),
  );
}

/** All roles, by name (`GET /api/v1/roles`). */
export async function listRoles(): Promise<Role[]> {
  return unwrap(await api.GET('/api/v1/roles')).items;
}

/** A role with its grants and members (`GET /api/v1/roles/{id}`). */
export async function getRole(id: number): Promise<RoleDetail> {
  return unwrap(await api.GET('/api/v1/roles/{id}', { params: { path: { id } } }));
}

/** Creates a role (`POST /api/v1/roles`). */
export async function createRole(input: NewOrg): Promise<Role> {
  return unwrap(await api.POST('/api/v1/roles', { body: input }));
}

/** Changes a role (`PATCH /api/v1/roles/{id}`). */
export async function updateRole(id: number, changes: OrgChanges): Promise<Role> {
  return unwrap(await api.PATCH('/api/v1/roles/{id}', { params: { path: { id } }, body: changes }));
}

/** Sets the rights a role grants on a group; none removes the grant (`PUT /api/v1/roles/{id}/grants/{group_id}`). */
export async function setGrant(roleId: number, groupId: number, rights: readonly Right[]): Promise<RoleDetail> {
  return unwrap(
    await api.PUT('/api/v1/roles/{id}/grants/{group_id}', {
      params: { path: { id: roleId, group_id: groupId } },
      body: { rights: [...rights] },
    }),
  );
}

/** Gives a role to an agent (`PUT /api/v1/roles/{id}/members/{user_id}`). */
export async function addRoleMember(roleId: number, userId: number): Promise<void> {
  expectOk(await api.PUT('/api/v1/roles/{id}/members/{user_id}', { params: { path: { id: roleId, user_id: userId } } }));
}

/** Takes a role from an agent (`DELETE /api/v1/roles/{id}/members/{user_id}`). */
export async function removeRoleMember(roleId: number, userId: number): Promise<void> {
  expectOk(
    await api.DELETE('/api/v1/roles/{id}/members/{user_id}', { params: { path: { id: roleId, user_id: userId } } }),
  );
}
