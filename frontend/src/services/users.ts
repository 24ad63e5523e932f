import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';
import type { User } from './me';

/** Input for a new agent. */
export type NewAgent = components['schemas']['CreateUserRequest'];
/** Changes to an agent. */
export type AgentChanges = components['schemas']['UpdateUserRequest'];

/** Filters of the agent directory. */
export interface AgentFilter {
  /** Part of the name or email. */
  search?: string;
  /** Only active (`true`) or inactive (`false`) agents. */
  active?: boolean;
}

/** One page of agents (`GET /api/v1/users`), ordered by id. */
export async function listAgents(
  filter: AgentFilter,
  cursor: string | null,
  limit: number,
): Promise<Page<User>> {
  const query: { limit: number; cursor?: string; search?: string; active?: boolean } = { limit };
  if (cursor !== null) query.cursor = cursor;
  if (filter.search) query.search = filter.search;
  if (filter.active !== undefined) query.active = filter.active;
  const page = unwrap(await api.GET('/api/v1/users', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** One agent (`GET /api/v1/users/{id}`). */
export async function getAgent(id: number): Promise<User> {
  return unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
}

/** Creates an agent (`POST /api/v1/users`; 409 `email_taken`). */
export async function createAgent(input: NewAgent): Promise<User> {
  return unwrap(await api.POST('/api/v1/users', { body: input }));
}

/** Changes an agent (`PATCH /api/v1/users/{id}`; 409 `email_taken` or `last_admin`). */
export async function updateAgent(id: number, changes: AgentChanges): Promise<User> {
  return unwrap(
    await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: changes }),
  );
}
