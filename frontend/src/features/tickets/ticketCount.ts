import { useQuery } from '@tanstack/react-query';

import { countTickets, type TicketCount, type TicketFilter } from '../../services/tickets';
import { ticketKeys } from './keys';

/** Options of {@link useTicketCount}. */
export interface TicketCountOptions {
  /** Refresh the count this often (live lists). */
  refetchInterval?: number;
  /**
   * Count the tickets whose pending time has come: `pending_before` is the time each request
   * goes out, so every refresh catches the newly due ones (and the query key stays the same).
   */
  dueNow?: boolean;
}

/** The filter of a request: with `dueNow`, `pending_before` is now. */
export function withDueNow(filter: TicketFilter, dueNow: boolean | undefined): TicketFilter {
  return dueNow ? { ...filter, pending_before: new Date().toISOString() } : filter;
}

/** How many tickets a list holds, up to the server's cap (`GET /api/v1/tickets/count`). */
export function useTicketCount(filter: TicketFilter, options: TicketCountOptions = {}) {
  return useQuery({
    queryKey: [...ticketKeys.count(filter), ...(options.dueNow ? ['due-now'] : [])],
    queryFn: () => countTickets(withDueNow(filter, options.dueNow)),
    ...(options.refetchInterval !== undefined && { refetchInterval: options.refetchInterval }),
  });
}

/** A count as shown: "1000+" when the server stopped counting. */
export function countText(count: TicketCount, formatNumber: (value: number) => string): string {
  return count.capped ? `${formatNumber(count.count)}+` : formatNumber(count.count);
}
