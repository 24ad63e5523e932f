import { Button, Modal, NumberInput, Paper, SimpleGrid, Stack, Switch, Table, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createPriority,
  createTicketType,
  updatePriority,
  updateTicketType,
  type Named,
  type NamedChanges,
} from '../../services/reference';
import { ActiveBadge } from '../customers/CustomersPage';
import { referenceKeys } from '../tickets/keys';
import { usePriorities, useTicketTypes } from '../tickets/reference';

const FIELDS = ['id', 'name', 'active'] as const;
const CODE_FIELDS = { name_taken: 'name', level_taken: 'id' } as const;

/** What differs between priorities and ticket types. */
interface NamedKind {
  title: string;
  newTitle: string;
  createLabel: string;
  /** Priorities are created with their level (`id`). */
  withLevel: boolean;
  queryKey: readonly string[];
  create: (input: { id: number; name: string }) => Promise<Named>;
  update: (id: number, changes: NamedChanges) => Promise<Named>;
}

function NamedForm({ kind, item, onDone }: { kind: NamedKind; item: Named | null; onDone: () => void }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const [name, setName] = useState(item?.name ?? '');
  const [level, setLevel] = useState<number | string>('');
  const [active, setActive] = useState(item?.active ?? true);
  const save = useMutation({
    mutationFn: () => {
      if (!item) return kind.create({ id: Number(level), name: name.trim() });
      const changes: NamedChanges = {};
      if (name.trim() !== item.name) changes.name = name.trim();
      if (active !== item.active) changes.active = active;
      return kind.update(item.id, changes);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: kind.queryKey });
      if (!item) {
        setName('');
        setLevel('');
      }
      onDone();
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={failure?.message ?? null} />
        <SimpleGrid cols={{ base: 1, sm: !item && kind.withLevel ? 2 : 1 }}>
          {!item && kind.withLevel && (
            <NumberInput
              label={t('admin.priorities.level')}
              description={t('admin.priorities.level_hint')}
              required
              min={1}
              max={100}
              allowDecimal={false}
              value={level}
              onChange={setLevel}
              error={failure?.fields.id}
            />
          )}
          <TextInput label={t('admin.named.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
        </SimpleGrid>
        {item && <Switch label={t('agents.is_active')} description={t('admin.named.active_hint')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
        <Button type="submit" loading={save.isPending} w="fit-content" disabled={!name.trim() || (!item && kind.withLevel && level === '')}>
          {item ? t('common.save') : kind.createLabel}
        </Button>
      </Stack>
    </form>
  );
}

/** A list of priorities or ticket types with "edit" (name, active) and a form for a new one. */
function NamedAdmin({ kind, query }: { kind: NamedKind; query: UseQueryResult<Named[]> }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Named | null>(null);
  return (
    <Stack maw={760}>
      <PageTitle text={kind.title} />
      <ErrorAlert error={query.error} />
      <Table striped highlightOnHover>
        <VisuallyHidden component="caption">{kind.title}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {kind.withLevel && <Table.Th scope="col">{t('admin.priorities.level')}</Table.Th>}
            <Table.Th scope="col">{t('admin.named.name')}</Table.Th>
            <Table.Th scope="col">{t('agents.status')}</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(query.data ?? []).map((item) => (
            <Table.Tr key={item.id}>
              {kind.withLevel && <Table.Td>{item.id}</Table.Td>}
              <Table.Td>{item.name}</Table.Td>
              <Table.Td>
                <ActiveBadge active={item.active} />
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => setEditing(item)} aria-label={t('admin.edit_named', { name: item.name })}>
                  {t('admin.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper withBorder p="md" component="section" aria-labelledby="named-new">
        <Title order={2} size="h4" id="named-new" mb="sm">
          {kind.newTitle}
        </Title>
        <NamedForm kind={kind} item={null} onDone={() => undefined} />
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.edit_named', { name: editing.name }) : ''}>
        {editing && <NamedForm key={editing.id} kind={kind} item={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

/** Administration → Priorities: levels (sorting by priority sorts by level) and names. */
export function PrioritiesPage() {
  const { t } = useTranslation();
  const query = usePriorities();
  return (
    <NamedAdmin
      query={query}
      kind={{
        title: t('admin.priorities.title'),
        newTitle: t('admin.priorities.new'),
        createLabel: t('admin.priorities.create'),
        withLevel: true,
        queryKey: referenceKeys.priorities,
        create: createPriority,
        update: updatePriority,
      }}
    />
  );
}

/** Administration → Ticket types. */
export function TicketTypesPage() {
  const { t } = useTranslation();
  const query = useTicketTypes();
  return (
    <NamedAdmin
      query={query}
      kind={{
        title: t('admin.types.title'),
        newTitle: t('admin.types.new'),
        createLabel: t('admin.types.create'),
        withLevel: false,
        queryKey: referenceKeys.types,
        create: ({ name }) => createTicketType({ name }),
        update: updateTicketType,
      }}
    />
  );
}
