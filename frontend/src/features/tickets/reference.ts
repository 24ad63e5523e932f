import { useQuery } from '@tanstack/react-query';

import { listPriorities, listQueues, listStates, listTicketTypes } from '../../services/reference';
import { referenceKeys } from './keys';

/** How often queue counts refresh while a screen shows them. */
export const COUNTS_REFRESH_MS = 60_000;

/** The agent's queues with their counts, refreshed every minute. */
export function useQueues() {
  return useQuery({
    queryKey: referenceKeys.queues,
    queryFn: listQueues,
    staleTime: 30_000,
    refetchInterval: COUNTS_REFRESH_MS,
  });
}

/** All ticket states (rarely change: cached for five minutes). */
export function useStates() {
  return useQuery({ queryKey: referenceKeys.states, queryFn: listStates, staleTime: 5 * 60_000 });
}

/** All priorities. */
export function usePriorities() {
  return useQuery({ queryKey: referenceKeys.priorities, queryFn: listPriorities, staleTime: 5 * 60_000 });
}

/** All ticket types. */
export function useTicketTypes() {
  return useQuery({ queryKey: referenceKeys.types, queryFn: listTicketTypes, staleTime: 5 * 60_000 });
}
