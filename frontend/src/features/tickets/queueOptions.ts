import { useMemo } from 'react';

import type { Right } from '../../services/me';
import type { Queue } from '../../services/reference';
import { buildQueueTree, flattenTree, queuePath } from './queueTree';
import { useQueues } from './reference';
import { queuesWith } from './rights';
import { useRights } from './useRights';

/** Select options of queues in tree order, labelled with their path (`IT › Printers`). */
export function queueOptions(queues: readonly Queue[], options: { activeOnly?: boolean } = {}) {
  return flattenTree(buildQueueTree(queues))
    .filter((node) => !options.activeOnly || node.queue.active)
    .map((node) => ({ value: String(node.queue.id), label: queuePath(queues, node.queue.id) }));
}

/**
 * The agent's active queues as select options; with `right`, only those where the agent holds
 * it (all of them while the rights cannot be read: the API then refuses with 403).
 */
export function useQueueOptions(right?: Right): { value: string; label: string }[] {
  const queues = useQueues();
  const { rights } = useRights();
  return useMemo(() => {
    const options = queueOptions(queues.data ?? [], { activeOnly: true });
    const allowed = right === undefined ? null : queuesWith(rights, right);
    return allowed === null ? options : options.filter((option) => allowed.has(Number(option.value)));
  }, [queues.data, rights, right]);
}
