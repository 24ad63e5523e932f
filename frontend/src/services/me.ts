import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A user as the API describes them. */
export type User = components['schemas']['UserResponse'];
/** A queue with the signed-in agent's rights on it (`GET /api/v1/me/queues`). */
export type MyQueue = components['schemas']['MyQueueResponse'];
/** A right on a group's queues. */
export type Right = components['schemas']['RightDto'];
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

/**
 * The queues the signed-in agent holds any right on, with those rights as they take effect
 * (`rw` spelled out, every right implying `ro`; administrators: every queue, every right).
 */
export async function listMyQueues(): Promise<MyQueue[]> {
  return unwrap(await api.GET('/api/v1/me/queues')).items;
}
