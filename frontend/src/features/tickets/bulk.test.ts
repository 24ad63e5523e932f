import { describe, expect, it, vi } from 'vitest';

import type { Job } from '../../services/relations';
import { hasBulkChanges, runBulk, summarize, type BulkTicket } from './bulk';

const tickets: BulkTicket[] = [1, 2, 3].map((id) => ({ id, number: `2026112410000${id}`, title: `T${id}`, version: id * 10, scope: { queueId: 1, ownerId: null, responsibleId: null }, typeId: null }));

const job = (status: string, processed: number, results: Job['results'] = []): Job => ({
  id: 7,
  kind: 'bulk_tickets',
  payload: '{}',
  status,
  run_at: '2026-11-24T09:00:00Z',
  attempts: 0,
  max_attempts: 3,
  created_at: '2026-11-24T09:00:00Z',
  progress: { processed, total: 3 },
  results,
});

describe('runBulk', () => {
  it('starts one job for all tickets and follows its progress to the per-ticket results', async () => {
    const results: Job['results'] = [
      { ticket: '1', status: 'done', ticket_id: 1 },
      { ticket: '2', status: 'forbidden', ticket_id: 2, code: 'forbidden', detail: 'needs rw' },
      { ticket: '3', status: 'conflict', ticket_id: 3, code: 'ticket_locked', detail: 'locked' },
    ];
    const start = vi.fn(() => Promise.resolve(job('queued', 0)));
    const poll = vi.fn().mockResolvedValueOnce(job('running', 2)).mockResolvedValueOnce(job('done', 3, results));
    const progress = vi.fn();
    const outcomes = await runBulk(tickets, { state_id: 4 }, { start, poll }, { onProgress: progress, interval: 1 });
    expect(start).toHaveBeenCalledTimes(1);
    expect(start).toHaveBeenCalledWith(['1', '2', '3'], { state_id: 4 });
    expect(poll).toHaveBeenCalledTimes(2);
    expect(progress.mock.calls).toEqual([
      [0, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(outcomes.map((o) => [o.ticket.id, o.result.status])).toEqual([
      [1, 'done'],
      [2, 'forbidden'],
      [3, 'conflict'],
    ]);
    expect(summarize(outcomes)).toEqual({ done: 1, forbidden: 1, conflict: 1, failed: 0 });
  });

  it('stops following when cancelled', async () => {
    const controller = new AbortController();
    const start = vi.fn(() => Promise.resolve(job('running', 1)));
    const poll = vi.fn(() => {
      controller.abort();
      return Promise.resolve(job('running', 2));
    });
    const outcomes = await runBulk(tickets, { owner_id: 9 }, { start, poll }, { signal: controller.signal, interval: 1 });
    expect(poll).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual([]);
  });

  it('knows an empty change', () => {
    expect(hasBulkChanges({})).toBe(false);
    expect(hasBulkChanges({ queue_id: undefined })).toBe(false);
    expect(hasBulkChanges({ owner_id: null })).toBe(true); // release
    expect(hasBulkChanges({ note: 'x' })).toBe(true);
  });
});
