import { Anchor, Button, Checkbox, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { LoadById } from '../../components/LoadById';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import {
  addRoleMember,
  getRole,
  listGroups,
  removeRoleMember,
  RIGHTS,
  setGrant,
  updateRole,
  type Group as OrgGroup,
  type Right,
  type RoleDetail,
} from '../../services/organisation';
import { getAgent } from '../../services/users';
import { rightLabel } from '../tickets/labels';
import { AgentPicker, type PickedPerson } from '../tickets/pickers';
import { GROUPS_KEY } from './groupAccess';
import { AGENTS_KEY, orgKeys } from './keys';
import { OrgDetails } from './org';

/** Administration → Roles → a role: details, its rights per group, and the agents holding it. */
export function RolePage() {
  const { t } = useTranslation();
  return (
    <LoadById queryKey={orgKeys.role} load={getRole}>
      {(role) => (
        <Stack>
          <Anchor component={Link} to="/admin/roles" size="sm">
            {t('admin.roles.back')}
          </Anchor>
          <PageTitle text={t('admin.roles.edit', { name: role.name })} />
          <Grants role={role} />
          <RoleMembers role={role} />
          <RoleDetails key={role.updated_at} role={role} />
        </Stack>
      )}
    </LoadById>
  );
}

function RoleDetails({ role }: { role: RoleDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <OrgDetails
      org={role}
      headingId="role-details"
      title={t('admin.roles.details')}
      activeHint={t('admin.roles.active_hint')}
      update={(changes) => updateRole(role.id, changes)}
      onSaved={() => queryClient.invalidateQueries({ queryKey: orgKeys.roles })}
    />
  );
}

/** The rights the role grants, one row per group, saved per row (`PUT …/grants/{group_id}`). */
function Grants({ role }: { role: RoleDetail }) {
  const { t } = useTranslation();
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: listGroups });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="role-grants">
      <Title order={2} size="h4" id="role-grants" mb="sm">
        {t('admin.roles.grants')}
      </Title>
      <ErrorAlert error={groups.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped verticalSpacing="xs">
          <VisuallyHidden component="caption">{t('admin.roles.grants')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.roles.group')}</Table.Th>
              {RIGHTS.map((right) => (
                <Table.Th scope="col" key={right} ta="center" fz="xs">
                  {rightLabel(t, right)}
                </Table.Th>
              ))}
              <Table.Th scope="col">
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(groups.data ?? []).map((group) => (
              <GrantRow
                key={`${group.id}-${role.updated_at}`}
                role={role}
                group={group}
                granted={role.grants.find((grant) => grant.group_id === group.id)?.rights ?? []}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function GrantRow({ role, group, granted }: { role: RoleDetail; group: OrgGroup; granted: readonly Right[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rights, setRights] = useState<Set<Right>>(() => new Set(granted));
  const [saved, setSaved] = useState<readonly Right[]>(granted);
  const dirty = rights.size !== saved.length || saved.some((right) => !rights.has(right));
  const save = useMutation({
    mutationFn: () => setGrant(role.id, group.id, RIGHTS.filter((right) => rights.has(right))),
    onSuccess: (updated) => {
      setSaved(updated.grants.find((grant) => grant.group_id === group.id)?.rights ?? []);
      void queryClient.invalidateQueries({ queryKey: orgKeys.role(role.id) });
    },
  });
  return (
    <>
      <Table.Tr>
        <Table.Td>{group.name}</Table.Td>
        {RIGHTS.map((right) => (
          <Table.Td key={right} ta="center">
            <Checkbox
              aria-label={t('admin.groups.right_for', { right: rightLabel(t, right), name: group.name })}
              checked={rights.has(right)}
              onChange={(event) => {
                const next = new Set(rights);
                if (event.currentTarget.checked) next.add(right);
                else next.delete(right);
                setRights(next);
              }}
              styles={{ body: { justifyContent: 'center' } }}
            />
          </Table.Td>
        ))}
        <Table.Td>
          <Button size="compact-sm" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()}>
            {t('common.save')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {save.error !== null && (
        <Table.Tr>
          <Table.Td colSpan={RIGHTS.length + 2}>
            <ErrorAlert error={save.error} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** The agents holding the role: names looked up by id, remove, add. */
function RoleMembers({ role }: { role: RoleDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [agent, setAgent] = useState<PickedPerson | null>(null);
  const people = useQueries({
    queries: role.member_ids.map((id) => ({ queryKey: [...AGENTS_KEY, 'one', id], queryFn: () => getAgent(id), staleTime: 60_000 })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: orgKeys.role(role.id) });
  const add = useMutation({
    mutationFn: (userId: number) => addRoleMember(role.id, userId),
    onSuccess: async () => {
      await refresh();
      setAgent(null);
    },
  });
  const remove = useMutation({ mutationFn: (userId: number) => removeRoleMember(role.id, userId), onSuccess: refresh });
  return (
    <Paper withBorder p="md" maw={640} component="section" aria-labelledby="role-members">
      <Title order={2} size="h4" id="role-members" mb="sm">
        {t('admin.roles.members')}
      </Title>
      {role.member_ids.length === 0 && <Text size="sm">{t('admin.roles.no_members')}</Text>}
      <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {role.member_ids.map((id, index) => {
          const person = people[index]?.data;
          const name = person?.name ?? `#${id}`;
          return (
            <Group component="li" key={id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                {name}
                {person && (
                  <Text span c="dimmed" size="xs" ml="xs">
                    {person.email}
                  </Text>
                )}
              </Text>
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => remove.mutate(id)}
                loading={remove.isPending && remove.variables === id}
                aria-label={t('admin.roles.remove_member', { name })}
              >
                {t('admin.remove')}
              </Button>
            </Group>
          );
        })}
      </Stack>
      <Group align="flex-end" mt="sm" wrap="nowrap">
        <AgentPicker label={t('admin.roles.add_member')} value={agent} onChange={setAgent} excludeIds={role.member_ids} style={{ flex: 1 }} />
        <Button disabled={!agent} loading={add.isPending} onClick={() => agent && add.mutate(agent.id)}>
          {t('admin.groups.add')}
        </Button>
      </Group>
      <ErrorAlert error={add.error ?? remove.error} />
    </Paper>
  );
}
