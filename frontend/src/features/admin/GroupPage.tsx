import { Anchor, Button, Checkbox, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useUser } from '../../auth/context';
import { LoadById } from '../../components/LoadById';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  getGroup,
  listMembers,
  removeMember,
  RIGHTS,
  setMember,
  updateGroup,
  type Group as OrgGroup,
  type Member,
  type Right,
} from '../../services/organisation';
import { rightLabel } from '../tickets/labels';
import { AgentPicker, type PickedPerson } from '../tickets/pickers';
import { useQueues } from '../tickets/reference';
import { GROUPS_KEY } from './groupAccess';
import { orgKeys } from './keys';
import { OrgDetails } from './org';

/** Administration → Groups → a group: its details (administrators), queues and members. */
export function GroupPage() {
  return (
    <LoadById queryKey={orgKeys.group} load={getGroup} hidden={[403, 404]}>
      {(group) => <GroupView key={group.id} group={group} />}
    </LoadById>
  );
}

function GroupView({ group }: { group: OrgGroup }) {
  const { t } = useTranslation();
  const user = useUser();
  const queues = useQueues();
  const ownQueues = (queues.data ?? []).filter((queue) => queue.group_id === group.id);
  return (
    <Stack>
      <Anchor component={Link} to="/admin/groups" size="sm">
        {t('admin.groups.back')}
      </Anchor>
      <PageTitle text={t('admin.groups.edit', { name: group.name })} />
      {group.description && <Text size="sm">{group.description}</Text>}
      <Text size="sm">
        {t('admin.groups.queues')}:{' '}
        {ownQueues.length > 0 ? ownQueues.map((queue) => queue.name).join(', ') : t('admin.groups.no_queues')}
      </Text>
      <Members group={group} />
      {user.is_admin && <GroupDetails group={group} />}
    </Stack>
  );
}

/** Name, description and active (administrators only). */
function GroupDetails({ group }: { group: OrgGroup }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <OrgDetails
      org={group}
      headingId="group-details"
      title={t('admin.groups.details')}
      activeHint={t('admin.groups.active_hint')}
      update={(changes) => updateGroup(group.id, changes)}
      onSaved={async (updated) => {
        queryClient.setQueryData(orgKeys.group(group.id), updated);
        await queryClient.invalidateQueries({ queryKey: GROUPS_KEY, exact: true });
      }}
    />
  );
}

/**
 * The group's members with their rights as checkboxes, one row per agent (saved per row).
 * Only administrators may set the queue-manager flag; a queue manager cannot change another
 * queue manager's membership or their own (the API refuses with 403), so those rows are read-only.
 */
