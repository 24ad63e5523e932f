import { Anchor, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
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
      <ErrorAlert error={slas.error} />
      {slas.isSuccess && slas.data.length === 0 && <Text>{t('admin.slas.none')}</Text>}
      {(slas.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped verticalSpacing="xs">
            <VisuallyHidden component="caption">{t('admin.slas.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.slas.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.calendar')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.first_response')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.update')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.solution')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.warning')}</Table.Th>
                <Table.Th scope="col">{t('admin.slas.queues')}</Table.Th>
                <Table.Th scope="col">{t('agents.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(slas.data ?? []).map((sla) => (
                <Table.Tr key={sla.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/slas/${sla.id}`}>
                      {sla.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{nameOf(calendars.data, sla.calendar_id)}</Table.Td>
                  <Table.Td>{target(sla.first_response_minutes)}</Table.Td>
                  <Table.Td>{target(sla.update_minutes)}</Table.Td>
                  <Table.Td>{target(sla.solution_minutes)}</Table.Td>
                  <Table.Td>{sla.warning_percent ? `${sla.warning_percent} %` : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{sla.queue_ids.length > 0 ? sla.queue_ids.map((id) => nameOf(queues.data, id)).join(', ') : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <ActiveBadge active={sla.active} />
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
