/** The fields a queue tree needs. */
export interface TreeQueue {
  id: number;
  name: string;
  parent_id?: number | null;
}

/** A queue with its children. */
export interface QueueNode<Q extends TreeQueue> {
  queue: Q;
  children: QueueNode<Q>[];
  /** 0 for top-level queues. */
  depth: number;
}

/**
 * Builds the parent/child tree of queues, children sorted by name. A queue whose parent the
 * caller cannot see (no rights on it) is shown at the top level rather than hidden; a broken
 * cycle in the data cannot loop.
 */
export function buildQueueTree<Q extends TreeQueue>(queues: readonly Q[]): QueueNode<Q>[] {
  const byId = new Map(queues.map((queue) => [queue.id, queue]));
  const children = new Map<number | null, Q[]>();
  for (const queue of queues) {
    const parent = queue.parent_id != null && byId.has(queue.parent_id) ? queue.parent_id : null;
    const siblings = children.get(parent) ?? [];
    siblings.push(queue);
    children.set(parent, siblings);
  }
  const seen = new Set<number>();
  const build = (parent: number | null, depth: number): QueueNode<Q>[] =>
    (children.get(parent) ?? [])
      .filter((queue) => !seen.has(queue.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((queue) => {
        seen.add(queue.id);
        return { queue, depth, children: build(queue.id, depth + 1) };
      });
  const roots = build(null, 0);
  // Queues only reachable through a cycle (corrupt data): show them rather than lose them.
  for (const queue of queues) {
    if (!seen.has(queue.id)) {
      seen.add(queue.id);
      roots.push({ queue, depth: 0, children: [] });
    }
  }
  return roots;
}

/** The tree as a list in display order (for tables and selects), each with its depth. */
export function flattenTree<Q extends TreeQueue>(nodes: readonly QueueNode<Q>[]): QueueNode<Q>[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
}

/** The ids of a queue and everything below it (a queue cannot move under these). */
export function descendantIds(queues: readonly TreeQueue[], id: number): Set<number> {
  const result = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const queue of queues) {
      if (queue.parent_id != null && result.has(queue.parent_id) && !result.has(queue.id)) {
        result.add(queue.id);
        grew = true;
      }
    }
  }
  return result;
}

/** A queue's full path, e.g. `IT › Printers`. */
export function queuePath(queues: readonly TreeQueue[], id: number): string {
  const byId = new Map(queues.map((queue) => [queue.id, queue]));
  const names: string[] = [];
  let current = byId.get(id);
  const seen = new Set<number>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parent_id != null ? byId.get(current.parent_id) : undefined;
  }
  return names.join(' › ');
}
