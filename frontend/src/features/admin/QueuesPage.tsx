import { Anchor, Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listGroups } from '../../services/organisation';
import { ActiveBadge } from '../customers/CustomersPage';
import { buildQueueTree, flattenTree } from '../tickets/queueTree';
import { usePriorities, useQueues } from '../tickets/reference';
import { GROUPS_KEY } from './groupAccess';

/**
 * Administration → Queues: every queue in tree order (children indented under their parent)
 * with its group, mail address, default priority, whether customers may open tickets there,
 * active, and open tickets.
 */
export function QueuesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queues = useQueues();
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: listGroups, staleTime: 60_000 });
  const priorities = usePriorities();
  const groupName = (id: number) => groups.data?.find((group) => group.id === id)?.name ?? `#${id}`;
  const priorityName = (id: number | null | undefined) =>
    id == null ? '—' : (priorities.data?.find((priority) => priority.id === id)?.name ?? String(id));
  const rows = flattenTree(buildQueueTree(queues.data ?? []));

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('admin.queues.title')} />
        <Button component={Link} to="/admin/queues/new">
          {t('admin.queues.new')}
        </Button>
      </Group>
      <ErrorAlert error={queues.error ?? groups.error} />
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover>
          <VisuallyHidden component="caption">{t('admin.queues.title')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.queues.name')}</Table.Th>
              <Table.Th scope="col">{t('admin.queues.group')}</Table.Th>
              <Table.Th scope="col">{t('admin.queues.email')}</Table.Th>
              <Table.Th scope="col">{t('admin.queues.default_priority')}</Table.Th>
              <Table.Th scope="col">{t('admin.queues.customer_open')}</Table.Th>
              <Table.Th scope="col">{t('agents.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.queues.open_tickets')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ queue, depth }) => (
              <Table.Tr key={queue.id}>
                <Table.Td>
                  <Text span pl={depth * 20} c="dimmed" aria-hidden="true">
                    {depth > 0 ? '└ ' : ''}
                  </Text>
                  <Anchor component={Link} to={`/admin/queues/${queue.id}`}>
                    {queue.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{groupName(queue.group_id)}</Table.Td>
                <Table.Td>{queue.email_address ?? '—'}</Table.Td>
                <Table.Td>{priorityName(queue.default_priority_id)}</Table.Td>
                <Table.Td>
                  {queue.customer_open ? (
                    <Badge variant="light" color="teal" radius="sm">
                      {t('common.yes')}
                    </Badge>
                  ) : (
                    t('common.no')
                  )}
                </Table.Td>
                <Table.Td>
                  <ActiveBadge active={queue.active} />
                </Table.Td>
                <Table.Td>{format.number(queue.total_open)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
