import { Anchor, Badge, Code, Group, List, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
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
      <ErrorAlert error={filters.error} />
      {filters.isSuccess && filters.data.length === 0 && <Text>{t('admin.filters.none')}</Text>}
      {(filters.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="xs">
            <VisuallyHidden component="caption">{t('admin.filters.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.filters.position')}</Table.Th>
                <Table.Th scope="col">{t('admin.mail.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.filters.conditions')}</Table.Th>
                <Table.Th scope="col">{t('admin.filters.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(filters.data ?? []).map((filter) => (
                <Table.Tr key={filter.id}>
                  <Table.Td>{filter.position}</Table.Td>
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>
                    <List size="sm" spacing={2}>
                      {filter.conditions.map((condition, index) => (
                        <List.Item key={index}>
                          <Code>{condition.field}</Code> {condition.negate ? t('admin.filters.not_matches') : t('admin.filters.matches')}{' '}
                          <Code>{condition.pattern}</Code>
                        </List.Item>
                      ))}
                    </List>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{describeActions(t, filter.actions, lookups)}</Text>
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
