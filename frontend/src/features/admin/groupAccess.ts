import { useQuery } from '@tanstack/react-query';

import { useUser } from '../../auth/context';
import { listGroups } from '../../services/organisation';

/** Query key of the groups the user may administer. */
export const GROUPS_KEY = ['groups'] as const;

/**
 * Whether the user may administer groups: administrators always; other agents when they are
 * queue manager of at least one group (`GET /api/v1/groups` lists exactly those). `null`
 * while that is being found out.
 */
export function useGroupAccess(): boolean | null {
  const user = useUser();
  const needsLookup = user.kind === 'agent' && !user.is_admin;
  const groups = useQuery({
    queryKey: GROUPS_KEY,
    queryFn: listGroups,
    enabled: needsLookup,
    staleTime: 5 * 60_000,
  });
  if (user.kind !== 'agent') return false;
  if (user.is_admin) return true;
  if (groups.isError) return false;
  return groups.data ? groups.data.length > 0 : null;
}
