import { Button, Modal, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { QueryTable } from '../../components/DataTable';
import { Section } from '../../components/FormParts';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createState, updateState, type State, type StateChanges } from '../../services/reference';
import { STATE_TYPES, type StateType } from '../../services/tickets';
import { ActiveBadge } from '../customers/CustomersPage';
import { StateBadge } from '../tickets/badges';
import { referenceKeys } from '../tickets/keys';
import { stateTypeLabel } from '../tickets/labels';
import { useStates } from '../tickets/reference';

const FIELDS = ['name', 'state_type', 'next_state_id', 'active'] as const;
const CODE_FIELDS = { name_taken: 'name' } as const;

interface StateValues {
  name: string;
  type: StateType;
  nextStateId: string | null;
  active: boolean;
}

/** Name, type and — for `pending_auto` states — the state a ticket moves to at its pending time. */
function StateForm({ state, onDone }: { state: State | null; onDone: () => void }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const states = useStates();
  const [values, setValues] = useState<StateValues>({
    name: state?.name ?? '',
    type: state?.state_type ?? 'open',
    nextStateId: state?.next_state_id != null ? String(state.next_state_id) : null,
    active: state?.active ?? true,
  });
  const set = (changes: Partial<StateValues>) => setValues((previous) => ({ ...previous, ...changes }));
  const auto = values.type === 'pending_auto';
  const save = useMutation({
    mutationFn: () => {
      const next = auto && values.nextStateId ? Number(values.nextStateId) : null;
      if (!state) return createState({ name: values.name.trim(), state_type: values.type, next_state_id: next });
      const changes: StateChanges = {};
      if (values.name.trim() !== state.name) changes.name = values.name.trim();
      if (values.type !== state.state_type) changes.state_type = values.type;
      if (next !== (state.next_state_id ?? null)) changes.next_state_id = next;
      if (values.active !== state.active) changes.active = values.active;
      return updateState(state.id, changes);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: referenceKeys.states });
      if (!state) setValues({ name: '', type: 'open', nextStateId: null, active: true });
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
        <SimpleGrid cols={{ base: 1, sm: state ? 1 : 3 }}>
          <TextInput label={t('admin.states.name')} required value={values.name} onChange={(e) => set({ name: e.currentTarget.value })} error={failure?.fields.name} />
          <Select
            label={t('admin.states.type')}
            data={STATE_TYPES.map((type) => ({ value: type, label: stateTypeLabel(t, type) }))}
            value={values.type}
            onChange={(value) => value && set({ type: value })}
            allowDeselect={false}
            error={failure?.fields.state_type}
          />
          {auto && (
            <Select
              label={t('admin.states.next_state')}
              description={t('admin.states.next_state_hint')}
              required
              data={(states.data ?? [])
                .filter((s) => s.id !== state?.id && s.state_type !== 'pending_auto' && s.state_type !== 'pending_reminder')
                .map((s) => ({ value: String(s.id), label: s.name }))}
              value={values.nextStateId}
              onChange={(value) => set({ nextStateId: value })}
              error={failure?.fields.next_state_id}
            />
          )}
        </SimpleGrid>
        {state && <Switch label={t('agents.is_active')} checked={values.active} onChange={(e) => set({ active: e.currentTarget.checked })} />}
        <Button type="submit" loading={save.isPending} w="fit-content" disabled={!values.name.trim()}>
          {state ? t('common.save') : t('admin.states.create')}
        </Button>
      </Stack>
    </form>
  );
}

/**
 * Administration → States: every state with its type (what it means to the system: open,
 * pending, closed…) and, for automatic pending states, the next state. States are
 * deactivated, never deleted; changing a type moves its tickets' counts along.
 */
export function StatesPage() {
  const { t } = useTranslation();
  const states = useStates();
  const [editing, setEditing] = useState<State | null>(null);
  const nameOf = (id: number | null | undefined) => states.data?.find((s) => s.id === id)?.name ?? '—';
  return (
    <Stack>
      <PageTitle text={t('admin.states.title')} />
      <QueryTable
        query={states}
        empty={t('common.nothing_found')}
        caption={t('admin.states.title')}
        rowKey={(state) => state.id}
        minWidth={560}
        columns={[
          { key: 'name', header: t('admin.states.name'), cell: (state) => <StateBadge state={state} /> },
          { key: 'type', header: t('admin.states.type'), cell: (state) => stateTypeLabel(t, state.state_type) },
          {
            key: 'next_state',
            header: t('admin.states.next_state'),
            cell: (state) => (state.state_type === 'pending_auto' ? nameOf(state.next_state_id) : '—'),
          },
          { key: 'status', header: t('agents.status'), cell: (state) => <ActiveBadge active={state.active} /> },
          {
            key: 'actions',
            header: t('common.actions'),
            hiddenHeader: true,
            cell: (state) => (
              <Button size="compact-sm" variant="default" onClick={() => setEditing(state)} aria-label={t('admin.edit_named', { name: state.name })}>
                {t('admin.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Section id="new-state" title={t('admin.states.new')}>
        <StateForm state={null} onDone={() => undefined} />
      </Section>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t('admin.edit_named', { name: editing.name }) : ''}>
        {editing && <StateForm key={editing.id} state={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
