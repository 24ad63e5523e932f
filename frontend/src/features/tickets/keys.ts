import type { TicketFilter } from '../../services/tickets';

/** Query keys of the ticket screens; invalidating `TICKETS_KEY` refreshes every ticket list and page. */
export const TICKETS_KEY = ['tickets'] as const;

/** Query keys by use. */
export const ticketKeys = {
  /** A ticket list with its filter. */
  list: (filter: TicketFilter) => [...TICKETS_KEY, 'list', filter] as const,
  /**
   * The count of a ticket list (below the list's key, so whatever refreshes the lists — a
   * change, a live event — refreshes their counts too).
   */
  count: (filter: TicketFilter) => [...TICKETS_KEY, 'list', filter, 'count'] as const,
  /** One ticket (by the key in the address: id or number). */
  one: (key: string) => [...TICKETS_KEY, 'one', key] as const,
  /** The change watch of one ticket (polled; compared with the version shown). */
  watch: (key: string) => [...TICKETS_KEY, 'watch', key] as const,
  /** A ticket's articles. */
  articles: (key: string) => [...TICKETS_KEY, 'articles', key] as const,
  /** A ticket's history. */
  history: (key: string) => [...TICKETS_KEY, 'history', key] as const,
};

/** Query keys of the reference data (queues, states, priorities, types). */
export const referenceKeys = {
  queues: ['queues'] as const,
  customerQueues: ['queues', 'customer'] as const,
  states: ['states'] as const,
  priorities: ['priorities'] as const,
  types: ['ticket-types'] as const,
};
