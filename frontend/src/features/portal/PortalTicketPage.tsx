import { Anchor, Paper, Stack, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { PageLoader } from '../../components/PageLoader';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { NotFound } from '../../layout/NotFound';
import { useLiveEvent } from '../../live/connection';
import type { TicketEvent } from '../../live/liveStream';
import { getTicket, updateTicket } from '../../services/tickets';
import { useCustomFields } from '../customFields/fields';
import { FieldsEditor } from '../customFields/FieldsEditor';
import { ArticleThread } from '../tickets/ArticleThread';
import { Composer } from '../tickets/Composer';
import { ticketKeys, TICKETS_KEY } from '../tickets/keys';
import { TicketHeader } from '../tickets/TicketHeader';

/**
 * A customer's ticket in the portal: state and dates, the conversation (the server sends the
 * customer-visible articles only: internal notes never reach the browser) and a reply form
 * with attachments. A reply to a closed ticket reopens it. Customers reply without
 * `If-Match`: their answer should never bounce because an agent touched the ticket.
 */
export function PortalTicketPage() {
  const { t } = useTranslation();
  const { key = '' } = useParams();
  const queryClient = useQueryClient();
  const ticket = useQuery({ queryKey: ticketKeys.one(key), queryFn: () => getTicket(key), refetchInterval: 120_000 });
  const ticketId = ticket.data?.ticket.id;
  const fields = useCustomFields('ticket');
  // An agent's answer (or a state change) shows up at once through the event stream.
  useLiveEvent('ticket', (data) => {
    if ((data as TicketEvent).ticket_id !== ticketId) return;
    void queryClient.invalidateQueries({ queryKey: ticketKeys.one(key) });
    void queryClient.invalidateQueries({ queryKey: ticketKeys.articles(key) });
  });

  if (ticket.error instanceof ApiError && (ticket.error.status === 404 || ticket.error.status === 400)) return <NotFound />;
  if (ticket.error) return <ErrorAlert error={ticket.error} />;
  if (!ticket.data) return <PageLoader label={t('common.loading')} />;
  const reload = () => void queryClient.invalidateQueries({ queryKey: TICKETS_KEY });

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/portal" size="sm">
        {t('portal.ticket.back')}
      </Anchor>
      <TicketHeader ticket={ticket.data.ticket} audience="customer" />
      {Object.keys(ticket.data.ticket.custom_fields).length > 0 || fields.data?.some((f) => f.customer_visibility === 'editable') ? (
        <Paper withBorder p="sm" component="section" aria-labelledby="portal-fields-title">
          <Title order={2} size="h5" id="portal-fields-title" mb="xs">
            {t('custom_fields.title')}
          </Title>
          <FieldsEditor
            objectType="ticket"
            customer
            values={ticket.data.ticket.custom_fields}
            save={(custom_fields) => updateTicket(key, { custom_fields }, null)}
            onSaved={(loaded) => queryClient.setQueryData(ticketKeys.one(key), loaded)}
          />
        </Paper>
      ) : null}
      <ArticleThread ticketKey={key} audience="customer" customer={ticket.data.ticket.customer ?? null} />
      <Composer
        ticketKey={key}
        ticket={ticket.data.ticket}
        etag={null}
        audience="customer"
        conflict={false}
        onConflict={reload}
        onReload={reload}
        onSent={(created) => {
          queryClient.setQueryData(ticketKeys.one(key), { ticket: created.ticket, etag: created.etag });
          void queryClient.invalidateQueries({ queryKey: ticketKeys.articles(key) });
          void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
        }}
      />
    </Stack>
  );
}
