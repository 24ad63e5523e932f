import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { session } from '../api/client';
import { ApiError } from '../api/problem';
import { signIn, signOut } from './auth';
import { createMyToken } from './tokens';
import { createAgent, listAgents } from './users';

/** Records the requests the client makes and answers them from `reply`. */
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

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const problem = (status: number, code: string) =>
  json(status, { type: `urn:vakt:problem:${code}`, title: code, status, detail: code, code }, 'application/problem+json');

const tokens = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
  token_type: 'Bearer',
});

describe('services over the generated client', () => {
  beforeEach(() => session.end('signed_out'));
  afterEach(() => vi.unstubAllGlobals());

  it('signs in, sends the access token, and turns problem+json into ApiError', async () => {
    const requests = stubServer((request) => {
      if (request.url.endsWith('/api/v1/auth/login')) return json(200, tokens(1));
      return problem(409, 'email_taken');
    });
    await signIn('a@example.org', 'secret passphrase');
    const failure = await createAgent({ name: 'A', email: 'b@example.org' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('email_taken');
    expect(requests[1]?.headers.get('Authorization')).toBe('Bearer access-1');
    expect(await requests[1]?.json()).toEqual({ name: 'A', email: 'b@example.org' });
  });

  it('renews an expired access token once and repeats the request', async () => {
    const requests = stubServer(async (request) => {
      if (request.url.endsWith('/auth/login')) return json(200, tokens(1));
      if (request.url.endsWith('/auth/refresh')) {
        expect(await request.json()).toEqual({ refresh_token: 'refresh-1' });
        return json(200, tokens(2));
      }
      return request.headers.get('Authorization') === 'Bearer access-2'
        ? json(201, { id: 7, name: 'CI', prefix: 'vakt_abc', scope: 'full', created_at: '2026-11-22T10:00:00Z', secret: 'vakt_abcdef' })
        : problem(401, 'token_expired');
    });
    await signIn('a@example.org', 'secret passphrase');
    const created = await createMyToken({ name: 'CI' });

    expect(created.secret).toBe('vakt_abcdef');
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/v1/auth/login',
      '/api/v1/me/tokens',
      '/api/v1/auth/refresh',
      '/api/v1/me/tokens',
    ]);
    expect(await requests[3]?.json()).toEqual({ name: 'CI' });
  });

  it('passes filters and the cursor to the agent list and maps next_cursor', async () => {
    const requests = stubServer((request) =>
      request.url.includes('/auth/login') ? json(200, tokens(1)) : json(200, { items: [], next_cursor: 'c2' }),
    );
    await signIn('a@example.org', 'secret passphrase');
    const page = await listAgents({ search: 'kari', active: false }, 'c1', 50);

    expect(page).toEqual({ items: [], nextCursor: 'c2' });
    const url = new URL(requests[1]?.url ?? '');
    expect(Object.fromEntries(url.searchParams)).toEqual({ limit: '50', cursor: 'c1', search: 'kari', active: 'false' });
  });

  it('revokes the refresh token on sign-out and forgets the session even if the server is down', async () => {
    const requests = stubServer((request) => {
      if (request.url.endsWith('/auth/login')) return json(200, tokens(1));
      throw new TypeError('Failed to fetch');
    });
    await signIn('a@example.org', 'secret passphrase');
    expect(sessionStorage.getItem('vakt.refresh_token')).toBe('refresh-1');
    await expect(signOut()).rejects.toThrow('Failed to fetch');

    expect(new URL(requests[1]?.url ?? '').pathname).toBe('/api/v1/auth/logout');
    expect(await requests[1]?.json()).toEqual({ refresh_token: 'refresh-1' });
    expect(session.hasSession()).toBe(false);
    expect(sessionStorage.getItem('vakt.refresh_token')).toBeNull();
  });
});
