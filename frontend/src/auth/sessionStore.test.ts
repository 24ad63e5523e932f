import { describe, expect, it, vi } from 'vitest';

import { createAuthFetch, SessionStore, type TokenResponse } from './sessionStore';

function tokens(n: number, expiresIn = 900): TokenResponse {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: expiresIn, token_type: 'Bearer' };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
    map,
  };
}

/** A server stub: 401 unless the bearer is the current access token. */
function server(store: { valid: string }) {
  return vi.fn((request: Request) => {
    const auth = request.headers.get('Authorization');
    const status = auth === `Bearer ${store.valid}` ? 200 : 401;
    return Promise.resolve(new Response(JSON.stringify({ auth }), { status }));
  });
}

describe('SessionStore', () => {
  it('makes one refresh for many parallel 401s and retries each request with the new token', async () => {
    let release: (value: TokenResponse) => void = () => undefined;
    const refreshFn = vi.fn(() => new Promise<TokenResponse>((resolve) => (release = resolve)));
    const store = new SessionStore(memoryStorage(), refreshFn);
    store.start(tokens(1));
    const backend = { valid: 'access-2' }; // the server already considers access-1 expired
    const base = server(backend);
    const authFetch = createAuthFetch(store, base);

    const calls = Array.from({ length: 5 }, (_, i) =>
      authFetch(new Request(`http://test/api/v1/x${i}`, { method: 'POST', body: `body-${i}` })),
    );
    await vi.waitFor(() => expect(refreshFn).toHaveBeenCalledTimes(1));
    release(tokens(2));
    const responses = await Promise.all(calls);

    expect(refreshFn).toHaveBeenCalledTimes(1);
    expect(refreshFn).toHaveBeenCalledWith('refresh-1');
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // 5 first attempts with the old token + 5 retries with the new one
    expect(base).toHaveBeenCalledTimes(10);
    const retried = base.mock.calls.slice(5).map(([request]) => request);
    expect(await Promise.all(retried.map((r) => r.text()))).toEqual(
      expect.arrayContaining(['body-0', 'body-1', 'body-2', 'body-3', 'body-4']),
    );
  });

  it('refreshes before a request when the access token is about to expire', async () => {
    let now = 1_000_000;
    const refreshFn = vi.fn(() => Promise.resolve(tokens(2)));
    const store = new SessionStore(memoryStorage(), refreshFn, () => now);
    store.start(tokens(1, 60));
    expect(await store.accessToken()).toBe('access-1');
    now += 40_000; // 20 s left: inside the safety margin
    expect(await store.accessToken()).toBe('access-2');
    expect(refreshFn).toHaveBeenCalledTimes(1);
  });

  it('ends the session and tells subscribers when the refresh is rejected', async () => {
    const storage = memoryStorage();
    const store = new SessionStore(storage, () => Promise.resolve('rejected' as const));
    store.start(tokens(1));
    const listener = vi.fn();
    store.subscribe(listener);
    const response = await createAuthFetch(store, server({ valid: 'nothing' }))(new Request('http://test/api/v1/me'));

    expect(response.status).toBe(401);
    expect(store.hasSession()).toBe(false);
    expect(store.endReason()).toBe('expired');
    expect(storage.map.size).toBe(0);
    expect(listener).toHaveBeenCalled();
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const store = new SessionStore(memoryStorage(), () => Promise.reject(new TypeError('offline')));
    store.start(tokens(1, 1)); // already inside the margin: the next call refreshes
    await expect(store.accessToken()).rejects.toThrow('offline');
    expect(store.hasSession()).toBe(true);
  });

  it('keeps the refresh token in storage across a reload, and the access token in memory only', async () => {
    const storage = memoryStorage();
    const first = new SessionStore(storage, vi.fn());
    first.start(tokens(1));
    expect([...storage.map.values()]).toEqual(['refresh-1']);

    const refreshFn = vi.fn(() => Promise.resolve(tokens(2)));
    const reloaded = new SessionStore(storage, refreshFn);
    expect(reloaded.hasSession()).toBe(true);
    expect(await reloaded.accessToken()).toBe('access-2');
    expect(refreshFn).toHaveBeenCalledWith('refresh-1');
  });

  it('sends requests without a session unchanged', async () => {
    const store = new SessionStore(memoryStorage(), vi.fn());
    const base = vi.fn((request: Request) => Promise.resolve(new Response(request.headers.get('Authorization'))));
    const response = await createAuthFetch(store, base)(new Request('http://test/api/v1/auth/login'));
    expect(await response.text()).toBe('');
  });
});
