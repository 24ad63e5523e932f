import { Button, Group, Paper, SegmentedControl, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { listTickets, type StateType, type TicketFilter } from '../../services/tickets';
import { ticketKeys } from '../tickets/keys';
import { TicketTable } from '../tickets/TicketTable';

type Show = 'open' | 'closed' | 'all';
const STATES: Record<Show, StateType[] | undefined> = {
  open: ['new', 'open', 'pending_reminder', 'pending_auto'],
  closed: ['closed'],
  all: undefined,
};

/**
 * The portal's home: the customer's tickets — their own, and their company's when the server
 * allows it (it decides; the list simply shows what it returns) — open ones first by default.
 */
export function PortalTicketsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const show: Show = params.get('show') === 'closed' ? 'closed' : params.get('show') === 'all' ? 'all' : 'open';
  const states = STATES[show];
  const filter: TicketFilter = { sort: '-updated_at', ...(states && { state_type: states }) };
  const pager = useCursorPage(ticketKeys.list(filter), (cursor, limit) => listTickets(filter, cursor, limit), 25, {
    refetchInterval: 60_000,
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('portal.tickets.title')} />
        <Button component={Link} to="/portal/new" color="teal.9">
          {t('portal.new.title')}
        </Button>
      </Group>
      <SegmentedControl
        aria-label={t('portal.tickets.show')}
        value={show}
        onChange={(value) => setParams(value === 'open' ? {} : { show: value })}
        data={[
          { value: 'open', label: t('portal.tickets.open') },
          { value: 'closed', label: t('portal.tickets.closed') },
          { value: 'all', label: t('portal.tickets.all') },
        ]}
        w="fit-content"
      />
      <Paper withBorder p="sm">
        <TicketTable
          pager={pager}
          caption={t('portal.tickets.title')}
          empty={show === 'open' ? t('portal.tickets.none_open') : t('portal.tickets.none')}
          linkTo={(ticket) => `/portal/tickets/${ticket.number}`}
          hide={['owner', 'priority', 'age', 'sla']}
        />
      </Paper>
    </Stack>
  );
}
