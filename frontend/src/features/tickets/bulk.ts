import type { BulkOperations, BulkResult, Job } from '../../services/relations';
import type { Ticket, TicketChanges } from '../../services/tickets';
import type { TicketScope } from './rights';

/** The ticket fields a bulk change may set (custom fields by key). */
export type BulkChanges = Pick<TicketChanges, 'state_id' | 'pending_until' | 'queue_id' | 'owner_id' | 'priority_id' | 'custom_fields'>;

/**
 * The tickets a bulk change works on: what the list showed and what its rights depend on
 * (queue, owner, responsible agent).
 */
export type BulkTicket = Pick<Ticket, 'id' | 'number' | 'title' | 'version'> & {
  scope: TicketScope;
  /** Its ticket type (custom fields may be scoped to types). */
  typeId: number | null;
};

/** What became of one ticket. */
export interface BulkOutcome {
  ticket: BulkTicket;
  result: BulkResult;
}

/** How the panel talks to the server (the real ones are `startBulk` and `getJob`). */
export interface BulkApi {
  start: (tickets: string[], operations: BulkOperations) => Promise<Job>;
  poll: (job: number) => Promise<Job>;
}

/** Options of {@link runBulk}. */
export interface BulkOptions {
  /** Called on each poll with how many tickets are finished. */
  onProgress?: (processed: number, total: number) => void;
  /** Stops following the job (the server finishes it). */
  signal?: AbortSignal;
  /** Time between polls, in milliseconds. */
  interval?: number;
}

/** Whether a bulk change changes anything. */
export function hasBulkChanges(changes: BulkChanges & { note?: string }): boolean {
  return (Object.keys(changes) as (keyof BulkChanges | 'note')[]).some((key) => changes[key] !== undefined);
}

/** Waits `ms` milliseconds. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts one bulk job for all tickets (`POST /api/v1/tickets/bulk`) and follows it until it
 * is done, reporting progress; returns one outcome per ticket in order. The server changes each
 * ticket with the agent's rights, so some may be done while others are forbidden or refused.
 */
export async function runBulk(
  tickets: readonly BulkTicket[],
  operations: BulkOperations,
  bulkApi: BulkApi,
  options: BulkOptions = {},
): Promise<BulkOutcome[]> {
  let job = await bulkApi.start(
    tickets.map((t) => String(t.id)),
    operations,
  );
  for (;;) {
    options.onProgress?.(job.progress?.processed ?? 0, job.progress?.total ?? tickets.length);
    if (job.status === 'done' || job.status === 'dead' || options.signal?.aborted) break;
    await sleep(options.interval ?? 500);
    job = await bulkApi.poll(job.id);
  }
  const results = job.results ?? [];
  return tickets.flatMap((ticket, i) => {
    const result = results[i];
    return result ? [{ ticket, result }] : [];
  });
}

/** How many tickets of a run ended in each status. */
export function summarize(outcomes: readonly BulkOutcome[]): Record<BulkResult['status'], number> {
  const counts = { done: 0, forbidden: 0, conflict: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.result.status] += 1;
  return counts;
}
