import { Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { splitTicket } from '../../services/relations';
import type { Article, Ticket } from '../../services/tickets';
import { TICKETS_KEY } from '../tickets/keys';
import { CustomerPicker, type PickedPerson } from '../tickets/pickers';
import { useQueueOptions } from '../tickets/queueOptions';

/**
 * Starts a new ticket from an article (and optionally the later ones), with the title, queue
 * and customer the agent chooses; opens the new ticket.
 */
export function SplitDialog({
  ticketKey,
  ticket,
  article,
  onClose,
}: {
  ticketKey: string;
  ticket: Ticket;
  article: Article;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const queues = useQueueOptions();
  const [title, setTitle] = useState(article.subject || ticket.title);
  const [queueId, setQueueId] = useState<string | null>(String(ticket.queue.id));
  const [customer, setCustomer] = useState<PickedPerson | null>(ticket.customer ?? null);
  const [following, setFollowing] = useState(false);
  const split = useMutation({
    mutationFn: () =>
      splitTicket(ticketKey, article.id, {
        title: title.trim(),
        ...(queueId && { queue_id: Number(queueId) }),
        ...(customer && { customer_id: customer.id }),
        include_following: following,
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: TICKETS_KEY });
      onClose();
      await navigate(`/agent/tickets/${created.number}`);
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('relations.split_title')} closeButtonProps={{ 'aria-label': t('common.cancel') }}>
      <Stack gap="sm">
        <TextInput label={t('ticket.title')} required value={title} onChange={(event) => setTitle(event.currentTarget.value)} data-autofocus />
        <Select label={t('ticket.queue')} searchable data={queues} value={queueId} onChange={setQueueId} allowDeselect={false} />
        <CustomerPicker label={t('ticket.customer')} value={customer} onChange={setCustomer} />
        <Checkbox label={t('relations.split_following')} checked={following} onChange={(event) => setFollowing(event.currentTarget.checked)} />
        <ErrorAlert error={split.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!title.trim()} loading={split.isPending} onClick={() => split.mutate()}>
            {t('relations.split_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
