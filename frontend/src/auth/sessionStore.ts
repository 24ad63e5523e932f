import type { components } from '../api/schema';

/** The tokens `POST /api/v1/auth/login` and `/auth/refresh` answer with. */
export type TokenResponse = components['schemas']['TokenResponse'];

/** What a refresh attempt gave: new tokens, a rejection (the session is over), or a thrown network error. */
export type RefreshFn = (refreshToken: string) => Promise<TokenResponse | 'rejected'>;

/** Why the session ended: the user signed out, or the server refused to renew it. */
export type EndReason = 'signed_out' | 'expired';

type Listener = () => void;

const STORAGE_KEY = 'vakt.refresh_token';
/** Renew this long before the access token expires, so a request never races the expiry. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Holds the session's tokens: the short-lived access token in memory only, the single-use
 * refresh token in `storage` (the tab's `sessionStorage`), so a reload keeps the session but
 * closing the tab ends it. Refreshes are single-flight: however many requests find the access
 * token expired at once, one `POST /auth/refresh` is made and all wait for it (the server
 * treats a reused refresh token as theft and ends every session of the user).
 */
export class SessionStore {
  private access: { token: string; expiresAt: number } | null = null;
  private refreshToken: string | null;
  private inFlight: Promise<string | null> | null = null;
  private listeners = new Set<Listener>();
  private ended: EndReason | null = null;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly refreshFn: RefreshFn,
    private readonly now: () => number = Date.now,
  ) {
    this.refreshToken = storage?.getItem(STORAGE_KEY) ?? null;
  }

  /** Whether there is a session (a refresh token), whether or not its access token is still valid. */
  readonly hasSession = (): boolean => this.refreshToken !== null;

  /** Why the last session ended, until a new one starts. */
  readonly endReason = (): EndReason | null => this.ended;

  /** Subscribes to session start and end; returns the unsubscribe function. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts a session with the tokens of a login. */
  start(tokens: TokenResponse): void {
    this.ended = null;
    this.store(tokens);
    this.emit();
  }

  /** Ends the session (sign-out or failed refresh), forgetting both tokens. */
  end(reason: EndReason): void {
    const had = this.refreshToken !== null || this.access !== null;
    this.access = null;
    this.refreshToken = null;
    this.inFlight = null;
    this.storage?.removeItem(STORAGE_KEY);
    this.ended = reason;
    if (had) this.emit();
  }

  /** The refresh token (for `POST /auth/logout`). */
  currentRefreshToken(): string | null {
    return this.refreshToken;
  }

  /** A usable access token, renewing it first when it is missing or about to expire; `null` without a session. */
  async accessToken(): Promise<string | null> {
    if (this.access && this.access.expiresAt - EXPIRY_MARGIN_MS > this.now()) {
      return this.access.token;
    }
    if (this.refreshToken === null) return null;
    return this.refresh(this.access?.token ?? null);
  }

  /**
   * Renews the session after `staleToken` was refused (401). If another caller already
   * renewed it, the new token is returned without a second refresh. Resolves to `null` when
   * the server rejects the refresh token: the session is then over.
   */
  refresh(staleToken: string | null): Promise<string | null> {
    if (this.access && this.access.token !== staleToken) {
      return Promise.resolve(this.access.token);
    }
    if (this.inFlight) return this.inFlight;
    const refreshToken = this.refreshToken;
    if (refreshToken === null) return Promise.resolve(null);
    const attempt = this.refreshFn(refreshToken).then(
      (result) => {
        if (this.inFlight !== attempt) return null; // ended meanwhile
        this.inFlight = null;
        if (result === 'rejected') {
          this.end('expired');
          return null;
        }
        this.store(result);
        return result.access_token;
      },
      (error: unknown) => {
        // A network failure is not a verdict on the session: keep it, fail this request.
        if (this.inFlight === attempt) this.inFlight = null;
        throw error;
      },
    );
    this.inFlight = attempt;
    return attempt;
  }

  private store(tokens: TokenResponse): void {
    this.access = {
      token: tokens.access_token,
      expiresAt: this.now() + tokens.expires_in * 1000,
    };
    this.refreshToken = tokens.refresh_token;
    this.storage?.setItem(STORAGE_KEY, tokens.refresh_token);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Wraps `base` (the real `fetch`) so that every request carries the session's access token
 * and a 401 is answered by one single-flight refresh and one retry. Requests made without a
 * session (login) go out unchanged.
 */
export function createAuthFetch(
  store: SessionStore,
  base: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    const token = await store.accessToken();
    if (token === null) return base(request);
    const retry = request.clone();
    request.headers.set('Authorization', `Bearer ${token}`);
    const response = await base(request);
    if (response.status !== 401) return response;
    const fresh = await store.refresh(token);
    if (fresh === null) return response;
    retry.headers.set('Authorization', `Bearer ${fresh}`);
    return base(retry);
  };
}
