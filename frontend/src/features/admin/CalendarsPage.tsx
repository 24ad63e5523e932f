import { Anchor, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { ActiveBadge } from '../customers/CustomersPage';
import { hoursFromApi, hoursSummary } from '../sla/calendarModel';
import { useCalendars } from '../sla/hooks';
import { weekdayName } from '../sla/labels';
import { AdminListHeader } from './parts';

/**
 * Administration → Calendars: the business calendars SLAs count on — time zone, working
 * hours (consecutive equal days joined) and holidays. Deactivated, never deleted.
 */
export function CalendarsPage() {
  const { t, i18n } = useTranslation();
  const calendars = useCalendars();
  const dayName = (day: Parameters<typeof weekdayName>[1]) => weekdayName(i18n.language, day, 'short');
  return (
    <Stack>
      <AdminListHeader
        title={t('admin.calendars.title')}
        create={{ to: '/admin/calendars/new', label: t('admin.calendars.new') }}
        intro={t('admin.calendars.intro')}
      />
      <ErrorAlert error={calendars.error} />
      {calendars.isSuccess && calendars.data.length === 0 && <Text>{t('admin.calendars.none')}</Text>}
      {(calendars.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="xs">
            <VisuallyHidden component="caption">{t('admin.calendars.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.calendars.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.calendars.time_zone')}</Table.Th>
                <Table.Th scope="col">{t('admin.calendars.working_hours')}</Table.Th>
                <Table.Th scope="col">{t('admin.calendars.holidays')}</Table.Th>
                <Table.Th scope="col">{t('agents.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(calendars.data ?? []).map((calendar) => (
                <Table.Tr key={calendar.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/calendars/${calendar.id}`}>
                      {calendar.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{calendar.time_zone}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{hoursSummary(hoursFromApi(calendar.working_hours), dayName) || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{calendar.holidays.length > 0 ? calendar.holidays.join(', ') : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <ActiveBadge active={calendar.active} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
