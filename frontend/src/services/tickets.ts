import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** A ticket as the API describes it. */
export type Ticket = components['schemas']['TicketResponse'];
/** An article (reply, note, mail) of a ticket. */
export type Article = components['schemas']['ArticleResponse'];
/** Metadata of an attachment. */
export type Attachment = components['schemas']['AttachmentDto'];
/** An entry of a ticket's history. */
export type HistoryEntry = components['schemas']['HistoryEntryDto'];
/** What a state means: `new`, `open`, `pending_reminder`, … */
export type StateType = components['schemas']['StateTypeDto'];
/** Changes to a ticket (`PATCH`). */
export type TicketChanges = components['schemas']['UpdateTicketRequest'];
/** A new ticket with its first article. */
export type NewTicket = components['schemas']['CreateTicketRequest'];
/** A new reply or note. */
export type NewArticle = components['schemas']['CreateArticleRequest'];

/** Every state type, in the order screens show them. */
export const STATE_TYPES: readonly StateType[] = [
  'new',
  'open',
  'pending_reminder',
  'pending_auto',
  'closed',
  'merged',
  'removed',
];

/** The state types of tickets that still need work ("open" in the wide sense). */
export const ACTIVE_STATE_TYPES: readonly StateType[] = ['new', 'open', 'pending_reminder', 'pending_auto'];

/** Whether a state type needs a pending time. */
export function isPendingType(type: StateType): boolean {
  return type === 'pending_reminder' || type === 'pending_auto';
}

/**
 * The sort fields the server accepts (`escalation_at` and `pending_until` list only tickets
 * that have one). `title`, `customer` and `owner` ignore case; `state` follows the life cycle.
 */
export const SORT_FIELDS = [
  'created_at',
  'updated_at',
  'priority',
  'number',
  'title',
  'state',
  'customer',
  'owner',
  'pending_until',
  'escalation_at',
] as const;
/** A sort field: a built-in one, or a custom field's `cf.<key>`. */
export type SortField = (typeof SORT_FIELDS)[number] | `cf.${string}`;
/** A sort order: a field, `-` in front for descending; `relevance` only with a search (`q`). */
export type TicketSort = SortField | `-${SortField}` | 'relevance';
/** How a ticket matched a full-text search. */
export type SearchHit = components['schemas']['SearchHitDto'];

/** The filters of `GET /api/v1/tickets`. */
export interface TicketFilter {
  queue_id?: number;
  state_type?: readonly StateType[];
  state_id?: number;
  /** An agent id, `me` or `none`. */
  owner_id?: number | 'me' | 'none';
  responsible_id?: number;
  customer_id?: number;
  company_id?: number;
  /** Priority levels. */
  priority?: readonly number[];
  type_id?: number;
  /** RFC 3339 timestamps. */
  created_after?: string;
  created_before?: string;
  updated_after?: string;
  updated_before?: string;
  /** Full-text search (words, "phrases", prefix*, -exclusion, subject:, from:). */
  q?: string;
  /** With `q`: also archived tickets. */
  include_archived?: boolean;
  /** Only escalated tickets (the API's `false`, "only those that are not", is not used: `false` is left out). */
  escalated?: boolean;
  /** Only tickets with articles you have not read (agents). */
  unread?: boolean;
  /** Only pending tickets whose pending time is before this instant (RFC 3339; with now: the due ones). */
  pending_before?: string;
  sort?: TicketSort;
  /** Custom field filters: `product` → `printer` is `cf.product=printer`, `seats.from` → `cf.seats.from`. */
  custom?: Readonly<Record<string, string>>;
}

/** How many tickets a list holds, counted up to the server's cap (`capped`: more than `count`). */
export type TicketCount = components['schemas']['TicketCount'];

/** A ticket together with the `ETag` it was read at (send it back as `If-Match`). */
export interface LoadedTicket {
  ticket: Ticket;
  etag: string;
}

/** The `ETag` of a response, or the one the ticket's version stands for. */
function etagOf(response: Response, ticket: Ticket): string {
  return response.headers.get('ETag') ?? `"${ticket.version}"`;
}

/** The `If-Match` header for an ETag (none when `null`: the change is unconditional). */
function ifMatch(etag: string | null): { 'If-Match'?: string } {
  return etag === null ? {} : { 'If-Match': etag };
}

/** The query of a filter as the API wants it (lists comma-separated, `false` left out). */
export function filterQuery(filter: TicketFilter): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(filter) as [string, unknown][]) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (name === 'custom') {
      for (const [key, text] of Object.entries(filter.custom ?? {})) if (text) query[`cf.${key}`] = text;
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > 0) query[name] = value.join(',');
    } else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      query[name] = value;
    }
  }
  return query;
}

/** The query string of a filter (what a saved search stores). */
export function filterQueryString(filter: TicketFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filterQuery(filter))) params.set(name, String(value));
  return params.toString();
}

