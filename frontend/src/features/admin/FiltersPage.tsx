import { Anchor, Badge, Code, Group, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { QueryTable } from '../../components/DataTable';
import { listPostmasterFilters, type FilterActions } from '../../services/mail';
import type { Named, Queue, State } from '../../services/reference';
import { usePriorities, useQueues, useStates, useTicketTypes } from '../tickets/reference';
import { FILTERS_KEY } from './keys';
import { AdminListHeader } from './parts';

/** What a filter does, in words ("Queue: Printers; priority: 4 high"). */
function describeActions(
  t: TFunction,
  actions: FilterActions,
  lookups: { queues: readonly Queue[]; priorities: readonly Named[]; types: readonly Named[]; states: readonly State[] },
): string {
  if (actions.ignore) return t('admin.filters.ignore');
  const name = (list: readonly { id: number; name: string }[], id: number) => list.find((item) => item.id === id)?.name ?? `#${id}`;
  const parts: string[] = [];
  if (actions.queue_id != null) parts.push(`${t('ticket.queue')}: ${name(lookups.queues, actions.queue_id)}`);
  if (actions.priority_id != null) parts.push(`${t('ticket.priority')}: ${name(lookups.priorities, actions.priority_id)}`);
  if (actions.type_id != null) parts.push(`${t('ticket.type')}: ${name(lookups.types, actions.type_id)}`);
  if (actions.state_id != null) parts.push(`${t('ticket.state')}: ${name(lookups.states, actions.state_id)}`);
  if (actions.customer_email) parts.push(`${t('ticket.customer')}: ${actions.customer_email}`);
  return parts.length > 0 ? parts.join('; ') : t('admin.filters.nothing');
}

/**
 * Administration → Postmaster filters: in the order they apply to incoming mail, each with its
 * conditions (all must hold) and what it does to the message's new ticket.
 */
export function FiltersPage() {
  const { t } = useTranslation();
  const filters = useQuery({ queryKey: FILTERS_KEY, queryFn: listPostmasterFilters });
  const lookups = {
    queues: useQueues().data ?? [],
    priorities: usePriorities().data ?? [],
    types: useTicketTypes().data ?? [],
    states: useStates().data ?? [],
  };
  return (
    <Stack>
      <AdminListHeader
        title={t('admin.filters.title')}
        create={{ to: '/admin/postmaster-filters/new', label: t('admin.filters.new') }}
        intro={t('admin.filters.intro')}
      />
      <QueryTable
        query={filters}
        empty={t('admin.filters.none')}
        caption={t('admin.filters.title')}
        rowKey={(filter) => filter.id}
        minWidth={760}
        columns={[
          { key: 'position', header: t('admin.filters.position'), cell: (filter) => filter.position },
          {
            key: 'name',
            header: t('admin.mail.name'),
            cell: (filter) => (
              <>
                <Anchor component={Link} to={`/admin/postmaster-filters/${filter.id}`}>
                  {filter.name}
                </Anchor>
                <Group gap={4} mt={2}>
                  {!filter.enabled && (
                    <Badge variant="light" color="gray" radius="sm">
                      {t('admin.mail.disabled')}
                    </Badge>
                  )}
                  {filter.stop_after_match && (
                    <Badge variant="light" color="grape" radius="sm">
                      {t('admin.filters.stops')}
                    </Badge>
                  )}
                </Group>
              </>
            ),
          },
          {
            key: 'conditions',
            header: t('admin.filters.conditions'),
            cell: (filter) => (
              <List size="sm" spacing={2}>
                {filter.conditions.map((condition, index) => (
                  <List.Item key={index}>
                    <Code>{condition.field}</Code> {condition.negate ? t('admin.filters.not_matches') : t('admin.filters.matches')}{' '}
                    <Code>{condition.pattern}</Code>
                  </List.Item>
                ))}
              </List>
            ),
          },
          {
            key: 'actions',
            header: t('admin.filters.actions'),
            cell: (filter) => <Text size="sm">{describeActions(t, filter.actions, lookups)}</Text>,
          },
        ]}
      />
    </Stack>
  );
}
