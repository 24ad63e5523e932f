import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { ApiError } from '../../api/problem';
import { createTicket, type NewTicket, type Ticket } from '../../services/tickets';
import { newIdempotencyKey } from './idempotency';
import { TICKETS_KEY } from './keys';

/**
 * Creating a ticket, for agents and the portal alike. Each attempt carries an
 * `Idempotency-Key`: a double submit or a retry after a lost answer creates one ticket. When
 * the server answered (created or refused), the next attempt is a new request with a new key;
 * after a network failure the outcome is unknown, so the retry keeps the key. On success the
 * ticket lists are refreshed and `onCreated` runs (it usually opens the ticket).
 */
export function useCreateTicket(onCreated: (ticket: Ticket) => void | Promise<void>) {
  const queryClient = useQueryClient();
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  return useMutation({
    mutationFn: ({ input, files }: { input: NewTicket; files: readonly File[] }) => createTicket(input, files, idempotencyKey),
    onSuccess: async ({ ticket }) => {
      await queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
      await onCreated(ticket);
    },
    onError: (error) => {
      if (error instanceof ApiError) setIdempotencyKey(newIdempotencyKey());
    },
  });
}
