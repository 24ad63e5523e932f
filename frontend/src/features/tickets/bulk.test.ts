import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../api/problem';
import { hasBulkChanges, runBulk, summarize, type BulkTicket } from './bulk';

const tickets: BulkTicket[] = [1, 2, 3, 4].map((id) => ({ id, number: `2026112410000${id}`, title: `T${id}`, version: id * 10, scope: { queueId: 1, ownerId: null, responsibleId: null } }));

const problem = (status: number, code: string) =>
  new ApiError(status, { type: `urn:vakt:problem:${code}`, title: code, status, detail: code, code });

describe('runBulk', () => {
  it('patches one ticket at a time, in order, each with If-Match of the version the list showed', async () => {
    let running = 0;
    const calls: [string, string][] = [];
    const update = vi.fn(async (key: string, _changes: unknown, etag: string) => {
      running += 1;
      expect(running).toBe(1); // never two at once
      calls.push([key, etag]);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
    });
    const outcomes = await runBulk(tickets, { state_id: 4 }, update);
    expect(calls).toEqual([
      ['1', '"10"'],
      ['2', '"20"'],
      ['3', '"30"'],
      ['4', '"40"'],
    ]);
    expect(update).toHaveBeenCalledWith('1', { state_id: 4 }, '"10"');
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('reports a 412 or 403 on one ticket and goes on with the others', async () => {
    const update = vi.fn((key: string) => {
      if (key === '2') return Promise.reject(problem(412, 'precondition_failed'));
      if (key === '3') return Promise.reject(problem(403, 'forbidden'));
      return Promise.resolve();
    });
    const progress = vi.fn();
    const outcomes = await runBulk(tickets, { priority_id: 5 }, update, { onProgress: progress });
    expect(update).toHaveBeenCalledTimes(4);
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'failed', 'failed', 'done']);
    const failed = outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => (o.error as ApiError).code)).toEqual(['precondition_failed', 'forbidden']);
    expect(progress.mock.calls.map(([, finished]) => finished as number)).toEqual([1, 2, 3, 4]);
    expect(summarize(outcomes)).toEqual({ done: 2, failed: 2, cancelled: 0 });
  });

  it('stops when cancelled: the remaining tickets are not touched', async () => {
    const controller = new AbortController();
    const update = vi.fn((key: string) => {
      if (key === '2') controller.abort();
      return Promise.resolve();
    });
    const outcomes = await runBulk(tickets, { owner_id: 9 }, update, { signal: controller.signal });
    expect(update).toHaveBeenCalledTimes(2);
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done', 'cancelled', 'cancelled']);
  });

  it('knows an empty change', () => {
    expect(hasBulkChanges({})).toBe(false);
    expect(hasBulkChanges({ queue_id: undefined })).toBe(false);
    expect(hasBulkChanges({ owner_id: null })).toBe(true); // release
  });
});
