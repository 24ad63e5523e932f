import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { utcToZoned, zonedToUtc } from '../../i18n/zoned';
import { isPendingType, updateTicket, type TicketChanges } from '../../services/tickets';
import { useServices } from '../sla/hooks';
import { AgentPicker, type PickedPerson } from './pickers';
import { useQueueOptions } from './queueOptions';
import { usePriorities, useStates, useTicketTypes } from './reference';
import type { TicketActions } from './rights';
import type { TicketPageModel } from './ticketPageModel';
import { fieldPointers, useCustomFields } from '../customFields/fields';
import { FieldsSection, FieldValues } from '../customFields/FieldsSection';
import type { CustomFieldInputs } from '../../services/customFields';

/** The fields this form edits; only those the user touched are sent. */
interface Draft {
  title?: string;
  stateId?: string;
  pendingUntil?: string;
  priorityId?: string;
  queueId?: string;
  typeId?: string | null;
  serviceId?: string | null;
  responsible?: PickedPerson | null;
  fields?: CustomFieldInputs;
}

const FIELDS = ['title', 'state_id', 'pending_until', 'priority_id', 'queue_id', 'type_id', 'service_id', 'responsible_id'] as const;

/**
 * Title, state (with pending time), priority, queue, type, service (its SLA follows) and
 * responsible agent; the fields the agent's rights do not allow are shown but disabled, and
 * the queue offers only queues the agent may move into. Unsaved
 * choices are a draft over the ticket: a reload after a conflict shows the new values of the
 * untouched fields and keeps what the user chose. Saved with `If-Match`.
 */
