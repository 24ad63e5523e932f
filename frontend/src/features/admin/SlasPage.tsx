import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { QueryTable } from '../../components/DataTable';
import { ActiveBadge } from '../customers/CustomersPage';
import { useCalendars, useSlas } from '../sla/hooks';
import { formatDuration } from '../sla/labels';
import { useQueues } from '../tickets/reference';
import { AdminListHeader } from './parts';

/**
 * Administration → SLAs: each with its calendar, its targets in business time, the warning
 * share and the queues that have it as their default.
 */
export function SlasPage() {
  const { t } = useTranslation();
  const slas = useSlas();
  const calendars = useCalendars();
  const queues = useQueues();
  const nameOf = (list: readonly { id: number; name: string }[] | undefined, id: number) => list?.find((item) => item.id === id)?.name ?? `#${id}`;
  const target = (minutes: number | null | undefined) => (minutes ? formatDuration(t, minutes) : '—');
  return (
    <Stack>
      <AdminListHeader title={t('admin.slas.title')} create={{ to: '/admin/slas/new', label: t('admin.slas.new') }} intro={t('admin.slas.intro')} />
      <QueryTable
        query={slas}
        empty={t('admin.slas.none')}
        caption={t('admin.slas.title')}
        rowKey={(sla) => sla.id}
        minWidth={820}
        columns={[
          {
            key: 'name',
            header: t('admin.slas.name'),
            cell: (sla) => (
              <Anchor component={Link} to={`/admin/slas/${sla.id}`}>
                {sla.name}
              </Anchor>
            ),
          },
          { key: 'calendar', header: t('admin.slas.calendar'), cell: (sla) => nameOf(calendars.data, sla.calendar_id) },
          { key: 'first', header: t('admin.slas.first_response'), cell: (sla) => target(sla.first_response_minutes) },
          { key: 'update', header: t('admin.slas.update'), cell: (sla) => target(sla.update_minutes) },
          { key: 'solution', header: t('admin.slas.solution'), cell: (sla) => target(sla.solution_minutes) },
          { key: 'warning', header: t('admin.slas.warning'), cell: (sla) => (sla.warning_percent ? `${sla.warning_percent} %` : '—') },
          {
            key: 'queues',
            header: t('admin.slas.queues'),
            cell: (sla) => <Text size="sm">{sla.queue_ids.length > 0 ? sla.queue_ids.map((id) => nameOf(queues.data, id)).join(', ') : '—'}</Text>,
          },
          { key: 'status', header: t('agents.status'), cell: (sla) => <ActiveBadge active={sla.active} /> },
        ]}
      />
    </Stack>
  );
}
