import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A user as the API describes them. */
export type User = components['schemas']['UserResponse'];
/** Changes to one's own profile. */
export type ProfileChanges = components['schemas']['UpdateMeRequest'];

/** The signed-in user (`GET /api/v1/me`). */
export async function getMe(): Promise<User> {
  return unwrap(await api.GET('/api/v1/me'));
}

/** Changes name, language, time zone or password (`PATCH /api/v1/me`). */
export async function updateMe(changes: ProfileChanges): Promise<User> {
  return unwrap(await api.PATCH('/api/v1/me', { body: changes }));
}
