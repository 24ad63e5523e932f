import { api } from '../api/client';
import { expectOk } from '../api/problem';

/**
 * Asks for a password-reset mail (`POST /api/v1/auth/password-reset`). The answer is the same
 * whether or not the address has an account, so it tells nothing about who has one.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  expectOk(await api.POST('/api/v1/auth/password-reset', { body: { email } }));
}

/**
 * Sets a new password with the token from the mail (`POST /api/v1/auth/password-reset/confirm`);
 * the account's sessions end. A used, replaced or expired token is a 410 with its code.
 */
export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  expectOk(await api.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } }));
}
