import createClient from 'openapi-fetch';

import { createAuthFetch, SessionStore } from '../auth/sessionStore';
import { isProblem } from './problem';
import type { paths } from './schema';

/** The API is served by the same origin as the app (absolute, so `Request` accepts it everywhere). */
const baseUrl = globalThis.location.origin;

/** `fetch` looked up at call time, so tests can replace `globalThis.fetch`. */
const baseFetch = (request: Request): Promise<Response> => globalThis.fetch(request);

/** Client for the calls made without a session: login, refresh, logout. */
export const publicApi = createClient<paths>({ baseUrl, fetch: baseFetch });

function browserSessionStorage(): Storage | null {
  try {
    return globalThis.sessionStorage;
  } catch {
    return null; // storage disabled: the session lives in memory until the tab is reloaded
  }
}

/** The session of this tab (access token in memory, refresh token in `sessionStorage`). */
export const session = new SessionStore(browserSessionStorage(), async (refreshToken) => {
  const { data, error, response } = await publicApi.POST('/api/v1/auth/refresh', {
    body: { refresh_token: refreshToken },
  });
  if (data) return data;
  // 401 (expired, revoked, reused) or 4xx: the session is over. 5xx/503: keep it, fail the call.
  if (response.status >= 500) {
    throw new Error(isProblem(error) ? error.detail : `HTTP ${response.status}`);
  }
  return 'rejected';
});

/** Client for everything else: adds the access token and renews it on 401. */
export const api = createClient<paths>({
  baseUrl,
  fetch: createAuthFetch(session, baseFetch),
});
