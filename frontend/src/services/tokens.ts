import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A personal API token, without its secret. */
export type ApiToken = components['schemas']['ApiTokenResponse'];
/** A just-created token with its secret (shown once). */
export type CreatedApiToken = components['schemas']['CreatedApiTokenResponse'];
/** Input for a new token. */
export type NewApiToken = components['schemas']['CreateApiTokenRequest'];
/** `full` or `mail_gateway`. */
export type TokenScope = components['schemas']['TokenScopeDto'];

/** My active tokens, oldest first (`GET /api/v1/me/tokens`). */
export async function listMyTokens(): Promise<ApiToken[]> {
  return unwrap(await api.GET('/api/v1/me/tokens')).items;
}

/** Creates a token (`POST /api/v1/me/tokens`); the answer carries the secret. */
export async function createMyToken(input: NewApiToken): Promise<CreatedApiToken> {
  return unwrap(await api.POST('/api/v1/me/tokens', { body: input }));
}

/** Revokes a token (`DELETE /api/v1/me/tokens/{id}`); it stops working at once. */
export async function revokeMyToken(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } }));
}
