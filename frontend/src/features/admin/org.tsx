import { Anchor, Button, Paper, SimpleGrid, Stack, Switch, Table, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { FormFooter } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createGroup, createRole, type OrgChanges } from '../../services/organisation';
import { ActiveBadge } from '../customers/CustomersPage';
import { GROUPS_KEY } from './groupAccess';
import { orgKeys } from './keys';

// Groups and roles are both named, described, deactivatable bundles of rights: their lists,
// the form for a new one and the details form are the same.

/** What groups and roles have in common. */
interface Org {
  id: number;
  name: string;
  description: string;
  active: boolean;
}

/** A table of groups or roles: name (linking to its page), description, status. */
export function OrgTable({ caption, items, linkTo }: { caption: string; items: readonly Org[]; linkTo: (id: number) => string }) {
  const { t } = useTranslation();
  return (
    <Table striped highlightOnHover>
      <VisuallyHidden component="caption">{caption}</VisuallyHidden>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('admin.groups.name')}</Table.Th>
          <Table.Th scope="col">{t('admin.groups.description')}</Table.Th>
          <Table.Th scope="col">{t('agents.status')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td>
              <Anchor component={Link} to={linkTo(item.id)}>
                {item.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{item.description}</Table.Td>
            <Table.Td>
              <ActiveBadge active={item.active} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
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

/** Props of {@link OrgDetails}. */
export interface OrgDetailsProps<T extends Org> {
  org: T;
  /** Element id of the section's heading. */
  headingId: string;
  title: string;
  activeHint: string;
  /** Sends the changes (`PATCH`). */
  update: (changes: OrgChanges) => Promise<T>;
  /** After a successful save (refresh caches). */
  onSaved: (updated: T) => Promise<void>;
}

/** Name, description and active of a group or role; only changes are sent. */
export function OrgDetails<T extends Org>({ org, headingId, title, activeHint, update, onSaved }: OrgDetailsProps<T>) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const [name, setName] = useState(org.name);
  const [description, setDescription] = useState(org.description);
  const [active, setActive] = useState(org.active);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      update({
        ...(name.trim() !== org.name && { name: name.trim() }),
        ...(description !== org.description && { description }),
        ...(active !== org.active && { active }),
      }),
    onSuccess: async (updated) => {
      await onSaved(updated);
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: ['name', 'description', 'active'], codeFields: { name_taken: 'name' } }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <Paper withBorder p="md" maw={640} component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm">
        {title}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput label={t('admin.groups.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
          <TextInput label={t('admin.groups.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Switch label={t('agents.is_active')} description={activeHint} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <FormFooter submitLabel={t('common.save')} saving={save.isPending} status={saved ? t('common.saved') : ''} />
        </Stack>
      </form>
    </Paper>
  );
}
