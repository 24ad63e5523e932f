import { Alert, Button, Group, List, Paper, Progress, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useUser } from '../../auth/context';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { zonedToUtc } from '../../i18n/zoned';
import { getJob, startBulk } from '../../services/relations';
import type { CustomFieldInputs } from '../../services/customFields';
import { isPendingType } from '../../services/tickets';
import { BulkFields } from '../customFields/BulkFields';
import { bulkFieldValues, fieldsForSelection, nameFields } from '../customFields/selection';
import { useCustomFields } from '../customFields/fields';
import { hasBulkChanges, runBulk, summarize, type BulkChanges, type BulkOutcome, type BulkTicket } from './bulk';
import { referenceKeys, TICKETS_KEY } from './keys';
import { AgentPicker, type PickedPerson } from './pickers';
import { useQueueOptions } from './queueOptions';
import { usePriorities, useStates } from './reference';
import { bulkActions } from './rights';
import { useRights } from './useRights';

/** Props of {@link BulkPanel}. */
export interface BulkPanelProps {
  /** The tickets chosen, with the versions the list showed. */
  selected: readonly BulkTicket[];
  /** Forget the selection. */
  onClear: () => void;
  /** After a run: the tickets that were changed (to unselect them). */
  onFinished: (done: readonly BulkTicket[]) => void;
}

type OwnerChoice = 'keep' | 'me' | 'none' | 'agent';

const OWNER_LABELS = {
  keep: 'bulk.keep',
  me: 'bulk.owner_me',
  none: 'bulk.owner_none',
  agent: 'bulk.owner_agent',
} as const satisfies Record<OwnerChoice, string>;

/**
 * Changes state, queue, owner, priority and custom fields of the selected tickets, and adds a
 * note: one bulk job on the server (`POST /api/v1/tickets/bulk`) whose progress the panel
 * follows, with a result per ticket. Only the changes the agent's rights allow on at least one selected ticket
 * are offered (queues: those it may move into). A ticket the user may not change, or that a
 * rule refused, is reported with the reason; the others are still changed.
 */
