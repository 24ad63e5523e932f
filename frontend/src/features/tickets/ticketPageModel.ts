import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';

import { ApiError } from '../../api/problem';
import { useUser } from '../../auth/context';
import { useLiveEvent } from '../../live/connection';
import type { TicketEvent } from '../../live/liveStream';
import { getTicket, type LoadedTicket } from '../../services/tickets';
import { referenceKeys, ticketKeys, TICKETS_KEY } from './keys';

/**
 * How often the ticket page asks whether someone else changed the ticket — a fallback: the
 * event stream reports changes within a second or two.
 */
export const WATCH_INTERVAL_MS = 60_000;

/** What the parts of the ticket page share. */
export interface TicketPageModel {
  /** The key in the address (id or number). */
  key: string;
  /** The ticket as shown, with the ETag every change sends as `If-Match`. */
  loaded: LoadedTicket;
  /** Shows a ticket our own change returned (its new version and ETag). */
  apply: (loaded: LoadedTicket) => void;
  /** Whether a change failed with 412 or a newer version exists: the page offers a reload. */
  conflict: boolean;
  /** Reports an error of a change; a 412 turns on {@link conflict}. */
  report: (error: unknown) => void;
  /** Loads the ticket, its articles and history again (the user's drafts stay). */
  reload: () => Promise<void>;
}

/**
 * The ticket page's data: the ticket as shown (not refreshed behind the user's back, so the
 * ETag always matches what they see) and a watch that re-reads it when the event stream says
 * someone else changed it (and every minute as a fallback). Either a newer version or a 412
 * shows the conflict message.
 */
export function useTicketPage(key: string) {
  const queryClient = useQueryClient();
  const me = useUser();
  const ticket = useQuery({
    queryKey: ticketKeys.one(key),
    queryFn: () => getTicket(key),
    staleTime: Infinity,
    refetchOnMount: 'always',
  });
  const watch = useQuery({
    queryKey: ticketKeys.watch(key),
    queryFn: () => getTicket(key),
    enabled: ticket.isSuccess,
    refetchInterval: WATCH_INTERVAL_MS,
  });
  const [failed412, setFailed412] = useState(false);
  const ticketId = ticket.data?.ticket.id;
  useLiveEvent('ticket', (data) => {
    const event = data as TicketEvent;
    // Our own changes come back as events too; they are shown already.
    if (event.ticket_id === ticketId && event.actor?.id !== me.id) {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.watch(key) });
    }
  });
  const newer =
    ticket.data !== undefined && watch.data !== undefined && watch.data.ticket.version > ticket.data.ticket.version;

  const apply = useCallback(
    (loaded: LoadedTicket) => {
      queryClient.setQueryData(ticketKeys.one(key), loaded);
      queryClient.setQueryData(ticketKeys.watch(key), loaded);
      // Lists and counts elsewhere are now out of date; this page is not.
      void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'history', key] });
      void queryClient.invalidateQueries({ queryKey: referenceKeys.queues });
    },
    [queryClient, key],
  );

  const report = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.status === 412) setFailed412(true);
  }, []);

  const reload = useCallback(async () => {
    const fresh = await getTicket(key);
    queryClient.setQueryData(ticketKeys.one(key), fresh);
    queryClient.setQueryData(ticketKeys.watch(key), fresh);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ticketKeys.articles(key) }),
      queryClient.invalidateQueries({ queryKey: ticketKeys.history(key) }),
    ]);
    setFailed412(false);
  }, [queryClient, key]);

  const model: TicketPageModel | null = ticket.data
    ? { key, loaded: ticket.data, apply, conflict: failed412 || newer, report, reload }
    : null;
  return { query: ticket, model };
}