function Members({ group }: { group: OrgGroup }) {
  const { t } = useTranslation();
  const user = useUser();
  const members = useQuery({ queryKey: orgKeys.members(group.id), queryFn: () => listMembers(group.id) });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="group-members">
      <Title order={2} size="h4" id="group-members" mb="xs">
        {t('admin.groups.members')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('admin.groups.members_hint')}
      </Text>
      <ErrorAlert error={members.error} />
      <Table.ScrollContainer minWidth={980}>
        <Table striped verticalSpacing="xs">
          <VisuallyHidden component="caption">{t('admin.groups.members')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.groups.agent')}</Table.Th>
              {RIGHTS.map((right) => (
                <Table.Th scope="col" key={right} ta="center" fz="xs">
                  {rightLabel(t, right)}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="center" fz="xs">
                {t('admin.groups.queue_manager')}
              </Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(members.data ?? []).map((member) => (
              <MemberRow
                key={member.user.id}
                groupId={group.id}
                member={member}
                readOnly={!user.is_admin && (member.queue_manager || member.user.id === user.id)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {members.isSuccess && members.data.length === 0 && <Text size="sm">{t('admin.groups.no_members')}</Text>}
      <AddMember groupId={group.id} existing={(members.data ?? []).map((member) => member.user.id)} />
    </Paper>
  );
}

function RightBoxes({
  rights,
  onToggle,
  name,
  disabled,
}: {
  rights: ReadonlySet<Right>;
  onToggle: (right: Right, on: boolean) => void;
  name: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return RIGHTS.map((right) => (
    <Table.Td key={right} ta="center">
      <Checkbox
        aria-label={t('admin.groups.right_for', { right: rightLabel(t, right), name })}
        checked={rights.has(right)}
        disabled={disabled}
        onChange={(event) => onToggle(right, event.currentTarget.checked)}
        styles={{ body: { justifyContent: 'center' } }}
      />
    </Table.Td>
  ));
}

function MemberRow({ groupId, member, readOnly }: { groupId: number; member: Member; readOnly: boolean }) {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const [rights, setRights] = useState<Set<Right>>(() => new Set(member.rights));
  const [manager, setManager] = useState(member.queue_manager);
  const dirty =
    manager !== member.queue_manager || rights.size !== member.rights.length || member.rights.some((right) => !rights.has(right));
  const refresh = () => queryClient.invalidateQueries({ queryKey: orgKeys.members(groupId) });
  const save = useMutation({
    mutationFn: () =>
      setMember(groupId, member.user.id, RIGHTS.filter((right) => rights.has(right)), user.is_admin ? manager : undefined),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => removeMember(groupId, member.user.id), onSuccess: refresh });
  const toggle = (right: Right, on: boolean) => {
    const next = new Set(rights);
    if (on) next.add(right);
    else next.delete(right);
    setRights(next);
  };
  const error = save.error ?? remove.error;
  return (
    <>
      <Table.Tr>
        <Table.Td>
          <Text size="sm" fw={600}>
            {member.user.name}
          </Text>
          <Text size="xs" c="dimmed">
            {member.user.email}
          </Text>
        </Table.Td>
        <RightBoxes rights={rights} onToggle={toggle} name={member.user.name} disabled={readOnly} />
        <Table.Td ta="center">
          <Checkbox
            aria-label={t('admin.groups.queue_manager_for', { name: member.user.name })}
            checked={manager}
            disabled={readOnly || !user.is_admin}
            onChange={(event) => setManager(event.currentTarget.checked)}
            styles={{ body: { justifyContent: 'center' } }}
          />
        </Table.Td>
        <Table.Td>
          {!readOnly && (
            <Group gap={4} wrap="nowrap">
              <Button size="compact-sm" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()}>
                {t('common.save')}
              </Button>
              <Button
                size="compact-sm"
                variant="default"
                loading={remove.isPending}
                onClick={() => remove.mutate()}
                aria-label={t('admin.groups.remove_member', { name: member.user.name })}
              >
                {t('admin.remove')}
              </Button>
            </Group>
          )}
        </Table.Td>
      </Table.Tr>
      {error !== null && (
        <Table.Tr>
          <Table.Td colSpan={RIGHTS.length + 3}>
            <ErrorAlert error={error} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** Adds an agent with the chosen rights (`PUT /api/v1/groups/{id}/members/{user_id}`). */
function AddMember({ groupId, existing }: { groupId: number; existing: readonly number[] }) {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [agent, setAgent] = useState<PickedPerson | null>(null);
  const [rights, setRights] = useState<Set<Right>>(() => new Set<Right>(['ro']));
  const [manager, setManager] = useState(false);
  const add = useMutation({
    mutationFn: () => {
      if (!agent) throw new Error('no agent chosen');
      return setMember(groupId, agent.id, RIGHTS.filter((right) => rights.has(right)), user.is_admin ? manager : undefined);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: orgKeys.members(groupId) });
      setAgent(null);
      setRights(new Set<Right>(['ro']));
      setManager(false);
    },
  });
  const failure = add.error ? mapError(add.error, { fields: ['user_id', 'rights'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-member-title">
      <Stack gap="xs" mt="md">
        <Title order={3} size="h5" id="add-member-title">
          {t('admin.groups.add_member')}
        </Title>
        <ErrorAlert message={failure?.message ?? null} />
        <AgentPicker label={t('admin.groups.agent')} value={agent} onChange={setAgent} excludeIds={existing} maw={420} error={failure?.fields.user_id} />
        <Checkbox.Group
          label={t('admin.groups.rights')}
          value={[...rights]}
          onChange={(values) => setRights(new Set(values))}
          error={failure?.fields.rights}
        >
          <Group gap="md" mt={4}>
            {RIGHTS.map((right) => (
              <Checkbox key={right} value={right} label={rightLabel(t, right)} />
            ))}
          </Group>
        </Checkbox.Group>
        {user.is_admin && <Checkbox label={t('admin.groups.queue_manager')} checked={manager} onChange={(e) => setManager(e.currentTarget.checked)} />}
        <Button type="submit" w="fit-content" disabled={!agent || (rights.size === 0 && !manager)} loading={add.isPending}>
          {t('admin.groups.add')}
        </Button>
      </Stack>
    </form>
  );
}
