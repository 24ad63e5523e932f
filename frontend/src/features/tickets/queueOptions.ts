import { useMemo } from 'react';

import type { Queue } from '../../services/reference';
import { buildQueueTree, flattenTree, queuePath } from './queueTree';
import { useQueues } from './reference';

/** Select options of queues in tree order, labelled with their path (`IT › Printers`). */
export function queueOptions(queues: readonly Queue[], options: { activeOnly?: boolean } = {}) {
  return flattenTree(buildQueueTree(queues))
    .filter((node) => !options.activeOnly || node.queue.active)
    .map((node) => ({ value: String(node.queue.id), label: queuePath(queues, node.queue.id) }));
}

/** The agent's active queues as select options. */
export function useQueueOptions(): { value: string; label: string }[] {
  const queues = useQueues();
  return useMemo(() => queueOptions(queues.data ?? [], { activeOnly: true }), [queues.data]);
}
