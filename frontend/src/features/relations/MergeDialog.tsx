import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { mergeTicket } from '../../services/relations';
import type { Ticket } from '../../services/tickets';
import { TICKETS_KEY } from '../tickets/keys';
import { TicketSearch, type PickedTicket } from './TicketSearch';

/** Merges the ticket into one found by number or title, then opens that ticket. */
export function MergeDialog({ ticketKey, ticket, onClose }: { ticketKey: string; ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<PickedTicket | null>(null);
  const merge = useMutation({
    mutationFn: () => mergeTicket(ticketKey, String(target?.id ?? '')),
    onSuccess: async (merged) => {
      await queryClient.invalidateQueries({ queryKey: TICKETS_KEY });
      onClose();
      await navigate(`/agent/tickets/${merged.number}`, { state: { mergedFrom: ticket.number } });
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('relations.merge_title', { number: ticket.number })} closeButtonProps={{ 'aria-label': t('common.cancel') }}>
      <Stack gap="sm">
        <Text size="sm">{t('relations.merge_explain')}</Text>
        <TicketSearch label={t('relations.search')} value={target} onChange={setTarget} excludeId={ticket.id} data-autofocus />
        <ErrorAlert error={merge.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" disabled={!target} loading={merge.isPending} onClick={() => merge.mutate()}>
            {t('relations.merge_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
