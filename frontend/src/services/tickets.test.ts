import { File as NodeFile } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { session } from '../api/client';
import { ApiError } from '../api/problem';
import { createArticle, createTicket, getTicket, listTickets, updateTicket, type Ticket } from './tickets';

const ticket = (version: number): Ticket => ({
  id: 42,
  number: '2026112410000042',
  title: 'Printer jammed',
  custom_fields: {},
  queue: { id: 1, name: 'General' },
  state: { id: 2, name: 'open', state_type: 'open' },
  priority: { id: 3, name: '3 normal' },
  locked: false,
  article_count: 1,
  version,
  created_at: '2026-11-24T08:00:00Z',
  updated_at: '2026-11-24T08:00:00Z',
  watchers: [],
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ type: `urn:vakt:problem:${code}`, title: code, status, detail: code, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

function stubServer(reply: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      requests.push(request.clone());
      return reply(request);
    }),
  );
  return requests;
}

describe('ticket services: ETag and If-Match', () => {
  beforeEach(() => session.end('signed_out'));
  afterEach(() => vi.unstubAllGlobals());

  it('reads the ETag of a ticket and sends it back as If-Match', async () => {
    const requests = stubServer((request) =>
      request.method === 'GET' ? json(200, ticket(7), { ETag: '"7"' }) : json(200, ticket(8), { ETag: '"8"' }),
    );
    const loaded = await getTicket('2026112410000042');
    expect(loaded.etag).toBe('"7"');
    const changed = await updateTicket('2026112410000042', { priority_id: 4 }, loaded.etag);

    expect(changed.etag).toBe('"8"');
    const patch = requests[1];
    expect(patch?.method).toBe('PATCH');
    expect(new URL(patch?.url ?? '').pathname).toBe('/api/v1/tickets/2026112410000042');
    expect(patch?.headers.get('If-Match')).toBe('"7"');
    expect(await patch?.json()).toEqual({ priority_id: 4 });
  });

  it('falls back to the version when no ETag header came, and sends no If-Match without one', async () => {
    const requests = stubServer(() => json(200, ticket(3)));
    expect((await getTicket('42')).etag).toBe('"3"');
    await updateTicket('42', { state_id: 4 }, null);
    expect(requests[1]?.headers.has('If-Match')).toBe(false);
  });

  it('turns a 412 into ApiError precondition_failed', async () => {
    stubServer(() => problem(412, 'precondition_failed'));
    const failure = await updateTicket('42', { state_id: 4 }, '"1"').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(412);
    expect((failure as ApiError).code).toBe('precondition_failed');
  });

  it('sends an article with files as multipart: the JSON in `article`, files in `attachments`', async () => {
    const requests = stubServer(() =>
      json(201, { article: { id: 5 }, ticket: ticket(9) }, { ETag: '"9"' }),
    );
    // jsdom's FormData and File do not mix with Node's fetch; use Node's, as a browser's all match.
    const empty = new Response('--x--\r\n', { headers: { 'Content-Type': 'multipart/form-data; boundary=x' } });
    vi.stubGlobal('FormData', (await empty.formData()).constructor);
    const file = new NodeFile(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' }) as unknown as File;
    const created = await createArticle('42', { kind: 'reply', body: 'See attached.' }, [file], '"8"');

    expect(created.etag).toBe('"9"');
    const request = requests[0];
    expect(request?.headers.get('If-Match')).toBe('"8"');
    expect(request?.headers.get('Content-Type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await request?.formData();
    expect(JSON.parse(form?.get('article') as string)).toEqual({ kind: 'reply', body: 'See attached.' });
    const attachment = form?.get('attachments') as File;
    expect(attachment.name).toBe('report.pdf');
    expect(await attachment.text()).toBe('%PDF-1.4');
  });

  it('sends an article without files as JSON', async () => {
    const requests = stubServer(() => json(201, { article: { id: 5 }, ticket: ticket(2) }));
    await createArticle('42', { kind: 'note', body: 'Checked.' }, [], null);
    expect(requests[0]?.headers.get('Content-Type')).toBe('application/json');
    expect(requests[0]?.headers.has('If-Match')).toBe(false);
  });

  it('creates a ticket with an Idempotency-Key', async () => {
    const requests = stubServer(() => json(201, ticket(1), { ETag: '"1"' }));
    await createTicket({ title: 'T', queue_id: 1, article: { body: 'b' } }, [], 'key-123');
    expect(requests[0]?.headers.get('Idempotency-Key')).toBe('key-123');
  });

  it('passes list filters as the API wants them: lists comma-separated, `me` as is', async () => {
    const requests = stubServer(() => json(200, { items: [], next_cursor: 'n' }));
    const page = await listTickets(
      { queue_id: 3, state_type: ['new', 'open'], owner_id: 'me', priority: [4, 5], sort: '-priority' },
      'c1',
      50,
    );
    expect(page.nextCursor).toBe('n');
    expect(Object.fromEntries(new URL(requests[0]?.url ?? '').searchParams)).toEqual({
      queue_id: '3',
      state_type: 'new,open',
      owner_id: 'me',
      priority: '4,5',
      sort: '-priority',
      limit: '50',
      cursor: 'c1',
    });
  });
});
