import { Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { FormFooter, FormPage } from '../../components/FormParts';
import { LoadById } from '../../components/LoadById';
import { useFormState } from '../../components/useFormState';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createSla, getSla, updateSla, type Sla, type SlaChanges } from '../../services/sla';
import type { StateType } from '../../services/tickets';
import { useCalendars } from '../sla/hooks';
import { slaKeys } from '../sla/keys';
import { formatDuration } from '../sla/labels';
import { stateTypeLabel } from '../tickets/labels';

/** The state types that may pause an SLA (closing stops every clock anyway). */
const PAUSABLE: readonly StateType[] = ['new', 'open', 'pending_reminder', 'pending_auto'];
const DEFAULT_PAUSED: StateType[] = ['pending_reminder', 'pending_auto'];
const TARGETS = ['first_response_minutes', 'update_minutes', 'solution_minutes'] as const;
type Target = (typeof TARGETS)[number];

const FIELDS = ['name', 'description', 'calendar_id', ...TARGETS, 'warning_percent', 'paused_state_types', 'active'];

/** What the SLA form edits (number inputs hold `''` while empty). */
interface SlaValues {
  name: string;
  description: string;
  calendarId: string | null;
  targets: Record<Target, number | string>;
  warning: number | string;
  paused: string[];
  active: boolean;
}

/** A number input's value as the API wants it: a whole number, or `null` when empty. */
function whole(value: number | string): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}

/**
 * The SLA form: name, description, calendar, the three targets in business minutes (each
 * optional, at least one), the warning share, the state types whose time does not count, and
 * active. Edits send only what changed; the server recomputes the open tickets in a job.
 */
function SlaForm({ sla }: { sla: Sla | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const calendars = useCalendars();
  const { values, set, saved, setSaved } = useFormState<SlaValues>({
    name: sla?.name ?? '',
    description: sla?.description ?? '',
    calendarId: sla ? String(sla.calendar_id) : null,
    targets: {
      first_response_minutes: sla?.first_response_minutes ?? '',
      update_minutes: sla?.update_minutes ?? '',
      solution_minutes: sla?.solution_minutes ?? '',
    },
    warning: sla ? (sla.warning_percent ?? '') : 75,
    paused: sla?.paused_state_types ?? DEFAULT_PAUSED,
    active: sla?.active ?? true,
  });
  const { name, description, calendarId, targets, warning, paused, active } = values;

  const save = useMutation({
    mutationFn: () => {
      const values = {
        name: name.trim(),
        description,
        calendar_id: Number(calendarId),
        first_response_minutes: whole(targets.first_response_minutes),
        update_minutes: whole(targets.update_minutes),
        solution_minutes: whole(targets.solution_minutes),
        warning_percent: whole(warning),
        paused_state_types: paused,
        active,
      };
      if (!sla) return createSla(values);
      const changes: SlaChanges = {};
      if (values.name !== sla.name) changes.name = values.name;
      if (values.description !== sla.description) changes.description = values.description;
      if (values.calendar_id !== sla.calendar_id) changes.calendar_id = values.calendar_id;
      for (const target of TARGETS) if (values[target] !== (sla[target] ?? null)) changes[target] = values[target];
      if (values.warning_percent !== (sla.warning_percent ?? null)) changes.warning_percent = values.warning_percent;
      if ([...paused].sort().join() !== [...sla.paused_state_types].sort().join()) changes.paused_state_types = paused;
      if (active !== sla.active) changes.active = active;
      return updateSla(sla.id, changes);
    },
    onSuccess: async (stored) => {
      await queryClient.invalidateQueries({ queryKey: slaKeys.slas });
      if (!sla) {
        await navigate('/admin/slas');
        return;
      }
      queryClient.setQueryData(slaKeys.sla(stored.id), stored);
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: { name_taken: 'name' } }) : null;
  const errors = failure?.fields ?? {};
  const pausedError = Object.entries(errors).find(([field]) => field.startsWith('paused_state_types'))?.[1];
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  const calendarOptions = (calendars.data ?? [])
    .filter((calendar) => calendar.active || calendar.id === sla?.calendar_id)
    .map((calendar) => ({ value: String(calendar.id), label: `${calendar.name} (${calendar.time_zone})` }));
  const targetLabels: Record<Target, string> = {
    first_response_minutes: t('admin.slas.first_response'),
    update_minutes: t('admin.slas.update'),
    solution_minutes: t('admin.slas.solution'),
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput
            label={t('admin.slas.name')}
            required
            value={name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={errors.name}
          />
          <Textarea
            label={t('admin.queues.description')}
            autosize
            minRows={1}
            value={description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={errors.description}
          />
          <Select
            label={t('admin.slas.calendar')}
            description={t('admin.slas.calendar_hint')}
            required
            data={calendarOptions}
            value={calendarId}
            onChange={(value) => set({ calendarId: value })}
            error={errors.calendar_id}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {TARGETS.map((target) => {
              const minutes = whole(targets[target]);
              return (
                <NumberInput
                  key={target}
                  label={targetLabels[target]}
                  description={minutes !== null && minutes > 0 ? formatDuration(t, minutes) : t('admin.slas.minutes_hint')}
                  min={1}
                  max={1_000_000}
                  allowDecimal={false}
                  allowNegative={false}
                  value={targets[target]}
                  onChange={(value) => set({ targets: { ...targets, [target]: value } })}
                  error={errors[target]}
                />
              );
            })}
          </SimpleGrid>
          <NumberInput
            label={t('admin.slas.warning')}
            description={t('admin.slas.warning_hint')}
            min={1}
            max={99}
            suffix=" %"
            allowDecimal={false}
            allowNegative={false}
            maw={240}
            value={warning}
            onChange={(value) => set({ warning: value })}
            error={errors.warning_percent}
          />
          <Checkbox.Group
            label={t('admin.slas.paused')}
            description={t('admin.slas.paused_hint')}
            value={paused}
            onChange={(value) => set({ paused: value })}
            error={pausedError}
          >
            <Group mt="xs">
              {PAUSABLE.map((type) => (
                <Checkbox key={type} value={type} label={stateTypeLabel(t, type)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            label={t('agents.is_active')}
            description={t('admin.slas.active_hint')}
            checked={active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
          />
          <FormFooter
            submitLabel={sla ? t('common.save') : t('admin.slas.create')}
            saving={save.isPending}
            disabled={!name.trim() || !calendarId}
            status={saved ? t('admin.slas.saved') : ''}
          />
        </Stack>
      </form>
    </Paper>
  );
}

const BACK = '/admin/slas';

/** Administration → SLAs → New SLA (`POST /api/v1/slas`). */
export function NewSlaPage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: BACK, label: t('admin.slas.back') }} title={t('admin.slas.new')} maw={760}>
      <SlaForm sla={null} />
    </FormPage>
  );
}

/** Administration → SLAs → an SLA (`GET`/`PATCH /api/v1/slas/{id}`). */
export function EditSlaPage() {
  const { t } = useTranslation();
  return (
    <LoadById queryKey={slaKeys.sla} load={getSla}>
      {(sla) => (
        <FormPage back={{ to: BACK, label: t('admin.slas.back') }} title={t('admin.slas.edit', { name: sla.name })} maw={760}>
          <SlaForm key={sla.id} sla={sla} />
        </FormPage>
      )}
    </LoadById>
  );
}
