import { Anchor, Button, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createGroup, createRole, listGroups } from '../../services/organisation';
import { ActiveBadge } from '../customers/CustomersPage';
import { GROUPS_KEY } from './groupAccess';
import { orgKeys } from './keys';

/**
 * Administration → Groups: groups own queues, and an agent's rights on a group decide what
 * they may do with those queues' tickets. Administrators see and create every group; queue
 * managers see the groups they manage (the API lists exactly those).
 */
export function GroupsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: listGroups });
  return (
    <Stack maw={900}>
      <PageTitle text={t('admin.groups.title')} />
      <Text size="sm" c="dimmed">
        {user.is_admin ? t('admin.groups.intro_admin') : t('admin.groups.intro_manager')}
      </Text>
      <ErrorAlert error={groups.error} />
      <Table striped highlightOnHover>
        <VisuallyHidden component="caption">{t('admin.groups.title')}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('admin.groups.name')}</Table.Th>
            <Table.Th scope="col">{t('admin.groups.description')}</Table.Th>
            <Table.Th scope="col">{t('agents.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(groups.data ?? []).map((group) => (
            <Table.Tr key={group.id}>
              <Table.Td>
                <Anchor component={Link} to={`/admin/groups/${group.id}`}>
                  {group.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{group.description}</Table.Td>
              <Table.Td>
                <ActiveBadge active={group.active} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {user.is_admin && <NewOrgForm kind="group" />}
    </Stack>
  );
}

/** A form for a new group or role: name and description. */
export function NewOrgForm({ kind }: { kind: 'group' | 'role' }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: async () => {
      const input = { name: name.trim(), ...(description.trim() && { description: description.trim() }) };
      if (kind === 'group') await createGroup(input);
      else await createRole(input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: kind === 'group' ? GROUPS_KEY : orgKeys.roles });
      setName('');
      setDescription('');
    },
  });
  const failure = create.error ? mapError(create.error, { fields: ['name', 'description'], codeFields: { name_taken: 'name' } }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const title = kind === 'group' ? t('admin.groups.new') : t('admin.roles.new');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`new-${kind}`}>
      <Title order={2} size="h4" id={`new-${kind}`} mb="sm">
        {title}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={failure?.message ?? null} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('admin.groups.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <TextInput
              label={t('admin.groups.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={failure?.fields.description}
            />
          </SimpleGrid>
          <Button type="submit" loading={create.isPending} w="fit-content" disabled={!name.trim()}>
            {kind === 'group' ? t('admin.groups.create') : t('admin.roles.create')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
