import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A saved ticket-list query, private or shared with a group. */
export type SavedSearch = components['schemas']['SavedSearchResponse'];
/** Input for a new saved search. */
export type NewSavedSearch = components['schemas']['CreateSavedSearchRequest'];
/** Changes to a saved search (`group_id: null` makes it private). */
export type SavedSearchChanges = components['schemas']['UpdateSavedSearchRequest'];

/** Mine and those shared with my groups, by name; with counts of matching tickets (capped at 1,000). */
export async function listSavedSearches(withCounts: boolean): Promise<SavedSearch[]> {
  return unwrap(await api.GET('/api/v1/saved-searches', { params: { query: { with_counts: withCounts } } })).items;
}

/** Saves a query string of `GET /api/v1/tickets` under a name (`POST /api/v1/saved-searches`). */
export async function createSavedSearch(input: NewSavedSearch): Promise<SavedSearch> {
  return unwrap(await api.POST('/api/v1/saved-searches', { body: input }));
}

/** Renames, changes or (un)shares a saved search of mine (`PATCH /api/v1/saved-searches/{id}`). */
export async function updateSavedSearch(id: number, changes: SavedSearchChanges): Promise<SavedSearch> {
  return unwrap(await api.PATCH('/api/v1/saved-searches/{id}', { params: { path: { id } }, body: changes }));
}

/** Deletes a saved search of mine (`DELETE /api/v1/saved-searches/{id}`). */
export async function deleteSavedSearch(id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/saved-searches/{id}', { params: { path: { id } } }));
}
