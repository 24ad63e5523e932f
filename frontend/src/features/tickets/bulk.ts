import type { Ticket, TicketChanges } from '../../services/tickets';
import type { TicketScope } from './rights';

/** The ticket fields a bulk change may set. */
export type BulkChanges = Pick<TicketChanges, 'state_id' | 'pending_until' | 'queue_id' | 'owner_id' | 'priority_id'>;

/**
 * The tickets a bulk change works on: what the list showed, with the version it showed and
 * what its rights depend on (queue, owner, responsible agent).
 */
export type BulkTicket = Pick<Ticket, 'id' | 'number' | 'title' | 'version'> & { scope: TicketScope };

/** What became of one ticket. */
export type BulkOutcome =
  | { ticket: BulkTicket; status: 'done' }
  | { ticket: BulkTicket; status: 'failed'; error: unknown }
  | { ticket: BulkTicket; status: 'cancelled' };

/** Changes one ticket, only if it is still at `etag` (else 412). */
export type UpdateFn = (key: string, changes: BulkChanges, etag: string) => Promise<unknown>;

/** Options of {@link runBulk}. */
export interface BulkOptions {
  /** Called after each ticket, with its outcome and how many are finished. */
  onProgress?: (outcome: BulkOutcome, finished: number) => void;
  /** Stops before the next ticket; the rest are `cancelled`. */
  signal?: AbortSignal;
}

/** Whether a bulk change changes anything. */
export function hasBulkChanges(changes: BulkChanges): boolean {
  return (Object.keys(changes) as (keyof BulkChanges)[]).some((key) => changes[key] !== undefined);
}

/**
 * Applies `changes` to each ticket in turn (one PATCH at a time, so the server is never
 * flooded and the results come in order), each with `If-Match` of the version the list
 * showed: a ticket someone else changed meanwhile fails with 412 instead of being overwritten.
 * A failure (412, 403, 409, …) is recorded for that ticket and the run goes on.
 */
export async function runBulk(
  tickets: readonly BulkTicket[],
  changes: BulkChanges,
  update: UpdateFn,
  options: BulkOptions = {},
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const ticket of tickets) {
    let outcome: BulkOutcome;
    if (options.signal?.aborted) {
      outcome = { ticket, status: 'cancelled' };
    } else {
      try {
        await update(String(ticket.id), changes, `"${ticket.version}"`);
        outcome = { ticket, status: 'done' };
      } catch (error) {
        outcome = { ticket, status: 'failed', error };
      }
    }
    outcomes.push(outcome);
    options.onProgress?.(outcome, outcomes.length);
  }
  return outcomes;
}

/** How many tickets of a run ended in each status. */
export function summarize(outcomes: readonly BulkOutcome[]): Record<BulkOutcome['status'], number> {
  const counts = { done: 0, failed: 0, cancelled: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}
