import { Anchor, Badge, Center, Group, Loader, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listTickets, type TicketFilter } from '../../services/tickets';
import { SlaBadge } from '../sla/SlaBadge';
import { StateBadge } from '../tickets/badges';
import { ticketKeys } from '../tickets/keys';
import { countText, useTicketCount, withDueNow } from '../tickets/ticketCount';
import { DEFAULT_VIEW, viewToParams, type TicketView } from '../tickets/ticketView';

/** How often the dashboard lists refresh themselves. */
export const DASHBOARD_REFRESH_MS = 60_000;
/** Tickets per dashboard list. */
const LIMIT = 10;

/** Props of {@link DashboardList}. */
export interface DashboardListProps {
  /** Stable id (element ids). */
  id: string;
  title: string;
  /** The queue view the list is a preview of ("Show all"). */
  view: Partial<TicketView>;
  /** The API filter of that view. */
  filter: TicketFilter;
  /** An exact count when one is known (queue counters); otherwise `GET /api/v1/tickets/count` gives it. */
  total?: number;
  /** Only tickets whose pending time has come: `pending_before` is the time of each request. */
  dueNow?: boolean;
  /** Text when the list is empty. */
  empty: string;
}

/**
 * A live preview of a ticket list: the first ten tickets, refreshed every minute, with the
 * list's count (`GET /api/v1/tickets/count`, "1000+" beyond the server's cap) unless `total`
 * is known otherwise.
 */
export function DashboardList({ id, title, view, filter, total, dueNow, empty }: DashboardListProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const query = useQuery({
    queryKey: [...ticketKeys.list(filter), 'dashboard', ...(dueNow ? ['due-now'] : [])],
    // With `dueNow`, "now" is taken when the request goes out, so each refresh catches the newly due ones.
    queryFn: () => listTickets(withDueNow(filter, dueNow), null, LIMIT),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
  const counted = useTicketCount(filter, { refetchInterval: DASHBOARD_REFRESH_MS, dueNow });
  const items = query.data?.items ?? [];
  const count = total ?? counted.data?.count;
  const shown =
    total !== undefined ? format.number(total) : counted.data ? countText(counted.data, format.number) : null;
  const link = `/agent/tickets?${viewToParams({ ...DEFAULT_VIEW, ...view }).toString()}`;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-title`} aria-busy={query.isFetching}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}{' '}
          <Badge variant="light" size="lg" radius="sm" component="span">
            {shown ?? '…'}
            {count !== undefined && <VisuallyHidden> {t('dashboard.tickets', { count })}</VisuallyHidden>}
          </Badge>
        </Title>
        <Anchor component={Link} to={link} size="sm" aria-label={t('dashboard.show_all_of', { list: title })}>
          {t('dashboard.show_all')}
        </Anchor>
      </Group>
      <ErrorAlert error={query.error ?? counted.error} />
      {query.isPending && (
        <Center p="sm">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {query.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
      <Stack component="ul" gap={6} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((ticket) => (
          <li key={ticket.id}>
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/agent/tickets/${ticket.number}`} size="sm" fw={600} truncate="end">
                  {ticket.title}
                </Anchor>
                <Text size="xs" c="dimmed" truncate="end">
                  {ticket.number} · {ticket.queue.name}
                  {ticket.customer ? ` · ${ticket.customer.name}` : ''} · {format.relative(ticket.updated_at)}
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <SlaBadge ticket={ticket} />
                <StateBadge state={ticket.state} />
              </Group>
            </Group>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}
