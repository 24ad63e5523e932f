import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Ticket } from './tickets';

/** A link of a ticket, as seen from it. */
export type TicketLink = components['schemas']['LinkDto'];
/** "This ticket <kind> the other". */
export type LinkKind = components['schemas']['LinkKindDto'];
/** A bulk change. */
export type BulkRequest = components['schemas']['BulkRequestDto'];
/** The operations of a bulk change. */
export type BulkOperations = components['schemas']['BulkOperationsDto'];
/** How one ticket of a bulk change fared. */
export type BulkResult = components['schemas']['BulkResultDto'];
/** A background job (with `progress` and `results` for bulk changes). */
export type Job = components['schemas']['JobResponse'];

/** The link kinds, in the order the link dialog offers them. */
export const LINK_KINDS: readonly LinkKind[] = [
  'refers_to',
  'referred_to_by',
  'parent_of',
  'child_of',
  'depends_on',
  'depended_on_by',
  'duplicate_of',
  'duplicated_by',
  'master_of',
  'slave_of',
];

/** The links of a ticket (`GET /api/v1/tickets/{ticket}/links`). */
export async function listLinks(ticket: string): Promise<TicketLink[]> {
  return unwrap(await api.GET('/api/v1/tickets/{ticket}/links', { params: { path: { ticket } } })).items;
}

/** Links a ticket to another (id or number). */
export async function addLink(ticket: string, kind: LinkKind, other: string): Promise<TicketLink> {
  return unwrap(
    await api.POST('/api/v1/tickets/{ticket}/links', { params: { path: { ticket } }, body: { kind, ticket: other } }),
  );
}

/** Removes a link. */
export async function removeLink(ticket: string, link: number): Promise<void> {
  unwrap(await api.DELETE('/api/v1/tickets/{ticket}/links/{link}', { params: { path: { ticket, link } } }));
}

/** Merges a ticket into `target` (id or number); returns the target. */
export async function mergeTicket(ticket: string, target: string): Promise<Ticket> {
  return unwrap(await api.POST('/api/v1/tickets/{ticket}/merge', { params: { path: { ticket } }, body: { target } }));
}

/** What a split's new ticket looks like. */
export type SplitRequest = components['schemas']['SplitRequestDto'];

/** Moves an article (and optionally the later ones) to a new ticket; returns it. */
export async function splitTicket(ticket: string, article: number, request: SplitRequest): Promise<Ticket> {
  return unwrap(
    await api.POST('/api/v1/tickets/{ticket}/articles/{article}/split', {
      params: { path: { ticket, article } },
      body: request,
    }),
  );
}

/** Starts a bulk change (`POST /api/v1/tickets/bulk`); returns its job. */
export async function startBulk(request: BulkRequest): Promise<Job> {
  return unwrap(await api.POST('/api/v1/tickets/bulk', { body: request }));
}

/** A job with its progress (`GET /api/v1/jobs/{id}`). */
export async function getJob(id: number): Promise<Job> {
  return unwrap(await api.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
}

/** Marks a ticket read or unread for yourself. */
export async function markRead(ticket: string, read: boolean): Promise<void> {
  const path = read ? '/api/v1/tickets/{ticket}/read' : '/api/v1/tickets/{ticket}/unread';
  unwrap(await api.POST(path, { params: { path: { ticket } } }));
}
