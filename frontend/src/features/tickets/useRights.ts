import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { ME_QUEUES_KEY, useUser } from '../../auth/context';
import { listMyQueues } from '../../services/me';
import { rightsByQueue, type QueueRights } from './rights';

/** The signed-in agent's rights per queue, and whether they are known yet. */
export interface RightsState {
  /** `null` when unknown (not loaded, or the call failed): offer everything, the API decides. */
  rights: QueueRights;
  /** Still loading: screens wait rather than show actions that then vanish. */
  loading: boolean;
}

/**
 * The agent's rights per queue (`GET /api/v1/me/queues`), cached for five minutes; signing in
 * or out drops them (see the auth provider), so a new user never sees the last one's.
 */
export function useRights(): RightsState {
  const user = useUser();
  const agent = user.kind === 'agent';
  const query = useQuery({
    queryKey: ME_QUEUES_KEY,
    queryFn: listMyQueues,
    enabled: agent,
    staleTime: 5 * 60_000,
  });
  const rights = useMemo(() => (query.data ? rightsByQueue(query.data) : null), [query.data]);
  return { rights, loading: agent && query.isPending };
}
