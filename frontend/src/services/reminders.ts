import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import type { Page } from '../components/cursorPager';

/** A reminder on a ticket: a small to-do with a due time and an agent to remind. */
export type Reminder = components['schemas']['ReminderResponse'];
/** One of my reminders, with its ticket's number and title. */
export type MyReminder = components['schemas']['MyReminderResponse'];
/** Input for a new reminder. */
export type NewReminder = components['schemas']['CreateReminderRequest'];
/** Changes to a reminder (`done: true` ticks it off). */
export type ReminderChanges = components['schemas']['UpdateReminderRequest'];

/** My open reminders, soonest first; `dueBefore` (RFC 3339) keeps those due before it. */
export async function listMyReminders(dueBefore: string | null, cursor: string | null, limit: number): Promise<Page<MyReminder>> {
  const query = { limit, ...(cursor !== null && { cursor }), ...(dueBefore !== null && { due_before: dueBefore }) };
  const page = unwrap(await api.GET('/api/v1/me/reminders', { params: { query } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** A ticket's reminders (`GET /api/v1/tickets/{ticket}/reminders`; agents). */
export async function listTicketReminders(ticket: string, cursor: string | null, limit: number): Promise<Page<Reminder>> {
  const page = unwrap(
    await api.GET('/api/v1/tickets/{ticket}/reminders', {
      params: { path: { ticket }, query: { limit, ...(cursor !== null && { cursor }) } },
    }),
  );
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

/** Adds a reminder to a ticket (`POST /api/v1/tickets/{ticket}/reminders`). */
export async function createReminder(ticket: string, input: NewReminder): Promise<Reminder> {
  return unwrap(await api.POST('/api/v1/tickets/{ticket}/reminders', { params: { path: { ticket } }, body: input }));
}

/** Changes or ticks off a reminder (`PATCH /api/v1/tickets/{ticket}/reminders/{id}`). */
export async function updateReminder(ticket: string, id: number, changes: ReminderChanges): Promise<Reminder> {
  return unwrap(
    await api.PATCH('/api/v1/tickets/{ticket}/reminders/{id}', { params: { path: { ticket, id } }, body: changes }),
  );
}

/** Deletes a reminder (`DELETE /api/v1/tickets/{ticket}/reminders/{id}`). */
export async function deleteReminder(ticket: string, id: number): Promise<void> {
  expectOk(await api.DELETE('/api/v1/tickets/{ticket}/reminders/{id}', { params: { path: { ticket, id } } }));
}
