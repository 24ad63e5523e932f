import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A signed-in session. */
export type Session = components['schemas']['SessionResponse'];

/** My active sessions, newest first (`GET /api/v1/me/sessions`). */
export async function listMySessions(): Promise<Session[]> {
  return unwrap(await api.GET('/api/v1/me/sessions')).items;
}

/** Ends one of my sessions at once (`DELETE /api/v1/me/sessions/{id}`). */
export async function endMySession(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
}

/** Ends all my sessions but this one (`POST /api/v1/me/sessions/end-others`). */
export async function endMyOtherSessions(): Promise<number> {
  return unwrap(await api.POST('/api/v1/me/sessions/end-others')).ended;
}
