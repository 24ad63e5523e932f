import { ActionIcon, Button, Group, Input, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { addRange, copyDay, removeRange, setRange, WEEKDAYS, type HoursModel, type Weekday } from '../sla/calendarModel';
import { weekdayName } from '../sla/labels';

/** Props of {@link WorkingHoursEditor}. */
export interface WorkingHoursEditorProps {
  value: HoursModel;
  onChange: (next: HoursModel) => void;
  /** Server errors by field (`working_hours`, `working_hours.mon`, `working_hours.mon[0]`). */
  errors: Record<string, string>;
}

/**
 * Working hours per weekday, several ranges a day: each day a group of from–to rows (`time`
 * inputs on the calendar's wall clock) with "Add a range"; Monday's hours can be copied to
 * the other working days. A range whose end is before its start crosses midnight.
 */
export function WorkingHoursEditor({ value, onChange, errors }: WorkingHoursEditorProps) {
  const { t, i18n } = useTranslation();
  return (
    <Input.Wrapper label={t('admin.calendars.working_hours')} description={t('admin.calendars.working_hours_hint')} error={errors.working_hours}>
      <Stack gap="xs" mt="xs">
        {WEEKDAYS.map((day) => {
          const name = weekdayName(i18n.language, day);
          const dayError = errors[`working_hours.${day}`];
          return (
            <fieldset key={day} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, margin: 0, padding: '6px 10px' }}>
              <legend style={{ fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)', padding: '0 4px' }}>{name}</legend>
              <Stack gap={6}>
                {value[day].length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('admin.calendars.day_off')}
                  </Text>
                )}
                {value[day].map((range, index) => (
                  <RangeRow
                    key={index}
                    day={day}
                    dayName={name}
                    index={index}
                    start={range.start}
                    end={range.end}
                    error={errors[`working_hours.${day}[${index}]`]}
                    onChange={(changes) => onChange(setRange(value, day, index, changes))}
                    onRemove={() => onChange(removeRange(value, day, index))}
                  />
                ))}
                {dayError && (
                  <Text size="sm" c="red.8" id={`hours-${day}-error`}>
                    {dayError}
                  </Text>
                )}
                <Group gap="xs">
                  <Button size="compact-sm" variant="default" onClick={() => onChange(addRange(value, day))} aria-label={t('admin.calendars.add_range_to', { day: name })}>
                    {t('admin.calendars.add_range')}
                  </Button>
                  {day === 'mon' && (
                    <Button size="compact-sm" variant="subtle" onClick={() => onChange(copyDay(value, 'mon', ['tue', 'wed', 'thu', 'fri']))}>
                      {t('admin.calendars.copy_monday')}
                    </Button>
                  )}
                </Group>
              </Stack>
            </fieldset>
          );
        })}
      </Stack>
    </Input.Wrapper>
  );
}

interface RangeRowProps {
  day: Weekday;
  dayName: string;
  index: number;
  start: string;
  end: string;
  error: string | undefined;
  onChange: (changes: { start?: string; end?: string }) => void;
  onRemove: () => void;
}

/** One from–to range; the server's error for it sits under the row, described by both inputs. */
function RangeRow({ day, dayName, index, start, end, error, onChange, onRemove }: RangeRowProps) {
  const { t } = useTranslation();
  const errorId = `hours-${day}-${index}-error`;
  const describedBy = error ? { 'aria-describedby': errorId, 'aria-invalid': true } : {};
  const n = index + 1;
  return (
    <Stack gap={2}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          type="time"
          size="xs"
          label={t('admin.calendars.from')}
          aria-label={t('admin.calendars.range_from', { day: dayName, n })}
          value={start}
          onChange={(event) => onChange({ start: event.currentTarget.value })}
          {...describedBy}
        />
        <TextInput
          type="time"
          size="xs"
          label={t('admin.calendars.to')}
          aria-label={t('admin.calendars.range_to', { day: dayName, n })}
          value={end}
          onChange={(event) => onChange({ end: event.currentTarget.value })}
          {...describedBy}
        />
        <ActionIcon variant="default" size="md" mb={2} onClick={onRemove} aria-label={t('admin.calendars.remove_range', { day: dayName, n })}>
          <span aria-hidden="true">×</span>
        </ActionIcon>
      </Group>
      {error && (
        <Text size="xs" c="red.8" id={errorId}>
          {error}
        </Text>
      )}
    </Stack>
  );
}
