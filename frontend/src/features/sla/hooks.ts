import { useQuery } from '@tanstack/react-query';

import { listCalendars, listServices, listSlas } from '../../services/sla';
import { slaKeys } from './keys';

/** All calendars (administrators). */
export function useCalendars() {
  return useQuery({ queryKey: slaKeys.calendars, queryFn: listCalendars, staleTime: 60_000 });
}

/** All SLAs (agents read them). */
export function useSlas() {
  return useQuery({ queryKey: slaKeys.slas, queryFn: listSlas, staleTime: 60_000 });
}

/** All services, by path (agents read them: the ticket's service picker). */
export function useServices() {
  return useQuery({ queryKey: slaKeys.services, queryFn: listServices, staleTime: 5 * 60_000 });
}