/** One page of the tickets the caller may see (`GET /api/v1/tickets`). */
export async function listTickets(
  filter: TicketFilter,
  cursor: string | null,
  limit: number,
): Promise<Page<Ticket>> {
  const query = { ...filterQuery(filter), limit, ...(cursor !== null && { cursor }) };
  const page = unwrap(await api.GET('/api/v1/tickets', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/**
 * How many tickets `listTickets` would list in all its pages with the same filter
 * (`GET /api/v1/tickets/count`); the server stops at 1000 and says so with `capped`.
 */
export async function countTickets(filter: TicketFilter): Promise<TicketCount> {
  return unwrap(await api.GET('/api/v1/tickets/count', { params: { query: filterQuery(filter) } }));
}

/** One ticket by id or number, with its ETag (`GET /api/v1/tickets/{ticket}`). */
export async function getTicket(key: string): Promise<LoadedTicket> {
  const result = await api.GET('/api/v1/tickets/{ticket}', { params: { path: { ticket: key } } });
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/**
 * Changes a ticket (`PATCH /api/v1/tickets/{ticket}`). With an `etag` the change is made only
 * if nobody changed the ticket since it was read; otherwise the call fails with 412
 * `precondition_failed`.
 */
export async function updateTicket(
  key: string,
  changes: TicketChanges,
  etag: string | null,
): Promise<LoadedTicket> {
  const result = await api.PATCH('/api/v1/tickets/{ticket}', {
    params: { path: { ticket: key }, header: ifMatch(etag) },
    body: changes,
  });
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/** Take, steal or release: the ownership actions. */
export type OwnershipAction = 'take' | 'steal' | 'release';

/** Takes an unowned ticket, steals it from its owner, or gives up ownership. */
export async function changeOwnership(
  key: string,
  action: OwnershipAction,
  etag: string | null,
): Promise<LoadedTicket> {
  const init = { params: { path: { ticket: key }, header: ifMatch(etag) } };
  const result =
    action === 'take'
      ? await api.POST('/api/v1/tickets/{ticket}/take', init)
      : action === 'steal'
        ? await api.POST('/api/v1/tickets/{ticket}/steal', init)
        : await api.POST('/api/v1/tickets/{ticket}/release', init);
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/** Adds a watcher: yourself without `userId` (`POST /api/v1/tickets/{ticket}/watchers`). */
export async function addWatcher(key: string, userId?: number): Promise<LoadedTicket> {
  const result = await api.POST('/api/v1/tickets/{ticket}/watchers', {
    params: { path: { ticket: key } },
    body: userId === undefined ? {} : { user_id: userId },
  });
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/** Removes a watcher (`DELETE /api/v1/tickets/{ticket}/watchers/{user_id}`). */
export async function removeWatcher(key: string, userId: number): Promise<LoadedTicket> {
  const result = await api.DELETE('/api/v1/tickets/{ticket}/watchers/{user_id}', {
    params: { path: { ticket: key, user_id: userId } },
  });
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/** One page of a ticket's articles, oldest first (customers get the visible ones only). */
export async function listArticles(key: string, cursor: string | null, limit: number): Promise<Page<Article>> {
  const page = unwrap(
    await api.GET('/api/v1/tickets/{ticket}/articles', {
      params: { path: { ticket: key }, query: { limit, ...(cursor !== null && { cursor }) } },
    }),
  );
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** One page of a ticket's history, oldest first (agents only). */
export async function listHistory(key: string, cursor: string | null, limit: number): Promise<Page<HistoryEntry>> {
  const page = unwrap(
    await api.GET('/api/v1/tickets/{ticket}/history', {
      params: { path: { ticket: key }, query: { limit, ...(cursor !== null && { cursor }) } },
    }),
  );
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** A multipart body: the JSON document in part `name`, the files in `attachments` parts. */
export function multipartBody(name: string, document: object, files: readonly File[]): FormData {
  const form = new FormData();
  form.append(name, JSON.stringify(document));
  for (const file of files) form.append('attachments', file, file.name);
  return form;
}

/** What adding an article gives: the article and the ticket after it. */
export interface CreatedArticle extends LoadedTicket {
  article: Article;
}

/**
 * Adds a reply or a note (`POST /api/v1/tickets/{ticket}/articles`), with files as multipart.
 * With an `etag` it fails with 412 when the ticket changed since it was read.
 */
export async function createArticle(
  key: string,
  input: NewArticle,
  files: readonly File[],
  etag: string | null,
): Promise<CreatedArticle> {
  const params = { path: { ticket: key }, header: ifMatch(etag) };
  const result =
    files.length > 0
      ? await api.POST('/api/v1/tickets/{ticket}/articles', {
          params,
          // The generated type describes the multipart fields; the browser sends the FormData.
          body: multipartBody('article', input, files) as unknown as NewArticle,
        })
      : await api.POST('/api/v1/tickets/{ticket}/articles', { params, body: input });
  const created = unwrap(result);
  return { article: created.article, ticket: created.ticket, etag: etagOf(result.response, created.ticket) };
}

/**
 * Creates a ticket with its first article (`POST /api/v1/tickets`), files as multipart. The
 * idempotency key makes a retry (double click, lost answer) return the same ticket.
 */
export async function createTicket(
  input: NewTicket,
  files: readonly File[],
  idempotencyKey: string,
): Promise<LoadedTicket> {
  const params = { header: { 'Idempotency-Key': idempotencyKey } };
  const result =
    files.length > 0
      ? await api.POST('/api/v1/tickets', {
          params,
          body: multipartBody('ticket', input, files) as unknown as NewTicket,
        })
      : await api.POST('/api/v1/tickets', { params, body: input });
  const ticket = unwrap(result);
  return { ticket, etag: etagOf(result.response, ticket) };
}

/** An attachment's content, fetched with the session's token (links cannot carry it). */
export async function downloadAttachment(key: string, articleId: number, attachmentId: number): Promise<Blob> {
  const result = await api.GET('/api/v1/tickets/{ticket}/articles/{article_id}/attachments/{attachment_id}', {
    params: { path: { ticket: key, article_id: articleId, attachment_id: attachmentId } },
    parseAs: 'blob',
  });
  return unwrap(result);
}
