import { describe, expect, it } from 'vitest';

import { buildQueueTree, descendantIds, flattenTree, queuePath } from './queueTree';

const queues = [
  { id: 1, name: 'General', parent_id: null },
  { id: 2, name: 'IT', parent_id: null },
  { id: 3, name: 'Printers', parent_id: 2 },
  { id: 4, name: 'Laptops', parent_id: 2 },
  { id: 5, name: 'Toner', parent_id: 3 },
  { id: 6, name: 'Orphan', parent_id: 99 }, // parent not visible to the caller
];

describe('queue tree', () => {
  it('nests children under parents, sorted by name, and keeps queues with an invisible parent', () => {
    const flat = flattenTree(buildQueueTree(queues)).map((node) => `${'-'.repeat(node.depth)}${node.queue.name}`);
    expect(flat).toEqual(['General', 'IT', '-Laptops', '-Printers', '--Toner', 'Orphan']);
  });

  it('does not loop on a cycle in the data', () => {
    const cyclic = [
      { id: 1, name: 'A', parent_id: 2 },
      { id: 2, name: 'B', parent_id: 1 },
    ];
    expect(flattenTree(buildQueueTree(cyclic)).map((node) => node.queue.name).sort()).toEqual(['A', 'B']);
    expect(queuePath(cyclic, 1)).toBe('B › A');
  });

  it('finds a queue’s subtree and path', () => {
    expect([...descendantIds(queues, 2)].sort()).toEqual([2, 3, 4, 5]);
    expect(queuePath(queues, 5)).toBe('IT › Printers › Toner');
  });
});
