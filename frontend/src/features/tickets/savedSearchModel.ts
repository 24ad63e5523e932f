import { useQuery } from '@tanstack/react-query';

import type { Queue } from '../../services/reference';
import { listSavedSearches, type SavedSearch } from '../../services/savedSearches';
import { apiQueryToView, viewToParams } from './ticketView';

/** Query key of the saved searches (with counts). */
export const SAVED_SEARCHES_KEY = ['saved-searches'] as const;

/** Mine and my groups' saved searches with their counts, refreshed every minute. */
export function useSavedSearches() {
  return useQuery({
    queryKey: SAVED_SEARCHES_KEY,
    queryFn: () => listSavedSearches(true),
    refetchInterval: 60_000,
  });
}

/** Where a saved search opens: the queue view with its filters in the address bar. */
export function savedSearchPath(search: Pick<SavedSearch, 'query'>, timeZone: string): string {
  const params = viewToParams(apiQueryToView(search.query, timeZone)).toString();
  return `/agent/tickets${params ? `?${params}` : ''}`;
}

/** The groups an agent may share with, named by their queues ("Printers, Toner"). */
export function shareOptions(queues: readonly Queue[]): { value: string; label: string }[] {
  const byGroup = new Map<number, string[]>();
  for (const queue of queues) byGroup.set(queue.group_id, [...(byGroup.get(queue.group_id) ?? []), queue.name]);
  return [...byGroup.entries()].map(([groupId, names]) => ({ value: String(groupId), label: names.sort().join(', ') }));
}
