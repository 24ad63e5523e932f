import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A queue with its ticket counts per state type (what agents get). */
export type Queue = components['schemas']['QueueResponse'];
/** A queue a customer may open tickets in (id and name only). */
export type QueueChoice = components['schemas']['QueueChoiceResponse'];
/** Ticket counts of a queue per state type. */
export type QueueCounts = components['schemas']['QueueCountsResponse'];
/** Input for a new queue. */
export type NewQueue = components['schemas']['CreateQueueRequest'];
/** Changes to a queue (`null` clears). */
export type QueueChanges = components['schemas']['UpdateQueueRequest'];
/** A ticket state. */
export type State = components['schemas']['StateResponse'];
/** Input for a new state. */
export type NewState = components['schemas']['CreateStateRequest'];
/** Changes to a state. */
export type StateChanges = components['schemas']['UpdateStateRequest'];
/** A priority (its `id` is the level) or a ticket type. */
export type Named = components['schemas']['NamedResponse'];
/** Changes to a priority or ticket type. */
export type NamedChanges = components['schemas']['UpdateNamedRequest'];

/** Whether a queue list item is the agent's view (with counts), not the customer's choice. */
export function isAgentQueue(item: Queue | QueueChoice): item is Queue {
  return 'counts' in item;
}

/** The agent's queues with counts, by name (`GET /api/v1/queues`; administrators get all). */
export async function listQueues(): Promise<Queue[]> {
  return unwrap(await api.GET('/api/v1/queues')).items.filter(isAgentQueue);
}

/** The queues a customer may open tickets in (`GET /api/v1/queues` as a customer). */
export async function listCustomerQueues(): Promise<QueueChoice[]> {
  return unwrap(await api.GET('/api/v1/queues')).items.map(({ id, name }) => ({ id, name }));
}

/** One queue with its counts (`GET /api/v1/queues/{id}`). */
export async function getQueue(id: number): Promise<Queue> {
  return unwrap(await api.GET('/api/v1/queues/{id}', { params: { path: { id } } }));
}

/** Creates a queue (`POST /api/v1/queues`; 409 `name_taken`, `email_taken`). */
export async function createQueue(input: NewQueue): Promise<Queue> {
  return unwrap(await api.POST('/api/v1/queues', { body: input }));
}

/** Changes a queue (`PATCH /api/v1/queues/{id}`; 422 `cycle` on `parent_id`). */
export async function updateQueue(id: number, changes: QueueChanges): Promise<Queue> {
  return unwrap(await api.PATCH('/api/v1/queues/{id}', { params: { path: { id } }, body: changes }));
}

/** All states, by id (`GET /api/v1/states`). */
export async function listStates(): Promise<State[]> {
  return unwrap(await api.GET('/api/v1/states')).items;
}

/** Creates a state (`POST /api/v1/states`). */
export async function createState(input: NewState): Promise<State> {
  return unwrap(await api.POST('/api/v1/states', { body: input }));
}

/** Changes a state (`PATCH /api/v1/states/{id}`); changing its type moves its tickets along. */
export async function updateState(id: number, changes: StateChanges): Promise<State> {
  return unwrap(await api.PATCH('/api/v1/states/{id}', { params: { path: { id } }, body: changes }));
}

/** All priorities, by level (`GET /api/v1/priorities`). */
export async function listPriorities(): Promise<Named[]> {
  return unwrap(await api.GET('/api/v1/priorities')).items;
}

/** Creates a priority; `id` is its level (`POST /api/v1/priorities`; 409 `level_taken`). */
export async function createPriority(input: { id: number; name: string }): Promise<Named> {
  return unwrap(await api.POST('/api/v1/priorities', { body: input }));
}

/** Changes a priority (`PATCH /api/v1/priorities/{id}`). */
export async function updatePriority(id: number, changes: NamedChanges): Promise<Named> {
  return unwrap(await api.PATCH('/api/v1/priorities/{id}', { params: { path: { id } }, body: changes }));
}

/** All ticket types, by id (`GET /api/v1/ticket-types`). */
export async function listTicketTypes(): Promise<Named[]> {
  return unwrap(await api.GET('/api/v1/ticket-types')).items;
}

/** Creates a ticket type (`POST /api/v1/ticket-types`). */
export async function createTicketType(input: { name: string }): Promise<Named> {
  return unwrap(await api.POST('/api/v1/ticket-types', { body: input }));
}

/** Changes a ticket type (`PATCH /api/v1/ticket-types/{id}`). */
export async function updateTicketType(id: number, changes: NamedChanges): Promise<Named> {
  return unwrap(await api.PATCH('/api/v1/ticket-types/{id}', { params: { path: { id } }, body: changes }));
}
