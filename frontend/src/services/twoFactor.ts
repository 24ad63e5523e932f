import { api, session } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** Whether my second factor is on and required. */
export type TwoFactorStatus = components['schemas']['TwoFactorStatusResponse'];
/** A started setup: secret, URI and QR code. */
export type TwoFactorSetup = components['schemas']['TwoFactorSetupResponse'];

/** My second factor (`GET /api/v1/me/two-factor`). */
export async function getMyTwoFactor(): Promise<TwoFactorStatus> {
  return unwrap(await api.GET('/api/v1/me/two-factor'));
}

/** Starts setting up an app (`POST /api/v1/me/two-factor/setup`). */
export async function startTwoFactor(currentPassword: string): Promise<TwoFactorSetup> {
  return unwrap(await api.POST('/api/v1/me/two-factor/setup', { body: { current_password: currentPassword } }));
}

/**
 * Confirms the app with a code (`POST /api/v1/me/two-factor/confirm`) and renews the session
 * (a session that could only set up the second factor becomes a full one); returns the
 * recovery codes.
 */
export async function confirmTwoFactor(code: string): Promise<string[]> {
  const codes = unwrap(await api.POST('/api/v1/me/two-factor/confirm', { body: { code } })).recovery_codes;
  await session.refresh(await session.accessToken());
  return codes;
}

/** New recovery codes (`POST /api/v1/me/two-factor/recovery-codes`). */
export async function regenerateRecoveryCodes(code: string): Promise<string[]> {
  return unwrap(await api.POST('/api/v1/me/two-factor/recovery-codes', { body: { code } })).recovery_codes;
}

/** Turns the second factor off (`DELETE /api/v1/me/two-factor`). */
export async function disableTwoFactor(currentPassword: string): Promise<void> {
  expectOk(await api.DELETE('/api/v1/me/two-factor', { body: { current_password: currentPassword } }));
}
