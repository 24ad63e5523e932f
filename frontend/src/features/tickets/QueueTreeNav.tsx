import { Badge, NavLink, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

import { useFormat } from '../../i18n/useFormat';
import { buildQueueTree, flattenTree } from './queueTree';
import { useQueues } from './reference';

/**
 * The queue tree in the agent navigation: every queue the agent may see, children indented
 * under their parent, each with its number of open tickets (refreshed every minute). A queue
 * opens the queue view filtered to it.
 */
export function QueueTreeNav() {
  const { t } = useTranslation();
  const format = useFormat();
  const location = useLocation();
  const queues = useQueues();
  const current = location.pathname === '/agent/tickets' ? new URLSearchParams(location.search).get('queue_id') : null;
  const nodes = flattenTree(buildQueueTree((queues.data ?? []).filter((queue) => queue.active)));

  return (
    <div role="group" aria-labelledby="nav-queues">
      <Text id="nav-queues" size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4}>
        {t('nav.section.queues')}
      </Text>
      {queues.isSuccess && nodes.length === 0 && (
        <Text size="sm" c="dimmed" px="sm">
          {t('nav.no_queues')}
        </Text>
      )}
      {nodes.map(({ queue, depth }) => (
        <NavLink
          key={queue.id}
          component={Link}
          to={`/agent/tickets?queue_id=${queue.id}`}
          active={current === String(queue.id)}
          aria-current={current === String(queue.id) ? 'page' : undefined}
          label={queue.name}
          pl={12 + depth * 14}
          py={4}
          rightSection={
            <Badge size="sm" variant="light" color={queue.counts.new > 0 ? 'blue' : 'gray'} radius="sm">
              {format.number(queue.total_open)}
              <VisuallyHidden> {t('nav.open_tickets', { count: queue.total_open })}</VisuallyHidden>
            </Badge>
          }
        />
      ))}
    </div>
  );
}
