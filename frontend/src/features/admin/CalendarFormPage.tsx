import { ActionIcon, Button, Group, Input, Paper, Select, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { FormFooter, FormPage } from '../../components/FormParts';
import { LoadById } from '../../components/LoadById';
import { useFormState } from '../../components/useFormState';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { allTimeZones } from '../../i18n/format';
import { createCalendar, getCalendar, updateCalendar, type Calendar, type CalendarChanges } from '../../services/sla';
import {
  holidaysFromApi,
  holidaysToApi,
  hoursFromApi,
  hoursToApi,
  officeHours,
  toggleYearly,
  WEEKDAYS,
  type HolidayRow,
  type HoursModel,
} from '../sla/calendarModel';
import { slaKeys } from '../sla/keys';
import { WorkingHoursEditor } from './WorkingHoursEditor';

/** Every field the server may name: the working hours per day and range, each holiday. */
function fieldNames(hours: HoursModel, holidays: readonly HolidayRow[]): string[] {
  const names = ['name', 'description', 'time_zone', 'working_hours', 'holidays', 'active'];
  for (const day of WEEKDAYS) {
    names.push(`working_hours.${day}`);
    hours[day].forEach((_, index) => names.push(`working_hours.${day}[${index}]`));
  }
  holidays.forEach((_, index) => names.push(`holidays[${index}]`));
  return names;
}

/** What the calendar form edits. */
interface CalendarValues {
  name: string;
  description: string;
  timeZone: string | null;
  hours: HoursModel;
  holidays: HolidayRow[];
  active: boolean;
}

/**
 * The calendar form: name, description, time zone, working hours (several ranges a day) and
 * holidays (every year `MM-DD`, or once on a date). Each part is checked by the server, which
 * names the range or holiday it refuses; the message appears beside it.
 */
function CalendarForm({ calendar }: { calendar: Calendar | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const zones = useMemo(() => allTimeZones(), []);
  const { values, set, saved, setSaved } = useFormState<CalendarValues>(() => ({
    name: calendar?.name ?? '',
    description: calendar?.description ?? '',
    timeZone: calendar?.time_zone ?? 'UTC',
    hours: calendar ? hoursFromApi(calendar.working_hours) : officeHours(),
    holidays: holidaysFromApi(calendar?.holidays ?? []),
    active: calendar?.active ?? true,
  }));
  const { name, description, timeZone, hours, holidays, active } = values;

  const save = useMutation({
    mutationFn: () => {
      const workingHours = hoursToApi(hours);
      const holidayList = holidaysToApi(holidays);
      if (!calendar) {
        return createCalendar({
          name: name.trim(),
          description,
          time_zone: timeZone ?? '',
          working_hours: workingHours,
          holidays: holidayList,
          active,
        });
      }
      const changes: CalendarChanges = {};
      if (name.trim() !== calendar.name) changes.name = name.trim();
      if (description !== calendar.description) changes.description = description;
      if (timeZone !== calendar.time_zone) changes.time_zone = timeZone ?? '';
      if (JSON.stringify(workingHours) !== JSON.stringify(hoursToApi(hoursFromApi(calendar.working_hours)))) changes.working_hours = workingHours;
      if (JSON.stringify(holidayList) !== JSON.stringify(calendar.holidays)) changes.holidays = holidayList;
      if (active !== calendar.active) changes.active = active;
      return updateCalendar(calendar.id, changes);
    },
    onSuccess: async (stored) => {
      await queryClient.invalidateQueries({ queryKey: slaKeys.calendars });
      if (!calendar) {
        await navigate('/admin/calendars');
        return;
      }
      queryClient.setQueryData(slaKeys.calendar(stored.id), stored);
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: fieldNames(hours, holidays), codeFields: { name_taken: 'name' } }) : null;
  const errors = failure?.fields ?? {};
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  const year = new Date().getFullYear();
  const setHoliday = (index: number, row: HolidayRow) => set({ holidays: holidays.map((existing, i) => (i === index ? row : existing)) });

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput
            label={t('admin.calendars.name')}
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
            label={t('admin.calendars.time_zone')}
            description={t('admin.calendars.time_zone_hint')}
            required
            searchable
            data={zones}
            value={timeZone}
            onChange={(value) => set({ timeZone: value })}
            error={errors.time_zone}
          />
          <WorkingHoursEditor
            value={hours}
            onChange={(next) => set({ hours: next })}
            errors={errors}
          />
          <Input.Wrapper label={t('admin.calendars.holidays')} description={t('admin.calendars.holidays_hint')} error={errors.holidays}>
            <Stack gap={6} mt="xs">
              {holidays.map((row, index) => {
                const n = index + 1;
                return (
                  <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                    {row.yearly ? (
                      <TextInput
                        size="xs"
                        aria-label={t('admin.calendars.holiday_day', { n })}
                        placeholder={t('admin.calendars.holiday_day_placeholder')}
                        value={row.value}
                        onChange={(e) => setHoliday(index, { ...row, value: e.currentTarget.value })}
                        error={errors[`holidays[${index}]`]}
                      />
                    ) : (
                      <TextInput
                        size="xs"
                        type="date"
                        aria-label={t('admin.calendars.holiday_date', { n })}
                        value={row.value}
                        onChange={(e) => setHoliday(index, { ...row, value: e.currentTarget.value })}
                        error={errors[`holidays[${index}]`]}
                      />
                    )}
                    <Switch
                      size="sm"
                      mt={4}
                      label={t('admin.calendars.every_year')}
                      aria-label={t('admin.calendars.every_year_n', { n })}
                      checked={row.yearly}
                      onChange={() => setHoliday(index, toggleYearly(row, year))}
                    />
                    <ActionIcon
                      variant="default"
                      size="md"
                      onClick={() => set({ holidays: holidays.filter((_, i) => i !== index) })}
                      aria-label={t('admin.calendars.remove_holiday', { n })}
                    >
                      <span aria-hidden="true">×</span>
                    </ActionIcon>
                  </Group>
                );
              })}
              {holidays.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('admin.calendars.no_holidays')}
                </Text>
              )}
              <Button
                size="compact-sm"
                variant="default"
                w="fit-content"
                onClick={() => set({ holidays: [...holidays, { yearly: false, value: '' }] })}
              >
                {t('admin.calendars.add_holiday')}
              </Button>
            </Stack>
          </Input.Wrapper>
          <Switch
            label={t('agents.is_active')}
            description={t('admin.calendars.active_hint')}
            checked={active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
          />
          <FormFooter
            submitLabel={calendar ? t('common.save') : t('admin.calendars.create')}
            saving={save.isPending}
            disabled={!name.trim() || !timeZone}
            status={saved ? t('admin.calendars.saved') : ''}
          />
        </Stack>
      </form>
    </Paper>
  );
}

const BACK = '/admin/calendars';

/** Administration → Calendars → New calendar (`POST /api/v1/calendars`). */
export function NewCalendarPage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: BACK, label: t('admin.calendars.back') }} title={t('admin.calendars.new')} maw={760}>
      <CalendarForm calendar={null} />
    </FormPage>
  );
}

/** Administration → Calendars → a calendar (`GET`/`PATCH /api/v1/calendars/{id}`). */
export function EditCalendarPage() {
  const { t } = useTranslation();
  return (
    <LoadById queryKey={slaKeys.calendar} load={getCalendar}>
      {(calendar) => (
        <FormPage back={{ to: BACK, label: t('admin.calendars.back') }} title={t('admin.calendars.edit', { name: calendar.name })} maw={760}>
          <CalendarForm key={calendar.id} calendar={calendar} />
        </FormPage>
      )}
    </LoadById>
  );
}