export function TicketProperties({ model, actions }: { model: TicketPageModel; actions: TicketActions }) {
  const { t } = useTranslation();
  const format = useFormat();
  const mapError = useErrorMapper();
  const states = useStates();
  const priorities = usePriorities();
  const types = useTicketTypes();
  const services = useServices();
  const queueOptions = useQueueOptions();
  const ticketFields = useCustomFields('ticket');
  const { ticket, etag } = model.loaded;
  const [draft, setDraft] = useState<Draft>({});
  const [saved, setSaved] = useState(false);
  const edit = (changes: Draft) => {
    setSaved(false);
    setDraft((previous) => ({ ...previous, ...changes }));
  };

  const stateId = draft.stateId ?? String(ticket.state.id);
  const state = states.data?.find((s) => String(s.id) === stateId);
  const pending = state !== undefined && isPendingType(state.state_type);
  const pendingValue =
    draft.pendingUntil ?? (ticket.pending_until ? utcToZoned(ticket.pending_until, format.timeZone) : '');
  const responsible =
    draft.responsible !== undefined ? draft.responsible : (ticket.responsible ?? null);

  const changes: TicketChanges = {};
  if (draft.title !== undefined && draft.title.trim() !== ticket.title) changes.title = draft.title.trim();
  if (stateId !== String(ticket.state.id)) changes.state_id = Number(stateId);
  if (pending && draft.pendingUntil !== undefined) changes.pending_until = zonedToUtc(draft.pendingUntil, format.timeZone);
  if (draft.priorityId !== undefined && draft.priorityId !== String(ticket.priority.id)) changes.priority_id = Number(draft.priorityId);
  if (draft.queueId !== undefined && draft.queueId !== String(ticket.queue.id)) changes.queue_id = Number(draft.queueId);
  if (draft.typeId !== undefined && draft.typeId !== (ticket.type ? String(ticket.type.id) : null)) {
    changes.type_id = draft.typeId === null ? null : Number(draft.typeId);
  }
  if (draft.serviceId !== undefined && draft.serviceId !== (ticket.service ? String(ticket.service.id) : null)) {
    changes.service_id = draft.serviceId === null ? null : Number(draft.serviceId);
  }
  if (draft.responsible !== undefined && (draft.responsible?.id ?? null) !== (ticket.responsible?.id ?? null)) {
    changes.responsible_id = draft.responsible?.id ?? null;
  }
  const fieldChanges: CustomFieldInputs = {};
  for (const [key, value] of Object.entries(draft.fields ?? {})) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(ticket.custom_fields[key] ?? null)) fieldChanges[key] = value;
  }
  if (Object.keys(fieldChanges).length > 0) changes.custom_fields = fieldChanges;
  const fieldValues: CustomFieldInputs = { ...ticket.custom_fields, ...draft.fields };
  const dirty = Object.keys(changes).length > 0;

  const save = useMutation({
    mutationFn: () => updateTicket(model.key, changes, etag),
    onSuccess: (loaded) => {
      model.apply(loaded);
      setDraft({});
      setSaved(true);
    },
    onError: model.report,
  });
  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const failure = save.error && !conflict ? mapError(save.error, { fields: [...FIELDS, ...fieldPointers(ticketFields.data)] }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (dirty) save.mutate();
  };

  // Offer active entries, plus the ticket's current one even if it was deactivated.
  const stateData = (states.data ?? [])
    .filter((s) => s.active || s.id === ticket.state.id)
    .map((s) => ({ value: String(s.id), label: s.name }));
  const priorityData = (priorities.data ?? [])
    .filter((p) => p.active || p.id === ticket.priority.id)
    .map((p) => ({ value: String(p.id), label: p.name }));
  // Active services by path; the ticket keeps an inactive one (the name is its path too).
  const serviceData = (services.data ?? [])
    .filter((service) => service.active || service.id === ticket.service?.id)
    .map((service) => ({ value: String(service.id), label: service.full_name }));
  if (ticket.service && !serviceData.some((option) => option.value === String(ticket.service?.id))) {
    serviceData.unshift({ value: String(ticket.service.id), label: ticket.service.name });
  }
  const targets = actions.moveTargets;
  const moveOptions = targets === null ? queueOptions : queueOptions.filter((o) => targets.has(Number(o.value)));
  const queueData = moveOptions.some((o) => o.value === String(ticket.queue.id))
    ? moveOptions
    : [{ value: String(ticket.queue.id), label: ticket.queue.name }, ...moveOptions];
  const canMove = actions.move && queueData.length > 1;
  const editable = actions.edit || actions.priority || canMove;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="properties-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Title order={2} size="h5" id="properties-title">
            {t('ticket.properties')}
          </Title>
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput
            label={t('ticket.title')}
            value={draft.title ?? ticket.title}
            onChange={(event) => edit({ title: event.currentTarget.value })}
            disabled={!actions.edit}
            error={failure?.fields.title}
          />
          <Select
            label={t('ticket.state')}
            data={stateData}
            value={stateId}
            onChange={(value) => value && edit({ stateId: value })}
            allowDeselect={false}
            disabled={!actions.edit}
            error={failure?.fields.state_id}
          />
          {pending && (
            <TextInput
              type="datetime-local"
              label={t('ticket.pending_until')}
              description={t('ticket.pending_hint', { zone: format.timeZone })}
              required
              value={pendingValue}
              onChange={(event) => edit({ pendingUntil: event.currentTarget.value })}
              disabled={!actions.edit}
              error={failure?.fields.pending_until}
            />
          )}
          <Select
            label={t('ticket.priority')}
            data={priorityData}
            value={draft.priorityId ?? String(ticket.priority.id)}
            onChange={(value) => value && edit({ priorityId: value })}
            allowDeselect={false}
            disabled={!actions.priority}
            error={failure?.fields.priority_id}
          />
          <Select
            label={t('ticket.queue')}
            data={queueData}
            searchable
            value={draft.queueId ?? String(ticket.queue.id)}
            onChange={(value) => value && edit({ queueId: value })}
            allowDeselect={false}
            disabled={!canMove}
            error={failure?.fields.queue_id}
          />
          <Select
            label={t('ticket.type')}
            data={(types.data ?? []).filter((type) => type.active || type.id === ticket.type?.id).map((type) => ({ value: String(type.id), label: type.name }))}
            clearable
            placeholder={t('ticket.no_type')}
            value={draft.typeId !== undefined ? draft.typeId : ticket.type ? String(ticket.type.id) : null}
            onChange={(value) => edit({ typeId: value })}
            disabled={!actions.edit}
            error={failure?.fields.type_id}
          />
          <Select
            label={t('ticket.service')}
            data={serviceData}
            clearable
            searchable
            placeholder={t('ticket.no_service')}
            value={draft.serviceId !== undefined ? draft.serviceId : ticket.service ? String(ticket.service.id) : null}
            onChange={(value) => edit({ serviceId: value })}
            disabled={!actions.edit}
            error={failure?.fields.service_id}
          />
          <AgentPicker
            label={t('ticket.responsible')}
            placeholder={t('ticket.nobody')}
            value={responsible}
            onChange={(person) => edit({ responsible: person })}
            disabled={!actions.edit}
            error={failure?.fields.responsible_id}
          />
          {!actions.edit && <FieldValues fields={ticketFields.data ?? []} values={ticket.custom_fields} />}
          {actions.edit && (
            <FieldsSection
              fields={ticketFields.data ?? []}
              values={fieldValues}
              onChange={(values) => edit({ fields: values })}
              errors={failure?.fields}
              queueId={Number(draft.queueId ?? ticket.queue.id)}
              typeId={draft.typeId !== undefined ? (draft.typeId === null ? null : Number(draft.typeId)) : (ticket.type?.id ?? null)}
              scoped
            />
          )}
          {editable && (
            <Group gap="xs">
              <Button type="submit" size="sm" disabled={!dirty} loading={save.isPending}>
                {t('ticket.save_changes')}
              </Button>
              {dirty && (
                <Button variant="subtle" size="sm" onClick={() => setDraft({})}>
                  {t('ticket.discard_changes')}
                </Button>
              )}
            </Group>
          )}
          <Text size="sm" role="status" c="teal.9">
            {saved && !dirty ? t('common.saved') : ''}
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
