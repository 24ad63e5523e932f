import { Paper, Select, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { FormFooter, FormPage } from '../../components/FormParts';
import { PageLoader } from '../../components/PageLoader';
import { useFormState } from '../../components/useFormState';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { NotFound } from '../../layout/NotFound';
import { listGroups } from '../../services/organisation';
import { createQueue, updateQueue, type Queue, type QueueChanges } from '../../services/reference';
import { referenceKeys } from '../tickets/keys';
import { queueOptions } from '../tickets/queueOptions';
import { descendantIds } from '../tickets/queueTree';
import { usePriorities, useQueues } from '../tickets/reference';
import { GROUPS_KEY } from './groupAccess';
import { QueueMailSettingsSection } from './QueueMailSettings';
import { QueueSlaSection } from './QueueSlaSection';

const FIELDS = ['name', 'group_id', 'parent_id', 'email_address', 'default_priority_id', 'customer_open', 'description', 'active'] as const;
const CODE_FIELDS = { name_taken: 'name', email_taken: 'email_address' } as const;

interface QueueValues {
  name: string;
  groupId: string | null;
  parentId: string | null;
  email: string;
  priorityId: string | null;
  customerOpen: boolean;
  description: string;
  active: boolean;
}

function valuesOf(queue: Queue | null): QueueValues {
  return {
    name: queue?.name ?? '',
    groupId: queue ? String(queue.group_id) : null,
    parentId: queue?.parent_id != null ? String(queue.parent_id) : null,
    email: queue?.email_address ?? '',
    priorityId: queue?.default_priority_id != null ? String(queue.default_priority_id) : null,
    customerOpen: queue?.customer_open ?? false,
    description: queue?.description ?? '',
    active: queue?.active ?? true,
  };
}

/**
 * The queue form: name, parent (not itself or anything below it: the server answers `cycle`
 * otherwise), group, mail address, default priority, open to customers, description, active.
 */
function QueueForm({ queue }: { queue: Queue | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const queues = useQueues();
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: listGroups, staleTime: 60_000 });
  const priorities = usePriorities();
  const { values, set, saved, setSaved } = useFormState<QueueValues>(() => valuesOf(queue));
  const excluded = queue ? descendantIds(queues.data ?? [], queue.id) : new Set<number>();
  const parents = queueOptions(queues.data ?? []).filter((option) => !excluded.has(Number(option.value)));
  const num = (value: string | null) => (value ? Number(value) : null);

  const save = useMutation({
    mutationFn: async () => {
      if (!queue) {
        return createQueue({
          name: values.name.trim(),
          group_id: Number(values.groupId),
          parent_id: num(values.parentId),
          email_address: values.email.trim() || null,
          default_priority_id: num(values.priorityId),
          customer_open: values.customerOpen,
          description: values.description,
          active: values.active,
        });
      }
      const before = valuesOf(queue);
      const changes: QueueChanges = {};
      if (values.name.trim() !== before.name) changes.name = values.name.trim();
      if (values.groupId !== before.groupId) changes.group_id = num(values.groupId);
      if (values.parentId !== before.parentId) changes.parent_id = num(values.parentId);
      if (values.email.trim() !== before.email) changes.email_address = values.email.trim() || null;
      if (values.priorityId !== before.priorityId) changes.default_priority_id = num(values.priorityId);
      if (values.customerOpen !== before.customerOpen) changes.customer_open = values.customerOpen;
      if (values.description !== before.description) changes.description = values.description;
      if (values.active !== before.active) changes.active = values.active;
      return updateQueue(queue.id, changes);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: referenceKeys.queues });
      if (queue) setSaved(true);
      else await navigate('/admin/queues');
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput label={t('admin.queues.name')} required value={values.name} onChange={(e) => set({ name: e.currentTarget.value })} error={failure?.fields.name} />
          <Select
            label={t('admin.queues.parent')}
            placeholder={t('admin.queues.no_parent')}
            clearable
            searchable
            data={parents}
            value={values.parentId}
            onChange={(value) => set({ parentId: value })}
            error={failure?.fields.parent_id}
          />
          <Select
            label={t('admin.queues.group')}
            description={t('admin.queues.group_hint')}
            required
            data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
            value={values.groupId}
            onChange={(value) => set({ groupId: value })}
            error={failure?.fields.group_id}
          />
          <TextInput
            label={t('admin.queues.email')}
            description={t('admin.queues.email_hint')}
            type="email"
            value={values.email}
            onChange={(e) => set({ email: e.currentTarget.value })}
            error={failure?.fields.email_address}
          />
          <Select
            label={t('admin.queues.default_priority')}
            placeholder={t('admin.queues.no_default_priority')}
            clearable
            data={(priorities.data ?? []).map((priority) => ({ value: String(priority.id), label: priority.name }))}
            value={values.priorityId}
            onChange={(value) => set({ priorityId: value })}
            error={failure?.fields.default_priority_id}
          />
          <Switch
            label={t('admin.queues.customer_open')}
            description={t('admin.queues.customer_open_hint')}
            checked={values.customerOpen}
            onChange={(e) => set({ customerOpen: e.currentTarget.checked })}
          />
          <Textarea
            label={t('admin.queues.description')}
            autosize
            minRows={2}
            value={values.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={failure?.fields.description}
          />
          <Switch
            label={t('agents.is_active')}
            description={t('admin.queues.active_hint')}
            checked={values.active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
          />
          <FormFooter
            submitLabel={queue ? t('common.save') : t('admin.queues.create')}
            saving={save.isPending}
            disabled={!values.name.trim() || !values.groupId}
            status={saved ? t('common.saved') : ''}
          />
        </Stack>
      </form>
    </Paper>
  );
}

/** Administration → Queues → New queue (`POST /api/v1/queues`). */
export function NewQueuePage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: '/admin/queues', label: t('admin.queues.back') }} title={t('admin.queues.new')}>
      <QueueForm queue={null} />
    </FormPage>
  );
}

/** Administration → Queues → a queue (`PATCH /api/v1/queues/{id}`), with its mail settings. */
export function EditQueuePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const queues = useQueues();
  const queue = queues.data?.find((candidate) => candidate.id === id);
  if (queues.error) return <ErrorAlert error={queues.error} />;
  if (!queues.data) return <PageLoader label={t('common.loading')} />;
  if (!queue) return <NotFound />;
  return (
    <FormPage back={{ to: '/admin/queues', label: t('admin.queues.back') }} title={t('admin.queues.edit', { name: queue.name })}>
      <QueueForm key={queue.id} queue={queue} />
      <QueueSlaSection queueId={queue.id} />
      <QueueMailSettingsSection queueId={queue.id} />
    </FormPage>
  );
}
