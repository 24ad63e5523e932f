import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { session } from '../../api/client';
import { RequireSession } from '../../auth/guards';
import type { Right } from '../../services/me';
import type { Article, Ticket } from '../../services/tickets';
import { renderRoutes } from '../../test/render';
import { TicketPage } from './TicketPage';

const NUMBER = '2026112410000042';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ type: `urn:vakt:problem:${code}`, title: code, status, detail: code, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

function ticket(version: number): Ticket {
  return {
    id: 42,
    number: NUMBER,
    title: 'Printer jammed',
    custom_fields: {},
    queue: { id: 1, name: 'General' },
    state: { id: 2, name: 'open', state_type: 'open' },
    priority: { id: 3, name: '3 normal' },
    customer: { id: 9, name: 'Ola Kunde', email: 'ola@example.org' },
    locked: false,
    article_count: 2,
    version,
    created_at: '2026-11-24T08:00:00Z',
    updated_at: '2026-11-24T08:00:00Z',
    watchers: [],
  };
}

function article(id: number, visible: boolean, extra: Partial<Article> = {}): Article {
  return {
    id,
    ticket_id: 42,
    custom_fields: {},
    sender_type: visible ? 'customer' : 'agent',
    channel: visible ? 'email' : 'note',
    customer_visible: visible,
    author: visible ? { id: 9, name: 'Ola Kunde', email: 'ola@example.org' } : { id: 1, name: 'Kari Agent', email: 'kari@example.org' },
    subject: 'Printer jammed',
    body: visible ? 'It says E42.' : 'Ordered a new drum.',
    created_at: '2026-11-24T08:00:00Z',
    attachments: [],
    ...extra,
  };
}

const ALL_RIGHTS: Right[] = ['ro', 'move_into', 'create', 'note', 'owner', 'steal', 'priority', 'rw'];

/**
 * A server where someone else changes the ticket (version 7 → 8) while the agent writes; the
 * agent holds `rights` on the ticket's queue.
 */
function stubServer(rights: Right[] = ALL_RIGHTS) {
  let version = 7;
  const posts: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((request: Request) => {
      const url = new URL(request.url);
      const path = url.pathname;
      if (path === '/api/v1/me') {
        return json(200, { id: 1, kind: 'agent', email: 'kari@example.org', name: 'Kari Agent', is_admin: false, active: true, has_password: true, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', time_zone: 'Europe/Oslo' });
      }
      if (path === '/api/v1/me/queues') {
        return json(200, { items: [{ id: 1, name: 'General', group_id: 1, active: true, rights }] });
      }
      if (path === `/api/v1/tickets/${NUMBER}` && request.method === 'GET') {
        return json(200, ticket(version), { ETag: `"${version}"` });
      }
      if (path === `/api/v1/tickets/${NUMBER}/articles` && request.method === 'GET') {
        const html = article(1, true, {
          body_html: '<p>It says <b>E42</b>.</p><img alt="logo" data-vakt-remote-src="https://tracker.example/p.gif">',
        });
        return json(200, { items: [html, article(2, false)] });
      }
      if (path === `/api/v1/tickets/${NUMBER}/articles` && request.method === 'POST') {
        posts.push(request.clone());
        if (request.headers.get('If-Match') !== `"${version}"`) return problem(412, 'precondition_failed');
        version += 1;
        return json(201, { article: article(3, false), ticket: ticket(version) }, { ETag: `"${version}"` });
      }
      return json(200, { items: [] });
    }),
  );
  return {
    posts,
    /** Another agent changes the ticket. */
    changeElsewhere: () => {
      version += 1;
    },
  };
}

/** The ticket page below the session guard (which waits for the signed-in user), as in the app. */
function renderPage() {
  return renderRoutes(
    [{ element: <RequireSession />, children: [{ path: '/agent/tickets/:key', element: <TicketPage /> }] }],
    `/agent/tickets/${NUMBER}`,
  );
}

describe('TicketPage', () => {
  beforeEach(() => {
    session.start({ access_token: 'a', refresh_token: 'r', expires_in: 900, token_type: 'Bearer' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    session.end('signed_out');
  });

  it('shows customer-visible and internal articles apart, and mail HTML in a sandbox without scripts', async () => {
    stubServer();
    await renderPage();
    // Generous: the first render waits for the user, the ticket and its articles on a busy machine.
    const customer = await screen.findByRole('article', { name: 'Message from Ola Kunde' }, { timeout: 5000 });
    const note = screen.getByRole('article', { name: 'Internal note by Kari Agent' });
    expect(customer.getAttribute('data-visibility')).toBe('customer');
    expect(note.getAttribute('data-visibility')).toBe('internal');
    expect(within(note).getByText('Internal only')).toBeTruthy();
    expect(within(customer).getByText('Visible to customer')).toBeTruthy();

    const frame = within(customer).getByTitle('Message: Printer jammed');
    const sandbox = frame.getAttribute('sandbox') ?? '';
    expect(sandbox).not.toContain('allow-scripts');
    expect(frame.getAttribute('srcdoc')).not.toMatch(/\ssrc="https:\/\/tracker/);
    await userEvent.setup().click(within(customer).getByRole('button', { name: 'Show images' }));
    expect(frame.getAttribute('data-remote-images')).toBe('shown');
    expect(frame.getAttribute('srcdoc')).toMatch(/\ssrc="https:\/\/tracker\.example\/p\.gif"/);
  }, 20_000);

  it('on 412 says someone else changed the ticket, keeps the draft, and sends it after a reload', async () => {
    const server = stubServer();
    const user = userEvent.setup();
    await renderPage();
    await screen.findByRole('heading', { level: 1, name: 'Printer jammed' }, { timeout: 5000 });
    const draft = await screen.findByLabelText(/^Note/, {}, { timeout: 5000 });
    await user.type(draft, 'My careful answer');

    server.changeElsewhere();
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.some((alert) => alert.textContent.includes('Someone else changed this ticket'))).toBe(true);
    expect(screen.getByLabelText<HTMLTextAreaElement>(/^Note/).value).toBe('My careful answer');
    expect(server.posts[0]?.headers.get('If-Match')).toBe('"7"');

    await user.click(screen.getAllByRole('button', { name: 'Reload' })[0] as HTMLElement);
    await waitFor(() => expect(screen.queryAllByRole('button', { name: 'Reload' })).toHaveLength(0));
    expect(screen.getByLabelText<HTMLTextAreaElement>(/^Note/).value).toBe('My careful answer');

    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await screen.findByText('Added to the ticket.', {}, { timeout: 5000 });
    expect(server.posts[1]?.headers.get('If-Match')).toBe('"8"');
    expect(await server.posts[1]?.json()).toEqual({ kind: 'note', body: 'My careful answer' });
    expect(screen.getByLabelText<HTMLTextAreaElement>(/^Note/).value).toBe('');
  }, 20_000);

  it('offers only what the rights allow: with read access alone, no take, no reply, no note', async () => {
    stubServer(['ro']);
    await renderPage();
    await screen.findByRole('heading', { level: 1, name: 'Printer jammed' }, { timeout: 5000 });
    expect(await screen.findByText(/allow neither a reply nor a note/)).toBeTruthy();
    expect(screen.queryByLabelText(/^Note/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Take' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Title').disabled).toBe(true);
  }, 20_000);
});
