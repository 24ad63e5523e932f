import {
  ActionIcon,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { ConfirmDelete, FormFooter, FormPage } from '../../components/FormParts';
import { PageLoader } from '../../components/PageLoader';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { NotFound } from '../../layout/NotFound';
import {
  createPostmasterFilter,
  deletePostmasterFilter,
  listPostmasterFilters,
  updatePostmasterFilter,
  type FilterCondition,
  type PostmasterFilter,
  type PostmasterFilterInput,
} from '../../services/mail';
import { isPendingType } from '../../services/tickets';
import { useQueueOptions } from '../tickets/queueOptions';
import { usePriorities, useStates, useTicketTypes } from '../tickets/reference';
import { FILTERS_KEY } from './keys';

const FIELD_SUGGESTIONS = ['from', 'to', 'cc', 'subject', 'body', 'X-Spam-Flag', 'X-Priority', 'Reply-To'];
const FIELDS = ['name', 'position', 'conditions', 'actions.queue_id', 'actions.priority_id', 'actions.type_id', 'actions.state_id', 'actions.customer_email'] as const;
const MAX_CONDITIONS = 20;

/**
 * The filter form: conditions (a regular expression on a header, the subject or the body; all
 * must hold; "not" inverts one) and actions (queue, priority, type, state, customer — or
 * ignore the message). The API validates the expressions; its messages show beside the form.
 */
function FilterForm({ filter }: { filter: PostmasterFilter | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const queueOptions = useQueueOptions();
  const priorities = usePriorities();
  const types = useTicketTypes();
  const states = useStates();
  const [name, setName] = useState(filter?.name ?? '');
  const [position, setPosition] = useState<number | string>(filter?.position ?? '');
  const [enabled, setEnabled] = useState(filter?.enabled ?? true);
  const [stop, setStop] = useState(filter?.stop_after_match ?? false);
  const [conditions, setConditions] = useState<FilterCondition[]>(
    filter?.conditions ?? [{ field: 'subject', pattern: '', negate: false }],
  );
  const [queueId, setQueueId] = useState<string | null>(filter?.actions.queue_id != null ? String(filter.actions.queue_id) : null);
  const [priorityId, setPriorityId] = useState<string | null>(filter?.actions.priority_id != null ? String(filter.actions.priority_id) : null);
  const [typeId, setTypeId] = useState<string | null>(filter?.actions.type_id != null ? String(filter.actions.type_id) : null);
  const [stateId, setStateId] = useState<string | null>(filter?.actions.state_id != null ? String(filter.actions.state_id) : null);
  const [customerEmail, setCustomerEmail] = useState(filter?.actions.customer_email ?? '');
  const [ignore, setIgnore] = useState(filter?.actions.ignore ?? false);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const change = (index: number, changes: Partial<FilterCondition>) =>
    setConditions((previous) => previous.map((condition, i) => (i === index ? { ...condition, ...changes } : condition)));
  const num = (value: string | null) => (value ? Number(value) : null);

  const save = useMutation({
    mutationFn: () => {
      const input: PostmasterFilterInput = {
        name: name.trim(),
        position: typeof position === 'number' ? position : null,
        enabled,
        stop_after_match: stop,
        conditions: conditions.map((condition) => ({ ...condition, field: condition.field.trim() })),
        actions: ignore
          ? { ignore: true }
          : {
              ignore: false,
              queue_id: num(queueId),
              priority_id: num(priorityId),
              type_id: num(typeId),
              state_id: num(stateId),
              customer_email: customerEmail.trim() || null,
            },
      };
      return filter ? updatePostmasterFilter(filter.id, input) : createPostmasterFilter(input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: FILTERS_KEY });
      if (filter) setSaved(true);
      else await navigate('/admin/postmaster-filters');
    },
  });
  const remove = useMutation({
    mutationFn: () => deletePostmasterFilter(filter?.id ?? 0),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: FILTERS_KEY });
      await navigate('/admin/postmaster-filters');
    },
  });
  // Errors of a condition arrive as `conditions[2].pattern`: shown beside that input.
  const conditionFields = conditions.flatMap((_, i) => [`conditions[${i}].field`, `conditions[${i}].pattern`]);
  const failure = save.error
    ? mapError(save.error, { fields: [...FIELDS, ...conditionFields], codeFields: { name_taken: 'name' } })
    : null;
  const conditionError = (index: number, part: 'field' | 'pattern') => failure?.fields[`conditions[${index}].${part}`];
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('admin.mail.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <NumberInput
              label={t('admin.filters.position')}
              description={t('admin.filters.position_hint')}
              allowDecimal={false}
              value={position}
              onChange={setPosition}
              error={failure?.fields.position}
            />
          </SimpleGrid>
          <Group>
            <Switch label={t('admin.mail.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            <Switch label={t('admin.filters.stop')} checked={stop} onChange={(e) => setStop(e.currentTarget.checked)} />
          </Group>
          <Title order={2} size="h5">
            {t('admin.filters.conditions')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('admin.filters.conditions_hint')}
          </Text>
          {conditions.map((condition, index) => (
            <Group key={index} align="flex-end" wrap="wrap" gap="sm" role="group" aria-label={t('admin.filters.condition_n', { n: index + 1 })}>
              <Autocomplete
                label={t('admin.filters.field')}
                data={FIELD_SUGGESTIONS}
                value={condition.field}
                onChange={(value) => change(index, { field: value })}
                w={180}
                error={conditionError(index, 'field')}
              />
              <TextInput
                label={t('admin.filters.pattern')}
                placeholder="(?i)^yes"
                value={condition.pattern}
                onChange={(e) => change(index, { pattern: e.currentTarget.value })}
                style={{ flex: 1, minWidth: 200 }}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                error={conditionError(index, 'pattern')}
              />
              <Checkbox label={t('admin.filters.negate')} checked={condition.negate ?? false} onChange={(e) => change(index, { negate: e.currentTarget.checked })} mb={8} />
              <ActionIcon
                variant="default"
                size="lg"
                mb={2}
                disabled={conditions.length === 1}
                onClick={() => setConditions((previous) => previous.filter((_, i) => i !== index))}
                aria-label={t('admin.filters.remove_condition', { n: index + 1 })}
              >
                <span aria-hidden="true">×</span>
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            disabled={conditions.length >= MAX_CONDITIONS}
            onClick={() => setConditions((previous) => [...previous, { field: 'from', pattern: '', negate: false }])}
          >
            {t('admin.filters.add_condition')}
          </Button>
          <Title order={2} size="h5">
            {t('admin.filters.actions')}
          </Title>
          <Checkbox label={t('admin.filters.ignore_label')} checked={ignore} onChange={(e) => setIgnore(e.currentTarget.checked)} />
          {!ignore && (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              <Select label={t('ticket.queue')} placeholder={t('bulk.keep')} clearable searchable data={queueOptions} value={queueId} onChange={setQueueId} error={failure?.fields['actions.queue_id']} />
              <Select
                label={t('ticket.priority')}
                placeholder={t('bulk.keep')}
                clearable
                data={(priorities.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
                value={priorityId}
                onChange={setPriorityId}
                error={failure?.fields['actions.priority_id']}
              />
              <Select
                label={t('ticket.type')}
                placeholder={t('bulk.keep')}
                clearable
                data={(types.data ?? []).map((type) => ({ value: String(type.id), label: type.name }))}
                value={typeId}
                onChange={setTypeId}
                error={failure?.fields['actions.type_id']}
              />
              <Select
                label={t('ticket.state')}
                placeholder={t('bulk.keep')}
                clearable
                data={(states.data ?? []).filter((s) => !isPendingType(s.state_type)).map((s) => ({ value: String(s.id), label: s.name }))}
                value={stateId}
                onChange={setStateId}
                error={failure?.fields['actions.state_id']}
              />
              <TextInput
                label={t('admin.filters.customer_email')}
                type="email"
                value={customerEmail}
                onChange={(e) => setCustomerEmail(e.currentTarget.value)}
                error={failure?.fields['actions.customer_email']}
              />
            </SimpleGrid>
          )}
          <FormFooter
            submitLabel={filter ? t('common.save') : t('admin.filters.create')}
            saving={save.isPending}
            disabled={!name.trim()}
            status={saved ? t('common.saved') : ''}
            {...(filter && { onDelete: () => setConfirmDelete(true) })}
          />
        </Stack>
      </form>
      <ConfirmDelete
        opened={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t('admin.filters.delete_title', { name: filter?.name ?? '' })}
        error={remove.error}
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </Paper>
  );
}

/** Administration → Postmaster filters → New filter (`POST /api/v1/postmaster-filters`). */
export function NewFilterPage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: '/admin/postmaster-filters', label: t('admin.filters.back') }} title={t('admin.filters.new')} maw={960}>
      <FilterForm filter={null} />
    </FormPage>
  );
}

/** Administration → Postmaster filters → a filter (`PUT`/`DELETE /api/v1/postmaster-filters/{id}`). */
export function EditFilterPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const filters = useQuery({ queryKey: FILTERS_KEY, queryFn: listPostmasterFilters });
  const filter = filters.data?.find((candidate) => candidate.id === id);
  if (filters.error) return <ErrorAlert error={filters.error} />;
  if (!filters.data) return <PageLoader label={t('common.loading')} />;
  if (!filter) return <NotFound />;
  return (
    <FormPage back={{ to: '/admin/postmaster-filters', label: t('admin.filters.back') }} title={t('admin.filters.edit', { name: filter.name })} maw={960}>
      <FilterForm key={`${filter.id}-${filter.updated_at}`} filter={filter} />
    </FormPage>
  );
}