export function BulkPanel({ selected, onClear, onFinished }: BulkPanelProps) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const format = useFormat();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const states = useStates();
  const priorities = usePriorities();
  const allQueueOptions = useQueueOptions();
  const { rights } = useRights();
  const allowed = bulkActions(rights, selected.map((ticket) => ticket.scope), user.id);
  const ticketFields = useCustomFields('ticket');
  // Setting fields is an edit (`rw`), like the state.
  const settableFields = allowed.state
    ? fieldsForSelection(
        ticketFields.data ?? [],
        selected.map((ticket) => ({ queueId: ticket.scope.queueId, typeId: ticket.typeId })),
      )
    : [];
  const targets = allowed.queueTargets;
  const queueOptions = targets === null ? allQueueOptions : allQueueOptions.filter((o) => targets.has(Number(o.value)));
  const ownerChoices = (
    [
      ['keep', true],
      ['me', allowed.ownerMe],
      ['none', allowed.ownerNone],
      ['agent', allowed.ownerAgent],
    ] as const
  ).filter(([, ok]) => ok);
  const anything = allowed.state || allowed.priority || allowed.move || ownerChoices.length > 1;
  const [stateId, setStateId] = useState<string | null>(null);
  const [pendingUntil, setPendingUntil] = useState('');
  const [queueId, setQueueId] = useState<string | null>(null);
  const [owner, setOwner] = useState<OwnerChoice>('keep');
  const [agent, setAgent] = useState<PickedPerson | null>(null);
  const [priorityId, setPriorityId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<BulkOutcome[]>([]);
  const [note, setNote] = useState('');
  const [fieldValues, setFieldValues] = useState<CustomFieldInputs>({});
  const [processed, setProcessed] = useState(0);
  const [total, setTotal] = useState(0);
  const [failure, setFailure] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  // A choice the selection no longer allows (after unselecting tickets) is dropped.
  const stateChoice = allowed.state ? stateId : null;
  const queueChoice = allowed.move && queueOptions.some((o) => o.value === queueId) ? queueId : null;
  const ownerChoice: OwnerChoice = ownerChoices.some(([value]) => value === owner) ? owner : 'keep';
  const priorityChoice = allowed.priority ? priorityId : null;
  const state = states.data?.find((s) => String(s.id) === stateChoice);
  const needsPending = state !== undefined && isPendingType(state.state_type);

  const changes: BulkChanges = {};
  if (stateChoice) changes.state_id = Number(stateChoice);
  if (needsPending && pendingUntil) changes.pending_until = zonedToUtc(pendingUntil, format.timeZone);
  if (queueChoice) changes.queue_id = Number(queueChoice);
  if (ownerChoice === 'me') changes.owner_id = user.id;
  if (ownerChoice === 'none') changes.owner_id = null;
  if (ownerChoice === 'agent' && agent) changes.owner_id = agent.id;
  if (priorityChoice) changes.priority_id = Number(priorityChoice);
  const fieldChanges = bulkFieldValues(
    Object.fromEntries(Object.entries(fieldValues).filter(([key]) => settableFields.some((f) => f.key === key))),
  );
  if (fieldChanges) changes.custom_fields = fieldChanges;
  const operations = { ...changes, ...(note.trim() && { note: note.trim() }) };

  const apply = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!hasBulkChanges(operations) || running) return;
    const tickets = [...selected];
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setOutcomes([]);
    setFailure(null);
    setProcessed(0);
    setTotal(tickets.length);
    try {
      const results = await runBulk(
        tickets,
        operations,
        { start: (keys, ops) => startBulk({ tickets: keys, operations: ops }), poll: getJob },
        { signal: controller.signal, onProgress: (done) => setProcessed(done) },
      );
      setOutcomes(results);
      setNote('');
      setFieldValues({});
      onFinished(results.filter((o) => o.result.status === 'done').map((o) => o.ticket));
    } catch (error) {
      setFailure(error);
    } finally {
      setRunning(false);
      abort.current = null;
      await queryClient.invalidateQueries({ queryKey: TICKETS_KEY });
      await queryClient.invalidateQueries({ queryKey: referenceKeys.queues });
    }
  };

  const counts = summarize(outcomes);
  const activeStates = (states.data ?? []).filter((s) => s.active);
  return (
    <Paper withBorder p="sm" mb="sm" component="section" aria-labelledby="bulk-title">
      <form onSubmit={(event) => void apply(event)}>
        <Stack gap="sm">
          <Group justify="space-between">
            <Text id="bulk-title" fw={700}>
              {t('bulk.title', { count: selected.length })}
            </Text>
            <Button variant="subtle" size="xs" onClick={onClear} disabled={running}>
              {t('bulk.clear')}
            </Button>
          </Group>
          {!anything && (
            <Text size="sm" c="dimmed">
              {t('bulk.not_allowed')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            {allowed.state && (
              <Select
                label={t('ticket.state')}
                placeholder={t('bulk.keep')}
                clearable
                data={activeStates.map((s) => ({ value: String(s.id), label: s.name }))}
                value={stateId}
                onChange={setStateId}
              />
            )}
            {allowed.move && (
              <Select
                label={t('ticket.queue')}
                placeholder={t('bulk.keep')}
                clearable
                searchable
                data={queueOptions}
                value={queueId}
                onChange={setQueueId}
              />
            )}
            {ownerChoices.length > 1 && (
              <Select
                label={t('ticket.owner')}
                data={ownerChoices.map(([value]) => ({ value, label: t(OWNER_LABELS[value]) }))}
                value={ownerChoice}
                onChange={(value) => setOwner(value ?? 'keep')}
                allowDeselect={false}
              />
            )}
            {allowed.priority && (
              <Select
                label={t('ticket.priority')}
                placeholder={t('bulk.keep')}
                clearable
                data={(priorities.data ?? []).filter((p) => p.active).map((p) => ({ value: String(p.id), label: p.name }))}
                value={priorityId}
                onChange={setPriorityId}
              />
            )}
          </SimpleGrid>
          <BulkFields fields={settableFields} values={fieldValues} onChange={setFieldValues} />
          {allowed.state && (
            <Textarea label={t('bulk.note')} autosize minRows={1} maxRows={4} value={note} onChange={(event) => setNote(event.currentTarget.value)} />
          )}
          {(needsPending || ownerChoice === 'agent') && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {needsPending && (
                <TextInput
                  type="datetime-local"
                  label={t('ticket.pending_until')}
                  description={t('ticket.pending_hint', { zone: format.timeZone })}
                  required
                  value={pendingUntil}
                  onChange={(event) => setPendingUntil(event.currentTarget.value)}
                />
              )}
              {ownerChoice === 'agent' && <AgentPicker label={t('bulk.new_owner')} required value={agent} onChange={setAgent} />}
            </SimpleGrid>
          )}
          <Group>
            <Button type="submit" loading={running} disabled={!hasBulkChanges(operations) || (needsPending && !pendingUntil)}>
              {t('bulk.apply', { count: selected.length })}
            </Button>
            {running && (
              <Button variant="default" onClick={() => abort.current?.abort()}>
                {t('bulk.stop')}
              </Button>
            )}
          </Group>
          {failure !== null && (
            <Alert color="red" variant="light">
              {mapError(failure).message ?? ''}
            </Alert>
          )}
          {total > 0 && (
            <Stack gap="xs">
              <Progress value={(processed / total) * 100} aria-label={t('bulk.progress')} />
              <Text size="sm" role="status">
                {running
                  ? t('bulk.running', { done: processed, total })
                  : t('bulk.summary_job', { done: counts.done, forbidden: counts.forbidden, conflict: counts.conflict + counts.failed })}
              </Text>
              {outcomes.some((o) => o.result.status !== 'done') && (
                <Alert color="red" variant="light" title={t('bulk.problems')}>
                  <List size="sm" spacing={2}>
                    {outcomes
                      .filter((o) => o.result.status !== 'done')
                      .map((o) => (
                        <List.Item key={o.ticket.id}>
                          <Text span ff="monospace" fz="sm">
                            {o.ticket.number}
                          </Text>{' '}
                          {o.ticket.title}: {t(`bulk.status_${o.result.status}`)}
                          {o.result.detail ? ` (${nameFields(o.result.detail, ticketFields.data ?? [], i18n.language.slice(0, 2))})` : ''}
                        </List.Item>
                      ))}
                  </List>
                </Alert>
              )}
            </Stack>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
