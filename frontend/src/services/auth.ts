import { publicApi, session } from '../api/client';
import { expectOk, unwrap } from '../api/problem';

/**
 * Signs in with email and password (and the authenticator code, for accounts with two-factor
 * authentication) and starts the session (throws ApiError on failure; `second_factor_required`
 * asks for `otp`).
 */
export async function signIn(email: string, password: string, otp?: string): Promise<void> {
  const tokens = unwrap(
    await publicApi.POST('/api/v1/auth/login', { body: { email, password, ...(otp && { otp }) } }),
  );
  session.start(tokens);
}

/**
 * Signs out: revokes the refresh token on the server (`POST /api/v1/auth/logout`) and forgets
 * the tokens. The local session ends even when the server cannot be reached.
 */
export async function signOut(): Promise<void> {
  const refreshToken = session.currentRefreshToken();
  try {
    if (refreshToken !== null) {
      expectOk(
        await publicApi.POST('/api/v1/auth/logout', { body: { refresh_token: refreshToken } }),
      );
    }
  } finally {
    session.end('signed_out');
  }
}
