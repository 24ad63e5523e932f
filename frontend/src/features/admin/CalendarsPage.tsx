import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { QueryTable } from '../../components/DataTable';
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
      <QueryTable
        query={calendars}
        empty={t('admin.calendars.none')}
        caption={t('admin.calendars.title')}
        rowKey={(calendar) => calendar.id}
        minWidth={720}
        columns={[
          {
            key: 'name',
            header: t('admin.calendars.name'),
            cell: (calendar) => (
              <Anchor component={Link} to={`/admin/calendars/${calendar.id}`}>
                {calendar.name}
              </Anchor>
            ),
          },
          { key: 'zone', header: t('admin.calendars.time_zone'), cell: (calendar) => calendar.time_zone },
          {
            key: 'hours',
            header: t('admin.calendars.working_hours'),
            cell: (calendar) => <Text size="sm">{hoursSummary(hoursFromApi(calendar.working_hours), dayName) || '—'}</Text>,
          },
          {
            key: 'holidays',
            header: t('admin.calendars.holidays'),
            cell: (calendar) => <Text size="sm">{calendar.holidays.length > 0 ? calendar.holidays.join(', ') : '—'}</Text>,
          },
          { key: 'status', header: t('agents.status'), cell: (calendar) => <ActiveBadge active={calendar.active} /> },
        ]}
      />
    </Stack>
  );
}
